/**
 * Throughput of the Clerk emulator on loopback: `GET /v1/users/{id}` and a deep-merge
 * `PATCH /v1/users/{id}/metadata` against a 100,000-user store, plus how long seeding that store
 * takes and what a default list/count costs at that size. A bounded number of requests over a
 * few keep-alive connections; the client runs in the same process, so the rates are lower bounds.
 *
 * Run: `npx tsx bench/clerk-emulator.bench.ts [--quick]`. `bench/run.ts` can call
 * {@link benchClerkEmulator}.
 */
import {Agent, createServer, request} from 'node:http'
import type {AddressInfo} from 'node:net'
import {pathToFileURL} from 'node:url'
import {parseArgs} from 'node:util'

import {startClerkEmulator, type ClerkEmulator} from '../emulators/clerk'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'

const GOAL_RPS = 2000
const SEED_GOAL_SECONDS = 10
const CONNECTIONS = 8

interface Load {
  requests: number
  connections: number
}

/** Sends `requests` requests over `connections` keep-alive sockets; resolves to requests/s. */
async function throughput(
  emulator: Pick<ClerkEmulator, 'url' | 'secretKey'>,
  load: Load,
  next: (index: number) => {method: string; path: string; body?: string},
): Promise<number> {
  const agent = new Agent({keepAlive: true, maxSockets: load.connections})
  const {port} = new URL(emulator.url)
  const send = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const {method, path, body} = next(index)
      const outgoing = request(
        {
          agent,
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: {
            Authorization: `Bearer ${emulator.secretKey}`,
            'Content-Type': 'application/json',
            'Clerk-API-Version': '2026-05-12',
          },
        },
        (response) => {
          response.resume()
          response.on('end', () =>
            response.statusCode === 200
              ? resolve()
              : reject(new Error(`${method} ${path}: ${response.statusCode}`)),
          )
        },
      )
      outgoing.on('error', reject)
      outgoing.end(body)
    })
  let issued = 0
  const worker = async () => {
    while (issued < load.requests) await send(issued++)
  }
  const started = performance.now()
  await Promise.all(Array.from({length: load.connections}, worker))
  const seconds = (performance.now() - started) / 1000
  agent.destroy()
  return load.requests / seconds
}

/**
 * The same load against a bare `node:http` server that answers a fixed user: the ceiling this
 * machine and client allow right now, so a contended run can be told from a slow emulator.
 */
async function bareServerRate(body: string, load: Load): Promise<number> {
  const server = createServer((incoming, response) => {
    incoming.resume()
    incoming.on('end', () => {
      response.writeHead(200, {'Content-Type': 'application/json'})
      response.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  try {
    return await throughput({url: `http://127.0.0.1:${port}`, secretKey: 'none'}, load, () => ({
      method: 'GET',
      path: '/v1/users/x',
    }))
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

function rateFigure(label: string, value: number): BenchFigure {
  return {
    label,
    value,
    unit: 'req/s',
    reference: {label: 'goal', value: GOAL_RPS},
    goal: `≥ ${GOAL_RPS} req/s`,
    met: value >= GOAL_RPS,
  }
}

/** Measures the emulator; `quick` shrinks the store and the request counts for a smoke run. */
export async function benchClerkEmulator(
  options: Partial<BenchOptions> & {users?: number} = {},
): Promise<BenchResult> {
  const quick = options.quick ?? false
  const log = options.log ?? (() => {})
  const users = options.users ?? (quick ? 10_000 : 100_000)
  const requests = quick ? 2_000 : 20_000
  const emulator = await startClerkEmulator({rateLimit: false, logLimit: 100})
  try {
    log(`seeding ${users} users`)
    const seedStarted = performance.now()
    emulator.seed({users, organizations: users / 100, seed: 'bench'})
    const seedSeconds = (performance.now() - seedStarted) / 1000
    const ids = emulator.store
      .listUsers({}, {key: 'created_at', descending: true}, {limit: users, offset: 0})
      .map((user) => user.id)
    const idAt = (index: number) => ids[(index * 7919) % ids.length] as string

    // Warm up the JIT and the sockets before measuring.
    await throughput(emulator, {requests: 500, connections: CONNECTIONS}, (index) => ({
      method: 'GET',
      path: `/v1/users/${idAt(index)}`,
    }))
    log(`baseline: bare node:http × ${requests}`)
    const sampleUser = JSON.stringify(emulator.store.getUser(idAt(0)))
    const baselineRate = await bareServerRate(sampleUser, {requests, connections: CONNECTIONS})
    log(`GET /v1/users/{id} × ${requests}`)
    const getRate = await throughput(emulator, {requests, connections: CONNECTIONS}, (index) => ({
      method: 'GET',
      path: `/v1/users/${idAt(index)}`,
    }))
    log(`PATCH /v1/users/{id}/metadata × ${requests}`)
    const patchRate = await throughput(emulator, {requests, connections: CONNECTIONS}, (index) => ({
      method: 'PATCH',
      path: `/v1/users/${idAt(index)}/metadata`,
      body: JSON.stringify({
        public_metadata: {
          access: {plan: index % 2 ? 'pro' : 'team', courses: {[`c${index % 5}`]: true}},
        },
        private_metadata: {sync: {rev: index, stale: null}},
      }),
    }))
    const listRequests = quick ? 200 : 1_000
    log(`GET /v1/users and /v1/users/count?query=… × ${listRequests}`)
    const listRate = await throughput(emulator, {requests: listRequests, connections: 4}, () => ({
      method: 'GET',
      path: '/v1/users?limit=10&offset=100',
    }))
    const countRate = await throughput(
      emulator,
      {requests: listRequests / 4, connections: 4},
      (index) => ({
        method: 'GET',
        path: `/v1/users/count?query=${['ada', 'example.org', 'okafor'][index % 3]}`,
      }),
    )
    return {
      name: 'clerk-emulator',
      title: 'Clerk emulator throughput',
      setup:
        `${users.toLocaleString('en-US')} seeded users, ${requests.toLocaleString('en-US')} ` +
        `requests per figure over ${CONNECTIONS} keep-alive connections from the same process, ` +
        `rate limit off, no injected latency.`,
      figures: [
        rateFigure('GET /v1/users/{id}', getRate),
        rateFigure('PATCH /v1/users/{id}/metadata (deep merge)', patchRate),
        {
          label: `seeding ${users.toLocaleString('en-US')} users`,
          value: seedSeconds,
          unit: 's',
          reference: {label: 'bound', value: SEED_GOAL_SECONDS},
          goal: `≤ ${SEED_GOAL_SECONDS} s`,
          met: seedSeconds <= SEED_GOAL_SECONDS,
        },
        {
          label: 'bare node:http server, same load (machine ceiling)',
          value: baselineRate,
          unit: 'req/s',
        },
        {label: 'GET /v1/users?limit=10&offset=100', value: listRate, unit: 'req/s'},
        {label: 'GET /v1/users/count?query=…', value: countRate, unit: 'req/s'},
      ],
      notes: [
        'List pages walk the creation-ordered index and stop once the page is full; `query` is one indexOf walk over a joined search index (rebuilt after creates, deletes and renames); other filters test every user.',
        'The client runs in the same process on the same cores: compare the rates with the bare node:http ceiling of the same run.',
      ],
    }
  } finally {
    await emulator.close()
  }
}

const runDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href
if (runDirectly) {
  const {values} = parseArgs({
    options: {quick: {type: 'boolean', default: false}, users: {type: 'string'}},
  })
  const result = await benchClerkEmulator({
    quick: values.quick,
    log: (line) => console.info(line),
    ...(values.users && {users: Number(values.users)}),
  })
  console.info(`\n${result.title}: ${result.setup}`)
  for (const figure of result.figures) {
    const ratio = figure.reference
      ? ` (${(figure.value / figure.reference.value).toFixed(2)}× ${figure.reference.label}${figure.met === undefined ? '' : figure.met ? ', met' : ', NOT met'})`
      : ''
    console.info(
      `  ${figure.label}: ${figure.value.toFixed(figure.unit === 's' ? 2 : 0)} ${figure.unit}${ratio}`,
    )
  }
}
