/**
 * The multi-instance proof: three proxy instances, each its own process running the Node
 * adapter, behind a round-robin front, sharing one real Redis; a Content Lake whose queries lag
 * behind its writes; a Clerk that is slow and sometimes fails. Editors publish, reassign,
 * unpublish and delete concurrently; the lake delivers every webhook twice and retries timed-out
 * attempts while the first may still run; the Studio asks for syncs naming the revision it
 * published; reconciles and a cron-driven sweep run in between, across validity boundaries.
 * When it has settled, every subject's Clerk metadata must equal what its published
 * entitlements grant, no expiry may be missed, and the figures are printed.
 *
 * The same world with per-instance memory stores and the convergence step off must find stale
 * states: that run shows the suite can fail.
 */
import type {Action, SanityClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {startClerkEmulator, type ClerkEmulator} from '../../emulators/clerk'
import {pick, seededRandom, type RandomSource} from '../../emulators/clerk/random'
import {
  createLakeClient,
  startContentLake,
  type ContentLake,
  type LakeDocument,
} from '../../emulators/content-lake'
import {resolveAccessRules} from '../../core/access'
import {DOCUMENT_EVENT_PROJECTION, documentEventFilter} from '../routes/documentEvent'
import {startFleet, type Fleet} from '../testing/fleet'
import {startRedisServer, type RedisServer} from '../testing/redis-server'
import {createFigureTable, type FigureTable} from './summary'
import {
  catalogDocuments,
  createSubjects,
  deleteActions,
  entitlementDocument,
  publishActions,
  unpublishActions,
  expectedMetadata,
  mismatchedSubjects,
  PLANS,
  ROLES,
  writesAppliedOutOfOrder,
  type ModelEntitlement,
  type Ranks,
  standInOptions,
} from '../testing/world'

const INSTANCES = 3
const OPERATIONS = 40
const PARALLEL = 6
const WEBHOOK_SECRET = 'whsec-multi-instance-suite'
const CRON_SECRET = 'cron-multi-instance-suite'
const SWEEP_EVERY_MS = 400
/** Re-check delay of the instances: above the lake's largest lag plus a slow Clerk write. */
const RECHECK_AFTER_MS = 2_000
const SETTLE_DEADLINE_MS = 25_000

let redis: RedisServer
let runs = 0

beforeAll(async () => {
  redis = await startRedisServer()
})
afterAll(() => redis?.stop())

interface WorldOptions {
  /** `redis`: one store shared by every instance; `memory`: each instance its own. */
  store: 'redis' | 'memory'
  /** `false`: the engine's leases, freshness checks and re-checks off (single-instance behaviour). */
  convergence: boolean
  seed: string
  /** Stop waiting for Clerk to match after this long past the last operation and boundary. */
  settleDeadlineMs: number
}

interface WorldResult {
  figures: FigureTable
  mismatches: Array<{subject: string; clerk: unknown; expected: unknown}>
  missedExpiries: string[]
  staleWrites: string[]
  repairs: number
}

/** The published truth, straight from the lake's current documents (not a lagging query). */
function truthOf(lake: ContentLake): {model: ModelEntitlement[]; ranks: Ranks} {
  const byId = new Map<string, LakeDocument>()
  for (const document of lake.documents()) {
    const {_id: id} = document
    if (!id.startsWith('drafts.') && !id.startsWith('versions.')) byId.set(id, document)
  }
  const target = (reference: unknown) => {
    const {_ref: ref = ''} = (reference ?? {}) as {_ref?: string}
    return byId.get(ref)
  }
  const ofType = (wanted: string) => [...byId.values()].filter(({_type: type}) => type === wanted)
  const model = ofType('clerkEntitlement').map(({_id: id, ...document}): ModelEntitlement => {
    const plan = target(document.plan)?.key as string | undefined
    const role = target(document.role)?.key as string | undefined
    const grants = (document.grants ?? []) as unknown[]
    return {
      id,
      subject: String(document.clerkUserId ?? document.clerkOrganizationId),
      ...(plan ? {plan} : {}),
      ...(role ? {role} : {}),
      courses: grants.flatMap((grant) => {
        const slug = (target(grant)?.slug as {current?: string} | undefined)?.current
        return slug ? [slug] : []
      }),
      ...(typeof document.validUntil === 'string' ? {validUntil: document.validUntil} : {}),
    }
  })
  return {
    model,
    ranks: {
      plans: Object.fromEntries(
        ofType('clerkPlan').map((plan) => [String(plan.key), Number(plan.rank)]),
      ),
      roles: ROLES,
    },
  }
}

/** Publishes `document` the way the Studio does: replace the draft and publish, in one request. */
interface Operation {
  kind: string
  documentId: string
  actions: Action[]
  /** Whether the document is gone after it (the revision the Studio names is then `null`). */
  removes: boolean
  /** A validity boundary this operation sets, as an instant. */
  expiresAt?: number
}

function randomOperation(random: RandomSource, subjects: string[], ids: string[]): Operation {
  const id = pick(random, ids)
  const roll = random()
  if (roll < 0.55) {
    // Some grants end a few seconds from now: the sweep must take them away on time.
    const expiresAt =
      random() < 0.25 ? Date.now() + 1_000 + Math.floor(random() * 3_000) : undefined
    const entitlement: ModelEntitlement = {
      id,
      subject: pick(random, subjects),
      ...(random() < 0.8 ? {plan: pick(random, Object.keys(PLANS))} : {}),
      ...(random() < 0.5 ? {role: pick(random, Object.keys(ROLES))} : {}),
      courses: random() < 0.5 ? ['intro', 'ops'].filter(() => random() < 0.6) : [],
      ...(expiresAt ? {validUntil: new Date(expiresAt).toISOString()} : {}),
    }
    return {
      kind: expiresAt ? 'publish, expiring' : 'publish or reassign',
      documentId: id,
      actions: publishActions(entitlementDocument(entitlement)),
      removes: false,
      ...(expiresAt ? {expiresAt} : {}),
    }
  }
  if (roll < 0.75) {
    return {
      kind: 'delete',
      documentId: id,
      removes: true,
      actions: deleteActions(id),
    }
  }
  if (roll < 0.9) {
    return {
      kind: 'unpublish',
      documentId: id,
      removes: true,
      actions: unpublishActions(id),
    }
  }
  const key = pick(random, Object.keys(PLANS))
  return {
    kind: 're-rank a plan',
    documentId: `plan-${key}`,
    removes: false,
    actions: publishActions({
      _id: `plan-${key}`,
      _type: 'clerkPlan',
      title: key,
      key,
      rank: Math.floor(random() * 10),
    }),
  }
}

/** Runs the whole world once and reports what it found. */
async function runWorld(options: WorldOptions): Promise<WorldResult> {
  const figures = createFigureTable(
    `multi-instance: ${INSTANCES} processes, ${options.store === 'redis' ? 'shared Redis store' : 'a memory store each'}, convergence ${options.convergence ? 'on' : 'off'}`,
  )
  const random = seededRandom(options.seed)
  const worldStarted = Date.now()
  const clerk: ClerkEmulator = await startClerkEmulator({rateLimit: false})
  const lake = await startContentLake({
    projectId: `multi-${process.pid}-${++runs}`,
    dataset: 'test',
    documents: catalogDocuments(),
    // Queries read the dataset as it was 100–600 ms ago; documents by id are current.
    queryLag: {minMs: 100, maxMs: 600, seed: 2026},
    // Sanity's retry policy, sped up: an attempt that takes over 3 s is retried while it runs.
    webhookTimings: {timeoutMs: 3_000, retryDelayMs: 200, maxRetries: 2},
  })
  let fleet: Fleet | null = null
  let sweeper: ReturnType<typeof setInterval> | undefined
  try {
    const subjects = createSubjects(clerk, 'multi', {users: 6, organizations: 2})
    fleet = await startFleet({
      count: INSTANCES,
      caCertPath: lake.caCertPath,
      config: {
        options: {
          ...standInOptions(clerk, lake),
          allowedOrigins: [],
          webhookSecret: WEBHOOK_SECRET,
          cronSecret: CRON_SECRET,
          sweepIntervalMs: SWEEP_EVERY_MS,
          rateLimit: false,
          clientRateLimit: false,
          clerkRetry: {timeoutMs: 3_000, baseDelayMs: 20, maxDelayMs: 200},
          convergence: options.convergence
            ? {recheckAfterMs: RECHECK_AFTER_MS, leaseTtlMs: 10_000, freshnessWaitMs: 5_000}
            : false,
        },
        ...(options.store === 'redis' ? {redisUrl: redis.url, redisPrefix: `run-${runs}:`} : {}),
      },
    })
    const front = fleet.url
    lake.webhooks.add({
      name: 'clerk-access-sync',
      url: `${front}/webhook`,
      filter: documentEventFilter(resolveAccessRules()),
      projection: DOCUMENT_EVENT_PROJECTION,
      on: ['create', 'update', 'delete'],
      secret: WEBHOOK_SECRET,
    })
    // Every delivery arrives twice (same idempotency key), on whichever instances are next.
    lake.webhooks.configure({duplicate: 1})
    const editors: SanityClient[] = [
      createLakeClient(lake, 'administrator'),
      createLakeClient(lake, 'editor'),
    ]
    const editorToken = lake.clientConfig('editor').token
    const adminToken = lake.clientConfig('administrator').token
    const call = async (path: string, body: unknown, token = editorToken) => {
      const response = await fetch(`${front}${path}`, {
        method: 'POST',
        headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
        body: JSON.stringify(body),
      })
      return {status: response.status, text: await response.text()}
    }

    // The scheduler: a cron hitting /sweep on whichever instance is next.
    let sweeps = 0
    sweeper = setInterval(() => {
      void fetch(`${front}/sweep`, {headers: {authorization: `Bearer ${CRON_SECRET}`}})
        .then(async (response) => {
          await response.text()
          if (response.ok) sweeps += 1
        })
        .catch(() => undefined)
    }, SWEEP_EVERY_MS)

    const ids = Array.from({length: 14}, (_, index) => `multi-${index}`)
    const operations = Array.from({length: OPERATIONS}, () =>
      randomOperation(random, subjects, ids),
    )
    let lastBoundary = 0
    let next = 0
    const operationsStarted = Date.now()
    figures.set(
      'time: fleet started',
      `${((operationsStarted - worldStarted) / 1000).toFixed(1)} s`,
    )
    const worker = async (workerRandom: RandomSource) => {
      for (let index = next++; index < operations.length; index = next++) {
        const operation = operations[index]!
        if (index === Math.floor(OPERATIONS / 3) || index === Math.floor((2 * OPERATIONS) / 3)) {
          const reconcile = await call('/reconcile', {dryRun: false}, adminToken)
          figures.count(
            `operations: reconcile${reconcile.status === 429 ? ' (refused: one already running)' : ''}`,
          )
        }
        if (workerRandom() < 0.3) {
          // A slow Clerk write: later syncs of the same subject may start while it is in flight.
          clerk.faults.add({
            method: 'PATCH',
            path: /^\/v1\/(users|organizations)\//,
            fault: {type: 'delay', ms: 200 + Math.floor(workerRandom() * 1_200)},
          })
          figures.count('faults: slow Clerk writes injected')
        }
        if (workerRandom() < 0.06) {
          clerk.faults.add({path: /^\/v1\//, fault: {type: 'status', status: 503}})
          figures.count('faults: Clerk 503s injected')
        }
        let transactionId: string
        try {
          ;({transactionId} = await pick(workerRandom, editors).action(operation.actions))
          figures.count(`operations: ${operation.kind}`)
          if (operation.expiresAt) lastBoundary = Math.max(lastBoundary, operation.expiresAt)
        } catch {
          figures.count('operations: refused by the lake (racing editors)')
          continue
        }
        if (workerRandom() < 0.5 && operation.documentId.startsWith('multi-')) {
          // The Studio's sync after publishing names the revision it saw.
          const sync = await call('/sync', {
            documentId: operation.documentId,
            documentRevision: operation.removes ? null : transactionId,
          })
          figures.count(
            `operations: Studio syncs${sync.status === 200 ? '' : ` answered ${sync.status}`}`,
          )
        }
      }
    }
    await Promise.all(
      Array.from({length: PARALLEL}, (_, index) =>
        worker(seededRandom(`${options.seed}-${index}`)),
      ),
    )
    const operationsEnded = Date.now()
    figures.set(
      'time: operations',
      `${((operationsEnded - operationsStarted) / 1000).toFixed(1)} s`,
    )
    await lake.settled()
    figures.set(
      'time: webhook retries done',
      `${((Date.now() - operationsEnded) / 1000).toFixed(1)} s`,
    )

    // Settle: wait until Clerk equals the truth with every boundary passed, or the deadline.
    const settleFrom = Math.max(operationsEnded, lastBoundary)
    let mismatches = mismatchedSubjects(clerk, subjects, [], new Date())
    let settledAt: number | null = null
    for (;;) {
      const now = new Date()
      const {model, ranks} = truthOf(lake)
      mismatches = mismatchedSubjects(clerk, subjects, model, now, ranks)
      if (mismatches.length === 0 && now.getTime() >= lastBoundary + 100) {
        settledAt = now.getTime()
        break
      }
      if (now.getTime() > settleFrom + options.settleDeadlineMs) break
      await new Promise((resolveWait) => setTimeout(resolveWait, 100))
    }
    clearInterval(sweeper)
    sweeper = undefined

    const {model, ranks} = truthOf(lake)
    const now = new Date()
    const forever = model.map(({validUntil: _ends, ...rest}) => rest)
    const missedExpiries = mismatches
      .filter(({subject, clerk: held}) => {
        const ignoringExpiry = expectedMetadata(forever, subject, now, ranks)
        return (
          JSON.stringify(ignoringExpiry) !==
            JSON.stringify(expectedMetadata(model, subject, now, ranks)) &&
          JSON.stringify(Object.keys(held as object).sort()) ===
            JSON.stringify(Object.keys(ignoringExpiry).sort())
        )
      })
      .map(({subject}) => subject)
    const staleWrites = writesAppliedOutOfOrder(clerk)
    const repairs = fleet.logs.filter((line) => line.includes('re-check of')).length
    const attempts = lake.webhooks.attempts
    figures.set('instances (separate processes)', INSTANCES)
    figures.set(
      'webhook deliveries (duplicates included)',
      attempts.filter((a) => a.attempt === 1).length,
    )
    figures.set(
      'webhook retries (after a timeout or a non-2xx)',
      attempts.filter((a) => a.attempt > 1).length,
    )
    figures.set(
      'webhook attempts timed out while still running (overlap)',
      attempts.filter((a) => a.timedOut).length,
    )
    figures.set('cron sweeps run', sweeps)
    figures.set(
      'Clerk metadata writes',
      clerk.log.filter((entry) => entry.method === 'PATCH' && entry.status === 200).length,
    )
    figures.set('stale writes observed (a write applied over a newer one)', staleWrites.length)
    figures.set('stale states repaired by a re-check', repairs)
    figures.set('final mismatches', mismatches.length)
    figures.set('missed expiries', missedExpiries.length)
    figures.set(
      'worst settle time (last operation or boundary → Clerk equal to the content)',
      settledAt === null
        ? `not settled within ${options.settleDeadlineMs / 1000} s`
        : `${((settledAt - settleFrom) / 1000).toFixed(1)} s`,
    )
    return {figures, mismatches, missedExpiries, staleWrites, repairs}
  } finally {
    if (sweeper) clearInterval(sweeper)
    await fleet?.close()
    await Promise.all([clerk.close(), lake.close()])
  }
}

describe('several proxy instances against a lagging lake and a faulty Clerk', () => {
  it(
    'ends with every subject equal to its published entitlements, no expiry missed',
    {timeout: 90_000},
    async () => {
      const result = await runWorld({
        store: 'redis',
        convergence: true,
        seed: 'multi-2026-11',
        settleDeadlineMs: SETTLE_DEADLINE_MS,
      })
      result.figures.print()
      expect(result.mismatches).toEqual([])
      expect(result.missedExpiries).toEqual([])
    },
  )

  it(
    'can fail: with a memory store per instance and the convergence step off, it finds stale states',
    {timeout: 90_000},
    async () => {
      const result = await runWorld({
        store: 'memory',
        convergence: false,
        seed: 'multi-2026-11',
        settleDeadlineMs: 3_000,
      })
      result.figures.print()
      expect(result.mismatches.length + result.staleWrites.length).toBeGreaterThan(0)
    },
  )
})
