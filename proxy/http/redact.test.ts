import {describe, expect, it} from 'vitest'

import {
  createRedactingLogger,
  redactError,
  redactResponse,
  redactText,
  redactValue,
  type ProxyLogger,
} from './redact'
import {jsonResponse} from './responses'

const SECRET = 'sk_test_thisIsTheClerkSecret123'
const TOKEN = 'skSanityReadTokenAbc.def'

describe('redactText', () => {
  it('removes configured secrets wherever they appear', () => {
    const text = `key=${SECRET} token=${TOKEN} again ${SECRET}`
    const redacted = redactText(text, [SECRET, TOKEN])
    expect(redacted).not.toContain(SECRET)
    expect(redacted).not.toContain(TOKEN)
    expect(redacted).toContain('key=[redacted]')
  })

  it('removes Clerk-key-shaped and bearer-shaped strings that were never configured', () => {
    const redacted = redactText('Authorization: Bearer abc.def-ghi and sk_live_Other999', [])
    expect(redacted).toBe('Authorization: Bearer [redacted] and [redacted]')
  })

  it('leaves ordinary text alone and ignores empty secrets', () => {
    expect(redactText('user_123 synced', ['', 'zzz'])).toBe('user_123 synced')
  })
})

describe('redactValue', () => {
  it('redacts nested strings and errors, and survives cycles', () => {
    const cyclic: Record<string, unknown> = {nested: {list: [`x ${SECRET}`]}}
    cyclic.self = cyclic
    const error = new Error(`Clerk refused ${SECRET}`)
    const safe = JSON.stringify(redactValue({cyclic, error}, [SECRET]))
    expect(safe).not.toContain(SECRET)
    expect(safe).toContain('Clerk refused [redacted]')
    expect(safe).toContain('[circular]')
  })

  it('hands back plain data with nothing to redact as it is, and copies the rest', () => {
    const clean = {results: [{subject: 'user_1', outcome: 'written', changes: {plan: 'pro'}}]}
    expect(redactValue(clean, [SECRET])).toBe(clean)
    const quoting = {results: [{subject: 'user_1', error: {message: `key ${SECRET}`}}]}
    const safe = redactValue(quoting, [SECRET])
    expect(safe).toEqual({results: [{subject: 'user_1', error: {message: 'key [redacted]'}}]})
    expect(quoting.results[0]!.error.message).toContain(SECRET)
    // An object seen twice is cut as before; a class instance is copied as before.
    const shared = {id: 'x'}
    expect(redactValue({a: shared, b: shared}, [])).toEqual({a: {id: 'x'}, b: '[circular]'})
    expect(redactValue({when: new Date(0)}, [])).toEqual({when: {}})
  })

  it('keeps an error’s own fields (trace ids, codes), redacted', () => {
    const error = Object.assign(new Error('Clerk failed'), {
      clerkTraceId: 'trace-1',
      detail: SECRET,
    })
    expect(redactValue(error, [SECRET])).toMatchObject({
      message: 'Clerk failed',
      clerkTraceId: 'trace-1',
      detail: '[redacted]',
    })
  })
})

describe('createRedactingLogger', () => {
  it('never passes a secret to the underlying logger', () => {
    const lines: string[] = []
    const sink: ProxyLogger = {
      info: (...args) => lines.push(JSON.stringify(args)),
      warn: (...args) => lines.push(JSON.stringify(args)),
      error: (...args) => lines.push(JSON.stringify(args)),
    }
    const logger = createRedactingLogger(sink, [SECRET])
    logger.info(`starting with ${SECRET}`)
    logger.warn('details', {headers: {authorization: `Bearer ${TOKEN}`}})
    logger.error('failed', new Error(SECRET))
    expect(lines).toHaveLength(3)
    for (const line of lines) {
      expect(line).not.toContain(SECRET)
      expect(line).not.toContain(TOKEN)
    }
  })
})

describe('redactResponse', () => {
  const quoting = `Clerk said: key ${SECRET}, token "${TOKEN}"`

  it('redacts JSON bodies value by value, escaped secrets included, and headers', async () => {
    const odd = 'we"bhook\\secret'
    const response = new Response(JSON.stringify({error: {message: quoting, odd}}), {
      status: 503,
      headers: {'content-type': 'application/json', 'x-clerk-trace-id': SECRET},
    })
    const safe = await redactResponse(response, [SECRET, TOKEN, odd])
    const text = await safe.text()
    expect(safe.status).toBe(503)
    expect(text).not.toContain(SECRET)
    expect(text).not.toContain(TOKEN)
    expect(JSON.parse(text)).toEqual({
      error: {message: 'Clerk said: key [redacted], token "[redacted]"', odd: '[redacted]'},
    })
    expect(safe.headers.get('x-clerk-trace-id')).toBe('[redacted]')
  })

  it('finds a secret written with JSON escapes that the raw text does not show', async () => {
    const escaped = `{"message":"${[...SECRET].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"}`
    expect(escaped).not.toContain(SECRET)
    const response = new Response(escaped, {headers: {'content-type': 'application/json'}})
    const safe = await redactResponse(response, [])
    expect(JSON.parse(await safe.text())).toEqual({message: '[redacted]'})
  })

  it('hands back a clean answer of jsonResponse as it is, and redacts one with a secret', async () => {
    const clean = jsonResponse({results: [{subject: 'user_1'}]})
    expect(await redactResponse(clean, [SECRET])).toBe(clean)
    const quoted = await redactResponse(jsonResponse({error: {message: quoting}}), [SECRET, TOKEN])
    expect(await quoted.json()).toEqual({
      error: {message: 'Clerk said: key [redacted], token "[redacted]"'},
    })
    const traced = jsonResponse({ok: true}, {headers: {'x-clerk-trace-id': SECRET}})
    const safe = await redactResponse(traced, [SECRET])
    expect(safe.headers.get('x-clerk-trace-id')).toBe('[redacted]')
    expect(safe.headers.get('content-type')).toBe('application/json')
  })

  it('passes a JSON body with nothing to redact through unchanged', async () => {
    const body = '{"results":[{"subject":"user_1","outcome":"written"}], "spaced": true}'
    const response = new Response(body, {headers: {'content-type': 'application/json'}})
    expect(await (await redactResponse(response, [SECRET, TOKEN])).text()).toBe(body)
  })

  it('redacts NDJSON line by line while it streams, whatever the chunking', async () => {
    const lines = [{type: 'start'}, {type: 'error', error: {message: quoting}}, {type: 'done'}]
    const text = lines.map((line) => JSON.stringify(line)).join('\n') + '\n'
    const bytes = new TextEncoder().encode(text)
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // Chunks that cut lines (and the secret) in the middle.
        for (let offset = 0; offset < bytes.length; offset += 7)
          controller.enqueue(bytes.slice(offset, offset + 7))
        controller.close()
      },
    })
    const safe = await redactResponse(
      new Response(body, {headers: {'content-type': 'application/x-ndjson'}}),
      [SECRET, TOKEN],
    )
    const out = await safe.text()
    expect(out).not.toContain(SECRET)
    expect(
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
    ).toEqual([
      lines[0],
      {type: 'error', error: {message: 'Clerk said: key [redacted], token "[redacted]"'}},
      lines[2],
    ])
  })

  it('keeps bodiless responses bodiless', async () => {
    const safe = await redactResponse(new Response(null, {status: 204}), [SECRET])
    expect([safe.status, safe.body]).toEqual([204, null])
  })
})

describe('redactError', () => {
  it('keeps the class and fields, redacting message and stack', () => {
    class UpstreamError extends Error {
      readonly status = 500
    }
    const error = redactError(new UpstreamError(`boom ${SECRET}`), [SECRET])
    expect(error).toBeInstanceOf(UpstreamError)
    expect(error.status).toBe(500)
    expect(error.message).toBe('boom [redacted]')
    expect(error.stack).not.toContain(SECRET)
  })
})
