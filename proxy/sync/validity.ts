/**
 * Validity windows end (and start) without anyone publishing anything, so no webhook or Studio
 * action fires then. The validity sweep closes that gap: on a schedule, ONE GROQ query finds the
 * published entitlements whose `validFrom` or `validUntil` fell since the last sweep, and their
 * subjects are re-synced through the engine. Access therefore changes at most one interval after
 * the boundary (plus the sync itself); a reconcile remains the backstop for anything older.
 */
import type {SubjectId} from '../../core/access'
import type {SubjectSyncResult} from '../../core/contract'
import type {AccessQueries} from '../sanity'

/** Default time between two sweeps: the worst-case delay of an expiry, plus one sync. */
export const DEFAULT_VALIDITY_SWEEP_INTERVAL_MS = 60_000

/** Failures a retry cannot fix; only a content change (which syncs by itself) can. */
const PERMANENT_FAILURES = new Set([
  'invalid_id',
  'subject_not_found',
  'metadata_too_large',
  'clerk_rejected',
  'clerk_not_found',
])

/** Options of {@link createValiditySweep}. */
export interface ValiditySweepOptions {
  /** The proxy's queries (`createAccessQueries`); only the boundary query is used. */
  queries: Pick<AccessQueries, 'subjectsWithValidityBoundary'>
  /** The engine's `syncSubjects`. */
  syncSubjects(subjects: SubjectId[]): Promise<SubjectSyncResult[]>
  /** The clock validity is judged by; the engine must use the same one. */
  now?: () => Date
  /**
   * The schedule the caller runs {@link ValiditySweep.run} on; the first run looks back two of
   * these. Default {@link DEFAULT_VALIDITY_SWEEP_INTERVAL_MS}.
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
}

export interface ValiditySweep {
  /**
   * Sweeps the window since the previous run (the first run looks back two intervals). Subjects
   * whose sync failed for a passing reason are carried over to the next run, so a Clerk outage
   * delays an expiry but never loses it. Throws only when Sanity cannot be read; the window is then swept next time.
   */
  run(): Promise<ValiditySweepRun>
}

/** Creates a validity sweep. Nothing runs until `run()`; the Node adapter runs it on a timer. */
export function createValiditySweep(options: ValiditySweepOptions): ValiditySweep {
  const now = options.now ?? (() => new Date())
  const intervalMs = options.intervalMs ?? DEFAULT_VALIDITY_SWEEP_INTERVAL_MS
  if (!(intervalMs > 0)) throw new Error('validity sweep: "intervalMs" must be a positive number')
  let sweptUntil: Date | null = null
  let carriedOver = new Set<SubjectId>()
  let running: Promise<ValiditySweepRun> | null = null

  async function sweep(): Promise<ValiditySweepRun> {
    const until = now()
    const after = sweptUntil ?? new Date(until.getTime() - 2 * intervalMs)
    const found = await options.queries.subjectsWithValidityBoundary(after, until)
    const subjects = [...new Set([...carriedOver, ...found])].sort()
    const results = subjects.length > 0 ? await options.syncSubjects(subjects) : []
    sweptUntil = until
    carriedOver = new Set(
      results
        .filter(
          ({outcome, error}) => outcome === 'failed' && !PERMANENT_FAILURES.has(error?.code ?? ''),
        )
        .map((result) => result.subject),
    )
    return {from: after.toISOString(), to: until.toISOString(), subjects, results}
  }

  const sweepOnce: ValiditySweep['run'] = () => {
    // One sweep at a time: a slow sweep is joined, not overlapped.
    running ??= sweep().finally(() => (running = null))
    return running
  }

  return {run: sweepOnce}
}
