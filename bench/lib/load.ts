/** A closed-loop load generator: `concurrency` workers send back to back for `durationMs`. */

export interface ThroughputOptions {
  concurrency: number
  durationMs: number
}

export interface Throughput {
  requests: number
  failures: number
  requestsPerSecond: number
}

/**
 * Requests per second `send` sustains. A failed request counts as a failure (the first error is
 * kept to explain it) and never as throughput.
 */
export async function measureThroughput(
  send: () => Promise<void>,
  {concurrency, durationMs}: ThroughputOptions,
): Promise<Throughput & {firstError: unknown}> {
  let requests = 0
  let failures = 0
  let firstError: unknown = null
  const started = performance.now()
  const deadline = started + durationMs
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        await send()
        requests += 1
      } catch (error) {
        failures += 1
        firstError ??= error
      }
    }
  }
  await Promise.all(Array.from({length: concurrency}, worker))
  const seconds = (performance.now() - started) / 1000
  return {requests, failures, requestsPerSecond: requests / seconds, firstError}
}
