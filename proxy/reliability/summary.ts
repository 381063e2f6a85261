/**
 * The figures a reliability suite reports: collected while it runs, printed as one compact table
 * when it ends (`console.info`, so they show in `npm test` output next to the pass/fail lines).
 */
export interface FigureTable {
  /** Adds `by` (default 1) to a counter, creating it at 0 first. */
  count(name: string, by?: number): void
  /** Sets a figure to a value (a count, a ratio or a short text). */
  set(name: string, value: number | string): void
  get(name: string): number
  /** The table as text: a title line, then one `name  value` row per figure. */
  render(): string
  /** Prints {@link render} with `console.info`. */
  print(): void
}

export function createFigureTable(title: string): FigureTable {
  const figures = new Map<string, number | string>()
  const table: FigureTable = {
    count(name, by = 1) {
      const current = figures.get(name)
      figures.set(name, (typeof current === 'number' ? current : 0) + by)
    },
    set(name, value) {
      figures.set(name, value)
    },
    get(name) {
      const value = figures.get(name)
      return typeof value === 'number' ? value : 0
    },
    render() {
      const width = Math.max(0, ...[...figures.keys()].map((name) => name.length))
      // Rows sharing a `group: ` prefix stay together, groups in the order they first appeared.
      const groupOf = (name: string) => name.split(': ')[0]!
      const groups = [...new Set([...figures.keys()].map(groupOf))]
      const rows = [...figures]
        .map(([name, value], index) => ({name, value, index}))
        .sort(
          (a, b) =>
            groups.indexOf(groupOf(a.name)) - groups.indexOf(groupOf(b.name)) || a.index - b.index,
        )
        .map(({name, value}) => `  ${name.padEnd(width)}  ${value}`)
      return [`── ${title} ──`, ...rows].join('\n')
    },
    print() {
      console.info(table.render())
    },
  }
  return table
}
