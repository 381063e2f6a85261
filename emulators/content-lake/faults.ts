/**
 * Latency and fault injection for benchmarks and reliability suites, and the request log tests
 * assert on. Rules match the route without its API version (e.g. `/data/query/test`).
 */

export interface FaultRule {
  /** Regular expression (string form for the admin API) tested against the unversioned path. */
  route: string | RegExp
  method?: string
  /** Added latency before the request is handled. */
  delayMs?: number
  /** Answer with this status (a Sanity-shaped error) instead of handling the request. */
  status?: number
  /** For `/data/listen`: accept, send `welcome`, then drop the stream after this many ms. */
  dropListenerAfterMs?: number
  /** How many requests the rule applies to; unlimited when missing. */
  times?: number
}

export interface RequestLogEntry {
  method: string
  /** The path with the API version and query string removed, e.g. `/data/query/test`. */
  route: string
  apiVersion: string | null
  url: string
  /** `2.0` for HTTP/2, `1.1` for the fallback. */
  httpVersion: string
  status: number
  tag: string | null
  userId: string | null
  durationMs: number
  time: string
}

interface ActiveRule extends FaultRule {
  pattern: RegExp
  remaining: number
}

export class FaultInjector {
  private rules: ActiveRule[] = []

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({
      ...rule,
      pattern: typeof rule.route === 'string' ? new RegExp(rule.route) : rule.route,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }))
  }

  add(rule: FaultRule): void {
    this.set([...this.rules, rule])
  }

  clear(): void {
    this.rules = []
  }

  list(): FaultRule[] {
    return this.rules.map(({pattern: _p, remaining: _r, ...rule}) => ({
      ...rule,
      route: String(rule.route instanceof RegExp ? rule.route.source : rule.route),
    }))
  }

  /** The rules that apply to this request, consuming one use of each. */
  take(method: string, route: string): FaultRule[] {
    const matched = this.rules.filter(
      (rule) =>
        rule.remaining > 0 &&
        (!rule.method || rule.method.toUpperCase() === method) &&
        rule.pattern.test(route),
    )
    for (const rule of matched) rule.remaining--
    this.rules = this.rules.filter((rule) => rule.remaining > 0)
    return matched
  }
}
