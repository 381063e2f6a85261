import {computeAccess, diffAccess} from '../../core/access'
import type {AccessRules, DriftEntry, SubjectId, SubjectKind} from '../../core/access'
import type {ReconcileEvent, ReconcileRequest, SubjectSyncResult} from '../../core/contract'
import type {ClerkGateway, ClerkPage, ClerkSubjectRecord} from '../clerk'
import type {AccessQueries} from '../sanity'
import {subjectOf} from '../sanity'
import type {KnownRecord} from './engine'
import {readFromSanity, toErrorBody} from './errors'

/** What reconcile needs from the engine. */
export interface ReconcileDependencies {
  clerk: ClerkGateway
  queries: AccessQueries
  rules: AccessRules
  now: () => Date
  /**
   * Re-syncs a page's drifted subjects under their leases, from the Clerk records just paged and
   * ONE fresh read of their entitlements taken after the leases (never from the page's read).
   */
  syncKnown(items: readonly KnownRecord[]): Promise<SubjectSyncResult[]>
  /** `heldWhilePaging`: default {@link UNLISTED_HELD_WHILE_PAGING}. */
  pageSize: {clerk: number; sanity?: number; heldWhilePaging?: number}
}

interface Counts {
  scanned: number
  drifted: number
  written: number
  failed: number
}

interface Drifted {
  subject: SubjectId
  record: ClerkSubjectRecord
  drift: DriftEntry[]
}

const ALL_KINDS: SubjectKind[] = ['user', 'organization']

/**
 * Clerk pages whose entitlements are being read and whose drift is being written at once. Memory
 * holds about this many pages (plus the one being listed), whatever the directory's size.
 */
export const PAGES_IN_FLIGHT = 4

/** Subjects no Clerk page listed whose entitlements are read in one query. */
const UNLISTED_BATCH = 500

/** One Clerk page, read, compared and settled: what it adds to the counts and what to report. */
interface PageOutcome {
  counts: Counts
  events: ReconcileEvent[]
  /** The subjects this page added to `seen`. */
  seen: SubjectId[]
}

/**
 * Reconcile: pages through Clerk's users and organizations (one request per page of up to 500)
 * and compares each page with what Sanity says, read in ONE query per page: the entitlements
 * naming the page's ids and those addressed to the verified emails on its records. Nothing is
 * loaded up front, so memory stays flat as the directory grows.
 *
 * Pipelined at the rate limit: later pages are listed while earlier pages are read from Sanity
 * and written, up to {@link PAGES_IN_FLIGHT} pages at once; events still come in page order. The
 * drifted subjects of a page are re-read from Sanity in ONE query taken under their leases (so
 * neither a sync that ran since the page's read nor one running on another instance loses to it)
 * and written from the record just paged (no extra Clerk read), through the Clerk gateway's
 * shared rate budget. Clerk requests: ⌈N/500⌉ pages (and for more than one page of users, one
 * count: their list carries no total) + one write per drifted subject.
 *
 * Subjects with entitlements but on no Clerk page (deleted in Clerk, or created or shifted while
 * we paged) are found by reading the subject ids of published entitlements, a page of ids at a
 * time, beside Clerk's pages (see {@link readEntitledSubjects}), against the ids seen with
 * entitlements on Clerk's pages (one id per such subject is kept for the whole pass); each is
 * looked up in Clerk and synced, or reported when Clerk has no such subject, never crashed on.
 * Sanity queries: one per Clerk page, one per page with drift, one per page of subject ids, and
 * one per 500 subjects seen on no Clerk page.
 */
export async function* runReconcile(
  deps: ReconcileDependencies,
  {dryRun, kinds = ALL_KINDS, signal}: ReconcileRequest & {signal?: AbortSignal},
): AsyncGenerator<ReconcileEvent> {
  const totals = emptyCounts()
  yield {type: 'start', dryRun}
  try {
    for (const kind of ALL_KINDS.filter((candidate) => kinds.includes(candidate))) {
      const counts = emptyCounts()
      /** Subjects found on Clerk's pages with entitlements naming them. */
      const seen = new Set<SubjectId>()
      const inFlight: Array<Promise<PageOutcome>> = []
      const report = (outcome: PageOutcome): ReconcileEvent[] => {
        add(counts, outcome.counts)
        return outcome.events
      }
      const unlisted = readEntitledSubjects(deps, kind, seen, signal)
      // The oldest page in flight, reported once it is settled: events keep Clerk's page order.
      const reportOldest = async function* (): AsyncGenerator<ReconcileEvent> {
        const outcome = await inFlight.shift()!
        yield* report(outcome)
        unlisted.pageSettled(outcome.seen)
        yield {type: 'progress', kind, scanned: counts.scanned, total: null, ...pick(counts)}
      }
      let pagedToTheEnd = false
      try {
        for await (const records of clerkPages(deps, kind, signal)) {
          inFlight.push(quiet(reconcilePage(deps, dryRun, records, seen)))
          if (inFlight.length >= PAGES_IN_FLIGHT) yield* reportOldest()
        }
        while (inFlight.length > 0) yield* reportOldest()
        pagedToTheEnd = true
      } catch (error) {
        // The pass fails, but what the pages still in flight wrote is written: report it first.
        for (const outcome of await Promise.allSettled(inFlight.splice(0))) {
          if (outcome.status === 'fulfilled') yield* report(outcome.value)
        }
        throw error
      } finally {
        // Stopped early (error, abort, the caller gone): nothing goes on writing after the pass.
        await Promise.allSettled(inFlight)
        unlisted.pagesDone({stop: !pagedToTheEnd})
      }
      for await (const subjects of unlisted.subjects()) {
        for await (const outcome of reconcileUnlisted(deps, dryRun, kind, subjects, seen, signal)) {
          yield* report(outcome)
        }
      }
      yield {
        type: 'progress',
        kind,
        scanned: counts.scanned,
        total: counts.scanned,
        ...pick(counts),
      }
      add(totals, counts)
    }
    if (signal?.aborted) {
      yield {
        type: 'error',
        error: {
          code: 'aborted',
          message: 'Reconcile was stopped; subjects already written stay written.',
        },
      }
      return
    }
    yield {type: 'done', ...totals}
  } catch (error) {
    yield {type: 'error', error: toErrorBody(error)}
  }
}

function emptyCounts(): Counts {
  return {scanned: 0, drifted: 0, written: 0, failed: 0}
}

function add(into: Counts, counts: Counts): void {
  for (const key of ['scanned', 'drifted', 'written', 'failed'] as const) into[key] += counts[key]
}

function pick({drifted, written, failed}: Counts) {
  return {drifted, written, failed}
}

/** Marks a rejection handled (it is still thrown to whoever awaits `promise`). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined)
  return promise
}

/**
 * Clerk pages listed ahead of the one being reconciled. They are asked for at once, so the pass
 * runs at Clerk's rate limit rather than at one round trip per page; memory holds these pages on
 * top of {@link PAGES_IN_FLIGHT}.
 */
export const PAGES_LISTED_AHEAD = 4

/**
 * Clerk's `kind` records page by page, in Clerk's order. The first page tells whether there is
 * more; then the list's length (organizations' `total_count`, one count request for users, whose
 * list carries none) says how many pages there are, and up to {@link PAGES_LISTED_AHEAD} of them
 * are asked for at once. The list ends at that length or at a short page (subjects deleted
 * during the pass). Subjects created after the count are past it (oldest first): the webhook
 * syncs them, and entitled ones are found by the pass's look at subjects no page listed.
 */
async function* clerkPages(
  deps: ReconcileDependencies,
  kind: SubjectKind,
  signal: AbortSignal | undefined,
): AsyncGenerator<ClerkSubjectRecord[]> {
  const limit = deps.pageSize.clerk
  const list = (offset: number): Promise<ClerkPage<ClerkSubjectRecord>> =>
    quiet<ClerkPage<ClerkSubjectRecord>>(
      kind === 'user'
        ? deps.clerk.listUsers({limit, offset})
        : deps.clerk.listOrganizations({limit, offset}),
    )
  if (signal?.aborted) return
  const first = await list(0)
  const more = first.data.length === limit && (first.totalCount ?? Infinity) > limit
  // The count goes out before the first page is handed on, so it runs beside that page's work.
  // (An organization list without its total is read until a short page.)
  const total = !more
    ? null
    : first.totalCount !== null || kind !== 'user'
      ? Promise.resolve(first.totalCount ?? Infinity)
      : quiet(deps.clerk.countUsers())
  if (first.data.length > 0) yield first.data
  if (!total) return
  const length = await total
  const ahead: Array<Promise<ClerkPage<ClerkSubjectRecord>>> = []
  let nextOffset = limit
  const listAhead = () => {
    if (signal?.aborted) return
    while (ahead.length < PAGES_LISTED_AHEAD && nextOffset < length) {
      ahead.push(list(nextOffset))
      nextOffset += limit
    }
  }
  listAhead()
  while (ahead.length > 0) {
    const page = await ahead.shift()!
    if (signal?.aborted) return
    listAhead()
    if (page.data.length > 0) yield page.data
    if (page.data.length < limit) return
  }
}

/** A user's verified addresses (what email-addressed entitlements match); none for the rest. */
function verifiedEmailsOf(record: ClerkSubjectRecord): readonly string[] {
  return 'verifiedEmails' in record ? record.verifiedEmails : []
}

/**
 * Compares `records` with their entitlements, read in ONE query (those naming their ids, and for
 * users those addressed to their verified emails), and settles the drifted. Adds to `seen` the
 * subjects that entitlements name by id, so the pass can tell which ones Clerk did not list.
 */
async function reconcilePage(
  deps: ReconcileDependencies,
  dryRun: boolean,
  records: readonly ClerkSubjectRecord[],
  seen: Set<SubjectId>,
): Promise<PageOutcome> {
  const subjects = records.map(({summary}) => summary.id)
  const bySubject = await readFromSanity(
    `the entitlements of ${subjects.length} ${subjects.length === 1 ? 'subject' : 'subjects'}`,
    () =>
      deps.queries.entitlementsOf(
        subjects,
        new Map(records.map((record) => [record.summary.id, verifiedEmailsOf(record)])),
      ),
  )
  const drifted: Drifted[] = []
  const entitled: SubjectId[] = []
  const now = deps.now()
  for (const record of records) {
    const subject = record.summary.id
    const entitlements = bySubject.get(subject) ?? []
    if (entitlements.some((entitlement) => subjectOf(entitlement) === subject)) {
      seen.add(subject)
      entitled.push(subject)
    }
    const desired = computeAccess(entitlements, deps.rules, {
      now,
      subject,
      verifiedEmails: verifiedEmailsOf(record),
    }).metadata
    const {drift} = diffAccess(record.metadata, desired, deps.rules)
    if (drift.length > 0) drifted.push({subject, record, drift})
  }
  const settled = await settle(deps, dryRun, drifted)
  return {
    counts: {scanned: records.length, ...settled.counts},
    events: settled.events,
    seen: entitled,
  }
}

/**
 * Subject ids of entitlements held, at most, while Clerk's pages are still being read (about 4
 * MB): up to this many, the ids of published entitlements are read beside the pages rather than
 * after them.
 */
export const UNLISTED_HELD_WHILE_PAGING = 50_000

/** The subjects published entitlements name that no Clerk page listed, read beside the pages. */
interface EntitledSubjects {
  /** A page settled: the ids it added to `seen` need not be held any longer. */
  pageSettled(seenOnPage: readonly SubjectId[]): void
  /** Every page settled, or (`stop`) the pass stopped: the reading beside them ends. */
  pagesDone(options: {stop: boolean}): void
  /** After {@link pagesDone}: batches of subjects no page listed, each named once. */
  subjects(): AsyncGenerator<SubjectId[]>
}

/**
 * Reads the subject ids of published entitlements of `kind`, a page of ids at a time, while
 * Clerk's pages are being reconciled, keeping those not `seen` on a settled page. Holding at
 * most {@link UNLISTED_HELD_WHILE_PAGING} of them, it waits for pages to settle and let go of
 * theirs; once the pages are done, what it holds comes out first, then the pages it did not
 * reach, one at a time as before.
 */
function readEntitledSubjects(
  deps: ReconcileDependencies,
  kind: SubjectKind,
  seen: Set<SubjectId>,
  signal: AbortSignal | undefined,
): EntitledSubjects {
  const stop = new AbortController()
  const subjectPages = deps.queries.subjectPages({
    kind,
    pageSize: deps.pageSize.sanity,
    signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
  })
  const pages = subjectPages[Symbol.asyncIterator]()
  const nextPage = () =>
    readFromSanity('the subjects of published entitlements', () => pages.next())
  const held = new Set<SubjectId>()
  const holdAtMost = deps.pageSize.heldWhilePaging ?? UNLISTED_HELD_WHILE_PAGING
  let paging = true
  let settled: (() => void) | null = null
  const reading = quiet(
    (async (): Promise<boolean> => {
      for (;;) {
        // `paging` turns false when the pages are done (pagesDone), between these awaits.
        if (!paging) return false
        if (held.size >= holdAtMost) {
          await new Promise<void>((resolve) => (settled = resolve))
          continue
        }
        const next = await nextPage()
        if (next.done) return true
        for (const subject of next.value) if (!seen.has(subject)) held.add(subject)
      }
    })(),
  )
  const wake = () => {
    settled?.()
    settled = null
  }
  return {
    // Let go of what the page saw, not of everything seen: a scan of all that is held on every
    // page cost a tenth of a 100,000-user pass's CPU at the limit.
    pageSettled(seenOnPage) {
      for (const subject of seenOnPage) held.delete(subject)
      wake()
    },
    pagesDone({stop: stopping}) {
      paging = false
      wake()
      if (stopping || signal?.aborted) stop.abort()
    },
    async *subjects() {
      if (signal?.aborted) return
      let readToTheEnd: boolean
      try {
        readToTheEnd = await reading
      } catch (error) {
        stop.abort()
        // Stopped by the caller: the pass reports that, not the read it cut short.
        if (signal?.aborted) return
        throw error
      }
      if (held.size > 0) yield [...held]
      if (readToTheEnd) return
      for (;;) {
        if (signal?.aborted) return
        const next = await nextPage()
        if (next.done) return
        // What it held came out above and is in `seen` now, as is every subject handled since.
        const unlisted = [...new Set(next.value)].filter((subject) => !seen.has(subject))
        if (unlisted.length > 0) yield unlisted
      }
    },
  }
}

/**
 * Subjects published entitlements name but no Clerk page listed (deleted in Clerk, or created
 * or shifted while the pages were read): each one whose entitlements grant anything is looked up
 * in Clerk, reconciled when found, reported when not.
 */
async function* reconcileUnlisted(
  deps: ReconcileDependencies,
  dryRun: boolean,
  kind: SubjectKind,
  unlisted: readonly SubjectId[],
  seen: Set<SubjectId>,
  signal: AbortSignal | undefined,
): AsyncGenerator<PageOutcome> {
  for (let start = 0; start < unlisted.length; start += UNLISTED_BATCH) {
    const batch = unlisted.slice(start, start + UNLISTED_BATCH)
    for (const subject of batch) seen.add(subject)
    const owned = await readFromSanity(
      `the entitlements of ${batch.length === 1 ? batch[0] : `${batch.length} subjects`}`,
      () => deps.queries.entitlementsOf(batch),
    )
    for (const subject of batch) {
      if (signal?.aborted) return
      const desired = computeAccess(owned.get(subject) ?? [], deps.rules, {
        now: deps.now(),
        subject,
      }).metadata
      if (Object.keys(desired).length === 0) continue
      // Not on any page: ask Clerk directly.
      const record = await deps.clerk.getSubject(subject)
      if (record) {
        yield await reconcilePage(deps, dryRun, [record], seen)
        continue
      }
      yield {
        seen: [],
        counts: {scanned: 0, drifted: 1, written: 0, failed: 1},
        events: [
          {
            type: 'drift',
            subject,
            drift: Object.entries(desired).map(([key, sanity]) => ({key, clerk: null, sanity})),
            applied: false,
            error: {
              code: 'subject_not_found',
              message: `${subject} has published entitlements but no Clerk ${kind}: delete or reassign them.`,
            },
          },
        ],
      }
    }
  }
}

/** The name and email a reconcile report shows for a subject, from the record already read. */
function who({summary}: ClerkSubjectRecord): {name: string; email: string | null} {
  return {name: summary.name, email: 'primaryEmail' in summary ? summary.primaryEmail : null}
}

/** Reports (dry run) or fixes the drifted subjects of one page, counting what it did. */
async function settle(
  deps: ReconcileDependencies,
  dryRun: boolean,
  drifted: Drifted[],
): Promise<{counts: Omit<Counts, 'scanned'>; events: ReconcileEvent[]}> {
  const counts = {drifted: drifted.length, written: 0, failed: 0}
  if (drifted.length === 0) return {counts, events: []}
  if (dryRun) {
    const events = drifted.map(({subject, record, drift}): ReconcileEvent => {
      return {type: 'drift', subject, ...who(record), drift, applied: false}
    })
    return {counts, events}
  }
  const results = await deps.syncKnown(drifted.map(({subject, record}) => ({subject, record})))
  const events = drifted.map(({subject, record, drift}, index): ReconcileEvent => {
    const result = results[index]
    if (result?.outcome === 'failed') {
      counts.failed += 1
      return {
        type: 'drift',
        subject,
        ...who(record),
        drift,
        applied: false,
        ...(result.error ? {error: result.error} : {}),
      }
    }
    if (result?.outcome === 'updated') counts.written += 1
    return {type: 'drift', subject, ...who(record), drift, applied: result?.outcome === 'updated'}
  })
  return {counts, events}
}
