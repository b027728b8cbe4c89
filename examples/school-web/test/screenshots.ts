import type { Page } from 'playwright-core'

// The browser tests save full-page screenshots of what a person sees, under test-artifacts/ (not
// committed), for a developer to look at. A CI run's artifacts are thrown away with its clone and a
// full-page screenshot costs Chromium about a quarter of a CPU-second on the 2-core reference
// machine, so CI (the `CI` variable set) takes none unless ECOLE_SCREENSHOTS=1 asks for them;
// ECOLE_SCREENSHOTS=0 turns them off anywhere. No test asserts on a screenshot.

/** Whether {@link saveScreenshot} writes anything in this run. */
export const SCREENSHOTS = process.env['ECOLE_SCREENSHOTS'] !== undefined ? process.env['ECOLE_SCREENSHOTS'] === '1' : !process.env['CI']

/**
 * Saves a full-page screenshot of `page` at `path` (a PNG), when {@link SCREENSHOTS} is on.
 *
 * @example
 * await saveScreenshot(page, resolve(ARTIFACTS, 'fr-dashboard.png'))
 */
export async function saveScreenshot(page: Page, path: string): Promise<void> {
  if (SCREENSHOTS) await page.screenshot({ path, fullPage: true })
}
