import {describe, expect, it} from 'vitest'

import {ProxyHttpError} from './errors'
import {readJsonBody, readTextBody} from './body'

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/sync', {
    method: 'POST',
    body,
    headers: {'content-type': 'application/json', ...headers},
  })

async function statusOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ProxyHttpError)
  return [(error as ProxyHttpError).status, (error as ProxyHttpError).code]
}

function streamOf(chunks: number, chunkBytes: number) {
  let sent = 0
  let cancelled = false
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close()
      sent += 1
      controller.enqueue(new Uint8Array(chunkBytes).fill(32))
    },
    cancel() {
      cancelled = true
    },
  })
  return {stream, sent: () => sent, cancelled: () => cancelled}
}

describe('readTextBody', () => {
  it('returns the exact text sent, multi-byte characters included', async () => {
    expect(await readTextBody(post('{"title":"Ærø ✓"}'), 100)).toBe('{"title":"Ærø ✓"}')
  })

  it('refuses a declared Content-Length above the limit before reading', async () => {
    const request = post('x'.repeat(10), {'content-length': '1000000'})
    expect(await statusOf(readTextBody(request, 100))).toEqual([413, 'payload_too_large'])
  })

  it('stops reading a streamed body as soon as it passes the limit', async () => {
    const body = streamOf(1_000, 1024)
    const request = new Request('http://127.0.0.1/sync', {
      method: 'POST',
      body: body.stream,
      duplex: 'half',
    } as RequestInit)
    expect(await statusOf(readTextBody(request, 4096))).toEqual([413, 'payload_too_large'])
    expect(body.sent()).toBeLessThan(10)
    expect(body.cancelled()).toBe(true)
  })

  it('refuses bytes that are not UTF-8', async () => {
    expect(await statusOf(readTextBody(post(new Uint8Array([0xff, 0xfe, 0x7b])), 100))).toEqual([
      400,
      'invalid_body',
    ])
  })
})

describe('readJsonBody', () => {
  it.each(['', '   ', '{"a":', 'undefined', "{'a':1}"])(
    'refuses %j with 400 invalid_json',
    async (text) => {
      expect(await statusOf(readJsonBody(post(text), 100))).toEqual([400, 'invalid_json'])
    },
  )

  it.each([
    [undefined, 'none'],
    ['text/plain', '"text/plain"'],
    ['application/x-www-form-urlencoded', '"application/x-www-form-urlencoded"'],
    ['multipart/form-data; boundary=x', '"multipart/form-data; boundary=x"'],
    ['application/jsonp', '"application/jsonp"'],
  ])(
    'refuses a body declared as %s with 415 and a reason, before reading it',
    async (type, got) => {
      const request = new Request('http://127.0.0.1/sync', {
        method: 'POST',
        body: '{"subjects":["user_1"]}',
        headers: type ? {'content-type': type} : {},
      })
      if (!type) request.headers.delete('content-type')
      const error = await readJsonBody(request, 100).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(ProxyHttpError)
      expect([(error as ProxyHttpError).status, (error as ProxyHttpError).code]).toEqual([
        415,
        'unsupported_media_type',
      ])
      expect((error as ProxyHttpError).message).toContain(`got ${got}`)
      expect(request.bodyUsed).toBe(false)
    },
  )

  it('accepts application/json with parameters, in any case', async () => {
    const request = post('{"a":1}', {'content-type': 'Application/JSON; charset=utf-8'})
    expect(await readJsonBody(request, 100)).toEqual({a: 1})
  })

  it('parses valid JSON', async () => {
    expect(await readJsonBody(post('{"subjects":["user_1"]}'), 100)).toEqual({subjects: ['user_1']})
  })
})
