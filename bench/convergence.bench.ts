/**
 * What convergence costs per sync. The Studio's `POST /sync {documentId, documentRevision}` is
 * timed, with 20 ms injected on every Content Lake and Clerk request, through three proxies on the
 * same stand-ins, interleaved: today's single-instance path (convergence off), convergence with
 * the in-memory store (one instance), and convergence with a shared Redis store (a private
 * redis-server on loopback, as several instances would use). Requests come from the emulators'
 * logs, store round trips from a counting Redis client; the deferred re-check each write queues
 * is run through `/sweep` and counted on its own.
 */
import {createClient} from 'redis'

import {createClerkProxy, createMemoryStore, createRedisStore} from '../proxy'
import type {ClerkProxyOptions} from '../proxy/options'
import {startRedisServer} from '../proxy/testing/redis-server'
import {generatePopulation} from './lib/population'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'
import {
  callProxy,
  proxyOptionsFor,
  startBenchStack,
  studioRequest,
  type BenchStack,
  type RequestCounts,
} from './lib/stack'
import {median, timed} from './lib/stats'

const INJECTED_MS = 20
const USERS = 40
const CRON_SECRET = 'bench-convergence-cron'

type Path = 'single' | 'memory' | 'redis'
const LABELS: Record<Path, string> = {
  single: 'single-instance path (convergence off)',
  memory: 'convergence, memory store',
  redis: 'convergence, shared Redis store',
}

/** Convergence cost per sync vs today's single-instance path. */
export async function benchConvergence({quick, log}: BenchOptions): Promise<BenchResult> {
  const repeats = quick ? 8 : 30
  const population = generatePopulation(USERS)
  const redisServer = await startRedisServer()
  const redis = createClient({url: redisServer.url})
  await redis.connect()
  let storeCalls = 0
  const countingRedis = {
    eval: (script: string, options: {keys: string[]; arguments: string[]}) => {
      storeCalls += 1
      return redis.eval(script, options)
    },
  }
  const stack: BenchStack = await startBenchStack({
    documents: population.documents,
    clerkUserIds: population.userIds,
    clerkRateLimit: false,
    clerkLatencyMs: INJECTED_MS,
    lakeLatencyMs: INJECTED_MS,
  })
  try {
    const webhookSecret = 'bench-convergence-webhook'
    const proxyFor = (extra: Partial<ClerkProxyOptions>) =>
      createClerkProxy(
        proxyOptionsFor(stack.addresses, webhookSecret, {
          cronSecret: CRON_SECRET,
          // Re-checks run when the bench calls /sweep, so they are counted apart from the sync.
          ...extra,
        }),
      )
    const convergence = {recheckAfterMs: 1, timer: false}
    const proxies: Record<Path, ReturnType<typeof createClerkProxy>> = {
      single: proxyFor({convergence: false}),
      memory: proxyFor({store: createMemoryStore(), convergence}),
      redis: proxyFor({store: createRedisStore({client: countingRedis}), convergence}),
    }
    const subjects = population.userIds.filter((_, index) => index % 10 !== 0)
    const subjectAt = (run: number) => subjects[run % subjects.length]!
    const documentAt = (run: number) => {
      const [first] = population.entitlements.get(subjectAt(run)) ?? []
      const {_id: id} = first!
      return id
    }
    const sync = (path: Path, run: number) => {
      const documentId = documentAt(run)
      const {_rev: rev = null} = stack.lake.getDocument(documentId) ?? {}
      return callProxy(
        {proxy: proxies[path]},
        studioRequest(stack, '/sync', {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: JSON.stringify({documentId, documentRevision: rev}),
        }),
      )
    }
    const sweep = (path: Path) =>
      callProxy(
        {proxy: proxies[path]},
        new Request(`${stack.proxyOrigin}/sweep`, {
          headers: {authorization: `Bearer ${CRON_SECRET}`},
        }),
      )

    const order: Path[] = ['single', 'memory', 'redis']
    const times: Record<Path, number[]> = {single: [], memory: [], redis: []}
    const counts: Record<Path, RequestCounts[]> = {single: [], memory: [], redis: []}
    const recheckCounts: Record<Path, RequestCounts[]> = {single: [], memory: [], redis: []}
    const store: number[] = []
    log(`warming up, then ${repeats} syncs per path with ${INJECTED_MS} ms per request`)
    for (const path of order) {
      await sync(path, 0)
      await sweep(path)
    }
    for (let run = 1; run <= repeats; run++) {
      for (const path of [...order.slice(run % 3), ...order.slice(0, run % 3)]) {
        // Each sync has something to write: Clerk holds a stale plan for the subject.
        stack.clerk.store.updateMetadata(subjectAt(run), {public_metadata: {plan: 'stale'}})
        stack.resetCounts()
        storeCalls = 0
        const {ms} = await timed(() => sync(path, run))
        times[path].push(ms)
        counts[path].push(stack.counts())
        if (path === 'redis') store.push(storeCalls)
        // The deferred part: the re-check this write queued (the sweep's own boundary query
        // is left out below).
        await new Promise((resolve) => setTimeout(resolve, 5))
        stack.resetCounts()
        await sweep(path)
        recheckCounts[path].push(stack.counts())
      }
    }
    const medianOf = (
      of: Record<Path, RequestCounts[]>,
      path: Path,
      pick: (c: RequestCounts) => number,
    ) => median(of[path].map(pick))
    const requestsPerSync = (c: RequestCounts) => c.clerk.total + c.sanity.total
    // The sweep's boundary query is there with or without re-checks.
    const recheckRequests = (c: RequestCounts) => c.clerk.total + Math.max(0, c.sanity.total - 1)
    const single = {
      requests: medianOf(counts, 'single', requestsPerSync),
      ms: median(times.single),
    }
    const figures: BenchFigure[] = []
    for (const path of ['memory', 'redis'] as const) {
      figures.push(
        {
          label: `${LABELS[path]}: Clerk + Content Lake requests per sync`,
          value: medianOf(counts, path, requestsPerSync),
          unit: 'requests',
          reference: {label: LABELS.single, value: single.requests},
          goal: '= single-instance path',
          met: medianOf(counts, path, requestsPerSync) === single.requests,
        },
        {
          label: `${LABELS[path]}: deferred re-check per written subject`,
          value: medianOf(recheckCounts, path, recheckRequests),
          unit: 'requests',
          reference: {
            label: LABELS.single,
            value: medianOf(recheckCounts, 'single', recheckRequests),
          },
          goal: '≤ 2 (one GROQ query, one Clerk read)',
          met: medianOf(recheckCounts, path, recheckRequests) <= 2,
        },
        {
          label: `${LABELS[path]}: end-to-end time per sync`,
          value: median(times[path]),
          unit: 'ms',
          reference: {label: LABELS.single, value: single.ms},
          goal: '≤ 1.25× single-instance path',
          met: median(times[path]) <= 1.25 * single.ms,
        },
      )
    }
    figures.push({
      label: `${LABELS.redis}: Redis round trips per sync`,
      value: median(store),
      unit: 'round trips',
      note: 'lease take and give back, the revision witness (read and write), re-check queued',
    })
    return {
      name: 'convergence',
      title: 'What convergence costs per sync',
      setup: `${repeats} Studio syncs per path (documentId and documentRevision, one stale key to write), ${INJECTED_MS} ms injected per Content Lake and Clerk request, paths interleaved; Redis on loopback without injected latency`,
      figures,
      notes: [
        'The sync itself sends the same requests as before: the revision probe rides in the GROQ query it already makes, and the document endpoint is asked only when that read is behind.',
        'Each write queues one re-check, run later by a timer or the sweep: one GROQ query and one Clerk read, and a write only when Clerk turned out wrong.',
        'With Redis, each sync adds a few store round trips (loopback here; on Upstash each is an HTTP request).',
      ],
    }
  } finally {
    await stack.close()
    await redis.close()
    await redisServer.stop()
  }
}
