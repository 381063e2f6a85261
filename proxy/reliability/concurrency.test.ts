/**
 * Concurrency: editors publish, reassign, unpublish and delete entitlements (and re-rank plans)
 * at the same time through the Content Lake's Actions API with the real `@sanity/client`. Every
 * commit fires a signed GROQ webhook from the lake to the proxy (duplicated, and for a while held
 * and released in reverse order), while Studio-style `POST /sync` calls and a reconcile run in
 * between. When everything has settled, Clerk must hold exactly what the final content grants.
 */
import type {Action, SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startClerkEmulator, type ClerkEmulator} from '../../emulators/clerk'
import {pick, seededRandom, type RandomSource} from '../../emulators/clerk/random'
import {createLakeClient, startContentLake, type ContentLake} from '../../emulators/content-lake'
import {resolveAccessRules} from '../../core/access'
import {startNodeServer, type RunningNodeServer} from '../adapters/node'
import {DOCUMENT_EVENT_PROJECTION, documentEventFilter} from '../routes/documentEvent'
import {createFigureTable} from './summary'
import {
  catalogDocuments,
  createMutex,
  createSubjects,
  deleteActions,
  entitlementDocument,
  publishActions,
  unpublishActions,
  mismatchedSubjects,
  PLANS,
  ROLES,
  writesAppliedOutOfOrder,
  type ModelEntitlement,
  standInOptions,
} from '../testing/world'

const SEED = 'concurrency-2026-11'
const OPERATIONS = 160
const PARALLEL = 8
const ENTITLEMENT_IDS = Array.from({length: 12}, (_, index) => `conc-${index}`)
const WEBHOOK_SECRET = 'whsec-concurrency-suite'

const figures = createFigureTable('concurrency: parallel publishes, webhooks, syncs, reconcile')
let clerk: ClerkEmulator
let lake: ContentLake
let proxy: RunningNodeServer
let editors: SanityClient[]
let subjects: string[]
const syncFailures: string[] = []
const RECHECK_MS = 1_000

beforeAll(async () => {
  // Clerk's own limits for development keys (100 requests per 10 s per key, 10 writes per 10 s per
  // user), enforced by the emulator. The "other system" below writes with the same key, outside
  // the proxy's budgets, so Clerk may answer some 429s: each must be retried to the right state.
  clerk = await startClerkEmulator()
  lake = await startContentLake({
    projectId: `conc-${process.pid}`,
    dataset: 'test',
    documents: catalogDocuments(),
    webhookTimings: {retryDelayMs: 20, maxRetries: 10, timeoutMs: 10_000},
  })
  proxy = await startNodeServer({
    ...standInOptions(clerk, lake),
    allowedOrigins: [],
    webhookSecret: WEBHOOK_SECRET,
    fetch: lake.resolveFetch(),
    rateLimit: false,
    // Convergence is promised within one re-check of the last write: shortened so the test can
    // wait it out.
    convergence: {recheckAfterMs: RECHECK_MS},
    logger: {info: () => undefined, warn: () => undefined, error: () => undefined},
  })
  lake.webhooks.add({
    name: 'clerk-access-sync',
    url: `${proxy.url}/webhook`,
    filter: documentEventFilter(resolveAccessRules()),
    projection: DOCUMENT_EVENT_PROJECTION,
    on: ['create', 'update', 'delete'],
    secret: WEBHOOK_SECRET,
  })
  editors = [createLakeClient(lake, 'administrator'), createLakeClient(lake, 'editor')]
  subjects = createSubjects(clerk, 'conc', {users: 4, organizations: 1})
})

afterAll(async () => {
  figures.print()
  await proxy?.close()
  await Promise.all([clerk?.close(), lake?.close()])
})

const planKeys = Object.keys(PLANS)
const roleKeys = Object.keys(ROLES)

/** Publishes `document` the way the Studio does: write the draft, then publish it, in one request. */
function randomOperation(random: RandomSource): {kind: string; actions: Action[]} {
  const id = pick(random, ENTITLEMENT_IDS)
  const roll = random()
  if (roll < 0.55) {
    const entitlement: ModelEntitlement = {
      id,
      subject: pick(random, subjects),
      ...(random() < 0.8 ? {plan: pick(random, planKeys)} : {}),
      ...(random() < 0.5 ? {role: pick(random, roleKeys)} : {}),
      courses: random() < 0.5 ? ['intro', 'ops'].filter(() => random() < 0.6) : [],
    }
    return {kind: 'publish or reassign', actions: publishActions(entitlementDocument(entitlement))}
  }
  if (roll < 0.75) {
    return {
      kind: 'delete',
      actions: deleteActions(id),
    }
  }
  if (roll < 0.9) {
    return {
      kind: 'unpublish',
      actions: unpublishActions(id),
    }
  }
  // Re-ranking a plan changes the winner for every subject that holds it.
  const key = pick(random, planKeys)
  return {
    kind: 're-rank a plan',
    actions: publishActions({
      _id: `plan-${key}`,
      _type: 'clerkPlan',
      title: key,
      key,
      rank: Math.floor(random() * 10),
    }),
  }
}

async function studioSync(subjectsToSync: string[]) {
  const response = await fetch(`${proxy.url}/sync`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${lake.clientConfig('editor').token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({subjects: subjectsToSync}),
  })
  const body = (await response.json()) as {results?: Array<{outcome: string; error?: unknown}>}
  if (!response.ok || body.results?.some((result) => result.outcome === 'failed')) {
    syncFailures.push(JSON.stringify(body))
  }
}

/** The last value another system wrote to its own metadata keys, per subject. */
const foreignWrites = new Map<string, string>()
/** One foreign write at a time, so the last one sent is the last one Clerk applied. */
const foreignWriter = createMutex()

/** Another system (billing, say) writes its own keys of a subject through Clerk's API. */
function foreignWrite(subject: string, sequence: number) {
  return foreignWriter(async () => {
    const value = `v${sequence}`
    const kind = subject.startsWith('org_') ? 'organizations' : 'users'
    const response = await fetch(`${clerk.url}/v1/${kind}/${subject}/metadata`, {
      method: 'PATCH',
      headers: {authorization: `Bearer ${clerk.secretKey}`, 'content-type': 'application/json'},
      body: JSON.stringify({public_metadata: {theme: value}, private_metadata: {billing: value}}),
    })
    if (!response.ok) return
    foreignWrites.set(subject, value)
    figures.count('writes by another system to keys the plugin does not own')
  })
}

async function reconcile() {
  const response = await fetch(`${proxy.url}/reconcile`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${lake.clientConfig('administrator').token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({dryRun: false}),
  })
  const events = (await response.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as {type: string; written?: number; drifted?: number})
  const done = events.find((event) => event.type === 'done')
  figures.count('reconcile runs')
  figures.count('reconcile writes', done?.written ?? 0)
  return done
}

/** The final published content, read back from the lake: the truth Clerk must match. */
async function finalContent() {
  const [entitlements, plans] = await Promise.all([
    editors[0]!.fetch<
      Array<{
        _id: string
        clerkUserId?: string
        clerkOrganizationId?: string
        plan?: string
        role?: string
        courses?: string[] | null
      }>
    >(
      `*[_type == "clerkEntitlement"]{_id, clerkUserId, clerkOrganizationId, "plan": plan->key, "role": role->key, "courses": grants[]->slug.current}`,
      {},
      {perspective: 'published'},
    ),
    editors[0]!.fetch<Array<{key: string; rank: number}>>(
      `*[_type == "clerkPlan"]{key, rank}`,
      {},
      {perspective: 'published'},
    ),
  ])
  const model: ModelEntitlement[] = entitlements.map(({_id: id, ...entitlement}) => ({
    id,
    subject: (entitlement.clerkUserId ?? entitlement.clerkOrganizationId)!,
    ...(entitlement.plan ? {plan: entitlement.plan} : {}),
    ...(entitlement.role ? {role: entitlement.role} : {}),
    courses: entitlement.courses ?? [],
  }))
  return {
    model,
    ranks: {plans: Object.fromEntries(plans.map((p) => [p.key, p.rank])), roles: ROLES},
  }
}

describe('concurrent editing with webhook-driven sync', () => {
  it(
    `ends with Clerk equal to the content after ${OPERATIONS} parallel operations`,
    {timeout: 60_000},
    async () => {
      const random = seededRandom(SEED)
      const operations = Array.from({length: OPERATIONS}, () => randomOperation(random))
      lake.webhooks.configure({duplicate: 1})
      let next = 0
      const worker = async (workerRandom: RandomSource) => {
        for (let index = next++; index < operations.length; index = next++) {
          const operation = operations[index]!
          if (index === Math.floor(OPERATIONS / 3))
            lake.webhooks.configure({hold: true, duplicate: 1})
          if (index === Math.floor(OPERATIONS / 2)) {
            lake.webhooks.configure({duplicate: 1})
            lake.webhooks.release('reverse')
            figures.set('webhook deliveries released in reverse order', 'yes')
          }
          if (index === Math.floor((2 * OPERATIONS) / 3)) await reconcile()
          try {
            await pick(workerRandom, editors).action(operation.actions)
            figures.count(`operations: ${operation.kind}`)
          } catch {
            // Racing editors: deleting what another just deleted, unpublishing a draft-only id.
            figures.count('operations refused by the lake (conflicts)')
          }
          if (workerRandom() < 0.3) {
            // Uneven Clerk latency, so concurrent syncs finish in a different order than they start.
            clerk.faults.add({
              path: /^\/v1\/(users|organizations)\//,
              fault: {type: 'delay', ms: Math.floor(workerRandom() * 40)},
            })
          }
          if (workerRandom() < 0.25) await studioSync([pick(workerRandom, subjects)])
          if (workerRandom() < 0.2) await foreignWrite(pick(workerRandom, subjects), index)
        }
      }
      await Promise.all(
        Array.from({length: PARALLEL}, (_, i) => worker(seededRandom(`${SEED}-${i}`))),
      )
      lake.webhooks.release('fifo')
      await lake.settled()
      // Settled means: the proxy has written nothing to Clerk for a few re-check periods, so every
      // re-check a late or failed write scheduled has run. Bounded, so a proxy that never stops
      // writing fails below rather than hanging.
      const settleStart = Date.now()
      const lastWrite = () => clerk.log.findLast((entry) => entry.method !== 'GET')?.receivedAt ?? 0
      while (Date.now() - lastWrite() < 4 * RECHECK_MS && Date.now() - settleStart < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, RECHECK_MS / 2))
      }
      figures.set('settle time after the last delivery (ms)', Date.now() - settleStart)

      const deliveries = lake.webhooks.attempts
      figures.set('webhook deliveries (incl. duplicates and retries)', deliveries.length)
      figures.set(
        'webhook deliveries answered 2xx (others retried by the lake)',
        deliveries.filter((d) => d.status >= 200 && d.status < 300).length,
      )
      figures.set('Studio syncs that failed', syncFailures.length)
      const staleOverwrites = writesAppliedOutOfOrder(clerk)
      figures.set('writes applied over a newer write (stale writes)', staleOverwrites.length)
      const {model, ranks} = await finalContent()
      const mismatches = mismatchedSubjects(clerk, subjects, model, new Date(), ranks)
      const foreignLost = subjects.filter((subject) => {
        const record = subject.startsWith('org_')
          ? clerk.store.getOrganization(subject)
          : clerk.store.getUser(subject)
        const expected = foreignWrites.get(subject)
        return (
          expected !== undefined &&
          (record?.public_metadata?.theme !== expected ||
            record.private_metadata?.billing !== expected)
        )
      })
      figures.set('subjects whose foreign keys the plugin overwrote', foreignLost.length)
      expect(foreignLost).toEqual([])
      figures.set('stale subjects after everything settled', mismatches.length)
      figures.set(
        'Clerk requests (paced by the default budget)',
        clerk.log.filter((entry) => entry.path.startsWith('/v1/')).length,
      )
      figures.set('429s from Clerk', clerk.log.filter((entry) => entry.status === 429).length)
      figures.set(
        'Clerk metadata writes',
        clerk.log.filter((entry) => entry.method === 'PATCH').length,
      )
      expect(staleOverwrites).toEqual([])
      expect(mismatches).toEqual([])
      expect(syncFailures).toEqual([])

      // A reconcile over the settled state finds nothing to fix.
      const done = await reconcile()
      figures.set('drift found by the final reconcile', done?.drifted ?? -1)
      expect(done).toMatchObject({drifted: 0, written: 0, failed: 0})
    },
  )
})
