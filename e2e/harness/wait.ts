/**
 * Polls until `probe` returns a value that is not undefined/false, or fails with the last value
 * seen: tests assert on stored state, which the UI reaches asynchronously.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  {timeoutMs = 60_000, intervalMs = 100}: {timeoutMs?: number; intervalMs?: number} = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
      last = value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${description}; last value: ${String(last)}`)
    }
    await new Promise((resolveSleep) => setTimeout(resolveSleep, intervalMs))
  }
}
