import {
  ACCESS_RULES_VERSION,
  applyMetadataPatch,
  changesOf,
  checkWritableSize,
  computeAccess,
  diffAccess,
  measureMetadataSize,
  ownedPublicMetadata,
  readSyncStamp,
  resolveAccessRules,
  subjectKind,
  SYNC_STAMP_KEY,
  type AccessComputation,
  type AccessRules,
  type AccessRulesOptions,
  type EntitlementInput,
  type SubjectId,
  type SyncStamp,
} from '../../core/access'
import type {
  OrphanedEntitlement,
  ReconcileEvent,
  ReconcileRequest,
  SubjectStatusResponse,
  SubjectSyncResult,
  SyncRequest,
} from '../../core/contract'
import type {ClerkGateway, ClerkSubjectRecord} from '../clerk'
import {
  createAccessQueries,
  type AccessQueries,
  type SanityReader,
  type SubjectsOfDocument,
  type SubjectsRead,
} from '../sanity'
import {createMemoryStore, type Lease, type ProxyStore} from '../store'
import {createKeyedCoalescer} from './coalesce'
import {findOrphanedEntitlements} from './orphans'
import {PASSING_FAILURES, readFromSanity, SyncError, toErrorBody} from './errors'
import {createWitnesses, unmetRequirements, type RevisionRequirement} from './freshness'
import {acquireLease, keepLeases, type LeasePolicy} from './leases'
import {runReconcile} from './reconcile'

/** Where the engine reports what editors and operators should know. Defaults to `console`. */
export type SyncLogger = Pick<Console, 'info' | 'warn' | 'error'>

/**
 * How the engine stays correct with several instances, an eventually consistent Content Lake
 * and Clerk writes that may land late. See {@link SyncEngine.syncSubjects}.
 */
export interface ConvergenceOptions {
  /**
   * Every subject written is recomputed once more this long after its last write (the
   * "re-check"): long enough for the Content Lake's query replicas to catch up and for a slow
   * Clerk write to land. Default 15 s.
   */
  recheckAfterMs?: number
  /** A subject's lease lasts this long unless renewed (a crashed instance blocks it at most this long). Default 30 s. */
  leaseTtlMs?: number
  /** How long a sync waits for a subject another instance is writing. Default 30 s. */
  leaseWaitMs?: number
  /** How long a sync waits for the query replica to show the revision it names. Default 10 s. */
  freshnessWaitMs?: number
  /**
   * Run due re-checks from a timer in this process, besides the scheduled sweep. Default `true`;
   * on serverless hosts timers may never fire, and the sweep route runs them.
   */
  timer?: boolean
}

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  clerk: ClerkGateway
  /**
   * What reads the dataset (`createSanityReader`, or a `@sanity/client`); queries always use the
   * `published` perspective.
   */
  sanity: SanityReader
  /** Resolved rules, or options for `resolveAccessRules`. */
  rules?: AccessRules | AccessRulesOptions
  /** The clock validity windows are judged by. */
  now?: () => Date
  logger?: SyncLogger
  /**
   * Page sizes of reconcile: Clerk subjects per request (≤ 500), Sanity entitlements per query,
   * and how many subject ids of entitlements it may hold while Clerk's pages are being read.
   */
  reconcilePageSize?: {clerk?: number; sanity?: number; heldWhilePaging?: number}
  /**
   * Subjects recomputed at once (default 8). Bounds the GROQ queries in flight during a burst;
   * Clerk calls are paced by the gateway's rate budget on top of this.
   */
  concurrency?: number
  /**
   * State shared with the other instances: subject leases, revision witnesses, due re-checks.
   * Default: in memory, correct for one process only.
   */
  store?: ProxyStore
  /**
   * `false` turns leases, freshness checks and re-checks off: the single-instance behaviour,
   * which loses races between instances. For comparison in tests and benchmarks only.
   */
  convergence?: ConvergenceOptions | false
  /** How the engine waits between polls (leases, replica catch-up). */
  sleep?: (ms: number) => Promise<void>
}

/** How a batch reads its subjects' entitlements (and whatever else its caller asks in the same query). */
type BatchRead = (
  subjects: readonly SubjectId[],
  probe: readonly string[],
  verifiedEmails: ReadonlyMap<SubjectId, readonly string[]>,
) => Promise<SubjectsRead>

/** A Clerk record read in bulk (a reconcile page), handed to its sync so it is not read again. */
export interface KnownRecord {
  subject: SubjectId
  record?: ClerkSubjectRecord
}

/** Options of {@link SyncEngine.reconcile}. */
export interface ReconcileOptions extends ReconcileRequest {
  signal?: AbortSignal
}

/** Options of {@link SyncEngine.syncSubjects}. */
export interface SyncSubjectsOptions {
  /**
   * The document revision that caused this sync (`rev: null`: the document is gone). The sync
   * does not write from a read older than it, and later syncs of the same subjects, on any
   * instance, do not either.
   */
  revision?: RevisionRequirement
}

/**
 * Recomputes Clerk metadata from Sanity. Every entry point only ever learns WHICH subjects to
 * recompute; what they get always comes from their published entitlements.
 */
export interface SyncEngine {
  readonly rules: AccessRules
  /**
   * Recomputes each subject and writes only the difference. Per subject, under its lease (one
   * writer across all instances): one GROQ query and one Clerk read, sent in parallel, then at
   * most one Clerk write (none when nothing differs); a written subject is re-checked once
   * `recheckAfterMs` later. Concurrent requests for one subject in this process are coalesced;
   * a request only ever gets a result read after it arrived. Never throws for a subject:
   * failures come back as `outcome: 'failed'` with an error body.
   */
  syncSubjects(
    subjects: readonly string[],
    options?: SyncSubjectsOptions,
  ): Promise<SubjectSyncResult[]>
  /**
   * `POST /sync`: the given subjects, the previous subjects and the document's current subjects.
   * The named subjects are synced as one batch whose ONE query also reads which subjects the
   * document names now; only subjects it names that the request did not (a reassignment, a plan
   * held by others) take a second read, under their own leases.
   */
  syncChange(request: SyncRequest): Promise<SubjectSyncResult[]>
  /**
   * The subjects a change to this document affects now (one GROQ query), read no older than
   * `rev` when given.
   */
  subjectsOfDocument(documentId: string, rev?: string | null): Promise<SubjectId[]>
  /** The users who have any of these (normalized) addresses verified: one Clerk request. */
  usersWithVerified(emails: readonly string[]): Promise<SubjectId[]>
  /** Published entitlements naming a Clerk user or organization that no longer exists (live). */
  orphans(): Promise<OrphanedEntitlement[]>
  /** Live Clerk state against what Sanity says, for the Studio panel. */
  status(subject: SubjectId, options?: {includePrivate?: boolean}): Promise<SubjectStatusResponse>
  /** Scans Clerk and Sanity page by page and fixes (or, dry, reports) every drifted subject. */
  reconcile(options: ReconcileOptions): AsyncIterable<ReconcileEvent>
  /**
   * Recomputes the subjects whose re-check is due (on any instance's schedule), 100 at a time:
   * per batch one Clerk list request for its users, one for its organizations and ONE GROQ
   * query, under the subjects' leases. Returns what each did.
   */
  runDueRechecks(): Promise<SubjectSyncResult[]>
  /** The shared store the engine uses. */
  readonly store: ProxyStore
}

function isResolvedRules(rules: AccessRules | AccessRulesOptions): rules is AccessRules {
  return Array.isArray(rules.grantableTypes) && 'limitBytes' in rules && 'namespace' in rules
}

/** Queue of subjects due for a re-check, in the shared store. */
export const RECHECK_QUEUE = 'recheck'
/** Re-checks taken at once: as many ids as one Clerk list request takes (`user_id`, 100). */
const RECHECK_BATCH = 100

/** A short random id for one sync run: in the sync stamp, the result and the log. */
function newTraceId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return `sync_${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/** A user's verified addresses (what email-addressed entitlements match); none for the rest. */
function verifiedEmailsOf(record: ClerkSubjectRecord | null | undefined): readonly string[] {
  return record && 'verifiedEmails' in record ? record.verifiedEmails : []
}

function failedResult(subject: string, error: unknown, traceId?: string): SubjectSyncResult {
  const body = toErrorBody(error)
  return {
    subject,
    outcome: 'failed',
    changes: {},
    ...(traceId ? {traceId} : {}),
    ...(body.clerkTraceId ? {clerkTraceId: body.clerkTraceId} : {}),
    error: body,
  }
}

/** Runs `task` over `items` with at most `limit` at once, keeping order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>) {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!)
    }
  }
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker))
  return results
}

/** Creates the engine. It holds no connections of its own: close the clients you passed. */
export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const rules =
    options.rules && isResolvedRules(options.rules)
      ? options.rules
      : resolveAccessRules(options.rules)
  const clerk = options.clerk
  const queries: AccessQueries = createAccessQueries(options.sanity, rules)
  const now = options.now ?? (() => new Date())
  const logger = options.logger ?? console
  const concurrency = options.concurrency ?? 8
  const store = options.store ?? createMemoryStore()
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)))
  const convergence = options.convergence === false ? null : (options.convergence ?? {})
  const recheckAfterMs = convergence?.recheckAfterMs ?? 15_000
  const freshnessWaitMs = convergence?.freshnessWaitMs ?? 10_000
  const leasePolicy: LeasePolicy = {
    ttlMs: convergence?.leaseTtlMs ?? 30_000,
    waitMs: convergence?.leaseWaitMs ?? 30_000,
    sleep,
  }
  // Long enough for every replica to have caught up with a change, short enough to stay small.
  const witnesses = createWitnesses(store, Math.max(10 * 60_000, 4 * recheckAfterMs))
  /** Revisions named by requests (in this process) still waiting for their run. */
  const pendingRequirements = new Map<SubjectId, RevisionRequirement[]>()

  function stampFor(
    computation: AccessComputation,
    at: Date,
    traceId: string,
    lease?: Lease,
  ): SyncStamp {
    return {
      v: ACCESS_RULES_VERSION,
      hash: computation.hash,
      syncedAt: at.toISOString(),
      traceId,
      ...(lease ? {fence: lease.token} : {}),
    }
  }

  /**
   * Whether `record`, read before `lease` was taken (a reconcile page), still shows Clerk as it
   * is: true when the last write it shows was made under the grant just before this lease, so no
   * other holder could have written since. Otherwise it must be read again before a diff of it is
   * written: its ledger would drop keys written since, leaving their access behind for good.
   */
  function readUnderPreviousGrant(record: ClerkSubjectRecord, lease: Lease): boolean {
    const fence = readSyncStamp(record.metadata.privateMetadata)?.fence ?? null
    return fence === lease.previousToken
  }

  async function entitlementsOf(subject: SubjectId, record: ClerkSubjectRecord | null) {
    const bySubject = await readFromSanity(`the entitlements of ${subject}`, () =>
      queries.entitlementsOf([subject], new Map([[subject, verifiedEmailsOf(record)]])),
    )
    return bySubject.get(subject) ?? []
  }

  /**
   * Reads with `read` until the answer reflects every requirement (the replica caught up), or
   * throws `sanity_behind` after `freshnessWaitMs`.
   */
  async function readFresh<T>(
    what: string,
    requirements: readonly RevisionRequirement[],
    read: (probe: string[]) => Promise<{value: T; revisions: Map<string, string | null>}>,
  ): Promise<T> {
    const probe = [...new Set(requirements.map(({documentId}) => documentId))]
    let waited = 0
    for (let pause = 25; ; pause = Math.min(500, pause * 2)) {
      const {value, revisions} = await readFromSanity(what, () => read(probe))
      if (probe.length === 0) return value
      const unmet = await readFromSanity(`the current revisions of ${probe.join(', ')}`, () =>
        unmetRequirements(requirements, revisions, (ids) => queries.currentRevisions(ids)),
      )
      if (unmet.length === 0) return value
      if (waited >= freshnessWaitMs) {
        const [first] = unmet
        throw new SyncError(
          'sanity_behind',
          `Sanity's query results do not show ${first!.documentId} at revision ${first!.rev ?? '(deleted)'} yet; try again shortly.`,
          {statusCode: 503},
        )
      }
      await sleep(pause)
      waited += pause
    }
  }

  /** Revisions a read of `subjects` must reflect: named by waiting requests, or witnessed by any instance. */
  async function requirementsOf(subjects: readonly SubjectId[]): Promise<RevisionRequirement[]> {
    const pending = subjects.flatMap((subject) => {
      const list = pendingRequirements.get(subject) ?? []
      pendingRequirements.delete(subject)
      return list
    })
    const witnessed = (await witnesses.recall(subjects)).flat()
    const byDocument = new Map<string, RevisionRequirement>()
    // A request's own requirement first: a witness of the same document may be older.
    for (const requirement of [...pending, ...witnessed]) {
      if (!byDocument.has(requirement.documentId))
        byDocument.set(requirement.documentId, requirement)
    }
    return [...byDocument.values()]
  }

  /** The write step: compute, diff against Clerk and send the patch (the one call into `core/access`'s diff). */
  async function writeSubject(
    subject: SubjectId,
    entitlements: EntitlementInput[],
    record: ClerkSubjectRecord | null,
    traceId: string,
    lease?: Lease,
  ): Promise<SubjectSyncResult> {
    if (!record) {
      throw new SyncError(
        'subject_not_found',
        `Clerk has no ${subjectKind(subject)} ${subject}; it may have been deleted. Its entitlements grant nothing.`,
      )
    }
    const at = now()
    const computation = computeAccess(entitlements, rules, {
      now: at,
      subject,
      verifiedEmails: verifiedEmailsOf(record),
    })
    const {patch, drift} = diffAccess(record.metadata, computation.metadata, rules, {
      stamp: stampFor(computation, at, traceId, lease),
    })
    const before = measureMetadataSize(record.metadata, rules)
    if (drift.length === 0) return {subject, outcome: 'unchanged', changes: {}, size: before}
    const size = checkWritableSize(
      subject,
      before,
      measureMetadataSize(applyMetadataPatch(record.metadata, patch), rules),
    )
    if (size.overBudget) {
      logger.warn(
        `sanity-plugin-clerk: public metadata of ${subject} is ${size.publicBytes} bytes, above the ` +
          `${size.sessionBudget}-byte session-claim budget; sign-in cookies may stop working.`,
      )
    }
    await clerk.updateSubjectMetadata(subject, patch)
    return {subject, outcome: 'updated', changes: changesOf(drift), size, traceId}
  }

  /** A subject's Clerk record as read: `null` when Clerk has no such subject (deleted). */
  type RecordRead = ClerkSubjectRecord | null | {failed: unknown}

  /**
   * The Clerk records of `subjects`. A subject alone of its kind is read by id; several users
   * (or organizations) are read in ONE list request per 100 ids, and one missing from the answer
   * is deleted, as a 404 by id says. A failed request fails every subject it asked for.
   */
  async function readRecords(subjects: readonly SubjectId[]): Promise<Map<SubjectId, RecordRead>> {
    const records = new Map<SubjectId, RecordRead>()
    const kinds = [
      {kind: 'user', list: (ids: SubjectId[]) => clerk.usersWithIds(ids)},
      {kind: 'organization', list: (ids: SubjectId[]) => clerk.organizationsWithIds(ids)},
    ] as const
    await Promise.all(
      kinds.map(async ({kind, list}) => {
        const ids = subjects.filter((subject) => subjectKind(subject) === kind)
        try {
          if (ids.length === 1) {
            records.set(ids[0]!, await clerk.getSubject(ids[0]!))
          } else if (ids.length > 1) {
            const found = new Map(
              (await list(ids)).map((record): [SubjectId, ClerkSubjectRecord] => [
                record.summary.id,
                record,
              ]),
            )
            for (const id of ids) records.set(id, found.get(id) ?? null)
          }
        } catch (error) {
          for (const id of ids) records.set(id, {failed: error})
        }
      }),
    )
    return records
  }

  const recheckTimers = new Set<number>()

  /**
   * Queues `subjects` for a re-check in `delayMs` (shared store), plus a local timer when enabled
   * and not `withoutTimer` (a reconcile pass runs its re-checks when it ends).
   */
  async function scheduleRecheck(
    subjects: readonly SubjectId[],
    delayMs: number,
    {withoutTimer = false} = {},
  ) {
    if (!convergence || subjects.length === 0) return
    try {
      const dueAt = (await store.now()) + delayMs
      await Promise.all(subjects.map((subject) => store.schedule(RECHECK_QUEUE, subject, dueAt)))
    } catch (error) {
      logger.error(
        `sanity-plugin-clerk: could not queue re-checks of ${subjects.join(', ')}`,
        error,
      )
      return
    }
    if (convergence.timer === false || withoutTimer) return
    armRecheckTimer(delayMs)
  }

  function armRecheckTimer(delayMs: number) {
    // One timer per second of due time, however many subjects are due then.
    const bucket = Math.ceil((Date.now() + delayMs) / 1000)
    if (recheckTimers.has(bucket)) return
    recheckTimers.add(bucket)
    const timer = setTimeout(
      () => {
        recheckTimers.delete(bucket)
        runDueRechecks().catch((error: unknown) =>
          logger.error('sanity-plugin-clerk: re-check failed; the sweep retries it', error),
        )
      },
      bucket * 1000 - Date.now() + 50,
    )
    ;(timer as {unref?: () => void}).unref?.()
  }

  /**
   * Syncs `items` together: takes each subject's lease, reads all their entitlements in ONE
   * query that reflects every revision they must (and each Clerk record not already known), then
   * writes each subject, `concurrency` at a time. Leases are held until every write has
   * returned, so no other instance reads or writes these subjects in between.
   */
  async function syncBatch(
    items: readonly KnownRecord[],
    read: BatchRead = queries.readSubjects,
    {inReconcile = false} = {},
  ): Promise<SubjectSyncResult[]> {
    const traceId = newTraceId()
    const results = new Map<SubjectId, SubjectSyncResult>()
    const leaseOf = new Map<SubjectId, Lease>()
    let ready: KnownRecord[] = [...items]
    // Renewed from the first lease taken on, since taking a later one may wait.
    const stopRenewing = convergence
      ? keepLeases(store, leaseOf, leasePolicy.ttlMs)
      : () => undefined
    try {
      if (convergence) {
        ready = []
        // One at a time and in one order (by id) on every instance: two batches that share
        // subjects then never each hold a lease the other waits for (a stall of leaseWaitMs).
        const inLeaseOrder = [...items].sort((a, b) => (a.subject < b.subject ? -1 : 1))
        for (const item of inLeaseOrder) {
          try {
            const lease = await acquireLease(store, `subject:${item.subject}`, leasePolicy)
            if (lease) {
              leaseOf.set(item.subject, lease)
              ready.push(item)
              continue
            }
            throw new SyncError(
              'subject_busy',
              `Another proxy instance has been syncing ${item.subject} for over ${leasePolicy.waitMs} ms; try again shortly.`,
            )
          } catch (error) {
            const failure =
              error instanceof SyncError
                ? error
                : new SyncError('store_unavailable', 'The shared store could not be reached.')
            results.set(item.subject, failedResult(item.subject, failure, traceId))
          }
        }
      }
      if (ready.length > 0) {
        const subjects = ready.map(({subject}) => subject)
        // Clerk first: a user's verified addresses decide which email-addressed entitlements
        // the ONE query must also return. Read under the leases, so no other instance writes
        // them between this read and ours. A reconcile page hands its records in, read before
        // the leases: each is kept only if nobody held its lease since the write it shows.
        const current = ready.map(({subject, record}) => {
          const lease = leaseOf.get(subject)
          return record && (!lease || readUnderPreviousGrant(record, lease)) ? record : undefined
        })
        const readNow = await readRecords(
          ready.filter((_, index) => !current[index]).map(({subject}) => subject),
        )
        const known = ready.map(({subject}, index) => current[index] ?? readNow.get(subject))
        const verifiedEmails = new Map(
          ready.map(({subject}, index) => {
            const record = known[index]
            return [subject, record && !('failed' in record) ? verifiedEmailsOf(record) : []]
          }),
        )
        let bySubject: Map<SubjectId, EntitlementInput[]> | null = null
        let readError: unknown = null
        try {
          const requirements = convergence ? await requirementsOf(subjects) : []
          bySubject = await readFresh(
            `the entitlements of ${subjects.length === 1 ? subjects[0] : `${subjects.length} subjects`}`,
            requirements,
            async (probe) => {
              const fresh = await read(subjects, probe, verifiedEmails)
              return {value: fresh.bySubject, revisions: fresh.revisions}
            },
          )
        } catch (error) {
          readError = error
        }
        const written = await mapLimit(
          ready.map((item, index) => ({item, record: known[index]})),
          concurrency,
          async ({item: {subject}, record}) => {
            try {
              if (readError) throw readError
              if (record && 'failed' in record) throw record.failed
              return await writeSubject(
                subject,
                bySubject?.get(subject) ?? [],
                record ?? null,
                traceId,
                leaseOf.get(subject),
              )
            } catch (error) {
              return failedResult(subject, error, traceId)
            }
          },
        )
        for (const result of written) results.set(result.subject, result)
      }
    } finally {
      stopRenewing()
      await Promise.all(
        [...leaseOf.values()].map((lease) => store.releaseLease(lease).catch(() => undefined)),
      )
    }
    const ordered = items.map(({subject}) => results.get(subject)!)
    await scheduleRecheck(
      ordered.filter(({outcome}) => outcome === 'updated').map(({subject}) => subject),
      recheckAfterMs,
      // Queued (so a crash loses none), but not read while the pass still needs Clerk's budget.
      {withoutTimer: inReconcile},
    )
    // A passing failure is retried by the re-check, so an outage delays a change but never loses it.
    await scheduleRecheck(
      ordered
        .filter(
          ({outcome, error}) => outcome === 'failed' && PASSING_FAILURES.has(error?.code ?? ''),
        )
        .map(({subject}) => subject),
      Math.min(recheckAfterMs, 5_000),
    )
    return ordered
  }

  const queue = createKeyedCoalescer<SubjectSyncResult>(
    async (subject) => (await syncBatch([{subject}]))[0]!,
    {concurrency},
  )

  function invalidSubject(subject: string): SubjectSyncResult {
    return {
      subject,
      outcome: 'failed',
      changes: {},
      error: {
        code: 'invalid_id',
        message: `${JSON.stringify(subject)} is not a Clerk user (user_…) or organization (org_…) id.`,
      },
    }
  }

  async function syncSubjects(
    subjects: readonly string[],
    {revision}: SyncSubjectsOptions = {},
  ): Promise<SubjectSyncResult[]> {
    const unique = [...new Set(subjects)]
    await noteRevision(
      unique.filter((subject) => subjectKind(subject) !== null),
      revision,
    )
    return Promise.all(
      unique.map((subject) =>
        subjectKind(subject) ? queue.run(subject) : invalidSubject(subject),
      ),
    )
  }

  async function subjectsOfDocument(documentId: string, rev?: string | null) {
    const requirements = rev === undefined || !convergence ? [] : [{documentId, rev}]
    const {subjects, emails} = await readFresh(
      `the subjects of ${documentId}`,
      requirements,
      async (probe) => {
        const read = await queries.subjectsOfDocument(documentId, probe)
        return {value: read, revisions: read.revisions}
      },
    )
    return [...new Set([...subjects, ...(await usersWithVerified(emails))])].sort()
  }

  /** The users who have any of `emails` verified: who an email-addressed entitlement grants to. */
  async function usersWithVerified(emails: readonly string[]): Promise<SubjectId[]> {
    if (emails.length === 0) return []
    const wanted = new Set(emails)
    const users = await clerk.usersWithEmails(emails)
    return users
      .filter((user) => user.verifiedEmails.some((email) => wanted.has(email)))
      .map((user) => user.summary.id)
  }

  async function syncChange(request: SyncRequest): Promise<SubjectSyncResult[]> {
    // The holders of the address the document named before: a changed or removed address revokes.
    const previousHolders = await usersWithVerified(request.previousEmails ?? [])
    const named = [
      ...new Set([
        ...(request.subjects ?? []),
        ...(request.previousSubjects ?? []),
        ...previousHolders,
      ]),
    ]
    const documentId = request.documentId
    if (!documentId) return syncSubjects(named)
    const revision =
      request.documentRevision !== undefined
        ? {documentId, rev: request.documentRevision}
        : undefined
    const valid = named.filter((subject) => subjectKind(subject) !== null)
    await noteRevision(valid, revision)
    // The read that counts is the batch's last (fresh) one; a batch that could not read leaves
    // `ofDocument.read` unset and the document is asked on its own below.
    const ofDocument: {read?: Omit<SubjectsOfDocument, 'revisions'>} = {}
    const batch =
      valid.length === 0
        ? []
        : await syncBatch(
            valid.map((subject) => ({subject})),
            async (subjects, probe, verifiedEmails) => {
              const read = await queries.readChange(documentId, subjects, probe, verifiedEmails)
              ofDocument.read = read.document
              return read
            },
          )
    const found = ofDocument.read
    const current = found
      ? [...found.subjects, ...(await usersWithVerified(found.emails))]
      : await subjectsOfDocument(documentId, revision?.rev)
    const rest = current.filter((subject) => !valid.includes(subject))
    const others = rest.length > 0 ? await syncSubjects(rest, revision ? {revision} : {}) : []
    const invalid = named.filter((subject) => subjectKind(subject) === null).map(invalidSubject)
    return [...batch, ...others, ...invalid]
  }

  /** Makes reads of `subjects` reflect `revision`, here and (through witnesses) on every instance. */
  async function noteRevision(subjects: readonly SubjectId[], revision?: RevisionRequirement) {
    if (!revision || !convergence) return
    for (const subject of subjects) {
      pendingRequirements.set(subject, [...(pendingRequirements.get(subject) ?? []), revision])
    }
    // Later syncs of these subjects, on any instance, must read at least this new.
    await witnesses.record(subjects, revision).catch((error: unknown) => {
      logger.warn('sanity-plugin-clerk: could not share a revision witness', error)
    })
  }

  async function runDueRechecks(): Promise<SubjectSyncResult[]> {
    if (!convergence) return []
    const results: SubjectSyncResult[] = []
    for (;;) {
      const due = await store.takeDue(RECHECK_QUEUE, await store.now(), RECHECK_BATCH)
      if (due.length === 0) return results
      // Subjects due together are re-checked together: one list request per 100 users (and per
      // 100 organizations) and ONE query for all their entitlements, under their leases.
      const valid = due.filter((subject) => subjectKind(subject) !== null)
      const batch = [
        ...(valid.length > 0 ? await syncBatch(valid.map((subject) => ({subject}))) : []),
        ...due.filter((subject) => subjectKind(subject) === null).map(invalidSubject),
      ]
      for (const result of batch) {
        // A re-check that had to write found Clerk wrong after the sync settled: worth knowing.
        if (result.outcome === 'updated') {
          logger.warn(
            `sanity-plugin-clerk: re-check of ${result.subject} repaired ${Object.keys(result.changes).join(', ')} (a late write or a lagging read); trace ${result.traceId}`,
          )
        }
      }
      results.push(...batch)
      if (due.length < RECHECK_BATCH) return results
    }
  }

  async function status(
    subject: SubjectId,
    {includePrivate = false} = {},
  ): Promise<SubjectStatusResponse> {
    const kind = subjectKind(subject)
    if (!kind)
      throw new SyncError(
        'invalid_id',
        `${JSON.stringify(subject)} is not a Clerk user or organization id.`,
      )
    const [[record, entitlements], memberships] = await Promise.all([
      // The record's verified addresses decide the email-addressed entitlements to read.
      clerk
        .getSubject(subject)
        .then(async (found) => [found, await entitlementsOf(subject, found)] as const),
      kind === 'user'
        ? clerk.userMemberships(subject).catch((error: unknown) => {
            if ((error as {status?: number}).status === 404) return []
            throw error
          })
        : undefined,
    ])
    const at = now()
    const computation = computeAccess(entitlements, rules, {
      now: at,
      subject,
      verifiedEmails: verifiedEmailsOf(record),
    })
    const current = record?.metadata ?? {
      publicMetadata: {},
      privateMetadata: {},
      unsafeMetadata: {},
    }
    const {patch, drift} = diffAccess(current, computation.metadata, rules, {
      stamp: stampFor(computation, at, ''),
    })
    const stamp = readSyncStamp(current.privateMetadata)
    const response: SubjectStatusResponse = {
      subject,
      status: record ? 'found' : 'deleted',
      clerk: {publicMetadata: ownedPublicMetadata(current.publicMetadata, rules)},
      effective: {metadata: computation.metadata, sources: computation.sources},
      drift,
      // What the metadata will weigh once in sync: the number that decides warnings and refusals.
      size: measureMetadataSize(applyMetadataPatch(current, patch), rules),
      lastSync: stamp
        ? {at: stamp.syncedAt, hash: stamp.hash, traceId: stamp.traceId ?? null}
        : null,
    }
    if (includePrivate) response.clerk.privateMetadata = stamp ? {[SYNC_STAMP_KEY]: stamp} : {}
    if (record && 'primaryEmail' in record.summary) response.user = record.summary
    else if (record && !('primaryEmail' in record.summary)) response.organization = record.summary
    if (memberships) {
      response.organizations = memberships.map(({organization, role}) => ({
        organization: organization.summary,
        role,
        metadata: ownedPublicMetadata(organization.metadata.publicMetadata, rules),
      }))
    }
    return response
  }

  return {
    rules,
    store,
    syncSubjects,
    syncChange,
    subjectsOfDocument,
    usersWithVerified,
    orphans: () => findOrphanedEntitlements({clerk, queries}),
    status,
    runDueRechecks,
    reconcile,
  }

  /**
   * A reconcile pass whose writes are re-checked after it ends, when they are also due together:
   * one Clerk list request per 100 instead of reads taken from the pass's share of the rate limit.
   */
  async function* reconcile(
    reconcileOptions: Parameters<SyncEngine['reconcile']>[0],
  ): AsyncGenerator<ReconcileEvent> {
    try {
      yield* runReconcile(
        {
          clerk,
          queries,
          rules,
          now,
          syncKnown: (items) => syncBatch(items, queries.readSubjects, {inReconcile: true}),
          pageSize: {
            clerk: options.reconcilePageSize?.clerk ?? 500,
            sanity: options.reconcilePageSize?.sanity,
            heldWhilePaging: options.reconcilePageSize?.heldWhilePaging,
          },
        },
        reconcileOptions,
      )
    } finally {
      if (convergence && convergence.timer !== false) {
        armRecheckTimer(0)
        armRecheckTimer(recheckAfterMs)
      }
    }
  }
}
