/**
 * Bench 7 (Content Lake half; the Clerk emulator's is `clerk-emulator.bench.ts`): requests per
 * second of the local Content Lake for the proxy's kind of GROQ query and a document fetch, over
 * HTTP/1.1 and HTTP/2, to show it never bounds the other figures. The GROQ query runs twice on
 * the same lake: through the indexes, and scanning every document (the lake before its indexes,
 * `setIndexedQueries(false)`), so the speed-up is a same-run ratio. The load generator runs in
 * the same process as the server, so each figure is a lower bound.
 */
import {connect, type ClientHttp2Session} from 'node:http2'

import {applyPerspective, runQuery} from '../emulators/content-lake/groq'
import {QueryPlanner} from '../emulators/content-lake/planner'
import {DocumentStore} from '../emulators/content-lake/store'
import {median} from './lib/stats'
import {measureThroughput, type ThroughputOptions} from './lib/load'
import {generatePopulation} from './lib/population'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'
import {startBenchStack, type LakeFetch} from './lib/stack'

/** The highest sustained request rate any other figure needs: Clerk's production limit. */
const DEMANDED_RPS = 100
const CONCURRENCY = 16
/** GROQ over HTTP/1.1 before the indexes (bench/README.md, the last run without them). */
const UNINDEXED_GROQ_RPS_BEFORE = 127
/** Issue 18: the indexed lake answers the bench's GROQ at least this many times faster. */
const GROQ_SPEEDUP_GOAL = 10
/** The proxy's kind of query: entitlements by type and subject, one reference followed. */
const BENCH_QUERY = '*[_type == "clerkEntitlement" && clerkUserId == $user]{_id, "plan": plan->key}'

function http2Get(session: ClientHttp2Session, path: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request({':path': path, authorization: `Bearer ${token}`})
    let status = 0
    stream.on('response', (headers) => {
      status = Number(headers[':status'])
    })
    stream.on('data', () => {})
    stream.on('end', () =>
      status === 200 ? resolve() : reject(new Error(`HTTP/2 ${status} for ${path}`)),
    )
    stream.on('error', reject)
    stream.end()
  })
}

async function fetchOk(
  fetch: LakeFetch,
  url: string,
  init: Parameters<LakeFetch>[1],
): Promise<void> {
  const response = await fetch(url, init)
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`${response.status} for ${url}`)
}

/** Median over `repeats` runs, after one discarded warm-up run (JIT, connection pools). */
async function medianThroughput(
  send: () => Promise<void>,
  load: ThroughputOptions,
  repeats: number,
): Promise<number> {
  await measureThroughput(send, {...load, durationMs: load.durationMs / 2})
  const rates: number[] = []
  for (let run = 0; run < repeats; run++) {
    const result = await measureThroughput(send, load)
    if (result.failures > 0) {
      throw new Error(`${result.failures} requests failed`, {cause: result.firstError})
    }
    rates.push(result.requestsPerSecond)
  }
  return median(rates)
}

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
  let session: ClientHttp2Session | null = null
  try {
    const token = stack.tokens.viewer
    const apiVersion = 'v2025-02-19'
    const query = new URLSearchParams({
      query: BENCH_QUERY,
      $user: JSON.stringify(population.userIds[7]),
    })
    const queryPath = `/${apiVersion}/data/query/production?${query}`
    const docPath = `/${apiVersion}/data/doc/production/plan-pro`
    const base = stack.lake.apiHost
    const authorization = {authorization: `Bearer ${token}`}
    log(`content lake (${population.documents.length} documents): HTTP/1.1`)
    const groqOverHttp1 = () =>
      medianThroughput(
        () => fetchOk(stack.lakeFetch, `${base}${queryPath}`, {headers: authorization}),
        load,
        repeats,
      )
    stack.lake.setIndexedQueries(false)
    const scanning = await groqOverHttp1()
    stack.lake.setIndexedQueries(true)
    const indexed = await groqOverHttp1()
    const goal = `≥ ${GROQ_SPEEDUP_GOAL}×`
    figures.push(
      {
        ...rpsFigure(
          `Content Lake, GROQ query over HTTP/1.1, scanning every document (${population.documents.length} docs)`,
          scanning,
        ),
        note: 'the same-run baseline: the lake without its indexes',
      },
      {
        label: `Content Lake, GROQ query over HTTP/1.1, indexed (${population.documents.length} docs)`,
        value: indexed,
        unit: 'req/s',
        reference: {label: 'same run, scanning every document', value: scanning},
        goal,
        met: indexed >= GROQ_SPEEDUP_GOAL * scanning,
      },
      {
        label:
          'Content Lake, GROQ query over HTTP/1.1, indexed, vs. the last run before the indexes',
        value: indexed,
        unit: 'req/s',
        reference: {label: 'bench/README.md before the indexes', value: UNINDEXED_GROQ_RPS_BEFORE},
        goal,
        met: indexed >= GROQ_SPEEDUP_GOAL * UNINDEXED_GROQ_RPS_BEFORE,
      },
      rpsFigure('Content Lake, GROQ query over HTTP/1.1 (indexed)', indexed),
      rpsFigure(
        'Content Lake, document fetch over HTTP/1.1',
        await medianThroughput(
          () => fetchOk(stack.lakeFetch, `${base}${docPath}`, {headers: authorization}),
          load,
          repeats,
        ),
      ),
    )
    log('content lake: HTTP/2')
    const http2 = connect(base, {ca: stack.lake.caCert})
    session = http2
    figures.push(
      rpsFigure(
        'Content Lake, GROQ query over HTTP/2 (indexed)',
        await medianThroughput(() => http2Get(http2, queryPath, token), load, repeats),
      ),
      rpsFigure(
        'Content Lake, document fetch over HTTP/2',
        await medianThroughput(() => http2Get(http2, docPath, token), load, repeats),
      ),
    )
  } finally {
    session?.close()
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
      `runs after a warm-up; load generator in the same process as the server (a lower bound).`,
    figures,
    notes: [
      `Reference: ${DEMANDED_RPS} req/s is Clerk's production rate limit (1000 per 10 s), the ` +
        'fastest any other figure drives a stand-in for more than a burst.',
      `Dataset: ${population.documents.length} documents (${users} users' entitlements).`,
      `GROQ query: \`${BENCH_QUERY}\` (the proxy's shape: by type and subject, one reference followed).`,
    ],
  }
}
