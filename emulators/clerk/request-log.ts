/** The record of requests the emulator served, for tests to assert on. */

export interface LoggedRequest {
  method: string
  /** Path as sent, without the query string. */
  path: string
  query: Record<string, string[]>
  /** Lowercased header names; the secret key in `authorization` is redacted. */
  headers: Record<string, string>
  /** Raw request body ('' when none). */
  body: string
  /** The matched route, e.g. `PATCH /users/:userId/metadata`; absent for unknown routes. */
  route?: string
  status: number
  /** Raw response body ('' for resets and hangs). */
  responseBody: string
  /** Epoch milliseconds when the request arrived. */
  receivedAt: number
}

/** Keeps the newest `limit` entries, so long benchmarks don't grow memory without bound. */
export class RequestLog {
  #entries: LoggedRequest[] = []

  constructor(readonly limit: number) {}

  get entries(): readonly LoggedRequest[] {
    return this.#entries
  }

  record(entry: LoggedRequest): void {
    this.#entries.push(entry)
    if (this.#entries.length > this.limit)
      this.#entries.splice(0, this.#entries.length - this.limit)
  }

  clear(): void {
    this.#entries = []
  }
}

/** `Bearer sk_test_abc` → `Bearer [redacted]`: secrets never reach logs. */
export function redactHeaders(headers: Record<string, string | string[] | undefined>) {
  const redacted: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : value
    redacted[name] = name === 'authorization' ? text.replace(/^(\S+\s+).*$/, '$1[redacted]') : text
  }
  return redacted
}
