import {startBenchChild} from './child-process'

/** Where the load goes: an HTTPS origin with a self-signed certificate, and request headers. */
export interface LoadTarget {
  origin: string
  caCert: string
  headers: Record<string, string>
}

/** One closed-loop run: `concurrency` requests in flight for `durationMs`. */
export interface LoadRun {
  /** Sent in turn, from the first again after the last. */
  paths: string[]
  /**
   * HTTP/1.1 with node:https (keep-alive, one socket per request in flight) or with undici's
   * fetch (what the proxy and `@sanity/client` use; about twice the CPU per request), or HTTP/2
   * on one node:http2 session.
   */
  client: 'node-https' | 'undici-fetch' | 'node-http2'
  concurrency: number
  durationMs: number
}

export interface LoadResult {
  requests: number
  failures: number
  requestsPerSecond: number
  /** The first failure's message, to explain a failed run. */
  firstError: string | null
}

export interface LoadProcess {
  run(load: LoadRun): Promise<LoadResult>
  close(): Promise<void>
}

/**
 * Starts the load generator (`load-child.ts`) in a process of its own against `target`. Runs go
 * one at a time; `close()` ends the child.
 */
export async function startLoadProcess(target: LoadTarget): Promise<LoadProcess> {
  const child = await startBenchChild('load-child.ts', [JSON.stringify(target)])
  return {
    run: async (load) => JSON.parse(await child.ask(JSON.stringify(load))) as LoadResult,
    close: child.close,
  }
}
