/**
 * The replica GROQ queries read from. On Sanity's hosted API queries are eventually consistent
 * (a query right after a commit may not see it) while documents by id, mutations, actions and
 * listeners are not. With a query lag set, each query reads the dataset as it was a random
 * moment in `[minMs, maxMs]` ago, rebuilt from the store's history; without one (the default)
 * it reads the current dataset.
 */
import {badRequest} from './errors'
import type {DatasetView, DocumentStore, PriorState} from './store'
import {idOf} from './fields'
import type {LakeDocument} from './types'

/** How far behind the query replica is: a per-request random lag in `[minMs, maxMs]`. */
export interface QueryLag {
  minMs: number
  maxMs: number
  /** Seed for the per-request lag, so a test draws the same lags every run (default: random). */
  seed?: number
}

/** mulberry32: a small seedable generator, good enough to spread lags. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** Checks a lag from options or the admin API; throws a 400-shaped error naming the problem. */
export function validateQueryLag(lag: unknown): QueryLag | null {
  if (lag === null || lag === undefined) return null
  const {minMs, maxMs, seed} = lag as Partial<QueryLag>
  const finite = (value: unknown) => typeof value === 'number' && Number.isFinite(value)
  if (!finite(minMs) || !finite(maxMs) || (minMs as number) < 0) {
    throw badRequest('queryLag needs numbers minMs ≥ 0 and maxMs')
  }
  if ((maxMs as number) < (minMs as number)) {
    throw badRequest(`queryLag maxMs (${maxMs}) is below minMs (${minMs})`)
  }
  if (seed !== undefined && !finite(seed)) throw badRequest('queryLag seed must be a number')
  return {minMs: minMs as number, maxMs: maxMs as number, ...(seed === undefined ? {} : {seed})}
}

/**
 * The dataset as it was: documents changed since then read from their prior state, the rest
 * from the store. `changed` holds every id whose state differs from the store's.
 */
export class PastView implements DatasetView {
  readonly changed: ReadonlyMap<string, PriorState>
  private readonly store: DatasetView

  constructor(store: DatasetView, changed: ReadonlyMap<string, PriorState>) {
    this.store = store
    this.changed = changed
  }

  get(id: string): LakeDocument | undefined {
    const prior = this.changed.get(id)
    if (prior) return prior.document ?? undefined
    return this.store.get(id)
  }

  rankOf(id: string): number | undefined {
    const prior = this.changed.get(id)
    if (prior) return prior.document ? prior.rank : undefined
    return this.store.rankOf(id)
  }

  all(): LakeDocument[] {
    const restored: {document: LakeDocument; rank: number}[] = []
    for (const {document, rank} of this.changed.values()) {
      if (document && rank !== undefined) restored.push({document, rank})
    }
    restored.sort((a, b) => a.rank - b.rank)
    // Merge the restored documents into the store's (already in rank order) by rank.
    const result: LakeDocument[] = []
    let next = 0
    for (const document of this.store.all()) {
      const id = idOf(document)
      if (this.changed.has(id)) continue
      const rank = this.store.rankOf(id) ?? Number.POSITIVE_INFINITY
      for (; next < restored.length && (restored[next]?.rank ?? rank) < rank; next++) {
        result.push((restored[next] as {document: LakeDocument}).document)
      }
      result.push(document)
    }
    for (const {document} of restored.slice(next)) result.push(document)
    return result
  }
}

export class QueryReplica {
  private readonly store: DocumentStore
  private current: QueryLag | null = null
  private random: () => number = Math.random

  constructor(store: DocumentStore, lag?: QueryLag | null) {
    this.store = store
    this.set(lag ?? null)
  }

  /** The lag now in force, or null (queries read the current dataset). */
  get lag(): QueryLag | null {
    return this.current
  }

  /** Sets or (with null) removes the lag; a seed restarts the sequence of drawn lags. */
  set(lag: QueryLag | null): void {
    const valid = validateQueryLag(lag)
    this.current = valid
    this.random = valid?.seed === undefined ? Math.random : seededRandom(valid.seed)
    if (valid) this.store.retainHistory(valid.maxMs)
  }

  /** The dataset one query reads: the current one, or the one of a moment drawn from the lag. */
  view(): DatasetView {
    const lag = this.current
    if (!lag) return this.store
    const behindMs = lag.minMs + this.random() * (lag.maxMs - lag.minMs)
    const changed = this.store.changedSince(this.store.time() - behindMs)
    return changed.size === 0 ? this.store : new PastView(this.store, changed)
  }
}
