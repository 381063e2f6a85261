/**
 * The whole proxy against the local stand-ins, for tests: the Clerk emulator behind the real
 * `@clerk/backend`, the local Content Lake behind the real `@sanity/client` and for the editors'
 * identity checks. Records every response body and log line so suites can prove that no secret
 * ever leaves the proxy. Test support only; never imported by the proxy itself.
 */
import {randomBytes} from 'node:crypto'

import {encodeSignatureHeader} from '@sanity/webhook'

import {startClerkEmulator, type ClerkEmulator} from '../../emulators/clerk'
import {
  createLakeClient,
  startContentLake,
  type ContentLake,
  type LakeDocument,
  type LakeRole,
} from '../../emulators/content-lake'
import {createClerkProxy, type ClerkProxyHandler} from '../createClerkProxy'
import type {ClerkProxyOptions} from '../options'

export const STUDIO_ORIGIN = 'https://studio.example.test'
export const BASE_PATH = '/api/clerk'

/** Plans, roles, courses and entitlements most suites need. */
export const CONTENT: LakeDocument[] = [
  {_id: 'plan-basic', _type: 'clerkPlan', title: 'Basic', key: 'basic', rank: 1},
  {_id: 'plan-pro', _type: 'clerkPlan', title: 'Pro', key: 'pro', rank: 2},
  {_id: 'role-editor', _type: 'clerkRole', title: 'Editor', key: 'editor', rank: 1},
  {_id: 'course-intro', _type: 'course', title: 'Intro', slug: {_type: 'slug', current: 'intro'}},
  {
    _id: 'course-advanced',
    _type: 'course',
    title: 'Advanced',
    slug: {_type: 'slug', current: 'advanced'},
  },
]

/** An entitlement document granting `plan` (and courses) to `subject`. */
export function entitlement(
  id: string,
  subject: string,
  {plan = 'plan-pro', courses = [] as string[]} = {},
): LakeDocument {
  return {
    _id: id,
    _type: 'clerkEntitlement',
    title: `${subject} ${plan}`,
    ...(subject.startsWith('org_') ? {clerkOrganizationId: subject} : {clerkUserId: subject}),
    plan: {_type: 'reference', _ref: plan},
    grants: courses.map((course) => ({_type: 'reference', _ref: course, _key: course})),
  }
}

export interface CallOptions {
  method?: string
  /** A lake role (its user's token), a literal token, or `null` for none. Default `administrator`. */
  as?: LakeRole | {token: string} | null
  origin?: string | null
  body?: unknown
  /** Sent as is (no JSON encoding). */
  rawBody?: BodyInit
  headers?: Record<string, string>
}

export interface WebhookOptions {
  timestamp?: number
  headers?: Record<string, string>
  secret?: string
}

/** A second proxy instance of a harness (see {@link ProxyHarness.instance}). */
export interface ProxyInstance {
  handler: ClerkProxyHandler
  call(path: string, options?: CallOptions): Promise<Response>
  webhook(body: unknown, options?: WebhookOptions): Promise<Response>
}

export interface ProxyHarness {
  clerk: ClerkEmulator
  lake: ContentLake
  handler: ClerkProxyHandler
  /** The options the handler was created with. */
  options: ClerkProxyOptions
  secrets: {clerkSecretKey: string; sanityToken: string; webhookSecret: string}
  /** Calls the handler directly with a Web `Request` for `BASE_PATH + path`. */
  call(path: string, options?: CallOptions): Promise<Response>
  /** Sends a signed webhook delivery of `body` (timestamp default now). */
  webhook(body: unknown, options?: WebhookOptions): Promise<Response>
  /** The signed delivery request itself, e.g. to send to another instance. */
  signedWebhook(body: unknown, options?: WebhookOptions): Promise<Request>
  /**
   * Another proxy instance on the same lake and Clerk, with these options on top (pass the same
   * `store` to both to share it): its own engine, queues and caches, as a second process has.
   */
  instance(overrides?: Partial<ClerkProxyOptions>): ProxyInstance
  /** Creates a Clerk user directly in the emulator and returns its id. */
  createUser(firstName: string): string
  /** Writes documents as an administrator (published unless the id says otherwise). */
  publish(...documents: LakeDocument[]): Promise<void>
  /** Every response body and log line seen so far. */
  transcript: string[]
  close(): Promise<void>
}

let harnesses = 0

export async function startProxyHarness(
  options: {documents?: LakeDocument[]; proxy?: Partial<ClerkProxyOptions>} = {},
): Promise<ProxyHarness> {
  const clerkSecretKey = `sk_test_${randomBytes(12).toString('hex')}`
  const webhookSecret = `whsec-${randomBytes(12).toString('hex')}`
  const clerk = await startClerkEmulator({secretKey: clerkSecretKey, rateLimit: false})
  const lake = await startContentLake({
    projectId: `proxy-${process.pid}-${++harnesses}`,
    dataset: 'test',
    documents: options.documents ?? CONTENT,
  })
  const sanityToken = lake.clientConfig('viewer').token
  const transcript: string[] = []
  const record =
    (level: string) =>
    (message: string, ...details: unknown[]) =>
      transcript.push(`${level} ${message} ${JSON.stringify(details)}`)
  const proxyOptions: ClerkProxyOptions = {
    clerkSecretKey,
    clerkApiUrl: clerk.url,
    clerkRateLimit: {requests: 100_000, perMs: 1000},
    clerkRetry: {maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 5000},
    sanity: {
      projectId: lake.projectId,
      dataset: lake.dataset,
      apiHost: lake.apiHost,
      token: sanityToken,
    },
    allowedOrigins: [STUDIO_ORIGIN],
    basePath: BASE_PATH,
    webhookSecret,
    fetch: lake.resolveFetch(),
    logger: {info: record('info'), warn: record('warn'), error: record('error')},
    // Re-checks run when a test asks for them (the sweep), not from timers mid-test.
    convergence: {timer: false},
    ...options.proxy,
  }
  const handler = createClerkProxy(proxyOptions)
  const editorClient = createLakeClient(lake, 'administrator')

  const tokenFor = (as: CallOptions['as']) => {
    if (as === null) return null
    if (typeof as === 'object') return as.token
    return lake.clientConfig(as ?? 'administrator').token
  }

  const signedWebhook = async (
    body: unknown,
    {timestamp = Date.now(), headers = {}, secret = webhookSecret}: WebhookOptions = {},
  ) => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body)
    return new Request(`http://127.0.0.1${BASE_PATH}/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'sanity-webhook-signature': await encodeSignatureHeader(raw, timestamp, secret),
        ...headers,
      },
      body: raw,
    })
  }

  const requestFor = (
    path: string,
    {method, as, origin, body, rawBody, headers}: CallOptions = {},
  ): Request => {
    const token = tokenFor(as)
    const hasBody = body !== undefined || rawBody !== undefined
    return new Request(`http://127.0.0.1${BASE_PATH}${path}`, {
      method: method ?? (hasBody ? 'POST' : 'GET'),
      headers: {
        ...(token ? {authorization: `Bearer ${token}`} : {}),
        ...(origin === undefined ? {origin: STUDIO_ORIGIN} : origin ? {origin} : {}),
        ...(hasBody ? {'content-type': 'application/json'} : {}),
        ...headers,
      },
      ...(hasBody ? {body: rawBody ?? JSON.stringify(body)} : {}),
    })
  }

  const send = async (request: Request) => {
    const response = await handler(request)
    const text = await response.clone().text()
    transcript.push(text)
    return response
  }

  return {
    clerk,
    lake,
    handler,
    options: proxyOptions,
    secrets: {clerkSecretKey, sanityToken, webhookSecret},
    transcript,
    call: (path, callOptions) => send(requestFor(path, callOptions)),
    signedWebhook,
    async webhook(body, delivery) {
      return send(await signedWebhook(body, delivery))
    },
    instance(overrides = {}) {
      const other = createClerkProxy({...proxyOptions, ...overrides})
      return {
        handler: other,
        call: async (path, callOptions) => other(requestFor(path, callOptions)),
        webhook: async (body, delivery) => other(await signedWebhook(body, delivery)),
      }
    },
    createUser(firstName) {
      return clerk.store.createUser({
        first_name: firstName,
        email_address: [`${firstName.toLowerCase()}@example.test`],
      }).id
    },
    async publish(...documents) {
      const transaction = editorClient.transaction()
      for (const document of documents) transaction.createOrReplace(document)
      await transaction.commit()
    },
    async close() {
      await Promise.all([clerk.close(), lake.close()])
    },
  }
}

/** Asserts nothing in `transcript` contains any of `secrets`; returns how many entries were checked. */
export function findSecrets(
  transcript: readonly string[],
  secrets: Record<string, string>,
): string[] {
  return transcript.flatMap((entry) =>
    Object.entries(secrets)
      .filter(([, secret]) => entry.includes(secret))
      .map(([name]) => `${name} in: ${entry.slice(0, 120)}`),
  )
}
