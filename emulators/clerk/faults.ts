/**
 * Scripted failures for tests and benchmarks: match requests by method and path, and answer the
 * next `times` of them with an error status, a delay, a hang, a connection reset or a wrong
 * content type.
 */

export type Fault =
  /** Answer with this status and a Clerk-shaped error body (429 gets `Retry-After`). */
  | {type: 'status'; status: number; code?: string; message?: string; retryAfterSeconds?: number}
  /** Wait, then handle the request normally. */
  | {type: 'delay'; ms: number}
  /** Never answer; the connection stays open until the client gives up or the emulator closes. */
  | {type: 'hang'}
  /** Destroy the connection without a response (the client sees a network error). */
  | {type: 'reset'}
  /** Handle normally but answer with another content type (the SDK then skips JSON parsing). */
  | {type: 'content-type'; contentType?: string}

export interface FaultRule {
  /** HTTP method to match; any when absent. */
  method?: string
  /** Request path as sent (e.g. `/v1/users/user_1`): a string matches exactly, a RegExp tests. */
  path?: string | RegExp
  /**
   * Query parameters the request must carry, each with this value among its values (e.g.
   * `{user_id: 'user_1'}` matches `GET /v1/users?user_id=user_0&user_id=user_1`).
   */
  query?: Record<string, string>
  /** How many matching requests get the fault. Default 1; `Infinity` for all. */
  times?: number
  fault: Fault
}

export interface ActiveFault {
  readonly id: string
  readonly rule: FaultRule
  /** Matching requests still to fault. */
  readonly remaining: number
  /** Matching requests faulted so far. */
  readonly hits: number
  remove(): void
}

/** Error codes the emulator uses for injected statuses. */
const CODES: Record<number, string> = {
  429: 'too_many_requests',
  500: 'internal_clerk_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
}

export function defaultFaultCode(status: number): string {
  return CODES[status] ?? 'injected_fault'
}

interface FaultState {
  id: string
  rule: FaultRule
  remaining: number
  hits: number
}

export class FaultInjector {
  #nextId = 1
  #active: FaultState[] = []

  add(rule: FaultRule): ActiveFault {
    const times = rule.times ?? 1
    if (!(times > 0)) throw new Error('a fault needs `times` > 0')
    const state: FaultState = {id: `fault_${this.#nextId++}`, rule, remaining: times, hits: 0}
    this.#active.push(state)
    const remove = () => {
      this.#active = this.#active.filter((candidate) => candidate !== state)
    }
    return {
      id: state.id,
      rule,
      get remaining() {
        return state.remaining
      },
      get hits() {
        return state.hits
      },
      remove,
    }
  }

  /** Removes one fault by id; false when there was none. */
  remove(id: string): boolean {
    const before = this.#active.length
    this.#active = this.#active.filter((state) => state.id !== id)
    return this.#active.length < before
  }

  clear(): void {
    this.#active = []
  }

  list(): {id: string; rule: FaultRule; remaining: number; hits: number}[] {
    return this.#active.map(({id, rule, remaining, hits}) => ({id, rule, remaining, hits}))
  }

  /** The fault for this request, if a rule matches; uses up one of the rule's `times`. */
  take(method: string, path: string, query?: URLSearchParams): Fault | undefined {
    const state = this.#active.find(({rule}) => {
      if (rule.method && rule.method.toUpperCase() !== method) return false
      if (rule.query) {
        for (const [name, value] of Object.entries(rule.query)) {
          if (!query?.getAll(name).includes(value)) return false
        }
      }
      if (rule.path === undefined) return true
      return typeof rule.path === 'string' ? rule.path === path : rule.path.test(path)
    })
    if (!state) return undefined
    state.remaining -= 1
    state.hits += 1
    if (state.remaining <= 0) this.#active = this.#active.filter((s) => s !== state)
    return state.rule.fault
  }
}
