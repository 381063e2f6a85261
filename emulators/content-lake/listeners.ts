/**
 * `GET /data/listen/<dataset>`: server-sent events. The Studio confirms its own commits by the
 * `transactionId` and revisions on these `mutation` events, so they carry what the hosted API
 * sends: previousRev/resultRev, transition, identity, and mendoza effects on request.
 */
import {randomBytes} from 'node:crypto'

import {compileDocumentMatcher, type QueryScope} from './groq'
import type {LakeDocument, LakeTransaction} from './types'
import {revOf} from './fields'

/** The part of an HTTP/1 or HTTP/2 response a stream needs. */
export interface EventStreamSink {
  write(chunk: string): unknown
  end(): unknown
  destroy?: () => unknown
}

export interface ListenOptions {
  query: string
  params: Record<string, unknown>
  includeResult: boolean
  includeMutations: boolean
  includePreviousRevision: boolean
  effectFormat: string | null
  visibility: string
}

interface Listener {
  options: ListenOptions
  matches: (document: LakeDocument | null) => Promise<boolean>
  sink: EventStreamSink
}

function withoutRev(document: LakeDocument | null): Record<string, unknown> | null {
  if (!document) return null
  const {_rev: _ignored, ...rest} = document
  return rest
}

const sse = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

export class ListenerHub {
  private readonly listeners = new Set<Listener>()
  private readonly pingTimer: NodeJS.Timeout
  private delivering: Promise<void> = Promise.resolve()

  constructor(pingIntervalMs = 10_000) {
    this.pingTimer = setInterval(() => this.ping(), pingIntervalMs)
    this.pingTimer.unref()
  }

  get size(): number {
    return this.listeners.size
  }

  /** Compiles a stream's filter; throws a queryParseError before any response is written. */
  compile(options: ListenOptions, scope: QueryScope): Listener['matches'] {
    return compileDocumentMatcher(options.query, options.params, scope)
  }

  /** Registers a stream and sends `welcome`; returns the unsubscribe function. */
  attach(options: ListenOptions, matches: Listener['matches'], sink: EventStreamSink): () => void {
    const listener: Listener = {options, matches, sink}
    this.listeners.add(listener)
    sink.write(sse('welcome', {listenerName: randomBytes(12).toString('base64url')}))
    return () => this.listeners.delete(listener)
  }

  /** Ends every open stream, as a dropped connection would (clients reconnect). */
  dropAll(): number {
    const count = this.listeners.size
    for (const listener of this.listeners) {
      listener.sink.end()
      listener.sink.destroy?.()
    }
    this.listeners.clear()
    return count
  }

  /** Queues the transaction's events; streams see transactions in commit order. */
  publish(transaction: LakeTransaction): Promise<void> {
    this.delivering = this.delivering.then(() => this.deliver(transaction))
    return this.delivering
  }

  private async deliver(transaction: LakeTransaction): Promise<void> {
    const total = transaction.changes.length
    for (const listener of [...this.listeners]) {
      for (const [index, change] of transaction.changes.entries()) {
        const [before, after] = await Promise.all([
          listener.matches(change.before),
          listener.matches(change.after),
        ]).catch(() => [false, false])
        if (!before && !after) continue
        const {options} = listener
        const event: Record<string, unknown> = {
          eventId: `${transaction.id}#${change.id}`,
          documentId: change.id,
          transactionId: transaction.id,
          transition: before && after ? 'update' : after ? 'appear' : 'disappear',
          identity: transaction.identity,
          previousRev: revOf(change.before),
          resultRev: revOf(change.after) ?? transaction.id,
          timestamp: transaction.timestamp,
          visibility: options.visibility,
          transactionTotalEvents: total,
          transactionCurrentEvent: index + 1,
        }
        if (options.includeMutations) event.mutations = change.mutations
        if (options.includeResult && change.after) event.result = change.after
        if (options.includePreviousRevision && change.before) event.previous = change.before
        if (options.effectFormat === 'mendoza') {
          // `[0, value]` is mendoza's "replace with this value" patch.
          event.effects = {
            apply: [0, withoutRev(change.after)],
            revert: [0, withoutRev(change.before)],
          }
        }
        listener.sink.write(sse('mutation', event))
      }
    }
  }

  close(): void {
    clearInterval(this.pingTimer)
    this.dropAll()
  }

  private ping(): void {
    for (const listener of this.listeners) listener.sink.write(': ping\n\n')
  }
}
