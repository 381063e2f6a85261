import {describe, expect, it} from 'vitest'

import {
  createRedactingLogger,
  redactError,
  redactResponse,
  redactText,
  redactValue,
  type ProxyLogger,
} from './redact'

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
