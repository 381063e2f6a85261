/**
 * What proxy instances must share to stay correct when several of them serve one project (Next.js
 * on Vercel, Sanity Functions, more than one Node server): who is handling a webhook delivery,
 * who may write a subject right now, where the validity sweep stopped, how many Clerk requests
 * all instances together sent, and which subjects are due for a re-check.
 *
 * One interface, two implementations: {@link createMemoryStore} (the default: correct for ONE
 * process) and `createRedisStore` (any number of processes sharing one Redis). Every method is
 * atomic on its own; none needs a transaction across calls. Keys are short strings chosen by the
 * proxy; an implementation may prefix them (one Redis can serve several projects).
 */

/** What {@link ProxyStore.claim} found. */
export type ClaimState =
  /** The caller now holds the claim and must {@link ProxyStore.complete} or {@link ProxyStore.release} it. */
  | 'claimed'
  /** Another caller holds an unexpired claim: its work is still running (or it crashed recently). */
  | 'running'
  /** The work was completed and is remembered: nothing to do. */
  | 'done'

/**
 * An exclusive, expiring right to act on one name (a subject, the reconcile, the sweep). The
 * `token` grows by one with every grant of that name (a fencing token): the holder proves
 * ownership with it when renewing or releasing, so a holder whose lease expired can never release
 * its successor's. A name's tokens do not repeat even after the store lost its state (a restarted
 * process, a flushed Redis): the first grant's token is the store's clock in microseconds, so a
 * repeat would take over a thousand grants of one name per millisecond the store was gone.
 */
export interface Lease {
  readonly name: string
  readonly token: number
  /**
   * The token of the grant just before this one; `null` for the first grant of the name. A holder
   * that recorded its token somewhere (the sync stamp) can thus tell that nobody held the name
   * between it and this holder.
   */
  readonly previousToken: number | null
}

/** A sliding window of at most `requests` grants per `perMs`. */
export interface RateWindow {
  requests: number
  perMs: number
}

/**
 * Shared state of the proxy. Pass one instance to every proxy instance (`store` option of
 * `createClerkProxy`, the Node, Next.js and Sanity Function adapters). Times are the store's own
 * clock (milliseconds since the epoch); TTLs are durations in milliseconds.
 */
export interface ProxyStore {
  /**
   * Claims a unit of work (a webhook delivery key). `claimed`: the caller does the work; the claim
   * stays `running` for `runningTtlMs` (so a crashed worker's claim passes to a retry), until
   * {@link complete} or {@link release}. A claim is never `done` before its work succeeded.
   */
  claim(key: string, runningTtlMs: number): Promise<ClaimState>
  /** Marks a claimed key done, remembered for `doneTtlMs`: later claims answer `done`. */
  complete(key: string, doneTtlMs: number): Promise<void>
  /** Drops a running claim whose work failed, so the next claim (a retry) gets `claimed`. */
  release(key: string): Promise<void>

  /** Takes the lease on `name` for `ttlMs` when nobody holds it; `null` while someone does. */
  acquireLease(name: string, ttlMs: number): Promise<Lease | null>
  /** Extends a lease still held; `false` when it expired or passed to someone else. */
  renewLease(lease: Lease, ttlMs: number): Promise<boolean>
  /** Gives a lease up (no effect when it already expired or passed on). */
  releaseLease(lease: Lease): Promise<void>

  /** The stored value of cursor `name` (e.g. how far the validity sweep got), `null` if never set. */
  readCursor(name: string): Promise<string | null>
  /**
   * Sets cursor `name` to `next` only if it still holds `expected` (compare-and-set), so two
   * sweeps that overlapped cannot move it backwards. `true` when it was set.
   */
  advanceCursor(name: string, expected: string | null, next: string): Promise<boolean>

  /**
   * Takes one request from the shared budget `name`: `0` when granted (and counted), otherwise
   * the milliseconds until the oldest grant in the window leaves it (nothing counted).
   */
  takeRateSlot(name: string, window: RateWindow): Promise<number>

  /**
   * Puts `member` in the due-time queue `queue`, due at `dueAt`. When it is already queued, the
   * LATER due time wins: a re-check runs after the last activity it must see.
   */
  schedule(queue: string, member: string, dueAt: number): Promise<void>
  /** Removes and returns up to `limit` members due at or before `now`, earliest first. */
  takeDue(queue: string, now: number, limit: number): Promise<string[]>

  /** Remembers a small value under `key` for `ttlMs` (replacing any value there). */
  remember(key: string, value: string, ttlMs: number): Promise<void>
  /** The values remembered under `keys`, in order; `null` for keys unknown or expired. */
  recall(keys: readonly string[]): Promise<Array<string | null>>

  /** The store's clock, in milliseconds since the epoch: due times and rate windows use it. */
  now(): Promise<number>
}
