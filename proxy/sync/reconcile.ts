import {computeAccess, diffAccess, subjectKind} from '../../core/access'
import type {
  AccessRules,
  DriftEntry,
  EntitlementInput,
  SubjectId,
  SubjectKind,
} from '../../core/access'
import type {ReconcileEvent, ReconcileRequest, SubjectSyncResult} from '../../core/contract'
import type {ClerkGateway, ClerkPage, ClerkSubjectRecord} from '../clerk'
import type {AccessQueries} from '../sanity'
import {emailOf, subjectOf} from '../sanity'
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
   * ONE fresh read of their entitlements taken after the leases (never from the snapshot).
   */
  syncKnown(items: readonly KnownRecord[]): Promise<SubjectSyncResult[]>
  pageSize: {clerk: number; sanity?: number}
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
 * Reconcile: loads every published entitlement (paged by `_id`), then pages through Clerk's users
 * and organizations (one request per page of up to 500) and compares each with what Sanity says.
 *
 * The drifted subjects of a page are re-read from Sanity in ONE query taken under their leases
 * (so neither a sync that ran since the snapshot nor one running on another instance loses to
 * it) and written starting from the record just paged (no extra Clerk read). Clerk requests:
 * ⌈N/500⌉ pages (one more for users when N is a multiple of 500: their list carries no total) +
 * one write per drifted subject; Sanity queries: entitlement pages + one per page with drift. Subjects with
 * entitlements but no Clerk counterpart are looked up one by one and reported, never crashed on.
 */
export async function* runReconcile(
  deps: ReconcileDependencies,
  {dryRun, kinds = ALL_KINDS, signal}: ReconcileRequest & {signal?: AbortSignal},
): AsyncGenerator<ReconcileEvent> {
  const totals: Counts = {scanned: 0, drifted: 0, written: 0, failed: 0}
  yield {type: 'start', dryRun}
  try {
    const snapshot = await readFromSanity('every entitlement', () =>
      loadEntitlements(deps.queries, deps.pageSize.sanity, signal),
    )
    const driftOf = (subject: SubjectId, record: ClerkSubjectRecord): Drifted | null => {
      // A user's email-addressed entitlements are found by the verified addresses on its record,
      // paged already: no request per user.
      const verifiedEmails = 'verifiedEmails' in record ? record.verifiedEmails : []
      const entitlements = [
        ...(snapshot.bySubject.get(subject) ?? []),
        ...verifiedEmails.flatMap((email) => snapshot.byEmail.get(email) ?? []),
      ]
      const desired = computeAccess(entitlements, deps.rules, {
        now: deps.now(),
        subject,
        verifiedEmails,
      }).metadata
      const {drift} = diffAccess(record.metadata, desired, deps.rules)
      return drift.length > 0 ? {subject, record, drift} : null
    }
    for (const kind of ALL_KINDS.filter((candidate) => kinds.includes(candidate))) {
      const counts: Counts = {scanned: 0, drifted: 0, written: 0, failed: 0}
      const seen = new Set<SubjectId>()
      for (let offset = 0; ; offset += deps.pageSize.clerk) {
        if (signal?.aborted) break
        const params = {limit: deps.pageSize.clerk, offset}
        const page: ClerkPage<ClerkSubjectRecord> =
          kind === 'user'
            ? await deps.clerk.listUsers(params)
            : await deps.clerk.listOrganizations(params)
        const drifted: Drifted[] = []
        for (const record of page.data) {
          seen.add(record.summary.id)
          const found = driftOf(record.summary.id, record)
          if (found) drifted.push(found)
        }
        counts.scanned += page.data.length
        yield* settle(deps, dryRun, drifted, counts)
        yield {type: 'progress', kind, scanned: counts.scanned, total: null, ...pick(counts)}
        // The last page is short, or reaches the total when Clerk says it (organizations): then
        // a full last page needs no empty page after it. Users' lists carry no total.
        const listed = offset + page.data.length
        if (page.data.length < deps.pageSize.clerk) break
        if (page.totalCount !== null && listed >= page.totalCount) break
      }
      for (const [subject, owned] of snapshot.bySubject) {
        if (signal?.aborted) break
        if (seen.has(subject) || subjectKind(subject) !== kind) continue
        const desired = computeAccess(owned, deps.rules, {now: deps.now(), subject}).metadata
        if (Object.keys(desired).length === 0) continue
        // Not on any page: deleted in Clerk, or created or shifted while we paged. Ask directly.
        const record = await deps.clerk.getSubject(subject)
        if (record) {
          counts.scanned += 1
          const found = driftOf(subject, record)
          yield* settle(deps, dryRun, found ? [found] : [], counts)
          continue
        }
        counts.drifted += 1
        counts.failed += 1
        yield {
          type: 'drift',
          subject,
          drift: Object.entries(desired).map(([key, sanity]) => ({key, clerk: null, sanity})),
          applied: false,
          error: {
            code: 'subject_not_found',
            message: `${subject} has published entitlements but no Clerk ${kind}: delete or reassign them.`,
          },
        }
      }
      yield {
        type: 'progress',
        kind,
        scanned: counts.scanned,
        total: counts.scanned,
        ...pick(counts),
      }
      for (const key of ['scanned', 'drifted', 'written', 'failed'] as const)
        totals[key] += counts[key]
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

function pick({drifted, written, failed}: Counts) {
  return {drifted, written, failed}
}

/** Every published entitlement, by the id it names and by the email address it names. */
async function loadEntitlements(
  queries: AccessQueries,
  pageSize: number | undefined,
  signal: AbortSignal | undefined,
): Promise<{
  bySubject: Map<SubjectId, EntitlementInput[]>
  byEmail: Map<string, EntitlementInput[]>
}> {
  const bySubject = new Map<SubjectId, EntitlementInput[]>()
  const byEmail = new Map<string, EntitlementInput[]>()
  const add = (
    map: Map<string, EntitlementInput[]>,
    key: string,
    entitlement: EntitlementInput,
  ) => {
    const list = map.get(key)
    if (list) list.push(entitlement)
    else map.set(key, [entitlement])
  }
  for await (const page of queries.entitlementPages({pageSize, signal})) {
    for (const entitlement of page) {
      const subject = subjectOf(entitlement)
      if (subject) add(bySubject, subject, entitlement)
      const email = emailOf(entitlement)
      if (email) add(byEmail, email, entitlement)
    }
  }
  return {bySubject, byEmail}
}

/** The name and email a reconcile report shows for a subject, from the record already read. */
function who({summary}: ClerkSubjectRecord): {name: string; email: string | null} {
  return {name: summary.name, email: 'primaryEmail' in summary ? summary.primaryEmail : null}
}

/** Reports (dry run) or fixes the drifted subjects of one page, counting as it goes. */
async function* settle(
  deps: ReconcileDependencies,
  dryRun: boolean,
  drifted: Drifted[],
  counts: Counts,
): AsyncGenerator<ReconcileEvent> {
  counts.drifted += drifted.length
  if (drifted.length === 0) return
  if (dryRun) {
    for (const {subject, record, drift} of drifted) {
      yield {type: 'drift', subject, ...who(record), drift, applied: false}
    }
    return
  }
  const results = await deps.syncKnown(drifted.map(({subject, record}) => ({subject, record})))
  for (const [index, {subject, record, drift}] of drifted.entries()) {
    const result = results[index]
    if (result?.outcome === 'failed') {
      counts.failed += 1
      yield {
        type: 'drift',
        subject,
        ...who(record),
        drift,
        applied: false,
        ...(result.error ? {error: result.error} : {}),
      }
      continue
    }
    if (result?.outcome === 'updated') counts.written += 1
    yield {type: 'drift', subject, ...who(record), drift, applied: result?.outcome === 'updated'}
  }
}
