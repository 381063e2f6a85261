import type {SanityClient} from '@sanity/client'
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
  ReconcileEvent,
  ReconcileRequest,
  SubjectStatusResponse,
  SubjectSyncResult,
  SyncRequest,
} from '../../core/contract'
import type {ClerkGateway, ClerkSubjectRecord} from '../clerk'
import {createAccessQueries, type AccessQueries} from '../sanity'
import {createKeyedCoalescer} from './coalesce'
import {readFromSanity, SyncError, toErrorBody} from './errors'
import {runReconcile} from './reconcile'

/** Where the engine reports what editors and operators should know. Defaults to `console`. */
export type SyncLogger = Pick<Console, 'info' | 'warn' | 'error'>

/** Options of {@link createSyncEngine}. */
export interface SyncEngineOptions {
  clerk: ClerkGateway
  /** A `@sanity/client` that can read the dataset; queries always use the `published` perspective. */
  sanity: SanityClient
  /** Resolved rules, or options for `resolveAccessRules`. */
  rules?: AccessRules | AccessRulesOptions
  /** The clock validity windows are judged by. */
  now?: () => Date
  logger?: SyncLogger
  /** Page sizes of reconcile: Clerk subjects per request (≤ 500), Sanity entitlements per query. */
  reconcilePageSize?: {clerk?: number; sanity?: number}
  /**
   * Subjects recomputed at once (default 8). Bounds the GROQ queries in flight during a burst;
   * Clerk calls are paced by the gateway's rate budget on top of this.
   */
  concurrency?: number
}

/** State of a subject read in bulk, handed to its sync so it is not read again. */
export interface KnownState {
  record: ClerkSubjectRecord
  entitlements?: EntitlementInput[]
}

/** Options of {@link SyncEngine.reconcile}. */
export interface ReconcileOptions extends ReconcileRequest {
  signal?: AbortSignal
}

/**
 * Recomputes Clerk metadata from Sanity. Every entry point only ever learns WHICH subjects to
 * recompute; what they get always comes from their published entitlements.
 */
export interface SyncEngine {
  readonly rules: AccessRules
  /**
   * Recomputes each subject and writes only the difference. Per subject: one GROQ query and one
   * Clerk read, sent in parallel, then at most one Clerk write (none when nothing differs).
   * Concurrent requests for one subject are serialized and coalesced. Never throws for a
   * subject: failures come back as `outcome: 'failed'` with an error body.
   */
  syncSubjects(subjects: readonly string[]): Promise<SubjectSyncResult[]>
  /** `POST /sync`: the given subjects, the previous subjects and the document's current subjects. */
  syncChange(request: SyncRequest): Promise<SubjectSyncResult[]>
  /** The subjects a change to this document affects now (one GROQ query). */
  subjectsOfDocument(documentId: string): Promise<SubjectId[]>
  /** Live Clerk state against what Sanity says, for the Studio panel. */
  status(subject: SubjectId, options?: {includePrivate?: boolean}): Promise<SubjectStatusResponse>
  /** Scans Clerk and Sanity page by page and fixes (or, dry, reports) every drifted subject. */
  reconcile(options: ReconcileOptions): AsyncIterable<ReconcileEvent>
}

function isResolvedRules(rules: AccessRules | AccessRulesOptions): rules is AccessRules {
  return Array.isArray(rules.grantableTypes) && 'limitBytes' in rules && 'namespace' in rules
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

  function stampFor(computation: AccessComputation, at: Date): SyncStamp {
    return {v: ACCESS_RULES_VERSION, hash: computation.hash, syncedAt: at.toISOString()}
  }

  async function entitlementsOf(subject: SubjectId) {
    const bySubject = await readFromSanity(`the entitlements of ${subject}`, () =>
      queries.entitlementsOf([subject]),
    )
    return bySubject.get(subject) ?? []
  }

  /**
   * One recompute-and-write of one subject. `known` is what reconcile just read in bulk (the
   * Clerk record from its page, the entitlements from one query for the page's drifted subjects);
   * anything missing is read here.
   */
  async function syncOne(
    subject: SubjectId,
    known: KnownState | undefined,
  ): Promise<SubjectSyncResult> {
    try {
      const [entitlements, record] = await Promise.all([
        known?.entitlements ?? entitlementsOf(subject),
        known?.record ?? clerk.getSubject(subject),
      ])
      if (!record) {
        throw new SyncError(
          'subject_not_found',
          `Clerk has no ${subjectKind(subject)} ${subject}; it may have been deleted. Its entitlements grant nothing.`,
        )
      }
      const at = now()
      const computation = computeAccess(entitlements, rules, {now: at, subject})
      const {patch, drift} = diffAccess(record.metadata, computation.metadata, rules, {
        stamp: stampFor(computation, at),
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
      return {subject, outcome: 'updated', changes: changesOf(drift), size}
    } catch (error) {
      const body = toErrorBody(error)
      return {
        subject,
        outcome: 'failed',
        changes: {},
        ...(body.clerkTraceId ? {clerkTraceId: body.clerkTraceId} : {}),
        error: body,
      }
    }
  }

  const queue = createKeyedCoalescer<KnownState, SubjectSyncResult>(syncOne, {
    concurrency: options.concurrency ?? 8,
  })

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

  async function syncSubjects(subjects: readonly string[]): Promise<SubjectSyncResult[]> {
    const unique = [...new Set(subjects)]
    return Promise.all(
      unique.map((subject) =>
        subjectKind(subject) ? queue.run(subject) : invalidSubject(subject),
      ),
    )
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
    const [entitlements, record, memberships] = await Promise.all([
      entitlementsOf(subject),
      clerk.getSubject(subject),
      kind === 'user'
        ? clerk.userMemberships(subject).catch((error: unknown) => {
            if ((error as {status?: number}).status === 404) return []
            throw error
          })
        : undefined,
    ])
    const at = now()
    const computation = computeAccess(entitlements, rules, {now: at, subject})
    const current = record?.metadata ?? {
      publicMetadata: {},
      privateMetadata: {},
      unsafeMetadata: {},
    }
    const {patch, drift} = diffAccess(current, computation.metadata, rules, {
      stamp: stampFor(computation, at),
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
      lastSync: stamp ? {at: stamp.syncedAt, hash: stamp.hash, traceId: null} : null,
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
    syncSubjects,
    async syncChange(request) {
      const subjects = [...(request.subjects ?? []), ...(request.previousSubjects ?? [])]
      if (request.documentId) {
        const documentId = request.documentId
        subjects.push(
          ...(await readFromSanity(`the subjects of ${documentId}`, () =>
            queries.subjectsOfDocument(documentId),
          )),
        )
      }
      return syncSubjects(subjects)
    },
    subjectsOfDocument: (documentId) =>
      readFromSanity(`the subjects of ${documentId}`, () => queries.subjectsOfDocument(documentId)),
    status,
    reconcile: (reconcileOptions) =>
      runReconcile(
        {
          clerk,
          queries,
          rules,
          now,
          syncKnown: (subject, known) => queue.run(subject, known),
          pageSize: {
            clerk: options.reconcilePageSize?.clerk ?? 500,
            sanity: options.reconcilePageSize?.sanity,
          },
        },
        reconcileOptions,
      ),
  }
}
