/**
 * Bench 2: reconcile through the proxy's `POST /reconcile` at several population sizes with 1%
 * drift, Clerk at its production rate limit (1000 per 10 s) and at its development limit (100 per
 * 10 s), 20 ms injected per request. The proxy runs in a process of its own (behind the Node
 * adapter), so its peak memory is measured apart from the stand-ins, which hold every user and
 * document. Requests are counted from the emulators' logs and compared with the bounds; the final
 * Clerk state is checked against the truth. One run shares the Clerk key with a client that has
 * just used up the rate limit, so the proxy meets real 429s. A naive per-user loop runs on a
 * capped number of users in the same run, and its cost at full size is extrapolated (see the notes).
 */
import {RATE_LIMIT_PRESETS, type JsonObject, type RateLimitRule} from '../emulators/clerk'
import type {ReconcileEvent} from '../core/contract'
import {resolveAccessRules} from '../core/access'
import {createAccessQueries, DEFAULT_SUBJECT_PAGE_SIZE} from '../proxy/sanity'
import {
  PAGES_IN_FLIGHT,
  PAGES_LISTED_AHEAD,
  UNLISTED_HELD_WHILE_PAGING,
} from '../proxy/sync/reconcile'
import {naiveReconcileLoop} from './baselines/naive-reconcile-loop'
import {driftedMetadata, generatePopulation, mismatches, type Population} from './lib/population'
import {startProxyProcess} from './lib/proxy-process'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'
import {
  BENCH_TRAFFIC_USER_AGENT,
  startBenchStack,
  studioRequest,
  type BenchStack,
} from './lib/stack'
import {cpuTimed, timed} from './lib/stats'

const INJECTED_MS = 20
const DRIFT_RATE = 0.01
const CLERK_PAGE = 500
/** Clerk's two instance kinds and their per-key limits, as the emulator applies them. */
type Instance = keyof typeof RATE_LIMIT_PRESETS
/** Wall time may exceed the rate-limit bound by this much where the limit is the constraint. */
const WALL_GOAL_RATIO = 1.1
/** The proxy's peak memory at the largest N may exceed that at the smallest by this much. */
const MEMORY_GOAL_RATIO = 1.2
/** Old space of the proxy in the capped runs: what a pass must hold fits in it at every N. */
const CAPPED_OLD_SPACE_MIB = 96

/**
 * Least time `requests` requests take under "`limit.requests` per `limit.windowMs`" read as a
 * sliding window that starts full: 0 when they fit in one window.
 */
export function rateLimitBoundMs(requests: number, limit: RateLimitRule): number {
  return Math.max(0, Math.ceil(requests / limit.requests) - 1) * limit.windowMs
}

interface ReconcileRun {
  instance: Instance
  users: number
  drifted: number
  entitlementDocuments: number
  ms: number
  done: Extract<ReconcileEvent, {type: 'done'}>
  counts: ReturnType<BenchStack['counts']>
  wrong: number
  /** Peak resident memory of the proxy's process over the run. */
  peakRssBytes: number
  /** CPU the proxy's process and the bench process (the stand-ins) used during the pass. */
  cpuMs: {proxy: number; standIns: number}
}

/** Puts the population into Clerk: in sync, except every 100th user, who holds a wrong plan. */
function seedClerk(stack: BenchStack, population: Population): number {
  let drifted = 0
  const every = Math.round(1 / DRIFT_RATE)
  population.userIds.forEach((id, index) => {
    const truth = population.truth(id)
    const isDrifted = index % every === every - 1
    if (isDrifted) drifted += 1
    stack.clerk.store.createUser({
      id,
      first_name: 'Bench',
      public_metadata: (isDrifted ? driftedMetadata(truth) : truth) as JsonObject,
    })
  })
  return drifted
}

/** The competing client's second phase: this many requests back to back, for this long. */
const COMPETITOR = {concurrency: 8, ms: 2000}

/**
 * Another client sharing the Clerk key: it uses up the rate limit, then keeps sending back to
 * back for two seconds, so the proxy, whose budget cannot know about it, meets real 429s and has
 * to wait them out. Its requests are left out of the counts.
 */
async function startCompetingClient(stack: BenchStack): Promise<{stop(): Promise<void>}> {
  const headers = {
    authorization: `Bearer ${stack.clerk.secretKey}`,
    'user-agent': BENCH_TRAFFIC_USER_AGENT,
  }
  const send = async () => {
    const response = await fetch(`${stack.clerk.url}/v1/users/count`, {headers})
    await response.arrayBuffer()
    return response.status
  }
  for (;;) {
    const statuses = await Promise.all(Array.from({length: 25}, send))
    if (statuses.includes(429)) break
  }
  const until = performance.now() + COMPETITOR.ms
  const workers = Promise.all(
    Array.from({length: COMPETITOR.concurrency}, async () => {
      while (performance.now() < until) await send()
    }),
  )
  return {stop: async () => void (await workers)}
}

/**
 * Runs the pass's two query shapes once, outside the clock: the local lake indexes a field on the
 * first query that filters by it (at 100,000 users a third of a second in which no Clerk answer
 * leaves its thread), where Sanity's indexes are there before any query.
 */
async function warmLakeIndexes(stack: BenchStack, population: Population): Promise<void> {
  const queries = createAccessQueries(stack.editor, resolveAccessRules())
  const [firstUser] = population.userIds
  if (firstUser)
    await queries.entitlementsOf([firstUser], new Map([[firstUser, ['warm@bench.test']]]))
  // One page of ids builds the index; the read ends there.
  const idPages = queries.subjectPages({kind: 'user', pageSize: 1})[Symbol.asyncIterator]()
  await idPages.next()
  await idPages.return?.()
}

/** `POST /reconcile` to the proxy at `proxyUrl`, as an administrator's Studio sends it. */
async function runReconcile(
  stack: BenchStack,
  proxyUrl: string,
): Promise<Extract<ReconcileEvent, {type: 'done'}>> {
  const response = await fetch(
    studioRequest({...stack, proxyOrigin: proxyUrl}, '/reconcile', {
      method: 'POST',
      token: stack.tokens.administrator,
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({dryRun: false, kinds: ['user']}),
    }),
  )
  const text = await response.text()
  if (!response.ok) throw new Error(`reconcile answered ${response.status}: ${text.slice(0, 300)}`)
  const events = text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ReconcileEvent)
  const last = events.at(-1)
  if (last?.type !== 'done') throw new Error(`reconcile did not finish: ${JSON.stringify(last)}`)
  return last
}

async function measureReconcile(
  users: number,
  log: (line: string) => void,
  options: {
    instance?: Instance
    contended?: boolean
    naiveUsers?: number
    /** Caps the proxy's old space (MiB), to show what it needs to hold. */
    maxOldSpaceMiB?: number
  } = {},
): Promise<{
  run: ReconcileRun
  naive?: {users: number; ms: number; counts: ReconcileRun['counts']}
}> {
  const instance = options.instance ?? 'production'
  log(
    `${users} users, ${instance} limit` +
      (options.contended ? ', another client using the rate limit' : '') +
      (options.maxOldSpaceMiB ? `, proxy old space capped at ${options.maxOldSpaceMiB} MiB` : ''),
  )
  const population = generatePopulation(users)
  const stack = await startBenchStack({
    documents: population.documents,
    clerkLatencyMs: INJECTED_MS,
    lakeLatencyMs: INJECTED_MS,
    clerkInstance: instance,
  })
  const proxy = await startProxyProcess(
    {addresses: stack.addresses, webhookSecret: stack.webhookSecret},
    {maxOldSpaceMiB: options.maxOldSpaceMiB},
  ).catch(async (error: unknown) => {
    await stack.close()
    throw error
  })
  try {
    const drifted = seedClerk(stack, population)
    await warmLakeIndexes(stack, population)
    const competitor = options.contended ? await startCompetingClient(stack) : null
    stack.resetCounts()
    const proxyBefore = await proxy.memory()
    const {
      value: {ms, value: done},
      cpuMs: standInsCpuMs,
    } = await cpuTimed(() => timed(() => runReconcile(stack, proxy.url)))
    await competitor?.stop()
    const counts = stack.counts()
    const {peakRssBytes, cpuMs: proxyCpuMs} = await proxy.memory()
    const publicMetadataOf = (userId: string) => stack.clerk.store.getUser(userId)?.public_metadata
    const run: ReconcileRun = {
      instance,
      users,
      drifted,
      entitlementDocuments: [...population.entitlements.values()].flat().length,
      ms,
      done,
      counts,
      wrong: mismatches(population.userIds, population, publicMetadataOf).length,
      peakRssBytes,
      cpuMs: {proxy: proxyCpuMs - proxyBefore.cpuMs, standIns: standInsCpuMs},
    }
    if (!options.naiveUsers) return {run}
    // Fresh rate-limit window for the loop, as if it ran on its own.
    stack.clerk.setRateLimit('production')
    const subset = population.userIds.slice(0, options.naiveUsers)
    for (const id of subset) {
      const wrongPlan = driftedMetadata(population.truth(id)) as JsonObject
      stack.clerk.store.updateMetadata(id, {public_metadata: wrongPlan})
    }
    log(`naive per-user loop over ${subset.length} users`)
    stack.resetCounts()
    const naive = await timed(() =>
      naiveReconcileLoop(subset, {
        sanity: {...stack.lake.clientConfig('viewer'), resolveFetch: () => stack.lakeFetch},
        clerk: {secretKey: stack.clerk.secretKey, apiUrl: stack.clerk.url},
      }),
    )
    const naiveWrong = mismatches(subset, population, publicMetadataOf).length
    if (naiveWrong > 0) throw new Error(`the naive loop left ${naiveWrong} users wrong`)
    return {run, naive: {users: subset.length, ms: naive.ms, counts: stack.counts()}}
  } finally {
    await proxy.close()
    await stack.close()
  }
}

const mib = (bytes: number) => bytes / 1024 / 1024

function runFigures(run: ReconcileRun, label: string): BenchFigure[] {
  const limit = RATE_LIMIT_PRESETS[run.instance]
  const clerkPages = Math.ceil(run.users / CLERK_PAGE)
  const clerkBound = clerkPages + run.drifted
  // Every bench entitlement names its user by id: the pass streams their subject ids in pages.
  const subjectPages = Math.ceil(run.entitlementDocuments / DEFAULT_SUBJECT_PAGE_SIZE)
  const trailingSanityPage = run.entitlementDocuments % DEFAULT_SUBJECT_PAGE_SIZE === 0 ? 1 : 0
  // ONE query per Clerk page for its users' entitlements, and one fresh read under the leases
  // of the drifted subjects of each page with drift.
  const pagesWithDrift = Math.min(clerkPages, run.drifted)
  const groqBound = clerkPages + pagesWithDrift + subjectPages + trailingSanityPage
  // The reconcile pass itself lists pages and writes the drifted; single reads during the run
  // are the engine's re-checks of subjects it wrote over 15 s before (the bench has no orphaned
  // entitlements, the pass's only other reason to read).
  const passRequests = run.counts.clerk.lists + run.counts.clerk.writes
  const rateBound = rateLimitBoundMs(clerkBound, limit)
  return [
    {
      label: `${label}: Clerk requests of the reconcile pass (429s not counted)`,
      value: passRequests,
      unit: 'req',
      reference: {label: `ceil(N/${CLERK_PAGE}) + drifted`, value: clerkBound},
      goal: '= bound',
      met: passRequests === clerkBound,
      note: `${run.counts.clerk.lists} pages, ${run.counts.clerk.writes} writes`,
    },
    {
      label: `${label}: Clerk reads during the run (re-checks of subjects written over 15 s before)`,
      value: run.counts.clerk.reads,
      unit: 'req',
      reference: {label: 'subjects written', value: run.done.written},
    },
    {
      label: `${label}: GROQ queries`,
      value: run.counts.sanity.queries,
      unit: 'req',
      reference: {label: 'Clerk pages + pages with drift + subject-id pages', value: groqBound},
      note:
        `${clerkPages} + ${pagesWithDrift} + ceil(entitlements/${DEFAULT_SUBJECT_PAGE_SIZE}) = ${subjectPages}` +
        (trailingSanityPage ? ', and a trailing empty page of ids' : '') +
        (run.counts.clerk.reads
          ? `; plus at most one per re-check: ${run.counts.clerk.reads}`
          : ''),
      goal: '≤ reference (+ re-checks)',
      met: run.counts.sanity.queries <= groqBound + run.counts.clerk.reads,
    },
    {
      label: `${label}: wall time`,
      value: run.ms / 1000,
      unit: 's',
      reference: {label: 'rate-limit bound', value: rateBound / 1000},
      note: `${((run.ms * 1000) / run.users).toFixed(0)} µs per user`,
      // Only where Clerk's limit is the constraint: below one window the bound is 0 s and the
      // time is latency and the stand-ins, which the other figures explain.
      ...(rateBound > 0
        ? {goal: `≤ ${WALL_GOAL_RATIO}× bound`, met: run.ms <= WALL_GOAL_RATIO * rateBound}
        : {}),
    },
    ...firstWindowFigure(run, rateBound, label),
    {
      label: `${label}: CPU of the proxy's process during the pass`,
      value: run.cpuMs.proxy / 1000,
      unit: 's',
      reference: {label: 'wall time', value: run.ms / 1000},
      note: 'every thread, GC included; a ratio near 1 is one core kept busy',
    },
    {
      label: `${label}: CPU of the bench process during the pass`,
      value: run.cpuMs.standIns / 1000,
      unit: 's',
      reference: {label: 'wall time', value: run.ms / 1000},
      note: 'both stand-ins on one thread, and the bench itself',
    },
    {
      label: `${label}: Content Lake time answering GROQ (summed over queries)`,
      value: run.counts.sanity.queryMs / 1000,
      unit: 's',
      reference: {label: 'wall time', value: run.ms / 1000},
      note: "the lake's own request log, injected latency excluded",
    },
    {
      label: `${label}: Clerk 429 answers`,
      value: run.counts.clerk.rateLimited,
      unit: 'req',
    },
    {
      label: `${label}: failed subjects / users not at the truth`,
      value: run.done.failed + run.wrong,
      unit: 'users',
      goal: '0',
      met: run.done.failed === 0 && run.wrong === 0 && run.done.written === run.drifted,
      note: `${run.done.written} written of ${run.drifted} drifted`,
    },
    {
      label: `${label}: peak memory of the proxy process (RSS)`,
      value: mib(run.peakRssBytes),
      unit: 'MiB',
    },
  ]
}

/**
 * For a pass whose requests need two windows: when its first k requests had arrived, k being how
 * many exceed one window's limit. At a sliding window its last request cannot go out less than a
 * window after the k-th, so this time is what the wall time adds to the bound (which has them all
 * leave at once). Passes within one window, or over many, get no such figure.
 */
function firstWindowFigure(run: ReconcileRun, rateBound: number, label: string): BenchFigure[] {
  const limit = RATE_LIMIT_PRESETS[run.instance]
  const requests = run.counts.clerk.arrivals.length
  if (rateBound !== limit.windowMs || requests <= limit.requests) return []
  const k = requests - limit.requests
  const [first] = run.counts.clerk.arrivals
  const kth = run.counts.clerk.arrivals[k - 1]
  return [
    {
      label: `${label}: time until the pass's first ${k.toLocaleString('en-US')} Clerk requests had arrived`,
      value: first !== undefined && kth !== undefined ? (kth - first) / 1000 : Number.NaN,
      unit: 's',
      reference: {
        label: 'wall time minus the rate-limit bound',
        value: (run.ms - rateBound) / 1000,
      },
      note:
        `request ${requests.toLocaleString('en-US')} waits a window after request ${k}, ` +
        'and the bound has all of them leave at once',
    },
  ]
}

const runLabel = (run: ReconcileRun, extra = '') =>
  `${run.instance === 'development' ? 'Development, ' : ''}N=${run.users.toLocaleString('en-US')}${extra}`

/** Reconcile cost at several sizes and both limits against its bounds and a naive loop. */
export async function benchReconcile({quick, large, log}: BenchOptions): Promise<BenchResult> {
  const sizes = quick ? [200, 1000] : large ? [1000, 10_000, 100_000] : [1000, 10_000]
  // The development limit (100 per 10 s) is the constraint from 10,000 users on (120 requests).
  const developmentSizes = quick ? [1000] : large ? [10_000, 100_000] : [10_000]
  const contendedSize = quick ? 200 : 1000
  const naiveUsers = quick ? 20 : 200
  const runs: ReconcileRun[] = []
  let naive: Awaited<ReturnType<typeof measureReconcile>>['naive']
  for (const [index, users] of sizes.entries()) {
    const measured = await measureReconcile(users, log, index === 0 ? {naiveUsers} : {})
    runs.push(measured.run)
    naive ??= measured.naive
  }
  const developmentRuns: ReconcileRun[] = []
  for (const users of developmentSizes) {
    developmentRuns.push((await measureReconcile(users, log, {instance: 'development'})).run)
  }
  const contended = (await measureReconcile(contendedSize, log, {contended: true})).run
  // The same passes with the proxy's old space capped: what it must hold, apart from what V8
  // keeps because nothing asked it to collect.
  const cappedRuns: ReconcileRun[] = []
  for (const users of sizes) {
    const {run} = await measureReconcile(users, log, {maxOldSpaceMiB: CAPPED_OLD_SPACE_MIB})
    cappedRuns.push(run)
  }
  const smallest = runs[0]!
  const largest = runs.at(-1)!
  const smallestCapped = cappedRuns[0]!
  const figures = [
    ...runs.flatMap((run) => runFigures(run, runLabel(run))),
    ...developmentRuns.flatMap((run) => runFigures(run, runLabel(run))),
    ...runFigures(contended, runLabel(contended, ', another client sharing the limit')),
    // Flat in N: each larger N against the smallest, both at the production limit.
    ...runs.slice(1).map((run): BenchFigure => ({
      label: `Peak memory of the proxy at N=${run.users.toLocaleString('en-US')}`,
      value: mib(run.peakRssBytes),
      unit: 'MiB',
      reference: {
        label: `at N=${smallest.users.toLocaleString('en-US')}`,
        value: mib(smallest.peakRssBytes),
      },
      goal: `≤ ${MEMORY_GOAL_RATIO}× (flat in N)`,
      met: run.peakRssBytes <= MEMORY_GOAL_RATIO * smallest.peakRssBytes,
    })),
    ...cappedRuns.slice(1).map((run): BenchFigure => ({
      label:
        `Peak memory of the proxy at N=${run.users.toLocaleString('en-US')}, old space capped at ` +
        `${CAPPED_OLD_SPACE_MIB} MiB (${(run.ms / 1000).toFixed(1)} s; uncapped ` +
        `${((runs.find((uncapped) => uncapped.users === run.users)?.ms ?? 0) / 1000).toFixed(1)} s)`,
      value: mib(run.peakRssBytes),
      unit: 'MiB',
      reference: {
        label: `capped, at N=${smallestCapped.users.toLocaleString('en-US')}`,
        value: mib(smallestCapped.peakRssBytes),
      },
      goal: `≤ ${MEMORY_GOAL_RATIO}× (flat in N)`,
      met:
        run.peakRssBytes <= MEMORY_GOAL_RATIO * smallestCapped.peakRssBytes &&
        run.done.failed + run.wrong === 0,
    })),
  ]
  const limitText = (instance: Instance) =>
    `${RATE_LIMIT_PRESETS[instance].requests} per ${RATE_LIMIT_PRESETS[instance].windowMs / 1000} s`
  const notes = [
    `Rate-limit bound: the least time the bound's Clerk requests take at Clerk's limit ` +
      `(production ${limitText('production')}, development ${limitText('development')}) read as a ` +
      'sliding window that starts full (0 s when they fit in one window). Wall time has a goal ' +
      'only where that bound is above 0, i.e. where the limit is the constraint.',
    `Clerk requests: GET /v1/users answers a bare array with no total_count (Clerk's spec ` +
      `2026-05-12). After a full first page the pass asks GET /v1/users/count once (counted with ` +
      `the pages): it tells how many pages to ask for at once (${PAGES_LISTED_AHEAD} ahead) and ` +
      `where the list ends; when N is a multiple of ${CLERK_PAGE} no list without a total can end ` +
      "without one more request. Such runs miss the '= bound' goal by that one request; " +
      "organizations' lists carry total_count.",
    'Another client sharing the key first uses up the rate limit, then keeps sending ' +
      `GET /v1/users/count, ${COMPETITOR.concurrency} at a time, for ${COMPETITOR.ms / 1000} s ` +
      'after the reconcile starts (left out of the counts).',
    `Drift: every ${Math.round(1 / DRIFT_RATE)}th user holds a wrong plan; every tenth user has two ` +
      'entitlements (merge).',
    'Peak memory: the highest resident set size of the proxy process (Node adapter, started ' +
      'fresh per run; the stand-ins run in the bench process), so it counts only what the proxy ' +
      'holds, including what Node itself takes at start. The pass keeps no snapshot: it holds ' +
      `the Clerk pages in flight (at most ${PAGES_IN_FLIGHT} being read from Sanity and written, plus ${PAGES_LISTED_AHEAD} ` +
      'being listed) and, for the whole pass, the id of each subject seen on a page with ' +
      'entitlements naming it (one short string per such subject, up to N here), to tell which ' +
      `entitled subjects no page listed, and up to ${UNLISTED_HELD_WHILE_PAGING.toLocaleString('en-US')} ` +
      'subject ids of entitlements read beside the pages and not yet seen on one.',
    `Capped runs: the production passes again with the proxy started with ` +
      `--max-old-space-size=${CAPPED_OLD_SPACE_MIB}. With Node's defaults V8 lets its old space ` +
      'grow while nothing presses it, so peak RSS grows with the amount of work, not with what ' +
      'is live; the capped run must finish with every user right, and its peak RSS shows what ' +
      'the pass holds. Its wall time is printed in the label.',
  ]
  if (naive) {
    const perUserMs = naive.ms / naive.users
    const naiveRequests = 2 * largest.users
    const extrapolatedMs = Math.max(
      perUserMs * largest.users,
      rateLimitBoundMs(naiveRequests, RATE_LIMIT_PRESETS.production),
    )
    const proxyClerk = largest.counts.clerk.total - largest.counts.clerk.rateLimited
    figures.push(
      {
        label: `Naive loop, measured on ${naive.users} users: Clerk requests per user`,
        value: (naive.counts.clerk.total - naive.counts.clerk.rateLimited) / naive.users,
        unit: 'req',
        reference: {label: 'proxy, per user', value: proxyClerk / largest.users},
      },
      {
        label: `Naive loop, measured on ${naive.users} users: time per user`,
        value: perUserMs,
        unit: 'ms',
        reference: {label: 'proxy, per user', value: largest.ms / largest.users},
      },
      {
        label: `Naive loop extrapolated to N=${largest.users.toLocaleString('en-US')}: wall time`,
        value: extrapolatedMs / 1000,
        unit: 's',
        reference: {label: 'proxy, measured', value: largest.ms / 1000},
        note: `${naiveRequests.toLocaleString('en-US')} Clerk requests`,
      },
    )
    notes.push(
      `The naive loop (Clerk read + GROQ + Clerk write per user, one user at a time) ran on the ` +
        `first ${naive.users} users only; at N=${largest.users.toLocaleString('en-US')} it would ` +
        `need 2N Clerk requests, so its time is max(measured time per user × N, the rate-limit ` +
        `bound for 2N requests = ${rateLimitBoundMs(naiveRequests, RATE_LIMIT_PRESETS.production) / 1000} s).`,
    )
  }
  return {
    name: 'reconcile',
    title: 'Reconcile',
    setup:
      `POST /reconcile {dryRun: false, kinds: ['user']} through the proxy (its own process, Node ` +
      `adapter) at N = ${sizes.map((n) => n.toLocaleString('en-US')).join(', ')} users with ` +
      `Clerk's production limit (${limitText('production')}, sk_live_ key) and at N = ` +
      `${developmentSizes.map((n) => n.toLocaleString('en-US')).join(', ')} with its development ` +
      `limit (${limitText('development')}, sk_test_ key); the proxy budgets by the key like Clerk. ` +
      `${DRIFT_RATE * 100}% drift, ${INJECTED_MS} ms injected per Content Lake and Clerk request; ` +
      `Clerk pages of 500, pages of ${DEFAULT_SUBJECT_PAGE_SIZE} entitlements' subject ids.`,
    figures,
    notes,
  }
}
