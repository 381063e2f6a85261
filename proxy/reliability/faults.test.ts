/**
 * Faults: a seeded random run of many content changes and syncs while Clerk answers with 429s
 * (with Retry-After), 5xx, slow answers past the timeout, hangs and connection resets, and the
 * Content Lake fails queries. An editor retries a failed sync the way the Studio offers it. At the
 * end every subject's Clerk metadata must equal what the content says, computed by an oracle
 * independent of the engine: no lost and no stale update, and every failure carried a reason.
 */
import {createClient, type SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startClerkEmulator, type ClerkEmulator, type Fault} from '../../emulators/clerk'
import {pick, randomInt, seededRandom, type RandomSource} from '../../emulators/clerk/random'
import {startContentLake, type ContentLake} from '../../emulators/content-lake'
import type {SubjectId} from '../../core/access'
import type {SubjectSyncResult} from '../../core/contract'
import {createClerkGateway} from '../clerk'
import {createSyncEngine, type SyncEngine} from '../sync'
import {
  entitlement as routeEntitlement,
  startProxyHarness,
  type ProxyHarness,
} from '../testing/proxy-harness'
import {createFigureTable} from './summary'
import {
  applyToModel,
  catalogDocuments,
  clerkOwnedMetadata,
  createMutex,
  createSubjects,
  entitlementDocument,
  mismatchedSubjects,
  randomChange,
  writesAppliedOutOfOrder,
  type ModelEntitlement,
} from '../testing/world'

const SEED = 'faults-2026-11'
const CHANGES = 300
const WORKERS = 6
const TIMEOUT_MS = 100
/** A "slow" Clerk answer: longer than the timeout, so the write may land after the retry. */
const SLOW_MS = 250
const MAX_EDITOR_ATTEMPTS = 25
const FAULT_PROBABILITY = 0.45

const figures = createFigureTable('faults: seeded sync run under Clerk and Content Lake faults')
let clerk: ClerkEmulator
let lake: ContentLake
let editor: SanityClient
let engine: SyncEngine
const retryWaits: number[] = []

beforeAll(async () => {
  clerk = await startClerkEmulator({rateLimit: false})
  lake = await startContentLake({
    projectId: `faults-${process.pid}`,
    dataset: 'test',
    documents: catalogDocuments(),
  })
  editor = createClient({...lake.clientConfig('administrator'), resolveFetch: lake.resolveFetch})
  const gateway = createClerkGateway({
    secretKey: clerk.secretKey,
    apiUrl: clerk.url,
    rateLimit: {requests: 100_000, perMs: 1000},
    retry: {
      timeoutMs: TIMEOUT_MS,
      maxRetries: 3,
      baseDelayMs: 1,
      maxDelayMs: 8,
      maxRetryAfterMs: 2000,
      // Long enough for a slow write to land; a hung one is given up on after this.
      lateWriteWaitMs: SLOW_MS * 3,
    },
    // Record what the gateway asks to wait (Retry-After included), but keep the run fast.
    sleep: (ms) => {
      retryWaits.push(ms)
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 10)))
    },
  })
  engine = createSyncEngine({
    clerk: gateway,
    // No client-side retries: a failing lake query reaches the editor, who retries.
    sanity: createClient({
      ...lake.clientConfig('viewer'),
      resolveFetch: lake.resolveFetch,
      maxRetries: 0,
    }),
    logger: {info: () => undefined, warn: () => undefined, error: () => undefined},
  })
})

afterAll(async () => {
  figures.print()
  await Promise.all([clerk?.close(), lake?.close()])
})

const CLERK_FAULTS: Array<{name: string; fault: Fault}> = [
  {name: 'clerk 429 (Retry-After 0 s)', fault: {type: 'status', status: 429, retryAfterSeconds: 0}},
  {name: 'clerk 429 (Retry-After 1 s)', fault: {type: 'status', status: 429, retryAfterSeconds: 1}},
  {name: 'clerk 500', fault: {type: 'status', status: 500}},
  {name: 'clerk 502', fault: {type: 'status', status: 502}},
  {name: 'clerk 503', fault: {type: 'status', status: 503}},
  {name: 'clerk slow past timeout', fault: {type: 'delay', ms: SLOW_MS}},
  {name: 'clerk very slow past timeout', fault: {type: 'delay', ms: SLOW_MS * 2}},
  {name: 'clerk hang', fault: {type: 'hang'}},
  {name: 'clerk connection reset', fault: {type: 'reset'}},
]

/** Arms one random fault (or none) on the requests the next sync of `subject` makes. */
function armFault(random: RandomSource, subject: SubjectId) {
  if (random() >= FAULT_PROBABILITY) return
  if (random() < 0.2) {
    figures.count('faults armed: lake query 5xx')
    lake.faults.add({route: '^/data/query/', status: pick(random, [500, 503]), times: 1})
    return
  }
  const {name, fault} = pick(random, CLERK_FAULTS)
  const base = subject.startsWith('org_') ? `/v1/organizations/${subject}` : `/v1/users/${subject}`
  const write = random() < 0.6
  figures.count(`faults armed: ${name}`)
  clerk.faults.add({
    method: write ? 'PATCH' : 'GET',
    path: write ? `${base}/metadata` : base,
    // Sometimes a burst, so a retry meets the same fault again.
    times: random() < 0.25 ? randomInt(random, 2, 3) : 1,
    fault,
  })
}

/** An editor's sync: on failure they read the reason and press "Sync to Clerk now" again. */
async function editorSync(random: RandomSource, subjects: SubjectId[]) {
  for (let attempt = 1; attempt <= MAX_EDITOR_ATTEMPTS; attempt++) {
    for (const subject of subjects) armFault(random, subject)
    figures.count('sync requests sent')
    const results: SubjectSyncResult[] = await engine.syncSubjects(subjects)
    const failed = results.filter((result) => result.outcome === 'failed')
    for (const result of failed) {
      figures.count('failures shown: total')
      figures.count(`failures shown: ${result.error?.code ?? 'without a code'}`)
      if (!result.error?.code || !result.error.message || result.error.code === 'internal_error') {
        figures.count('failures without a reason')
      }
    }
    if (failed.length === 0) return
    subjects = failed.map((result) => result.subject)
  }
  figures.count('syncs abandoned after retries')
}

describe('sync under injected faults', () => {
  it(
    `converges to the content after ${CHANGES} changes across 20 subjects`,
    {timeout: 60_000},
    async () => {
      const random = seededRandom(SEED)
      const subjects = createSubjects(clerk, 'flt', {users: 16, organizations: 4})
      const model = new Map<string, ModelEntitlement>()
      const writeContent = createMutex()
      let ids = 0
      const queue = Array.from({length: CHANGES}, () => pick(random, subjects))

      const worker = async (workerRandom: RandomSource) => {
        for (let subject = queue.shift(); subject; subject = queue.shift()) {
          const change = await writeContent(async () => {
            const next = randomChange(workerRandom, model, subjects, subject, () => `ent-${++ids}`)
            if (next.next) await editor.createOrReplace(entitlementDocument(next.next))
            else await editor.delete(next.id)
            applyToModel(model, next)
            return next
          })
          figures.count(`changes: ${change.kind}`)
          await editorSync(workerRandom, change.subjects)
        }
      }
      await Promise.all(
        Array.from({length: WORKERS}, (_, index) => worker(seededRandom(`${SEED}-${index}`))),
      )
      // Let every delayed write that outlived its timeout land before judging.
      await new Promise((resolve) => setTimeout(resolve, SLOW_MS * 3))
      clerk.faults.clear()
      lake.faults.clear()

      const clerkRequests = clerk.log.filter((entry) => entry.path.startsWith('/v1/'))
      figures.set('content changes', CHANGES)
      figures.set('Clerk requests', clerkRequests.length)
      figures.set(
        'Clerk requests faulted (status ≥ 429 or no answer)',
        clerkRequests.filter((r) => r.status === 0 || r.status >= 429).length,
      )
      figures.set('gateway retries', retryWaits.length)
      figures.set(
        'retries that waited ≥ Retry-After 1 s',
        retryWaits.filter((ms) => ms >= 1000).length,
      )
      const staleOverwrites = writesAppliedOutOfOrder(clerk)
      figures.set('writes applied over a newer write (stale overwrites)', staleOverwrites.length)
      const mismatches = mismatchedSubjects(clerk, subjects, model.values(), new Date())
      figures.set('final mismatches (lost or stale updates)', mismatches.length)
      const foreignLost = subjects.filter(
        (subject) =>
          subject.startsWith('user_') && clerkOwnedMetadata(clerk, subject).foreign !== 'dark',
      )
      figures.set('foreign keys lost', foreignLost.length)

      expect(figures.get('failures without a reason')).toBe(0)
      expect(figures.get('syncs abandoned after retries')).toBe(0)
      expect(foreignLost).toEqual([])
      expect(staleOverwrites).toEqual([])
      expect(mismatches).toEqual([])
      // The run must actually have been hostile, or it proves nothing.
      expect(figures.get('failures shown: total')).toBeGreaterThan(20)
      expect(retryWaits.length).toBeGreaterThan(50)
    },
  )
})

describe('a write that outlives its timeout', () => {
  it('never lands over a newer write', {timeout: 20_000}, async () => {
    const [user] = createSubjects(clerk, 'late', {users: 1, organizations: 0}) as [SubjectId]
    const model = new Map<string, ModelEntitlement>()
    const publish = async (entitlement: ModelEntitlement) => {
      model.set(entitlement.id, entitlement)
      await editor.createOrReplace(entitlementDocument(entitlement))
    }
    await publish({id: 'late-1', subject: user, plan: 'basic', courses: []})
    expect((await engine.syncSubjects([user]))[0]?.outcome).toBe('updated')

    // Clerk is slow to apply the upgrade: the gateway times out, retries, and succeeds, while
    // the first attempt is still on its way.
    await publish({id: 'late-1', subject: user, plan: 'pro', courses: []})
    clerk.faults.add({
      method: 'PATCH',
      path: `/v1/users/${user}/metadata`,
      fault: {type: 'delay', ms: SLOW_MS * 2},
    })
    expect((await engine.syncSubjects([user]))[0]?.outcome).toBe('updated')

    // The editor downgrades right away; then the slow first attempt arrives.
    await publish({id: 'late-1', subject: user, plan: 'basic', courses: []})
    expect((await engine.syncSubjects([user]))[0]?.outcome).not.toBe('failed')
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS * 3))

    expect(mismatchedSubjects(clerk, [user], model.values(), new Date())).toEqual([])
  })
})

describe('failures an editor sees through the proxy', () => {
  let proxy: ProxyHarness
  let user: string
  beforeAll(async () => {
    proxy = await startProxyHarness()
    user = proxy.createUser('Grace')
    await proxy.publish(routeEntitlement('grace-1', user))
  })
  afterAll(() => proxy?.close())

  const lakeDown = () => proxy.lake.faults.add({route: '^/data/query/', status: 503, times: 10})
  const clerkDown = (fault: Fault, path?: string) => () =>
    proxy.clerk.faults.add({path: path ?? `/v1/users/${user}`, times: 10, fault})

  it.each([
    ['sync of a document while Sanity fails', lakeDown, () => ['/sync', {documentId: 'grace-1'}]],
    ['status while Sanity fails', lakeDown, () => [`/users/${user}`]],
    [
      'sync while Clerk answers 503',
      clerkDown({type: 'status', status: 503}),
      () => ['/sync', {subjects: [user]}],
    ],
    ['status while Clerk resets connections', clerkDown({type: 'reset'}), () => [`/users/${user}`]],
    [
      'search while Clerk rate limits for long',
      clerkDown({type: 'status', status: 429, retryAfterSeconds: 30}, '/v1/users'),
      () => ['/users?query=grace'],
    ],
  ] as const)(
    '%s: a code and a sentence, never an internal error',
    async (_name, breakIt, call) => {
      breakIt()
      const [path, body] = call() as [string, object?]
      const response = await proxy.call(path, body ? {body} : {})
      const payload = (await response.json()) as {
        error?: {code: string; message: string}
        results?: Array<{error?: {code: string; message: string}}>
      }
      proxy.clerk.faults.clear()
      proxy.lake.faults.clear()
      const error = payload.error ?? payload.results?.[0]?.error
      figures.count(`HTTP failures: ${error?.code ?? 'none'}`)
      expect(error?.code).toMatch(/^(sanity|clerk)_/)
      expect(error?.message.length).toBeGreaterThan(20)
    },
  )
})
