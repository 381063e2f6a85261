/**
 * `startContentLake()`: the local Content Lake on loopback, HTTP/2 over TLS (the Studio needs
 * HTTP/2 for its many listener streams, and browsers only speak it over TLS) with HTTP/1.1
 * fallback for Node clients.
 */
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createSecureServer, type Http2Session} from 'node:http2'
import type {Socket} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createNodeFetch} from 'get-it/node'

import {createCertificate} from './certificate'
import type {LakeCore} from './core'
import {idOf} from './fields'
import {FaultInjector, type RequestLogEntry} from './faults'
import {FunctionRunner} from './functions'
import {Identity, defaultUsers} from './identity'
import {ListenerHub} from './listeners'
import {DebouncedSaver, loadNdjson} from './persistence'
import {QueryPlanner} from './planner'
import {QueryReplica, type QueryLag} from './replica'
import {createRequestHandler} from './router'
import {DocumentStore} from './store'
import type {
  LakeDocument,
  LakeFunction,
  LakeResolveFetch,
  LakeRole,
  LakeTransaction,
  LakeUser,
  WebhookConfig,
} from './types'
import {WebhookDispatcher, type WebhookTimings} from './webhooks'

/** The API version `clientConfig()` uses: new enough that the default perspective is `published`. */
export const LAKE_API_VERSION = '2025-02-19'

export interface ContentLakeOptions {
  projectId: string
  dataset: string
  /** 0 (default) picks a free port. */
  port?: number
  /** Seed documents (ignored for ids the data file already holds). */
  documents?: LakeDocument[]
  /** Default: one administrator, one editor, one viewer with random tokens. */
  users?: LakeUser[]
  webhooks?: WebhookConfig[]
  functions?: LakeFunction[]
  /** NDJSON file loaded at start and saved after each transaction (debounced) and on close. */
  dataFile?: string
  /** Retry timing for webhooks (tests shorten the 30 s default). */
  webhookTimings?: WebhookTimings
  /** Interval of `: ping` lines on listener streams (default 10 s). */
  listenerPingMs?: number
  /**
   * Eventually consistent GROQ, as on the hosted API: queries read the dataset as it was a
   * random `[minMs, maxMs]` ago (documents by id, writes and listeners stay current). Off by
   * default; change it later with `setQueryLag`.
   */
  queryLag?: QueryLag | null
  /**
   * Answer GROQ through the indexes (default true). False scans every document for every
   * query, as before the indexes: the baseline benches and property tests compare against.
   */
  indexedQueries?: boolean
}

/** What `@sanity/client` needs to reach the lake (spread it into `createClient`). */
export interface LakeClientConfig {
  projectId: string
  dataset: string
  apiHost: string
  token: string
  useProjectHostname: false
  useCdn: false
  apiVersion: string
}

export interface ContentLake {
  /** `https://localhost:<port>`; browsers reach it as `https://<projectId>.localhost:<port>`. */
  apiHost: string
  port: number
  projectId: string
  dataset: string
  /** An administrator's token. */
  token: string
  users: readonly LakeUser[]
  /** The self-signed certificate (PEM), also written to `caCertPath` for NODE_EXTRA_CA_CERTS. */
  caCert: string
  caCertPath: string
  /** A `@sanity/client` transport that trusts the lake's certificate (`resolveFetch` option). */
  resolveFetch: LakeResolveFetch
  /** Client settings for a user of the given role (default administrator). */
  clientConfig(role?: LakeRole): LakeClientConfig
  documents(): LakeDocument[]
  getDocument(id: string): LakeDocument | undefined
  transactions(): readonly LakeTransaction[]
  /** Every request, newest last (capped at 10 000). */
  requests: RequestLogEntry[]
  faults: FaultInjector
  webhooks: WebhookDispatcher
  functions: FunctionRunner
  /** Sets (or with null removes) the query replica's lag; see `ContentLakeOptions.queryLag`. */
  setQueryLag(lag: QueryLag | null): void
  /** The query lag in force, or null when queries read the current dataset. */
  queryLag(): QueryLag | null
  /** Switches the query indexes on or off (see `ContentLakeOptions.indexedQueries`). */
  setIndexedQueries(indexed: boolean): void
  /** How many listener streams are open now. */
  openListeners(): number
  /** Ends all listener streams, as a network drop would. Returns how many were open. */
  dropListeners(): number
  /** Waits until listener events, webhook deliveries (including retries) and Functions are done. */
  settled(): Promise<void>
  /** Writes the data file now (no-op without one). */
  save(): Promise<void>
  close(): Promise<void>
}

async function initialDocuments(options: ContentLakeOptions): Promise<LakeDocument[]> {
  const stored = options.dataFile ? await loadNdjson(options.dataFile) : []
  const ids = new Set(stored.map((document) => idOf(document)))
  const seeds = (options.documents ?? []).filter((document) => !ids.has(idOf(document)))
  const now = new Date().toISOString()
  return [
    ...stored,
    ...seeds.map((document) => ({
      _createdAt: now,
      _updatedAt: now,
      _rev: 'seed',
      ...document,
    })),
  ]
}

export async function startContentLake(options: ContentLakeOptions): Promise<ContentLake> {
  const {projectId, dataset} = options
  if (!/^[a-z0-9-]+$/.test(projectId)) {
    throw new Error(
      `content-lake: projectId "${projectId}" must be lowercase letters, digits, dashes`,
    )
  }
  const identity = new Identity(options.users ?? defaultUsers())
  const store = new DocumentStore(await initialDocuments(options))
  const certificate = await createCertificate()
  const certDir = await mkdtemp(join(tmpdir(), 'content-lake-'))
  const caCertPath = join(certDir, 'ca.pem')
  await writeFile(caCertPath, certificate.cert)

  const fetchTrustingLake = createNodeFetch({proxy: false, tls: {ca: certificate.cert}})
  const resolveFetch: LakeResolveFetch = () => fetchTrustingLake
  let apiHost = ''
  const clientConfig = (role: LakeRole = 'administrator'): LakeClientConfig => ({
    projectId,
    dataset,
    apiHost,
    token: identity.byRole(role).token,
    useProjectHostname: false,
    useCdn: false,
    apiVersion: LAKE_API_VERSION,
  })

  const core: LakeCore = {
    projectId,
    dataset,
    store,
    replica: new QueryReplica(store, options.queryLag),
    planner: options.indexedQueries === false ? null : new QueryPlanner(store.indexes),
    identity,
    listeners: new ListenerHub(options.listenerPingMs),
    webhooks: new WebhookDispatcher({projectId, dataset}, options.webhookTimings),
    functions: new FunctionRunner({projectId, dataset}, () => ({
      clientOptions: {...clientConfig(), resolveFetch},
      local: true,
    })),
    faults: new FaultInjector(),
    requests: [],
  }
  for (const webhook of options.webhooks ?? []) core.webhooks.add(webhook)
  for (const fn of options.functions ?? []) core.functions.register(fn)

  const saver = options.dataFile ? new DebouncedSaver(options.dataFile, () => store.all()) : null
  let listenerDelivery: Promise<void> = Promise.resolve()
  store.subscribe((transaction) => {
    listenerDelivery = core.listeners.publish(transaction)
    core.webhooks.handle(transaction)
    core.functions.handle(transaction)
    saver?.schedule()
  })

  const server = createSecureServer(
    {key: certificate.key, cert: certificate.cert, allowHTTP1: true},
    createRequestHandler(core),
  )
  const sessions = new Set<Http2Session>()
  const sockets = new Set<Socket>()
  server.on('session', (session) => {
    sessions.add(session)
    session.on('close', () => sessions.delete(session))
  })
  server.on('secureConnection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  // No WebSocket (the Studio's presence socket): it retries with backoff and works without.
  server.on('upgrade', (_request, socket: Socket) => {
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n')
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  apiHost = `https://localhost:${port}`

  let closed = false
  return {
    apiHost,
    port,
    projectId,
    dataset,
    token: identity.admin().token,
    users: identity.users,
    caCert: certificate.cert,
    caCertPath,
    resolveFetch,
    clientConfig,
    documents: () => store.all(),
    getDocument: (id) => store.get(id),
    transactions: () => store.transactions(),
    requests: core.requests,
    faults: core.faults,
    webhooks: core.webhooks,
    functions: core.functions,
    setQueryLag: (lag) => core.replica.set(lag),
    queryLag: () => core.replica.lag,
    setIndexedQueries: (indexed) => {
      core.planner = indexed ? (core.planner ?? new QueryPlanner(store.indexes)) : null
    },
    openListeners: () => core.listeners.size,
    dropListeners: () => core.listeners.dropAll(),
    async settled() {
      await listenerDelivery
      await core.functions.idle()
      await core.webhooks.idle()
    },
    save: async () => saver?.flush(),
    async close() {
      if (closed) return
      closed = true
      core.listeners.close()
      core.webhooks.close()
      await saver?.flush()
      for (const session of sessions) session.destroy()
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(certDir, {recursive: true, force: true})
    },
  }
}
