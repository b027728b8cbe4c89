/**
 * Measuring a stage: wall time, CPU time of this process (user + system), the peak RSS and
 * heap seen while it ran (sampled every 50 ms, and at its end), and the rows or documents it
 * handled. A stage may also carry its floor: the same work done the cheapest way in the same run.
 */
import cliProgress from 'cli-progress'
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

/** One stage's figures in the JSON report. */
export interface StageReport {
  name: string
  /** What the stage counts (booking rows, invoices, PDFs, mails...). */
  unit: string
  items: number
  wallMs: number
  /** CPU time of this Node process (user + system); the database server's is not in it. */
  cpuMs: number
  itemsPerSecond: number
  peakRssMb: number
  peakHeapMb: number
  /** The floor, when one is measured: what it did, its time, and the stage's ratio to it. */
  floor?: { what: string; wallMs: number; cpuMs: number; ratio: number } | undefined
}

/** The progress of a stage: `tick(n)` after n more items; `total` may be set once known. */
export interface StageProgress {
  tick: (n?: number) => void
  setTotal: (total: number) => void
}

const MB = 1024 * 1024

/** Runs stages one after the other and records their figures. */
export class StageRecorder {
  readonly stages: StageReport[] = []
  private peakRss = 0
  private peakHeap = 0
  private readonly bars: cliProgress.MultiBar | undefined

  constructor(private readonly options: { progress: boolean; log: (text: string) => void; profile?: { stage: string; file: string } | undefined }) {
    this.bars = options.progress
      ? new cliProgress.MultiBar({ format: ' {stage} |{bar}| {value}/{total} {unit} | {duration_formatted}', hideCursor: true, clearOnComplete: false, stopOnComplete: false, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
      : undefined
  }

  private sample(): void {
    const m = process.memoryUsage()
    if (m.rss > this.peakRss) this.peakRss = m.rss
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed
  }

  /** The peak RSS of the whole run so far (MB), from the kernel's high-water mark. */
  static maxRssMb(): number {
    return Math.round(process.resourceUsage().maxRSS / 1024)
  }

  /**
   * Runs `fn` as the stage `name`; `fn` returns how many items it handled. The stage's peak
   * memory is the highest sampled while it ran.
   */
  async stage(name: string, unit: string, total: number, fn: (progress: StageProgress) => Promise<number>): Promise<StageReport> {
    this.peakRss = 0
    this.peakHeap = 0
    this.sample()
    const timer = setInterval(() => this.sample(), 50)
    timer.unref()
    const bar = this.bars?.create(Math.max(total, 1), 0, { stage: name.padEnd(14), unit })
    const progress: StageProgress = {
      tick: (n = 1) => bar?.increment(n),
      setTotal: (t) => bar?.setTotal(Math.max(t, 1)),
    }
    const profiling = this.options.profile?.stage.split(',').includes(name) ? new Session() : undefined
    if (profiling) {
      profiling.connect()
      await profiling.post('Profiler.enable')
      await profiling.post('Profiler.setSamplingInterval', { interval: 500 })
      await profiling.post('Profiler.start')
    }
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    let items: number
    try {
      items = await fn(progress)
    } finally {
      clearInterval(timer)
      if (profiling) {
        const { profile } = await profiling.post('Profiler.stop')
        writeFileSync(this.options.profile!.file.replace('{stage}', name), JSON.stringify(profile))
        profiling.disconnect()
      }
    }
    const wallMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    this.sample()
    if (bar) {
      bar.setTotal(Math.max(items, 1))
      bar.update(items)
    }
    const report: StageReport = {
      name, unit, items, wallMs: round(wallMs), cpuMs: round((cpu.user + cpu.system) / 1000),
      itemsPerSecond: wallMs > 0 ? Math.round((items * 1000) / wallMs) : items, peakRssMb: Math.round(this.peakRss / MB), peakHeapMb: Math.round(this.peakHeap / MB),
    }
    this.stages.push(report)
    if (!this.bars) this.options.log(`   ${name}: ${items} ${unit} in ${(wallMs / 1000).toFixed(2)} s wall, ${(report.cpuMs / 1000).toFixed(2)} s CPU`)
    return report
  }

  /** The peak RSS and heap (MB) seen while an untimed part of the run ran (floors, invariants), by name. */
  readonly phases: Record<string, { peakRssMb: number; peakHeapMb: number }> = {}

  /** Runs `fn`, an untimed part of the run, sampling its memory as a stage's (recorded in {@link phases}). */
  async phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const [rss, heap] = [this.peakRss, this.peakHeap]
    this.peakRss = 0
    this.peakHeap = 0
    this.sample()
    const timer = setInterval(() => this.sample(), 50)
    timer.unref()
    try {
      return await fn()
    } finally {
      clearInterval(timer)
      this.sample()
      const seen = this.phases[name]
      this.phases[name] = { peakRssMb: Math.max(seen?.peakRssMb ?? 0, Math.round(this.peakRss / MB)), peakHeapMb: Math.max(seen?.peakHeapMb ?? 0, Math.round(this.peakHeap / MB)) }
      this.peakRss = rss
      this.peakHeap = heap
    }
  }

  /** Measures `fn` as the floor of the stage `name` (recorded with it). */
  async floor(name: string, what: string, fn: () => Promise<unknown>): Promise<void> {
    const stage = this.stages.find((s) => s.name === name)
    if (!stage) throw new Error(`no stage ${name} to attach a floor to`)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    await fn()
    const wallMs = performance.now() - t0
    const cpu = process.cpuUsage(cpu0)
    stage.floor = { what, wallMs: round(wallMs), cpuMs: round((cpu.user + cpu.system) / 1000), ratio: round(stage.wallMs / Math.max(wallMs, 0.001)) }
  }

  stop(): void {
    this.bars?.stop()
  }
}

function round(x: number): number {
  return Math.round(x * 10) / 10
}
