/**
 * The stand-ins every bench runs against, on loopback: the Clerk emulator, the local Content Lake
 * and the real proxy handler wired to both through the real SDKs. Requests are counted from the
 * emulators' own request logs, drained as they grow so long runs neither lose entries nor keep
 * every response body in memory.
 */
import {randomBytes} from 'node:crypto'

import type {SanityClient} from '@sanity/client'
import {createNodeFetch} from 'get-it/node'

import {
  startClerkEmulator,
  type ClerkEmulator,
  type LoggedRequest,
  type RateLimitOption,
} from '../../emulators/clerk'
import {
  createLakeClient,
  startContentLake,
  type ContentLake,
  type LakeDocument,
  type LakeUser,
  type RequestLogEntry,
} from '../../emulators/content-lake'
import {createClerkProxy, type ClerkProxyHandler, type ClerkProxyOptions} from '../../proxy'

/** A `fetch` that trusts one lake's self-signed certificate (for `resolveFetch` and the proxy). */
export type LakeFetch = NonNullable<ClerkProxyOptions['fetch']>

const lakeFetches = new Map<string, LakeFetch>()

/**
 * The fetch to reach a lake with: every stack has a certificate of its own, and the global
 * `fetch` keeps its trust settings from its first TLS connection, so each client gets this one.
 */
export function lakeFetch(caCert: string): LakeFetch {
  let fetch = lakeFetches.get(caCert)
  if (!fetch) {
    fetch = createNodeFetch({proxy: false, tls: {ca: caCert}})
    lakeFetches.set(caCert, fetch)
  }
  return fetch
}

/** Requests the stand-ins served since the last {@link BenchStack.resetCounts}. */
export interface RequestCounts {
  clerk: {
    total: number
    /** `GET /users/:id`, `GET /organizations/:id`, and lists filtered by ids (`user_id=…`). */
    reads: number
    /** `PATCH …/metadata`. */
    writes: number
    /** `GET /users` and `GET /organizations` pages not filtered by ids (list and search pages). */
    lists: number
    /** Answers with status 429. */
    rateLimited: number
    /** Metadata writes per subject id. */
    writesBySubject: Record<string, number>
    /** When each request Clerk answered other than 429 arrived (epoch ms), in arrival order. */
    arrivals: number[]
  }
  sanity: {
    total: number
    /** `/data/query/<dataset>` requests (GROQ). */
    queries: number
    /** Time the lake spent answering them, summed, injected latency excluded (its request log). */
    queryMs: number
  }
}

export interface BenchStackOptions {
  /** Delay the Clerk emulator adds to every request (one injected round trip). */
  clerkLatencyMs?: number
  /** Delay the Content Lake adds to every request. */
  lakeLatencyMs?: number
  /** Default: the instance's limit (production 1000 per 10 s, development 100 per 10 s). */
  clerkRateLimit?: RateLimitOption
  /**
   * Which kind of Clerk instance the key names: `'production'` (`sk_live_`, the default) or
   * `'development'` (`sk_test_`); the proxy's gateway budgets by the key's kind, like Clerk.
   */
  clerkInstance?: 'production' | 'development'
  documents?: LakeDocument[]
  /** Clerk users to create, by id. */
  clerkUserIds?: readonly string[]
  /** Extra proxy options (e.g. a Clerk rate budget for the engine). */
  proxy?: Partial<ClerkProxyOptions>
}

export interface BenchStack {
  clerk: ClerkEmulator
  lake: ContentLake
  addresses: StandInAddresses
  /** The real proxy, called in-process with Web `Request`s (no HTTP server in between). */
  proxy: ClerkProxyHandler
  proxyOrigin: string
  /** The Studio origin the proxy allows. */
  studioOrigin: string
  webhookSecret: string
  /** Sanity tokens of an administrator and an editor, as the Studio would send them. */
  tokens: {administrator: string; editor: string; viewer: string}
  /** An administrator's `@sanity/client` for changing content the way editors do. */
  editor: SanityClient
  /** A fetch that trusts this lake's certificate. */
  lakeFetch: LakeFetch
  counts(): RequestCounts
  resetCounts(): void
  close(): Promise<void>
}

let stackCount = 0

const emptyCounts = (): RequestCounts => ({
  clerk: {
    total: 0,
    reads: 0,
    writes: 0,
    lists: 0,
    rateLimited: 0,
    writesBySubject: {},
    arrivals: [],
  },
  sanity: {total: 0, queries: 0, queryMs: 0},
})

/** User agent of the benches' own background traffic, which request counts leave out. */
export const BENCH_TRAFFIC_USER_AGENT = 'bench-background-traffic'

function tallyClerk(counts: RequestCounts, entry: LoggedRequest): void {
  if (entry.headers['user-agent'] === BENCH_TRAFFIC_USER_AGENT) return
  counts.clerk.total += 1
  if (entry.status === 429) counts.clerk.rateLimited += 1
  else counts.clerk.arrivals.push(entry.receivedAt)
  const route = entry.route ?? ''
  if (route.endsWith('/metadata')) {
    counts.clerk.writes += 1
    const subject = entry.path.split('/').at(-2) ?? ''
    counts.clerk.writesBySubject[subject] = (counts.clerk.writesBySubject[subject] ?? 0) + 1
  } else if (route === 'GET /users/count') {
    // How many pages the pass lists: users' pages carry no total.
    counts.clerk.lists += 1
  } else if (route === 'GET /users' || route === 'GET /organizations') {
    // A list filtered by ids reads those subjects (batched re-checks); the rest page the directory.
    if (entry.query.user_id || entry.query.organization_id) counts.clerk.reads += 1
    else counts.clerk.lists += 1
  } else if (route === 'GET /users/:userId' || route === 'GET /organizations/:organizationId')
    counts.clerk.reads += 1
}

function tallySanity(counts: RequestCounts, entry: RequestLogEntry, injectedMs: number): void {
  counts.sanity.total += 1
  if (!entry.route.startsWith('/data/query/')) return
  counts.sanity.queries += 1
  counts.sanity.queryMs += Math.max(0, entry.durationMs - injectedMs)
}

const benchUser = (role: LakeUser['role']): LakeUser => ({
  id: `pBench${role}`,
  name: `Bench ${role}`,
  email: `${role}@bench.test`,
  role,
  token: `sk-bench-${randomBytes(18).toString('base64url')}`,
})

/** Where the stand-ins listen and how to reach them: plain data, so a child process can send it. */
export interface StandInAddresses {
  clerkUrl: string
  clerkSecretKey: string
  lake: {apiHost: string; projectId: string; dataset: string; caCert: string}
  tokens: {administrator: string; editor: string; viewer: string}
}

export const STUDIO_ORIGIN = 'http://localhost:3333'

/** The proxy options for stand-ins at `addresses` (the viewer's token reads for the proxy). */
export function proxyOptionsFor(
  addresses: StandInAddresses,
  webhookSecret: string,
  extra: Partial<ClerkProxyOptions> = {},
): ClerkProxyOptions {
  const {apiHost, projectId, dataset} = addresses.lake
  return {
    clerkSecretKey: addresses.clerkSecretKey,
    clerkApiUrl: addresses.clerkUrl,
    sanity: {projectId, dataset, token: addresses.tokens.viewer, apiHost},
    allowedOrigins: [STUDIO_ORIGIN],
    webhookSecret,
    rateLimit: false,
    fetch: lakeFetch(addresses.lake.caCert),
    logger: {info: () => {}, warn: () => {}, error: (...args) => console.error('proxy:', ...args)},
    ...extra,
  }
}

/** Starts the stand-ins and the proxy; close it in a `finally`. */
export async function startBenchStack(options: BenchStackOptions = {}): Promise<BenchStack> {
  // By default an `sk_live_` key: the emulator applies Clerk's production limit and the proxy's
  // gateway budgets for the same 1000 requests per 10 s (`sk_test_`: 100 per 10 s).
  const keyPrefix = options.clerkInstance === 'development' ? 'sk_test_' : 'sk_live_'
  const clerk = await startClerkEmulator({
    secretKey: `${keyPrefix}bench${randomBytes(12).toString('hex')}`,
    rateLimit: options.clerkRateLimit ?? options.clerkInstance ?? 'production',
    latencyMs: options.clerkLatencyMs ?? 0,
    logLimit: 100_000,
  })
  for (const id of options.clerkUserIds ?? []) {
    clerk.store.createUser({id, first_name: 'Bench', last_name: id.slice(-6)})
  }
  const users = {
    administrator: benchUser('administrator'),
    editor: benchUser('editor'),
    viewer: benchUser('viewer'),
  }
  const projectId = `bench${process.pid}x${++stackCount}`
  const dataset = 'production'
  let lake: ContentLake
  try {
    lake = await startContentLake({
      projectId,
      dataset,
      users: Object.values(users),
      documents: options.documents ?? [],
    })
  } catch (error) {
    await clerk.close()
    throw error
  }
  if (options.lakeLatencyMs) lake.faults.add({route: '.*', delayMs: options.lakeLatencyMs})
  const tokens = {
    administrator: users.administrator.token,
    editor: users.editor.token,
    viewer: users.viewer.token,
  }
  const addresses: StandInAddresses = {
    clerkUrl: clerk.url,
    clerkSecretKey: clerk.secretKey,
    lake: {apiHost: lake.apiHost, projectId, dataset, caCert: lake.caCert},
    tokens,
  }
  const webhookSecret = randomBytes(24).toString('base64url')
  const proxy = createClerkProxy(proxyOptionsFor(addresses, webhookSecret, options.proxy))

  let counts = emptyCounts()
  const drain = () => {
    for (const entry of clerk.log) tallyClerk(counts, entry)
    clerk.clearLog()
    for (const entry of lake.requests.splice(0)) {
      tallySanity(counts, entry, options.lakeLatencyMs ?? 0)
    }
  }
  const drainer = setInterval(drain, 200)
  drain()
  counts = emptyCounts()

  return {
    clerk,
    lake,
    addresses,
    proxy,
    proxyOrigin: 'https://proxy.bench',
    studioOrigin: STUDIO_ORIGIN,
    webhookSecret,
    tokens,
    editor: createLakeClient(lake, 'administrator'),
    lakeFetch: lakeFetch(lake.caCert),
    counts() {
      drain()
      return structuredClone(counts)
    },
    resetCounts() {
      drain()
      counts = emptyCounts()
    },
    async close() {
      clearInterval(drainer)
      await Promise.all([clerk.close(), lake.close()])
    },
  }
}

/** A request to the in-process proxy as the Studio sends it (bearer token, Studio origin). */
export function studioRequest(
  stack: Pick<BenchStack, 'proxyOrigin' | 'studioOrigin' | 'tokens'>,
  path: string,
  init: RequestInit & {token?: string} = {},
): Request {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${init.token ?? stack.tokens.editor}`)
  headers.set('origin', stack.studioOrigin)
  return new Request(`${stack.proxyOrigin}${path}`, {...init, headers})
}

/** Calls the proxy and fails loudly on an error answer, naming the route and the body. */
export async function callProxy(
  stack: Pick<BenchStack, 'proxy'>,
  request: Request,
): Promise<unknown> {
  const response = await stack.proxy(request)
  const text = await response.text()
  if (!response.ok) {
    throw new Error(
      `${request.method} ${new URL(request.url).pathname} → ${response.status}: ${text}`,
    )
  }
  return text ? (JSON.parse(text) as unknown) : null
}
