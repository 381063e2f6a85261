/**
 * Validity windows end (and start) without anyone publishing anything, so no webhook or Studio
 * action fires then. The validity sweep closes that gap: on a schedule, ONE GROQ query finds the
 * published entitlements whose `validFrom` or `validUntil` fell since the last sweep, and their
 * subjects are re-synced through the engine. Access therefore changes at most one interval after
 * the boundary (plus the sync itself). The cursor lives in the shared store, so sweeps run by a
 * scheduler in fresh processes (serverless) continue exactly where the previous one stopped.
 */
import type {SubjectId} from '../../core/access'
import type {SubjectSyncResult} from '../../core/contract'
import type {AccessQueries} from '../sanity'
import type {ProxyStore} from '../store'
import {keepLeases} from './leases'

/** Default time between two sweeps: the worst-case delay of an expiry, plus one sync. */
export const DEFAULT_VALIDITY_SWEEP_INTERVAL_MS = 60_000

/** Options of {@link createValiditySweep}. */
export interface ValiditySweepOptions {
  /** The proxy's queries (`createAccessQueries`); only the boundary query is used. */
  queries: Pick<AccessQueries, 'subjectsWithValidityBoundary'>
  /** The engine's `syncSubjects`. */
  syncSubjects(subjects: SubjectId[]): Promise<SubjectSyncResult[]>
  /**
   * The engine's `usersWithVerified`: an email-addressed entitlement's boundary re-syncs the
   * users who have its address verified, as the engine grants it.
   */
  usersWithVerified(emails: readonly string[]): Promise<SubjectId[]>
  /** The engine's `runDueRechecks`: failed and recently written subjects, due on any instance. */
  runDueRechecks?(): Promise<SubjectSyncResult[]>
  /** Where the cursor and the sweep's lease live: shared, so a fresh process continues where the last sweep stopped. */
  store: ProxyStore
  /** The clock validity is judged by; the engine must use the same one. */
  now?: () => Date
  /**
   * The schedule the sweep runs on (the Node timer's interval, or your cron's). Only the very first
   * sweep, with no stored cursor, uses it: it looks back two intervals. Default
   * {@link DEFAULT_VALIDITY_SWEEP_INTERVAL_MS}.
   */
  intervalMs?: number
}

/** What one sweep did. */
export interface ValiditySweepRun {
  /** The window swept: boundaries after `from`, up to and including `to` (ISO instants). */
  from: string
  to: string
  subjects: SubjectId[]
  results: SubjectSyncResult[]
  /** The due re-checks this sweep ran (on any instance's behalf). */
  rechecked: SubjectSyncResult[]
  /** Set when another sweep held the lease: this one did nothing. */
  skipped?: 'another sweep is running'
}

export interface ValiditySweep {
  /**
   * Sweeps the window since the stored cursor (the first sweep ever looks back two intervals),
   * then runs the due re-checks. The cursor moves only after every subject found was synced or
   * queued for a re-check, so a crash or a Sanity outage means the window is swept again.
   * Throws only when Sanity or the store cannot be reached.
   */
  run(): Promise<ValiditySweepRun>
}

/** Cursor of the validity sweep in the store: the ISO instant swept up to. */
export const VALIDITY_CURSOR = 'validity-sweep'
const SWEEP_LEASE_MS = 5 * 60_000

/** Creates a validity sweep. Nothing runs until `run()`; the Node adapter runs it on a timer. */
export function createValiditySweep(options: ValiditySweepOptions): ValiditySweep {
  const now = options.now ?? (() => new Date())
  const intervalMs = options.intervalMs ?? DEFAULT_VALIDITY_SWEEP_INTERVAL_MS
  if (!(intervalMs > 0)) throw new Error('validity sweep: "intervalMs" must be a positive number')
  const {store} = options
  let running: Promise<ValiditySweepRun> | null = null

  async function sweep(): Promise<ValiditySweepRun> {
    const lease = await store.acquireLease('validity-sweep', SWEEP_LEASE_MS)
    if (!lease) {
      const at = now().toISOString()
      return {
        from: at,
        to: at,
        subjects: [],
        results: [],
        rechecked: [],
        skipped: 'another sweep is running',
      }
    }
    const stopRenewing = keepLeases(store, [lease], SWEEP_LEASE_MS)
    try {
      const cursor = await store.readCursor(VALIDITY_CURSOR)
      const until = now()
      const stored = cursor === null ? Number.NaN : Date.parse(cursor)
      const after = Number.isNaN(stored)
        ? new Date(until.getTime() - 2 * intervalMs)
        : new Date(stored)
      // A clock behind the last sweep's (another instance's) sweeps nothing and moves nothing.
      const found =
        until > after
          ? await options.queries.subjectsWithValidityBoundary(after, until)
          : {subjects: [], emails: []}
      const holders = found.emails.length > 0 ? await options.usersWithVerified(found.emails) : []
      const subjects = [...new Set([...found.subjects, ...holders])].sort()
      // Failed syncs queue themselves for a re-check, so the window never needs sweeping twice.
      const results = subjects.length > 0 ? await options.syncSubjects(subjects) : []
      if (until > after) await store.advanceCursor(VALIDITY_CURSOR, cursor, until.toISOString())
      const rechecked = (await options.runDueRechecks?.()) ?? []
      return {from: after.toISOString(), to: until.toISOString(), subjects, results, rechecked}
    } finally {
      stopRenewing()
      await store.releaseLease(lease).catch(() => undefined)
    }
  }

  const sweepOnce: ValiditySweep['run'] = () => {
    // One sweep at a time in this process: a slow sweep is joined, not overlapped.
    running ??= sweep().finally(() => (running = null))
    return running
  }

  return {run: sweepOnce}
}
