/** Small statistics for repeated measurements: medians and percentiles, never single runs. */

/** The `p`-th percentile (0–100) by nearest rank; throws on an empty sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty sample')
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number
}

export const median = (values: readonly number[]): number => percentile(values, 50)

/** Milliseconds `task` took, measured with the monotonic clock. */
export async function timed<T>(task: () => Promise<T>): Promise<{ms: number; value: T}> {
  const started = performance.now()
  const value = await task()
  return {ms: performance.now() - started, value}
}

/**
 * Process CPU milliseconds (user + system) spent while `task` ran. Only meaningful when nothing
 * else runs in this process at the same time: callers run one task at a time.
 */
export async function cpuTimed<T>(task: () => Promise<T>): Promise<{cpuMs: number; value: T}> {
  const before = process.cpuUsage()
  const value = await task()
  return {cpuMs: cpuMsOf(process.cpuUsage(before)), value}
}

/** Milliseconds of a `process.cpuUsage()` reading (user + system). */
export function cpuMsOf(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000
}
