/**
 * Bench 7 (Content Lake half; the Clerk emulator's is `clerk-emulator.bench.ts`): requests per
 * second of the local Content Lake for the proxy's kind of GROQ query and a document fetch, over
 * HTTP/1.1 and HTTP/2, to show it never bounds the other figures. The GROQ query runs twice on
 * the same lake: through the indexes, and scanning every document (the lake before its indexes,
 * `setIndexedQueries(false)`), so the speed-up is a same-run ratio. The load generator runs in a
 * process of its own (`lib/load-child.ts`): on the lake's thread, undici's client would cost more
 * CPU per request than the lake's answer and the figure would measure the client.
 */
import {applyPerspective, runQuery} from '../emulators/content-lake/groq'
import {QueryPlanner} from '../emulators/content-lake/planner'
import {DocumentStore} from '../emulators/content-lake/store'
import {median} from './lib/stats'
import {startLoadProcess, type LoadProcess, type LoadRun} from './lib/load-process'
import {generatePopulation} from './lib/population'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'
import {startBenchStack} from './lib/stack'

/** The highest sustained request rate any other figure needs: Clerk's production limit. */
const DEMANDED_RPS = 100
const CONCURRENCY = 16
/** GROQ over HTTP/1.1 before the indexes (bench/README.md, the last run without them). */
const UNINDEXED_GROQ_RPS_BEFORE = 127
/** GROQ over HTTP/2 in that run. */
const UNINDEXED_GROQ_HTTP2_RPS_BEFORE = 217
/** Issue 18: the indexed lake answers the bench's GROQ at least this many times faster. */
const GROQ_SPEEDUP_GOAL = 10
/** The proxy's kind of query: entitlements by type and subject, one reference followed. */
const BENCH_QUERY = '*[_type == "clerkEntitlement" && clerkUserId == $user]{_id, "plan": plan->key}'

/** Requests per second (median of the runs) and the lake's CPU per request over all of them. */
interface Rate {
  requestsPerSecond: number
  lakeCpuMicros: number
}

/** One measured configuration: what the load process sends, and how the lake is set first. */
interface Measured {
  load: LoadRun
  /** Runs before each of its runs (e.g. switching the indexes off). */
  prepare?: () => void
}

/**
 * Per configuration, the median over `repeats` runs of the load process, after one discarded
 * warm-up run each (JIT, connection pools). The runs go in rounds, one of each configuration per
 * round, so every configuration samples the same stretches of a machine whose load changes by
 * the minute and same-run ratios compare like with like. CPU is this process's (the lake, the
 * idle Clerk emulator) during a configuration's runs, per request they answered.
 */
async function interleavedRates<Name extends string>(
  loader: LoadProcess,
  measured: Record<Name, Measured>,
  repeats: number,
): Promise<Record<Name, Rate>> {
  const entries = Object.entries(measured) as [Name, Measured][]
  const runs = new Map<Name, {rates: number[]; requests: number; cpuMicros: number}>()
  for (let round = -1; round < repeats; round++) {
    for (const [name, {load, prepare}] of entries) {
      prepare?.()
      const cpuBefore = process.cpuUsage()
      const result = await loader.run(round < 0 ? {...load, durationMs: load.durationMs / 2} : load)
      const cpu = process.cpuUsage(cpuBefore)
      if (result.failures > 0) {
        throw new Error(
          `${result.failures} requests to ${load.paths[0]} failed: ${result.firstError}`,
        )
      }
      if (round < 0) continue
      const sofar = runs.get(name) ?? {rates: [], requests: 0, cpuMicros: 0}
      sofar.rates.push(result.requestsPerSecond)
      sofar.requests += result.requests
      sofar.cpuMicros += cpu.user + cpu.system
      runs.set(name, sofar)
    }
  }
  const rates = {} as Record<Name, Rate>
  for (const [name, {rates: perRun, requests, cpuMicros}] of runs) {
    rates[name] = {requestsPerSecond: median(perRun), lakeCpuMicros: cpuMicros / requests}
  }
  return rates
}

const cpuFigure = (label: string, rate: Rate): BenchFigure => ({
  label,
  value: rate.lakeCpuMicros,
  unit: 'µs',
  note: `one core at this cost answers ${Math.round(1e6 / rate.lakeCpuMicros)} req/s`,
})

const rpsFigure = (label: string, value: number): BenchFigure => ({
  label,
  value,
  unit: 'req/s',
  reference: {label: 'highest rate any figure needs', value: DEMANDED_RPS},
  goal: '≥ 2× the need',
  met: value >= 2 * DEMANDED_RPS,
})

/**
 * Queries per second of the lake's query engine alone (no HTTP), one at a time for `durationMs`,
 * asking for a different user each time: what the indexes change, apart from the transport that
 * bounds the HTTP figures on a loaded machine.
 */
async function engineRate(
  documents: ReturnType<typeof generatePopulation>['documents'],
  userIds: readonly string[],
  indexed: boolean,
  durationMs: number,
): Promise<number> {
  const store = new DocumentStore(documents)
  const planner = new QueryPlanner(store.indexes)
  const scope = {projectId: 'bench', dataset: 'production', identity: 'bench'}
  const ask = (user: string) =>
    indexed
      ? planner.run(store, BENCH_QUERY, {user}, 'published', scope)
      : runQuery(applyPerspective(store.all(), 'published'), BENCH_QUERY, {user}, scope)
  await ask(userIds[0] as string)
  const started = performance.now()
  let done = 0
  while (performance.now() - started < durationMs) {
    await ask(userIds[done % userIds.length] as string)
    done++
  }
  return (done * 1000) / (performance.now() - started)
}

/** Requests per second of the Content Lake: GROQ query and document fetch, HTTP/1.1 and HTTP/2. */
export async function benchContentLake({quick, log}: BenchOptions): Promise<BenchResult> {
  const load = {concurrency: CONCURRENCY, durationMs: quick ? 400 : 2000}
  const repeats = quick ? 1 : 3
  const users = quick ? 200 : 1000
  const figures: BenchFigure[] = []

  const population = generatePopulation(users)
  const stack = await startBenchStack({documents: population.documents})
  let loader: LoadProcess | null = null
  try {
    const apiVersion = 'v2025-02-19'
    const queryPathFor = (user: string) =>
      `/${apiVersion}/data/query/production?${new URLSearchParams({query: BENCH_QUERY, $user: JSON.stringify(user)})}`
    const queryPath = queryPathFor(population.userIds[7] as string)
    // The proxy asks for ever different subjects: the same query for every user in turn.
    const everyUserPaths = population.userIds.map(queryPathFor)
    const docPath = `/${apiVersion}/data/doc/production/plan-pro`
    loader = await startLoadProcess({
      origin: stack.lake.apiHost,
      caCert: stack.lake.caCert,
      headers: {authorization: `Bearer ${stack.tokens.viewer}`},
    })
    const send = (paths: string | string[], client: LoadRun['client'], indexes = true) => ({
      load: {paths: [paths].flat(), client, ...load},
      prepare: () => stack.lake.setIndexedQueries(indexes),
    })
    log(`content lake (${population.documents.length} documents): HTTP/1.1 and HTTP/2, interleaved`)
    const {scanning, indexed, indexedEveryUser, indexedViaFetch, docHttp1, indexedHttp2, docHttp2} =
      await interleavedRates(
        loader,
        {
          scanning: send(queryPath, 'node-https', false),
          indexed: send(queryPath, 'node-https'),
          indexedEveryUser: send(everyUserPaths, 'node-https'),
          indexedViaFetch: send(queryPath, 'undici-fetch'),
          docHttp1: send(docPath, 'node-https'),
          indexedHttp2: send(queryPath, 'node-http2'),
          docHttp2: send(docPath, 'node-http2'),
        },
        repeats,
      )

    const goal = `≥ ${GROQ_SPEEDUP_GOAL}×`
    const sinceIndexes = (value: number, before: number) => ({
      value,
      unit: 'req/s',
      reference: {label: 'bench/README.md before the indexes', value: before},
      goal: `≥ ${(GROQ_SPEEDUP_GOAL * before).toLocaleString('en-US')} req/s (${goal})`,
      met: value >= GROQ_SPEEDUP_GOAL * before,
    })
    figures.push(
      {
        ...rpsFigure(
          `Content Lake, GROQ query over HTTP/1.1, scanning every document (${population.documents.length} docs)`,
          scanning.requestsPerSecond,
        ),
        note: 'the same-run baseline: the lake without its indexes',
      },
      {
        label: `Content Lake, GROQ query over HTTP/1.1, indexed (${population.documents.length} docs)`,
        value: indexed.requestsPerSecond,
        unit: 'req/s',
        reference: {label: 'same run, scanning every document', value: scanning.requestsPerSecond},
        goal,
        met: indexed.requestsPerSecond >= GROQ_SPEEDUP_GOAL * scanning.requestsPerSecond,
      },
      {
        label:
          'Content Lake, GROQ query over HTTP/1.1, indexed, vs. the last run before the indexes',
        ...sinceIndexes(indexed.requestsPerSecond, UNINDEXED_GROQ_RPS_BEFORE),
      },
      {
        label: `Content Lake, GROQ query over HTTP/1.1, indexed, each of the ${users} users in turn`,
        value: indexedEveryUser.requestsPerSecond,
        unit: 'req/s',
        reference: {label: 'one user throughout', value: indexed.requestsPerSecond},
        note: 'the same query text with a different $user each time, as the proxy sends it',
      },
      {
        label: "Content Lake, GROQ query over HTTP/1.1, indexed, sent with undici's fetch",
        value: indexedViaFetch.requestsPerSecond,
        unit: 'req/s',
        reference: {label: 'bench/README.md before the indexes', value: UNINDEXED_GROQ_RPS_BEFORE},
        note: "the proxy's client; it spends more CPU per request than the lake does",
      },
      cpuFigure('Content Lake CPU per GROQ query over HTTP/1.1, scanning', scanning),
      cpuFigure('Content Lake CPU per GROQ query over HTTP/1.1, indexed', indexed),
      rpsFigure('Content Lake, document fetch over HTTP/1.1', docHttp1.requestsPerSecond),
      {
        label: 'Content Lake, GROQ query over HTTP/2, indexed, vs. the last run before the indexes',
        ...sinceIndexes(indexedHttp2.requestsPerSecond, UNINDEXED_GROQ_HTTP2_RPS_BEFORE),
      },
      cpuFigure('Content Lake CPU per GROQ query over HTTP/2, indexed', indexedHttp2),
      rpsFigure('Content Lake, document fetch over HTTP/2', docHttp2.requestsPerSecond),
    )
  } finally {
    await loader?.close()
    await stack.close()
  }

  log('content lake: query engine without HTTP')
  const engineMs = quick ? 300 : 1500
  const scanned = await engineRate(population.documents, population.userIds, false, engineMs)
  const engineIndexed = await engineRate(population.documents, population.userIds, true, engineMs)
  figures.push(
    {
      label: `Query engine alone, scanning every document (${population.documents.length} docs)`,
      value: scanned,
      unit: 'queries/s',
    },
    {
      label: `Query engine alone, indexed (${population.documents.length} docs)`,
      value: engineIndexed,
      unit: 'queries/s',
      reference: {label: 'same run, scanning every document', value: scanned},
      goal: `≥ ${GROQ_SPEEDUP_GOAL}×`,
      met: engineIndexed >= GROQ_SPEEDUP_GOAL * scanned,
    },
  )
  // Flat in N: ten times the documents should cost the indexed engine next to nothing.
  const larger = generatePopulation(users * 10)
  const engineLarger = await engineRate(larger.documents, larger.userIds, true, engineMs)
  figures.push({
    label: `Query engine alone, indexed (${larger.documents.length} docs)`,
    value: engineLarger,
    unit: 'queries/s',
    reference: {label: `indexed at ${population.documents.length} docs`, value: engineIndexed},
    goal: '≥ 0.5× (flat in N)',
    met: engineLarger >= 0.5 * engineIndexed,
  })

  return {
    name: 'content-lake',
    title: 'Content Lake: requests per second',
    setup:
      `Closed loop, ${CONCURRENCY} concurrent requests for ${load.durationMs} ms, median of ${repeats} ` +
      'runs after a warm-up, the HTTP configurations interleaved round by round; the load ' +
      "generator (node:https keep-alive sockets for HTTP/1.1, undici's fetch where named, one " +
      'node:http2 session) runs in a process of its own, the lake in the bench process.',
    figures,
    notes: [
      `Reference: ${DEMANDED_RPS} req/s is Clerk's production rate limit (1000 per 10 s), the ` +
        'fastest any other figure drives a stand-in for more than a burst.',
      `Dataset: ${population.documents.length} documents (${users} users' entitlements).`,
      `GROQ query: \`${BENCH_QUERY}\` (the proxy's shape: by type and subject, one reference followed).`,
      "Lake CPU per request is the bench process's CPU time (the lake; the Clerk emulator idles) " +
        'over the measured runs divided by the requests answered; it moves less with other load ' +
        'on the machine than the request rates, which need a free core for the lake and one for ' +
        'the load generator.',
      `Before the indexes (${UNINDEXED_GROQ_RPS_BEFORE} req/s over HTTP/1.1, ` +
        `${UNINDEXED_GROQ_HTTP2_RPS_BEFORE} over HTTP/2) the load generator shared the lake's ` +
        'thread; it now runs in a process of its own.',
    ],
  }
}
