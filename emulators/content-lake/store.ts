/**
 * The documents, the transaction log and revision snapshots. Writes arrive as a finished
 * WorkingSet and are committed in one step, then announced to subscribers (listeners, webhooks,
 * Functions, persistence) in commit order.
 */
import {randomUUID} from 'node:crypto'

import {idOf, revOf} from './fields'
import {DocumentIndexes} from './indexes'
import type {DocumentChange, LakeDocument, LakeTransaction} from './types'
import {WorkingSet} from './working-set'

export type CommitSubscriber = (transaction: LakeTransaction) => void

/** A read-only dataset: the current one, or one as it was a moment ago (a lagging replica). */
export interface DatasetView {
  get(id: string): LakeDocument | undefined
  /** Every document, in the order they were created (the order unordered queries return). */
  all(): LakeDocument[]
  /** The creation rank behind that order (undefined for an unknown id). */
  rankOf(id: string): number | undefined
}

/** What a document was before a later transaction changed it, with its creation rank then. */
export interface PriorState {
  document: LakeDocument | null
  rank: number | undefined
}

interface TimelineEntry {
  committedAt: number
  prior: Map<string, PriorState>
}

/** History kept for lagging replicas when no longer lag asks for more. */
const MIN_HISTORY_MS = 60_000

export class DocumentStore implements DatasetView {
  private readonly documents = new Map<string, LakeDocument>()
  /** Creation rank per id: Map order of `documents`, kept as numbers so subsets can be sorted. */
  private readonly ranks = new Map<string, number>()
  private nextRank = 0
  private readonly revisions = new Map<string, LakeDocument>()
  private readonly log: LakeTransaction[] = []
  private readonly timeline: TimelineEntry[] = []
  private historyMs = MIN_HISTORY_MS
  private readonly subscribers = new Set<CommitSubscriber>()
  private writing: Promise<unknown> = Promise.resolve()
  private readonly now: () => number
  /** Kept current by every commit; the query planner reads them. */
  readonly indexes: DocumentIndexes

  constructor(initial: LakeDocument[] = [], options: {now?: () => number} = {}) {
    this.now = options.now ?? Date.now
    for (const document of initial) {
      const id = idOf(document)
      if (!this.ranks.has(id)) this.ranks.set(id, this.nextRank++)
      this.documents.set(id, document)
    }
    for (const document of initial) this.remember(document)
    this.indexes = new DocumentIndexes(this.documents)
  }

  get(id: string): LakeDocument | undefined {
    return this.documents.get(id)
  }

  all(): LakeDocument[] {
    return [...this.documents.values()]
  }

  rankOf(id: string): number | undefined {
    return this.ranks.get(id)
  }

  /** The store's clock (injectable for tests of lagging reads). */
  time(): number {
    return this.now()
  }

  /** Keeps at least `ms` of history for `changedSince` (lagging replicas ask this far back). */
  retainHistory(ms: number): void {
    this.historyMs = Math.max(MIN_HISTORY_MS, ms)
  }

  /**
   * The state, as of `time`, of every document a transaction committed after `time` changed
   * (null: it did not exist then). History older than the retention is gone, so a lag beyond it
   * sees the oldest state still known.
   */
  changedSince(time: number): Map<string, PriorState> {
    const prior = new Map<string, PriorState>()
    for (let index = this.timeline.length - 1; index >= 0; index--) {
      const entry = this.timeline[index] as TimelineEntry
      if (entry.committedAt <= time) break
      // Walking back in time: an older transaction's "before" overwrites a newer one's.
      for (const [id, state] of entry.prior) prior.set(id, state)
    }
    return prior
  }

  transactions(): readonly LakeTransaction[] {
    return this.log
  }

  /** A document as it was at revision `rev` (for the history endpoints). */
  revision(id: string, rev: string): LakeDocument | undefined {
    return this.revisions.get(`${id}@${rev}`)
  }

  /**
   * Runs a transaction that awaits something between `begin` and `commit` (e.g. resolving a
   * query to ids) after every earlier one has finished, so it never commits over a stale read.
   */
  exclusive<T>(transaction: () => Promise<T>): Promise<T> {
    const result = this.writing.then(transaction)
    this.writing = result.catch(() => undefined)
    return result
  }

  /** Starts a transaction; reuses the client's transaction id, as the Studio relies on it. */
  begin(transactionId?: string): WorkingSet {
    return new WorkingSet(
      (id) => this.documents.get(id),
      transactionId ?? randomUUID(),
      new Date().toISOString(),
    )
  }

  /** Applies the working set's changes atomically; returns the transaction, or null if empty. */
  commit(work: WorkingSet, identity: string): LakeTransaction | null {
    const changes: DocumentChange[] = work.changes()
    if (changes.length === 0) return null
    const prior = new Map<string, PriorState>()
    for (const change of changes) {
      prior.set(change.id, {document: change.before, rank: this.ranks.get(change.id)})
      if (change.after) {
        this.put(change.after)
        this.remember(change.after)
      } else {
        this.indexes.update(change.id, this.documents.get(change.id), undefined)
        this.documents.delete(change.id)
        this.ranks.delete(change.id)
      }
    }
    this.record(prior)
    const transaction: LakeTransaction = {
      id: work.transactionId,
      timestamp: work.timestamp,
      identity,
      changes,
    }
    this.log.push(transaction)
    for (const subscriber of this.subscribers) {
      try {
        subscriber(transaction)
      } catch (error) {
        console.error('content-lake: a commit subscriber failed', error)
      }
    }
    return transaction
  }

  subscribe(subscriber: CommitSubscriber): () => void {
    this.subscribers.add(subscriber)
    return () => this.subscribers.delete(subscriber)
  }

  private put(document: LakeDocument): void {
    const id = idOf(document)
    if (!this.ranks.has(id)) this.ranks.set(id, this.nextRank++)
    this.indexes.update(id, this.documents.get(id), document)
    this.documents.set(id, document)
  }

  private record(prior: Map<string, PriorState>): void {
    const committedAt = this.now()
    this.timeline.push({committedAt, prior})
    let expired = 0
    while (
      expired < this.timeline.length &&
      (this.timeline[expired] as TimelineEntry).committedAt < committedAt - this.historyMs
    ) {
      expired++
    }
    if (expired > 0) this.timeline.splice(0, expired)
  }

  private remember(document: LakeDocument): void {
    if (revOf(document)) this.revisions.set(`${idOf(document)}@${revOf(document)}`, document)
  }
}
