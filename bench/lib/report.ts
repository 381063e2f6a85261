/**
 * The shape every bench module returns and the markdown table `run.ts` prints. Figures are
 * compared with a bound or a baseline measured in the same run, because absolute times on a
 * shared 2-core machine say little on their own.
 */

/** One measured number, with what it is judged against. */
export interface BenchFigure {
  /** What was measured, e.g. `Clerk requests per sync`. */
  label: string
  value: number
  unit: string
  /** The bound or same-run baseline the value is compared with. */
  reference?: {label: string; value: number}
  /** Human-readable goal, e.g. `≤ 1.1× naive`. */
  goal?: string
  /** Whether the goal was met; absent when the figure has no goal. */
  met?: boolean
  note?: string
}

/** What one bench module returns. */
export interface BenchResult {
  name: string
  title: string
  /** How the numbers were produced (N, repeats, latency, what path was exercised). */
  setup: string
  figures: BenchFigure[]
  notes: string[]
}

/** Options every bench module accepts. */
export interface BenchOptions {
  /** Smaller N and fewer repeats: for a smoke run, not for the figures in the README. */
  quick: boolean
  /** Add the slow large sizes (reconcile at 100,000 users). */
  large?: boolean
  /** Progress lines. */
  log: (line: string) => void
}

export type BenchModule = (options: BenchOptions) => Promise<BenchResult>

/** `value / reference`, or null when there is no usable reference. */
export function ratioOf(figure: BenchFigure): number | null {
  const reference = figure.reference?.value
  if (reference === undefined || reference === 0 || !Number.isFinite(reference)) return null
  return figure.value / reference
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isInteger(value)) return value.toLocaleString('en-US')
  const magnitude = Math.abs(value)
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3
  return value.toLocaleString('en-US', {maximumFractionDigits: digits})
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

/** Every figure whose goal was not met, as `bench: figure (value; goal)` lines. */
export function missedGoals(results: BenchResult[]): string[] {
  return results.flatMap((result) =>
    result.figures
      .filter((figure) => figure.met === false)
      .map(
        (figure) =>
          `${result.name}: ${figure.label} (${formatNumber(figure.value)} ${figure.unit}`.trimEnd() +
          `; goal ${figure.goal ?? 'unstated'})`,
      ),
  )
}

/** The results as one markdown table per bench, with setup and notes under each. */
export function renderMarkdown(results: BenchResult[], header: string): string {
  const lines = [header, '']
  for (const result of results) {
    lines.push(`### ${result.title} (\`${result.name}\`)`, '', result.setup, '')
    lines.push(
      '| Figure | Value | Reference | Ratio | Goal | Met |',
      '| --- | --- | --- | --- | --- | --- |',
    )
    for (const figure of result.figures) {
      const ratio = ratioOf(figure)
      const reference = figure.reference
        ? `${figure.reference.label}: ${formatNumber(figure.reference.value)} ${figure.unit}`.trim()
        : ''
      const met = figure.met === undefined ? '' : figure.met ? 'yes' : '**no**'
      const value = `${formatNumber(figure.value)} ${figure.unit}`.trim()
      const label = figure.note ? `${figure.label} (${figure.note})` : figure.label
      lines.push(
        `| ${cell(label)} | ${cell(value)} | ${cell(reference)} | ${ratio === null ? '' : `${formatNumber(ratio)}×`} | ${cell(figure.goal ?? '')} | ${met} |`,
      )
    }
    if (result.notes.length > 0) lines.push('', ...result.notes.map((note) => `- ${note}`))
    lines.push('')
  }
  return lines.join('\n')
}
