// Types of doc-examples.mjs, for the docs test written in TypeScript.
export interface CodeBlock {
  heading: string
  code: string
  line: number
  mode: 'run' | 'continues' | 'types-only' | 'no-run'
  reason?: string
}
export function checkedProgram(source: string): { program: string; assertions: number }
export function codeBlocks(markdown: string, lang?: string): CodeBlock[]
export function checkedExamples(markdown: string): {
  programs: Array<{ line: number; heading: string; program: string; assertions: number; run: boolean; reason?: string }>
  notRun: Array<{ line: number; heading: string; reason: string }>
}
