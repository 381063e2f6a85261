import {describe, expect, it} from 'vitest'

import {PLUGIN_VERSION_HEADER, type ReconcileEvent} from '../../core/contract'
import {createProxyClient, ProxyError, ProxyUnreachableError} from './proxyClient'

interface Recorded {
  url: string
  method: string
  headers: Headers
  body: string | null
}

function clientAnswering(answer: (request: Recorded) => Response, token = 'sanity-token') {
  const requests: Recorded[] = []
  const client = createProxyClient({
    proxyUrl: 'https://proxy.test/api/clerk/',
    getToken: () => token || undefined,
    fetch: async (input, init) => {
      const recorded = {
        url: String(input),
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        body: typeof init?.body === 'string' ? init.body : null,
      }
      requests.push(recorded)
      return answer(recorded)
    },
  })
  return {client, requests}
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {status, headers: {'content-type': 'application/json'}})

describe('createProxyClient', () => {
  it('sends the bearer token and plugin version to the route under the base URL', async () => {
    const {client, requests} = clientAnswering(() => json({data: [], hasMore: false}))
    await client.searchUsers({query: 'ada lovelace', limit: 5, offset: 10})
    expect(requests[0]!.url).toBe(
      'https://proxy.test/api/clerk/users?query=ada+lovelace&limit=5&offset=10',
    )
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer sanity-token')
    expect(requests[0]!.headers.get(PLUGIN_VERSION_HEADER)).toMatch(/^\d+\.\d+\.\d+/)
  })

  it('sends no authorization header when the Studio has no token (cookie login)', async () => {
    const {client, requests} = clientAnswering(() => json({ok: true, version: '1'}), '')
    await client.health()
    expect(requests[0]!.headers.has('authorization')).toBe(false)
  })

  it('routes subjects by prefix and refuses anything that is not a Clerk id', async () => {
    const {client, requests} = clientAnswering(() => json({}))
    await client.subjectStatus('user_2abc')
    await client.subjectStatus('org_9xyz')
    expect(requests.map((r) => new URL(r.url).pathname)).toEqual([
      '/api/clerk/users/user_2abc',
      '/api/clerk/organizations/org_9xyz',
    ])
    await expect(client.subjectStatus('../me')).rejects.toThrow(/Not a Clerk user/)
  })

  it('posts sync requests as JSON', async () => {
    const {client, requests} = clientAnswering(() => json({results: []}))
    await client.sync({documentId: 'ent-1', previousSubjects: ['user_old']})
    expect(requests[0]!.method).toBe('POST')
    expect(JSON.parse(requests[0]!.body!)).toEqual({
      documentId: 'ent-1',
      previousSubjects: ['user_old'],
    })
  })

  it('parses ProxyErrorBody into a ProxyError with status, code, trace id and retryAfter', async () => {
    const {client} = clientAnswering(() =>
      json(
        {error: {code: 'rate_limited', message: 'Slow down', clerkTraceId: 't-1', retryAfter: 7}},
        429,
      ),
    )
    const error = await client.me().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProxyError)
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Slow down',
      clerkTraceId: 't-1',
      retryAfter: 7,
    })
  })

  it('takes trace id and Retry-After from headers when the body has none', async () => {
    const {client} = clientAnswering(
      () =>
        new Response(
          JSON.stringify({error: {code: 'clerk_unavailable', message: 'Clerk is down'}}),
          {
            status: 503,
            headers: {'retry-after': '12', 'x-clerk-trace-id': 'trace-h'},
          },
        ),
    )
    await expect(client.me()).rejects.toMatchObject({
      status: 503,
      code: 'clerk_unavailable',
      clerkTraceId: 'trace-h',
      retryAfter: 12,
    })
  })

  it('still gives a ProxyError when the error body is not ours', async () => {
    const {client} = clientAnswering(() => new Response('<html>Bad gateway</html>', {status: 502}))
    await expect(client.me()).rejects.toMatchObject({status: 502, code: 'http_502'})
  })

  it('turns network failures into ProxyUnreachableError naming the proxy', async () => {
    const client = createProxyClient({
      proxyUrl: 'https://proxy.test',
      getToken: () => undefined,
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    const error = await client.health().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProxyUnreachableError)
    expect((error as Error).message).toContain('https://proxy.test')
  })

  it('streams reconcile events even when lines are split across chunks', async () => {
    const events: ReconcileEvent[] = [
      {type: 'start', dryRun: true},
      {
        type: 'drift',
        subject: 'user_1',
        drift: [{key: 'plan', clerk: null, sanity: 'pro'}],
        applied: false,
      },
      {type: 'done', scanned: 1, drifted: 1, written: 0, failed: 0},
    ]
    const text = events.map((e) => JSON.stringify(e)).join('\n')
    const encoder = new TextEncoder()
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < text.length; i += 17)
          controller.enqueue(encoder.encode(text.slice(i, i + 17)))
        controller.close()
      },
    })
    const {client, requests} = clientAnswering(() => new Response(body))
    const received: ReconcileEvent[] = []
    for await (const event of client.reconcile({dryRun: true})) received.push(event)
    expect(received).toEqual(events)
    expect(JSON.parse(requests[0]!.body!)).toEqual({dryRun: true})
  })
})
