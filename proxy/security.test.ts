/**
 * Hostile input, table-driven: every attempt must be refused with a 4xx (never a crash, never a
 * 2xx), make no Clerk write and echo no secret. Prints one summary line:
 * `security: <attempts> hostile requests, <accepted> accepted, <written> Clerk writes, <leaked> leaks`.
 */
import {encodeSignatureHeader} from '@sanity/webhook'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {
  BASE_PATH,
  entitlement,
  findSecrets,
  startProxyHarness,
  STUDIO_ORIGIN,
  type ProxyHarness,
} from './routes/testing'

let h: ProxyHarness
let victim: string
const outcomes: Array<{name: string; status: number; wrote: number; leaked: number}> = []

beforeAll(async () => {
  h = await startProxyHarness()
  victim = h.createUser('Victim')
  await h.publish(entitlement('ent-victim', victim))
})

afterAll(async () => {
  const accepted = outcomes.filter((o) => o.status < 400).length
  const written = outcomes.reduce((sum, o) => sum + o.wrote, 0)
  const leaked = outcomes.reduce((sum, o) => sum + o.leaked, 0)
  console.info(
    `security: ${outcomes.length} hostile requests, ${accepted} accepted, ${written} Clerk writes, ${leaked} leaks`,
  )
  await h?.close()
})

type Role = 'administrator' | 'editor' | 'viewer'
interface Attempt {
  method?: string
  path: string
  as?: Role | string | null
  origin?: string | null
  headers?: Record<string, string>
  body?: string
}

const token = (as: Attempt['as']) =>
  as === null
    ? null
    : as === undefined || ['administrator', 'editor', 'viewer'].includes(as)
      ? h.lake.clientConfig((as ?? 'administrator') as Role).token
      : as

function request({method, path, as, origin, headers = {}, body}: Attempt): Request {
  const bearer = token(as)
  return new Request(`http://127.0.0.1${BASE_PATH}${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(bearer ? {authorization: `Bearer ${bearer}`} : {}),
      ...(origin === undefined ? {origin: STUDIO_ORIGIN} : origin ? {origin} : {}),
      ...headers,
    },
    ...(body === undefined ? {} : {body}),
  })
}

const sync = (body: unknown, extra: Partial<Attempt> = {}): Attempt => ({
  path: '/sync',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  ...extra,
})

async function signed(body: string, timestamp = Date.now(), secret?: string): Promise<Attempt> {
  return {
    path: '/webhook',
    as: null,
    origin: null,
    body,
    headers: {
      'sanity-webhook-signature': await encodeSignatureHeader(
        body,
        timestamp,
        secret ?? h.secrets.webhookSecret,
      ),
    },
  }
}

const hostile: Array<[string, () => Attempt | Promise<Attempt>]> = [
  // Identity
  ['no token on sync', () => sync({subjects: ['user_x']}, {as: null})],
  [
    'empty bearer',
    () => sync({subjects: ['user_x']}, {as: null, headers: {authorization: 'Bearer '}}),
  ],
  [
    'basic auth',
    () =>
      sync({subjects: ['user_x']}, {as: null, headers: {authorization: 'Basic YWRtaW46YWRtaW4='}}),
  ],
  [
    'token in the query string',
    () => ({path: `/me?token=${h.lake.clientConfig('administrator').token}`, as: null}),
  ],
  [
    'token in a cookie',
    () => ({
      path: '/me',
      as: null,
      headers: {cookie: `sanitySession=${h.lake.clientConfig('administrator').token}`},
    }),
  ],
  ['unknown token', () => sync({subjects: ['user_x']}, {as: 'skGuessedToken123'})],
  [
    'token with a header injection',
    () => ({path: '/me', as: null, headers: {authorization: 'Bearer abc\tdef'}}),
  ],
  ['10 KB token', () => ({path: '/me', as: 'x'.repeat(10_000)})],
  ['the proxy’s own Clerk key as token', () => ({path: '/me', as: h.secrets.clerkSecretKey})],
  ['viewer syncs', () => sync({subjects: [victim]}, {as: 'viewer'})],
  ['viewer reconciles', () => ({path: '/reconcile', as: 'viewer', body: '{"dryRun":false}'})],
  ['editor reconciles', () => ({path: '/reconcile', as: 'editor', body: '{"dryRun":false}'})],
  // Origins
  [
    'foreign origin with an admin token',
    () => sync({subjects: [victim]}, {origin: 'https://evil.example'}),
  ],
  [
    'origin suffix trick',
    () => sync({subjects: [victim]}, {origin: `${STUDIO_ORIGIN}.evil.example`}),
  ],
  [
    'origin scheme downgrade',
    () => sync({subjects: [victim]}, {origin: STUDIO_ORIGIN.replace('https', 'http')}),
  ],
  ['origin null', () => sync({subjects: [victim]}, {origin: 'null'})],
  [
    'preflight from a foreign origin',
    () => ({method: 'OPTIONS', path: '/sync', as: null, origin: 'https://evil.example'}),
  ],
  // Ids and paths
  ...[
    '/users/..%2F..%2Fv1%2Fusers',
    '/users/user_1%2F..%2F..%2Fusers',
    '/users/%2e%2e',
    '/users/%252e%252e%252fusers',
    '/users/user_1;drop',
    '/users/user_1%00',
    '/users/user_%EF%BC%91',
    '/users/user_',
    `/users/user_${'a'.repeat(10_000)}!`,
    '/organizations/org_1%0d%0aX-Injected:%201',
    '/organizations/user_1',
    '/users/org_1',
  ].map((path): [string, () => Attempt] => [`path ${path.slice(0, 40)}`, () => ({path})]),
  // Bodies
  ['malformed JSON', () => sync('{"subjects": [')],
  ['JSON with a BOM and garbage', () => sync('\uFEFF{"subjects"')],
  ['10,000 levels of nesting', () => sync(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)],
  ['1 MB body', () => sync({subjects: [victim], pad: 'x'.repeat(1024 * 1024)})],
  ['prototype pollution', () => sync('{"__proto__": {"subjects": ["user_evil"]}}')],
  [
    'constructor pollution',
    () => sync('{"constructor": {"prototype": {"subjects": ["user_evil"]}}}'),
  ],
  ['GROQ injection in a subject', () => sync({subjects: ['user_1" || true || "']})],
  [
    'GROQ injection in documentId',
    () => sync({documentId: 'x") || _type == "clerkEntitlement" || ("'}),
  ],
  ['wildcard documentId', () => sync({documentId: '*'})],
  ['draft documentId', () => sync({documentId: 'drafts.ent-victim'})],
  ['path documentId', () => sync({documentId: '../ent-victim'})],
  [
    'access facts in the body',
    () => sync({plan: 'enterprise', publicMetadata: {plan: 'enterprise'}}),
  ],
  ['subjects as an object', () => sync({subjects: {0: victim, length: 1}})],
  ['101 subjects', () => sync({subjects: Array.from({length: 101}, (_, i) => `user_${i}`)})],
  ['reconcile without dryRun', () => ({path: '/reconcile', body: '{"kinds":["user"]}'})],
  // Webhooks
  [
    'unsigned webhook',
    () => ({path: '/webhook', as: null, origin: null, body: JSON.stringify({_id: 'ent-victim'})}),
  ],
  [
    'webhook signed with a guessed secret',
    () =>
      signed(
        JSON.stringify({
          _id: 'ent-victim',
          _type: 'clerkEntitlement',
          after: {clerkUserId: victim},
        }),
        Date.now(),
        'secret',
      ),
  ],
  [
    'replayed webhook (10 minutes old)',
    () =>
      signed(
        JSON.stringify({
          _id: 'ent-victim',
          _type: 'clerkEntitlement',
          after: {clerkUserId: victim},
        }),
        Date.now() - 600_000,
      ),
  ],
  [
    'webhook from the future',
    () =>
      signed(
        JSON.stringify({
          _id: 'ent-victim',
          _type: 'clerkEntitlement',
          after: {clerkUserId: victim},
        }),
        Date.now() + 600_000,
      ),
  ],
  [
    'webhook with t=0',
    async () => ({
      ...(await signed('{"_id":"ent-victim"}')),
      headers: {'sanity-webhook-signature': 't=0,v1=abc'},
    }),
  ],
  [
    'webhook with two signatures',
    async () => {
      const attempt = await signed('{"_id":"ent-victim"}')
      return {
        ...attempt,
        headers: {
          'sanity-webhook-signature': `${attempt.headers!['sanity-webhook-signature']},v1=forged`,
        },
      }
    },
  ],
  [
    'tampered webhook body',
    async () => ({
      ...(await signed('{"_id":"ent-other"}')),
      body: `{"_id":"ent-victim","_type":"clerkEntitlement","after":{"clerkUserId":"${victim}"}}`,
    }),
  ],
  ['signed webhook without _id', () => signed('{"_type":"clerkEntitlement"}')],
  ['signed webhook that is not JSON', () => signed('not json')],
  // Methods and queries
  ['PUT /sync', () => ({method: 'PUT', path: '/sync', body: '{}'})],
  ['DELETE /users/:id', () => ({method: 'DELETE', path: `/users/${victim}`})],
  [
    'PATCH /users/:id',
    () => ({method: 'PATCH', path: `/users/${victim}`, body: '{"publicMetadata":{"plan":"x"}}'}),
  ],
  ['limit=1e9', () => ({path: '/users?limit=1000000000'})],
  ['limit=-1', () => ({path: '/users?limit=-1'})],
  ['offset=NaN', () => ({path: '/users?offset=NaN'})],
  ['10 KB query', () => ({path: `/users?query=${'a'.repeat(10_000)}`})],
  ['unknown route', () => ({path: '/__admin'})],
]

describe('hostile input', () => {
  it.each(hostile)('refuses: %s', async (name, build) => {
    h.clerk.clearLog()
    const response = await h.handler(request(await build()))
    const text = await response.text()
    const wrote = h.clerk.log.filter((entry) => entry.method !== 'GET').length
    const leaked = findSecrets([text, JSON.stringify([...response.headers])], h.secrets).length
    outcomes.push({name, status: response.status, wrote, leaked})
    expect([400, 401, 403, 404, 413, 422]).toContain(response.status)
    expect(wrote).toBe(0)
    expect(leaked).toBe(0)
  })

  it('left the victim’s Clerk metadata untouched', () => {
    expect(h.clerk.store.getUser(victim)?.public_metadata).toEqual({})
  })

  it('never logged a secret', () => {
    expect(findSecrets(h.transcript, h.secrets)).toEqual([])
  })
})
