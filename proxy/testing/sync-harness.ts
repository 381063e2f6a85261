/**
 * The sync engine wired to the local stand-ins through the real SDKs: `@clerk/backend` against
 * the Clerk emulator and `@sanity/client` against the local Content Lake. For integration tests
 * and benchmarks only; never imported by the proxy itself.
 */
import type {SanityClient} from '@sanity/client'
import {
  startClerkEmulator,
  type ClerkEmulator,
  type ClerkEmulatorOptions,
} from '../../emulators/clerk'
import {
  createLakeClient,
  startContentLake,
  type ContentLake,
  type LakeDocument,
} from '../../emulators/content-lake'
import type {AccessRulesOptions} from '../../core/access'
import {createClerkGateway, type ClerkGateway, type ClerkGatewayOptions} from '../clerk'
import {createMemoryStore, type ProxyStore} from '../store'
import {
  createSyncEngine,
  type ConvergenceOptions,
  type SyncEngine,
  type SyncLogger,
} from '../sync/engine'

export interface SyncHarnessOptions {
  documents?: LakeDocument[]
  rules?: AccessRulesOptions
  emulator?: ClerkEmulatorOptions
  gateway?: Partial<ClerkGatewayOptions>
  /** The engine's clock (validity windows). */
  now?: () => Date
  reconcilePageSize?: {clerk?: number; sanity?: number; heldWhilePaging?: number}
  convergence?: ConvergenceOptions
  /** State shared with other instances; default a fresh memory store on the engine's clock. */
  store?: ProxyStore
}

export interface SyncHarness {
  clerk: ClerkEmulator
  lake: ContentLake
  gateway: ClerkGateway
  engine: SyncEngine
  /** An administrator's client, for changing content the way editors do. */
  editor: SanityClient
  /** What the engine logged. */
  logged: Array<{level: 'info' | 'warn' | 'error'; message: string}>
  close(): Promise<void>
}

let harnessCount = 0

export async function startSyncHarness(options: SyncHarnessOptions = {}): Promise<SyncHarness> {
  const clerk = await startClerkEmulator({rateLimit: false, ...options.emulator})
  const lake = await startContentLake({
    projectId: `sync-${process.pid}-${++harnessCount}`,
    dataset: 'test',
    documents: options.documents ?? [],
  })
  const gateway = createClerkGateway({
    secretKey: clerk.secretKey,
    apiUrl: clerk.url,
    rateLimit: {requests: 100_000, perMs: 1000},
    retry: {timeoutMs: 5000, baseDelayMs: 5, maxDelayMs: 50},
    ...options.gateway,
  })
  const logged: SyncHarness['logged'] = []
  const record =
    (level: 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) =>
      logged.push({level, message: parts.map(String).join(' ')})
  const logger: SyncLogger = {info: record('info'), warn: record('warn'), error: record('error')}
  const now = options.now
  const engine = createSyncEngine({
    clerk: gateway,
    sanity: createLakeClient(lake, 'viewer'),
    rules: options.rules,
    now,
    logger,
    reconcilePageSize: options.reconcilePageSize,
    // Due re-checks run when a test asks (runDueRechecks, a sweep), on the test's clock.
    store: options.store ?? createMemoryStore(now ? {now: () => now().getTime()} : {}),
    convergence: {timer: false, ...options.convergence},
  })
  return {
    clerk,
    lake,
    gateway,
    engine,
    editor: createLakeClient(lake, 'administrator'),
    logged,
    async close() {
      await Promise.all([clerk.close(), lake.close()])
    },
  }
}

/** Content builders shared by the sync tests and the benchmark. */
export const content = {
  ref: (id: string) => ({_type: 'reference', _ref: id}),
  plan: (key: string, rank: number): LakeDocument => ({
    _id: `plan-${key}`,
    _type: 'clerkPlan',
    title: key,
    key,
    rank,
  }),
  role: (key: string, rank: number): LakeDocument => ({
    _id: `role-${key}`,
    _type: 'clerkRole',
    title: key,
    key,
    rank,
  }),
  course: (slug: string): LakeDocument => ({
    _id: `course-${slug}`,
    _type: 'course',
    title: slug,
    slug: {_type: 'slug', current: slug},
  }),
  entitlement(
    id: string,
    subject: string,
    fields: {
      plan?: string
      role?: string
      courses?: string[]
      validFrom?: string
      validUntil?: string
    } = {},
  ): LakeDocument {
    return {
      _id: id,
      _type: 'clerkEntitlement',
      title: id,
      ...(subject.startsWith('org_') ? {clerkOrganizationId: subject} : {clerkUserId: subject}),
      ...(fields.plan ? {plan: content.ref(`plan-${fields.plan}`)} : {}),
      ...(fields.role ? {role: content.ref(`role-${fields.role}`)} : {}),
      ...(fields.courses
        ? {grants: fields.courses.map((slug) => ({...content.ref(`course-${slug}`), _key: slug}))}
        : {}),
      ...(fields.validFrom ? {validFrom: fields.validFrom} : {}),
      ...(fields.validUntil ? {validUntil: fields.validUntil} : {}),
    }
  },
}
