/**
 * The documents, the transaction log and revision snapshots. Writes arrive as a finished
 * WorkingSet and are committed in one step, then announced to subscribers (listeners, webhooks,
 * Functions, persistence) in commit order.
 */
import {randomUUID} from 'node:crypto'

import {idOf, revOf} from './fields'
import type {DocumentChange, LakeDocument, LakeTransaction} from './types'
import {WorkingSet} from './working-set'

export type CommitSubscriber = (transaction: LakeTransaction) => void

export class DocumentStore {
  private readonly documents = new Map<string, LakeDocument>()
  private readonly revisions = new Map<string, LakeDocument>()
  private readonly log: LakeTransaction[] = []
  private readonly subscribers = new Set<CommitSubscriber>()
  private writing: Promise<unknown> = Promise.resolve()

  constructor(initial: LakeDocument[] = []) {
    for (const document of initial) this.documents.set(idOf(document), document)
    for (const document of initial) this.remember(document)
  }

  get(id: string): LakeDocument | undefined {
    return this.documents.get(id)
  }

  all(): LakeDocument[] {
    return [...this.documents.values()]
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
    for (const change of changes) {
      if (change.after) {
        this.documents.set(change.id, change.after)
        this.remember(change.after)
      } else {
        this.documents.delete(change.id)
      }
    }
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

  private remember(document: LakeDocument): void {
    if (revOf(document)) this.revisions.set(`${idOf(document)}@${revOf(document)}`, document)
  }
}
