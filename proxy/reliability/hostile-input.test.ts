/**
 * Hostile input against every proxy route, table-driven: missing, wrong, foreign and
 * under-privileged tokens; forged, tampered, stale and replayed webhooks; foreign origins;
 * oversized, malformed and deeply nested bodies and bodies that are not JSON; ids that try path
 * traversal or GROQ; huge query strings; unicode; searches by roles that may not search; syncs of
 * users whose keys someone else wrote; sprays of tokens (limited per client before Sanity is
 * asked); upstream errors quoting secrets; insecure Studio configuration. Each attempt must be
 * refused (or, for reads, answered without effect), must write nothing to Clerk, and no response
 * or log line may carry a secret or anyone's private metadata. It prints
 * `hostile: accepted N of M tried`; N must stay 0.
 */
import {encodeSignatureHeader} from '@sanity/webhook'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {startContentLake, type ContentLake} from '../../emulators/content-lake'
import type {ProxyErrorBody} from '../../core/contract'
import {clerkAccess} from '../../src'
import {createClerkProxy} from '../createClerkProxy'
import type {ClerkProxyOptions} from '../options'
import {
  BASE_PATH,
  entitlement,
  findSecrets,
  startProxyHarness,
  STUDIO_ORIGIN,
  type CallOptions,
  type ProxyHarness,
} from '../testing/proxy-harness'
import {createFigureTable} from './summary'

const PRIVATE_MARKER = 'PRIVATE-cus_9f3k2-do-not-leak'
const figures = createFigureTable('hostile input: attempts against every proxy route')
/** The proxy's clock: real time, unless a test freezes it (so limits never depend on speed). */
let frozenAt: number | null = null
const clock = () => frozenAt ?? Date.now()
let h: ProxyHarness
let otherProject: ContentLake
let ada: string
let org: string
/** A user whose `role` and `plan` another system wrote, and whom no entitlement names. */
let foreigner: string
/** Every secret no answer may carry: the proxy's own and the callers' tokens. */
let secrets: Record<string, string>
/** A webhook delivery as Sanity sent it, captured for replays. */
let captured: {body: string; headers: Record<string, string>}

beforeAll(async () => {
  h = await startProxyHarness({proxy: {now: clock}})
  otherProject = await startContentLake({projectId: `other-${process.pid}`, dataset: 'test'})
  secrets = {
    ...h.secrets,
    privateMetadata: PRIVATE_MARKER,
    administratorToken: h.lake.clientConfig('administrator').token,
    editorToken: h.lake.clientConfig('editor').token,
    viewerToken: h.lake.clientConfig('viewer').token,
  }
  foreigner = h.clerk.store.createUser({
    first_name: 'Foreign',
    public_metadata: {role: 'org:admin', plan: 'team'},
  }).id
  ada = h.clerk.store.createUser({
    first_name: 'Ada',
    email_address: ['ada@example.test'],
    public_metadata: {internalNote: PRIVATE_MARKER},
    private_metadata: {stripeId: PRIVATE_MARKER},
    unsafe_metadata: {note: PRIVATE_MARKER},
  }).id
  org = h.clerk.store.createOrganization({
    name: 'Acme',
    created_by: ada,
    private_metadata: {contract: PRIVATE_MARKER},
  }).id
  await h.publish(entitlement('ent-ada', ada, {plan: 'plan-pro', courses: ['course-intro']}))
  await h.call('/sync', {body: {subjects: [ada, org]}})
  const body = JSON.stringify({
    _id: 'ent-ada',
    _type: 'clerkEntitlement',
    before: null,
    after: {clerkUserId: ada},
  })
  captured = {
    body,
    headers: {
      'content-type': 'application/json',
      'idempotency-key': 'delivery-1',
      'sanity-webhook-signature': await encodeSignatureHeader(
        body,
        Date.now(),
        h.secrets.webhookSecret,
      ),
    },
  }
  const delivered = await sendWebhook(captured.body, captured.headers)
  if (delivered.status !== 200) throw new Error(`the genuine delivery failed: ${delivered.status}`)
})

afterAll(async () => {
  figures.print()
  console.info(
    `hostile: accepted ${figures.get('accepted (goal 0)')} of ${figures.get('attempts')} tried`,
  )
  await Promise.all([h?.close(), otherProject?.close()])
})

function withoutIdempotencyKey(headers: Record<string, string>) {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'idempotency-key'))
}

function sendWebhook(body: BodyInit, headers: Record<string, string>) {
  return h.handler(
    new Request(`http://127.0.0.1${BASE_PATH}/webhook`, {method: 'POST', headers, body}),
  )
}

async function signedWebhook(body: string, timestamp: number, secret = h.secrets.webhookSecret) {
  return {
    'content-type': 'application/json',
    'sanity-webhook-signature': await encodeSignatureHeader(body, timestamp, secret),
  }
}

/**
 * One attempt. `refusedWith` lists the statuses that count as a refusal; `harmless` marks a read
 * whose correct answer is a 200 without effect (a search for a GROQ-looking string finds nothing).
 */
interface Attempt {
  name: string
  send: () => Promise<Response>
  refusedWith: number[]
  harmless?: true
  /** A CORS preflight refusal has no body: browsers never show it to scripts. */
  bodyless?: true
}

const STUDIO_ROUTES: Array<[string, Pick<CallOptions, 'body' | 'method'>]> = [
  ['/me', {}],
  ['/users?query=ada', {}],
  ['/users/USER', {}],
  ['/organizations', {}],
  ['/organizations/ORG', {}],
  ['/sync', {body: {subjects: ['USER']}}],
  ['/reconcile', {body: {dryRun: false}}],
]

function everyStudioRoute(
  name: string,
  as: CallOptions['as'],
  refusedWith: number[],
  extra: Partial<CallOptions> = {},
): Attempt[] {
  return STUDIO_ROUTES.map(([path, options]) => ({
    name: `${name}: ${path.replace(/\?.*$/, '')}`,
    refusedWith,
    send: () =>
      h.call(path.replace('USER', ada).replace('ORG', org), {
        ...options,
        ...(options.body
          ? {body: JSON.parse(JSON.stringify(options.body).replace('USER', ada))}
          : {}),
        as,
        ...extra,
      }),
  }))
}

const deeplyNested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`
const lookalikeToken = `sk${'A'.repeat(78)}`

const attempts: Record<string, () => Attempt[]> = {
  identity: () => [
    ...everyStudioRoute('no token', null, [401]),
    ...everyStudioRoute('wrong token', {token: 'skWrongTokenThatSanityNeverIssued'}, [401]),
    ...everyStudioRoute('expired or revoked token', {token: lookalikeToken}, [401]),
    ...everyStudioRoute(
      'another project’s admin token',
      {
        token: otherProject.clientConfig('administrator').token,
      },
      [401],
    ),
    {
      name: 'token with spaces',
      refusedWith: [401],
      send: () => h.call('/me', {as: {token: 'two words'}}),
    },
    {
      name: 'token of 10 000 characters',
      refusedWith: [401],
      send: () => h.call('/me', {as: {token: 'a'.repeat(10_000)}}),
    },
    {
      name: 'unicode token',
      refusedWith: [401],
      send: () => h.call('/me', {headers: {authorization: 'Bearer t\u00f6k\u00e9n'}}),
    },
    {
      name: 'the proxy’s own Clerk secret key as token',
      refusedWith: [401],
      send: () => h.call('/me', {as: {token: h.secrets.clerkSecretKey}}),
    },
    {
      name: 'Basic instead of Bearer',
      refusedWith: [401],
      send: () =>
        h.call('/me', {as: null, headers: {authorization: `Basic ${btoa('admin:admin')}`}}),
    },
  ],
  permissions: () => [
    {
      name: 'viewer syncs',
      refusedWith: [403],
      send: () => h.call('/sync', {as: 'viewer', body: {subjects: [ada]}}),
    },
    {
      name: 'viewer syncs a document',
      refusedWith: [403],
      send: () => h.call('/sync', {as: 'viewer', body: {documentId: 'ent-ada'}}),
    },
    {
      name: 'viewer reconciles',
      refusedWith: [403],
      send: () => h.call('/reconcile', {as: 'viewer', body: {dryRun: false}}),
    },
    {
      name: 'editor reconciles',
      refusedWith: [403],
      send: () => h.call('/reconcile', {as: 'editor', body: {dryRun: false}}),
    },
    ...['/users?query=a', '/users?query=', '/organizations?query=a', '/organizations'].map(
      (path) => ({
        name: `viewer pages through the directory: ${path}`,
        refusedWith: [403],
        send: () => h.call(path, {as: 'viewer'}),
      }),
    ),
    {
      name: 'editor reads private metadata',
      refusedWith: [200],
      harmless: true,
      send: () => h.call(`/users/${ada}`, {as: 'editor'}),
    },
  ],
  ownership: () => [
    {
      name: 'sync a user whose role and plan someone else wrote',
      refusedWith: [200],
      harmless: true,
      send: () => h.call('/sync', {as: 'editor', body: {subjects: [foreigner]}}),
    },
    {
      name: 'sync the same user among others, by id and again',
      refusedWith: [200],
      harmless: true,
      send: () => h.call('/sync', {body: {subjects: [foreigner, ada, foreigner]}}),
    },
    {
      name: 'reconcile everything (not a dry run)',
      refusedWith: [200],
      harmless: true,
      send: () => h.call('/reconcile', {body: {dryRun: false}}),
    },
  ],
  'content types': () => [
    ...[
      ['text/plain', '/sync', {subjects: ['USER']}],
      ['application/x-www-form-urlencoded', '/sync', {subjects: ['USER']}],
      ['multipart/form-data; boundary=x', '/sync', {subjects: ['USER']}],
      ['text/plain;charset=UTF-8', '/reconcile', {dryRun: false}],
      ['application/json-patch+json', '/sync', {subjects: ['USER']}],
    ].map(([type, path, body]) => ({
      name: `${path} as ${String(type)}`,
      refusedWith: [415],
      send: () =>
        h.call(String(path), {
          rawBody: JSON.stringify(body).replace('USER', ada),
          headers: {'content-type': String(type)},
        }),
    })),
    {
      name: '/sync without a content type',
      refusedWith: [415],
      send: () =>
        h.handler(
          new Request(`http://127.0.0.1${BASE_PATH}/sync`, {
            method: 'POST',
            headers: {authorization: `Bearer ${secrets.administratorToken}`},
            body: new Blob([JSON.stringify({subjects: [ada]})]),
          }),
        ),
    },
  ],
  'secrets in relayed upstream errors': () =>
    (['clerkSecretKey', 'sanityToken', 'webhookSecret', 'administratorToken'] as const).flatMap(
      (name) => {
        const quoting = () => `boom ${secrets[name]} and again "${secrets[name]}"`
        const failing = async (status: number, path: RegExp, call: () => Promise<Response>) => {
          h.clerk.faults.add({
            path,
            times: Infinity,
            fault: {type: 'status', status, message: quoting()},
          })
          try {
            const response = await call()
            // Read it while the fault still stands (NDJSON streams run while being read).
            const text = await response.text()
            return new Response(text, {status: response.status, headers: response.headers})
          } finally {
            h.clerk.faults.clear()
          }
        }
        return [
          {
            name: `Clerk quotes the ${name} on a sync`,
            refusedWith: [200],
            harmless: true as const,
            send: () =>
              failing(500, /^\/v1\/users\//, () =>
                h.call('/sync', {body: {subjects: [foreigner, ada]}}),
              ),
          },
          {
            name: `Clerk quotes the ${name} on a search`,
            refusedWith: [502, 503],
            send: () => failing(503, /^\/v1\/users$/, () => h.call('/users?query=ada')),
          },
          {
            name: `Clerk quotes the ${name} on a status`,
            refusedWith: [400, 422, 502],
            send: () => failing(422, /^\/v1\/users\//, () => h.call(`/users/${ada}`)),
          },
          {
            name: `Clerk quotes the ${name} in a reconcile stream`,
            refusedWith: [200],
            harmless: true as const,
            send: () =>
              failing(500, /^\/v1\/users$/, () => h.call('/reconcile', {body: {dryRun: true}})),
          },
        ]
      },
    ),
  origins: () => [
    ...everyStudioRoute('foreign origin, valid token', 'administrator', [403], {
      origin: 'https://evil.example',
    }),
    {
      name: 'lookalike origin',
      refusedWith: [403],
      send: () =>
        h.call('/sync', {origin: `${STUDIO_ORIGIN}.evil.example`, body: {subjects: [ada]}}),
    },
    {
      name: 'http instead of https',
      refusedWith: [403],
      send: () =>
        h.call('/sync', {origin: STUDIO_ORIGIN.replace('https', 'http'), body: {subjects: [ada]}}),
    },
    {
      name: 'origin "null" (sandboxed frame)',
      refusedWith: [403],
      send: () => h.call('/sync', {origin: 'null', body: {subjects: [ada]}}),
    },
    {
      name: 'preflight from a foreign origin',
      refusedWith: [403],
      bodyless: true,
      send: () => h.call('/sync', {method: 'OPTIONS', as: null, origin: 'https://evil.example'}),
    },
  ],
  webhook: () => [
    {
      name: 'no signature',
      refusedWith: [401],
      send: () => sendWebhook(captured.body, {'content-type': 'application/json'}),
    },
    {
      name: 'forged with another secret',
      refusedWith: [401],
      send: async () =>
        sendWebhook(captured.body, await signedWebhook(captured.body, Date.now(), 'whsec-guess')),
    },
    {
      name: 'tampered body under a valid signature',
      refusedWith: [401],
      send: () => sendWebhook(captured.body.replace(ada, 'user_attacker'), captured.headers),
    },
    {
      name: 'signature 10 minutes old',
      refusedWith: [401],
      send: async () =>
        sendWebhook(captured.body, await signedWebhook(captured.body, Date.now() - 10 * 60_000)),
    },
    {
      name: 'signature 10 minutes ahead',
      refusedWith: [401],
      send: async () =>
        sendWebhook(captured.body, await signedWebhook(captured.body, Date.now() + 10 * 60_000)),
    },
    {
      name: 'a valid signature plus a forged one',
      refusedWith: [401],
      send: async () => {
        const body = JSON.stringify({_id: 'ent-ada', _type: 'clerkEntitlement'})
        const signature = (await signedWebhook(body, Date.now()))['sanity-webhook-signature']
        return sendWebhook(body, {'sanity-webhook-signature': `${signature},v1=forged`})
      },
    },
    {
      name: 'signed event without an _id',
      refusedWith: [422],
      send: async () => {
        const body = JSON.stringify({_type: 'clerkEntitlement', after: {clerkUserId: ada}})
        return sendWebhook(body, await signedWebhook(body, Date.now()))
      },
    },
    {
      name: 'captured signature with its last character changed',
      refusedWith: [401],
      send: () => {
        const signature = captured.headers['sanity-webhook-signature']!
        const last = signature.at(-1) === 'A' ? 'B' : 'A'
        return sendWebhook(captured.body, {
          ...captured.headers,
          'sanity-webhook-signature': signature.slice(0, -1) + last,
        })
      },
    },
    {
      name: 'captured signature re-spaced (another header, same digest)',
      refusedWith: [401],
      send: () =>
        sendWebhook(captured.body, {
          ...withoutIdempotencyKey(captured.headers),
          'sanity-webhook-signature': captured.headers['sanity-webhook-signature']!.replace(
            ',v1=',
            ', v1=',
          ),
        }),
    },
    {
      name: 'malformed signature header',
      refusedWith: [401],
      send: () => sendWebhook(captured.body, {'sanity-webhook-signature': 't=abc,v1='}),
    },
    {
      name: 'replayed delivery (same idempotency key)',
      refusedWith: [200],
      harmless: true,
      send: () => sendWebhook(captured.body, captured.headers),
    },
    {
      name: 'oversized delivery',
      refusedWith: [413],
      send: async () => {
        const body = JSON.stringify({_id: 'ent-ada', pad: 'x'.repeat(70_000)})
        return sendWebhook(body, await signedWebhook(body, Date.now()))
      },
    },
    {
      name: 'signed non-JSON body',
      refusedWith: [400],
      send: async () => sendWebhook('not json', await signedWebhook('not json', Date.now())),
    },
    {
      name: 'signed GROQ as document id',
      refusedWith: [200, 422],
      harmless: true,
      send: async () => {
        const body = JSON.stringify({
          _id: '*[_type == "clerkEntitlement"]',
          _type: 'clerkEntitlement',
          after: {clerkUserId: '*'},
        })
        return sendWebhook(body, await signedWebhook(body, Date.now()))
      },
    },
  ],
  bodies: () => [
    {
      name: 'malformed JSON',
      refusedWith: [400],
      send: () => h.call('/sync', {rawBody: '{"subjects": [', headers: {}}),
    },
    {
      name: 'JSON behind a byte-order mark',
      refusedWith: [400, 422],
      send: () => h.call('/sync', {rawBody: '\uFEFF{"subjects": []}'}),
    },
    {
      name: 'prototype pollution',
      refusedWith: [422],
      send: () => h.call('/sync', {rawBody: `{"__proto__": {"subjects": ["${ada}"]}}`}),
    },
    {
      name: 'empty body',
      refusedWith: [400],
      send: () => h.call('/sync', {method: 'POST', rawBody: ''}),
    },
    {name: 'JSON array body', refusedWith: [400], send: () => h.call('/sync', {body: [ada]})},
    {
      name: 'deeply nested JSON',
      refusedWith: [400, 413],
      send: () => h.call('/sync', {rawBody: deeplyNested}),
    },
    {
      name: 'body of 1 MB',
      refusedWith: [413],
      send: () => h.call('/sync', {body: {subjects: [ada], pad: 'x'.repeat(1 << 20)}}),
    },
    {
      name: 'lying Content-Length',
      refusedWith: [413],
      send: () =>
        h.call('/sync', {body: {subjects: [ada]}, headers: {'content-length': String(1 << 30)}}),
    },
    {
      name: 'invalid UTF-8',
      refusedWith: [400],
      send: () => h.call('/sync', {rawBody: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])}),
    },
    {
      name: '101 subjects',
      refusedWith: [422],
      send: () =>
        h.call('/sync', {body: {subjects: Array.from({length: 101}, (_, i) => `user_${i}`)}}),
    },
    {
      name: 'subjects as a string',
      refusedWith: [400],
      send: () => h.call('/sync', {body: {subjects: ada}}),
    },
    {
      name: 'access facts in the body',
      refusedWith: [422],
      send: () => h.call('/sync', {body: {subjects: [], publicMetadata: {plan: 'enterprise'}}}),
    },
    {
      name: 'reconcile without dryRun',
      refusedWith: [422],
      send: () => h.call('/reconcile', {body: {}}),
    },
    {
      name: 'reconcile with unknown kinds',
      refusedWith: [422],
      send: () => h.call('/reconcile', {body: {dryRun: true, kinds: ['admin']}}),
    },
  ],
  ids: () => [
    ...[
      'user_1%2F..%2F..%2Fhealth',
      'user_1%2F..%2Fx',
      '..%2F..%2Fusers',
      'user_%00',
      'user_1%0D%0AX-Injected:%201',
      `user_${'a'.repeat(5000)}`,
      'user_%E2%80%AEevil',
      '%252e%252e%252fusers',
      'user_%EF%BC%91',
      'user_1%27%20%7C%7C%20true',
      '%2A%5B_type%3D%3D%22clerkEntitlement%22%5D',
      'user_%F0%9F%92%A9',
      '%E0%A4%A',
    ].map((id) => ({
      name: `GET /users/${decodeSafely(id).slice(0, 40)}`,
      refusedWith: [400, 404],
      send: () => h.call(`/users/${id}`),
    })),
    {
      name: 'GET /organizations/ with a user id',
      refusedWith: [400],
      send: () => h.call(`/organizations/${ada}`),
    },
    ...[
      'user_1/../x',
      'user_1/../../reconcile',
      '*[_type == "clerkEntitlement"]',
      'user_" || true || "',
      'org_$subjects',
      'user_\u0000',
      'user_\ud800',
      'user_١٢٣',
      '',
    ].map((id) => ({
      name: `sync subject ${JSON.stringify(id).slice(0, 40)}`,
      refusedWith: [422],
      send: () => h.call('/sync', {body: {subjects: [id]}}),
    })),
    ...[
      '*[_type == "clerkEntitlement"][0]',
      '../ent-ada',
      'drafts.ent-ada',
      'versions.r1.ent-ada',
      'ent-ada") || true || ("',
      'x'.repeat(300),
    ].map((documentId) => ({
      name: `sync documentId ${JSON.stringify(documentId).slice(0, 40)}`,
      refusedWith: [422],
      send: () => h.call('/sync', {body: {documentId}}),
    })),
  ],
  queries: () => [
    ...[
      '*[_type == "clerkEntitlement"]{...}',
      '" || true || "',
      '$secret',
      '<script>alert(1)</script>',
      '𝕒𝕕𝕒 👩‍💻 مرحبا',
      '\u0000\u0001',
    ].map((query) => ({
      name: `search ${JSON.stringify(query).slice(0, 30)}`,
      refusedWith: [200],
      harmless: true as const,
      send: () => h.call(`/users?query=${encodeURIComponent(query)}`),
    })),
    {
      name: 'query of 100 000 characters',
      refusedWith: [400],
      send: () => h.call(`/users?query=${'a'.repeat(100_000)}`),
    },
    {name: 'limit=1e309', refusedWith: [400], send: () => h.call('/users?limit=1e309')},
    {name: 'limit=-1', refusedWith: [400], send: () => h.call('/users?limit=-1')},
    {name: 'offset=NaN', refusedWith: [400], send: () => h.call('/organizations?offset=NaN')},
    {name: 'limit=0x10', refusedWith: [400], send: () => h.call('/users?limit=0x10')},
  ],
  'methods and paths': () => [
    {
      name: 'PUT /sync',
      refusedWith: [404, 405],
      send: () => h.call('/sync', {method: 'PUT', body: {subjects: [ada]}}),
    },
    {
      name: 'DELETE /users/:id',
      refusedWith: [404, 405],
      send: () => h.call(`/users/${ada}`, {method: 'DELETE'}),
    },
    {name: 'GET /webhook', refusedWith: [404, 405], send: () => h.call('/webhook')},
    {
      name: 'path outside the base path',
      refusedWith: [404],
      send: () => h.handler(new Request('http://127.0.0.1/sync', {method: 'POST', body: '{}'})),
    },
    {
      name: 'unknown route',
      refusedWith: [404],
      send: () => h.call('/__admin'),
    },
    {
      name: 'double slash',
      refusedWith: [404],
      send: () => h.call('//sync', {body: {subjects: [ada]}}),
    },
  ],
}

function decodeSafely(text: string) {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const clerkWrites = () => h.clerk.log.filter((entry) => entry.method !== 'GET').length

describe.each(Object.keys(attempts))('%s', (group) => {
  it('refuses every attempt, writes nothing and explains each refusal', async () => {
    const refused: string[] = []
    const wrong: string[] = []
    for (const attempt of attempts[group]!()) {
      const writesBefore = clerkWrites()
      const requestsBefore = h.clerk.log.length
      const response = await attempt.send()
      const text = await response.text()
      const wrote = clerkWrites() - writesBefore
      figures.count('Clerk requests the attempts caused', h.clerk.log.length - requestsBefore)
      figures.count('attempts')
      figures.count(`attempts: ${group}`)
      const leaks = findSecrets([text], secrets)
      const asExpected =
        attempt.refusedWith.includes(response.status) && wrote === 0 && leaks.length === 0
      if ((response.status < 400 && !attempt.harmless) || leaks.length > 0 || wrote > 0) {
        figures.count('accepted (goal 0)')
      }
      if (wrote > 0) figures.count('attempts that wrote to Clerk (goal 0)')
      if (response.status >= 400 && !attempt.bodyless) {
        const error = (JSON.parse(text) as ProxyErrorBody).error
        if (!error?.code || !error.message)
          wrong.push(`${attempt.name}: no reason in ${text.slice(0, 80)}`)
      }
      if (response.status >= 400) {
        figures.count(`refused with ${response.status}`)
      } else {
        figures.count('answered harmlessly (reads without effect, duplicates)')
      }
      if (asExpected) refused.push(attempt.name)
      else
        wrong.push(
          `${attempt.name}: ${response.status} (${wrote} writes, ${leaks.length} leaks) ${text.slice(0, 120)}`,
        )
    }
    expect(wrong).toEqual([])
    expect(refused.length).toBeGreaterThan(0)
  })
})

describe('replays of a captured delivery', () => {
  it.each([
    ['as captured', () => captured.headers],
    ['without its idempotency key', () => withoutIdempotencyKey(captured.headers)],
    [
      'with a fresh idempotency key',
      () => ({...captured.headers, 'idempotency-key': `replay-${Math.random()}`}),
    ],
  ])('%s: answered as a duplicate, without asking Clerk', async (_name, headers) => {
    const clerkBefore = h.clerk.log.length
    const response = await sendWebhook(captured.body, headers())
    const answer = (await response.json()) as {duplicate?: boolean}
    figures.count('replays answered as duplicates', answer.duplicate ? 1 : 0)
    expect(answer).toMatchObject({duplicate: true})
    expect(h.clerk.log.length).toBe(clerkBefore)
  })
})

/** Counts `tried` attempts of a test outside the table, `accepted` of them got through. */
function countAttempts(group: string, tried: number, accepted: number) {
  figures.count('attempts', tried)
  figures.count(`attempts: ${group}`, tried)
  figures.count('accepted (goal 0)', accepted)
}

const identityChecks = () => h.lake.requests.filter((entry) => entry.route === '/users/me').length

describe('abuse before identity', () => {
  /** The same proxy, with a small per-client limit and a frozen clock: nothing refills. */
  function limitedProxy(overrides: Partial<ClerkProxyOptions> = {}) {
    frozenAt = Date.now()
    return createClerkProxy({
      ...h.options,
      clientRateLimit: {requests: 5, windowMs: 60_000},
      now: clock,
      ...overrides,
    })
  }
  const asClient = (
    handler: (request: Request) => Promise<Response>,
    token: string,
    headers: Record<string, string> = {},
  ) =>
    handler(
      new Request(`http://127.0.0.1${BASE_PATH}/me`, {
        headers: {authorization: `Bearer ${token}`, ...headers},
      }),
    )

  it('a spray of random tokens reaches Sanity at most `clientRateLimit` times, then gets 429 with Retry-After', async () => {
    const handler = limitedProxy()
    try {
      const before = identityChecks()
      const statuses: number[] = []
      let retryAfter = ''
      for (let index = 0; index < 40; index++) {
        const response = await asClient(handler, `sprayed-token-${index}-${process.pid}`, {
          // Rotating forwarding headers do not make a new client: none is trusted by default.
          'x-forwarded-for': `203.0.113.${index}`,
          'x-real-ip': `198.51.100.${index}`,
        })
        statuses.push(response.status)
        if (response.status === 429) retryAfter = response.headers.get('retry-after') ?? ''
      }
      const asked = identityChecks() - before
      figures.set('spray: random tokens sent', statuses.length)
      figures.set('spray: identity checks Sanity answered', asked)
      countAttempts(
        'abuse before identity',
        statuses.length,
        statuses.filter((s) => s < 400).length,
      )
      expect(asked).toBe(5)
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
      expect(new Set(statuses.slice(5))).toEqual(new Set([429]))
      expect(Number(retryAfter)).toBeGreaterThan(0)
    } finally {
      frozenAt = null
    }
  })

  it('a refused token is refused again without asking Sanity (negative cache)', async () => {
    const handler = limitedProxy({clientRateLimit: false})
    try {
      const before = identityChecks()
      const statuses: number[] = []
      for (let index = 0; index < 20; index++) {
        statuses.push((await asClient(handler, `one-wrong-token-${process.pid}`)).status)
      }
      countAttempts(
        'abuse before identity',
        statuses.length,
        statuses.filter((s) => s < 400).length,
      )
      expect(new Set(statuses)).toEqual(new Set([401]))
      expect(identityChecks() - before).toBe(1)
    } finally {
      frozenAt = null
    }
  })

  it('behind a trusted proxy, each forwarded client has its own limit and cannot forge another', async () => {
    const handler = limitedProxy({clientAddress: {header: 'x-forwarded-for', trustedProxies: 1}})
    try {
      const spray = (index: number, forwarded: string) =>
        asClient(handler, `forwarded-spray-${index}-${process.pid}`, {'x-forwarded-for': forwarded})
      const attacker: number[] = []
      for (let index = 0; index < 12; index++) {
        // The attacker writes a fresh address first; our proxy appends the one it saw.
        attacker.push((await spray(index, `10.9.9.${index}, 203.0.113.66`)).status)
      }
      const bystander = await asClient(handler, h.lake.clientConfig('editor').token, {
        'x-forwarded-for': '198.51.100.7',
      })
      countAttempts(
        'abuse before identity',
        attacker.length,
        attacker.filter((s) => s < 400).length,
      )
      expect(attacker.filter((status) => status === 429)).toHaveLength(7)
      expect(bystander.status).toBe(200)
    } finally {
      frozenAt = null
    }
  })
})

describe('floods', () => {
  it('stops one editor after the per-editor limit, with Retry-After, and others keep working', async () => {
    // A frozen clock: the limit (300 per minute) cannot refill however slowly the machine runs.
    frozenAt = Date.now()
    try {
      const statuses: number[] = []
      for (let index = 0; index < 320; index++) {
        statuses.push((await h.call('/me', {as: 'viewer'})).status)
      }
      const limited = await h.call('/me', {as: 'viewer'})
      statuses.push(limited.status)
      const beyond = statuses.slice(300)
      figures.set('flood: requests by one viewer', statuses.length)
      figures.set('flood: refused with 429', statuses.filter((status) => status === 429).length)
      countAttempts('floods', beyond.length, beyond.filter((status) => status < 400).length)
      expect(statuses.slice(0, 300).every((status) => status === 200)).toBe(true)
      expect(new Set(beyond)).toEqual(new Set([429]))
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await h.call('/me', {as: 'editor'})).status).toBe(200)
    } finally {
      frozenAt = null
    }
  })

  it('refuses a flood of forged webhooks without asking Clerk anything', async () => {
    const clerkBefore = h.clerk.log.length
    const answers = await Promise.all(
      Array.from({length: 200}, async (_, index) => {
        const body = JSON.stringify({_id: `forged-${index}`, _type: 'clerkEntitlement'})
        return (await sendWebhook(body, await signedWebhook(body, Date.now(), 'whsec-guess')))
          .status
      }),
    )
    figures.set('flood: forged webhooks refused', answers.filter((status) => status === 401).length)
    countAttempts('floods', answers.length, answers.filter((status) => status < 400).length)
    expect(answers.every((status) => status === 401)).toBe(true)
    expect(h.clerk.log.length).toBe(clerkBefore)
  })
})

describe('insecure configuration', () => {
  it.each([
    'http://proxy.example.com/api/clerk',
    'http://10.0.0.5:8787',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io',
    'https://user:password@proxy.example.com',
  ])('the Studio refuses proxyUrl %s, naming the option', (proxyUrl) => {
    const message = (() => {
      try {
        clerkAccess({proxyUrl})
        return null
      } catch (error) {
        return (error as Error).message
      }
    })()
    countAttempts('insecure configuration', 1, message === null ? 1 : 0)
    expect(message).toContain('"proxyUrl"')
  })
})

describe('after every attempt', () => {
  it('no response or log line carried a secret or private metadata', () => {
    const leaks = findSecrets(h.transcript, secrets)
    figures.set('responses and log lines scanned', h.transcript.length)
    figures.set('leaks (secrets or private metadata)', leaks.length)
    figures.set('accepted (goal 0)', figures.get('accepted (goal 0)'))
    expect(h.transcript.length).toBeGreaterThan(100)
    expect(leaks).toEqual([])
  })

  it('never wrote to the user whose role and plan someone else set', () => {
    const user = h.clerk.store.getUser(foreigner)
    expect(user?.public_metadata).toEqual({role: 'org:admin', plan: 'team'})
    expect(user?.private_metadata).toEqual({})
    expect(
      h.clerk.log.filter((entry) => entry.method !== 'GET' && entry.path.includes(foreigner)),
    ).toEqual([])
  })

  it('left Ada’s access exactly as the content grants it', () => {
    const user = h.clerk.store.getUser(ada)
    expect(user?.public_metadata).toEqual({
      internalNote: PRIVATE_MARKER,
      plan: 'pro',
      courseSlugs: ['intro'],
    })
  })
})
