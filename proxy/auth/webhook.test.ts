import {encodeSignatureHeader} from '@sanity/webhook'
import {describe, expect, it} from 'vitest'

import {signWebhookPayload} from '../../emulators/content-lake'
import {ProxyHttpError} from '../http/errors'
import {
  constantTimeEqual,
  DEFAULT_WEBHOOK_TOLERANCE_MS,
  expectedSignature,
  verifyWebhookSignature,
} from './webhook'

const SECRET = 'webhook-secret'
const BODY = '{"_id":"entitlement-1","_type":"clerkEntitlement"}'
const NOW = 1_800_000_000_000

async function failure(check: Parameters<typeof verifyWebhookSignature>[0]) {
  const error = await verifyWebhookSignature(check).then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(ProxyHttpError)
  return {status: (error as ProxyHttpError).status, code: (error as ProxyHttpError).code}
}

const base = {rawBody: BODY, secret: SECRET, toleranceMs: DEFAULT_WEBHOOK_TOLERANCE_MS, now: NOW}

describe('verifyWebhookSignature', () => {
  it('accepts a signature made by the Content Lake for the exact body, within the window', async () => {
    const signature = await signWebhookPayload(BODY, SECRET, NOW - 60_000)
    await expect(verifyWebhookSignature({...base, signature})).resolves.toBeUndefined()
  })

  it('agrees with the known answer from Sanity’s documentation', async () => {
    const signature = 't=1633519811129,v1=tLa470fx7qkLLEcMOcEUFuBbRSkGujyskxrNXcoh0N0'
    await expect(
      verifyWebhookSignature({
        rawBody: '{"_id":"resume"}',
        signature,
        secret: 'test',
        toleranceMs: DEFAULT_WEBHOOK_TOLERANCE_MS,
        now: 1633519811129,
      }),
    ).resolves.toBeUndefined()
  })

  it('refuses a missing, malformed, wrong-secret or tampered signature with 401', async () => {
    const valid = await encodeSignatureHeader(BODY, NOW, SECRET)
    expect(await failure({...base, signature: null})).toEqual({
      status: 401,
      code: 'missing_signature',
    })
    expect(await failure({...base, signature: 'v1=abc'})).toEqual({
      status: 401,
      code: 'invalid_signature',
    })
    expect(
      await failure({...base, signature: await encodeSignatureHeader(BODY, NOW, 'other')}),
    ).toEqual({status: 401, code: 'invalid_signature'})
    expect(
      await failure({
        ...base,
        rawBody: BODY.replace('entitlement-1', 'entitlement-2'),
        signature: valid,
      }),
    ).toEqual({status: 401, code: 'invalid_signature'})
    const reformatted = JSON.stringify(JSON.parse(BODY), null, 2)
    expect(await failure({...base, rawBody: reformatted, signature: valid})).toEqual({
      status: 401,
      code: 'invalid_signature',
    })
  })

  it('refuses a correctly signed delivery outside the replay window, in the past or future', async () => {
    const old = await encodeSignatureHeader(BODY, NOW - DEFAULT_WEBHOOK_TOLERANCE_MS - 1, SECRET)
    const future = await encodeSignatureHeader(BODY, NOW + DEFAULT_WEBHOOK_TOLERANCE_MS + 1, SECRET)
    expect(await failure({...base, signature: old})).toEqual({
      status: 401,
      code: 'signature_expired',
    })
    expect(await failure({...base, signature: future})).toEqual({
      status: 401,
      code: 'signature_expired',
    })
    const edge = await encodeSignatureHeader(BODY, NOW - DEFAULT_WEBHOOK_TOLERANCE_MS, SECRET)
    await expect(verifyWebhookSignature({...base, signature: edge})).resolves.toBeUndefined()
  })
})

describe('expectedSignature', () => {
  it('writes the header @sanity/webhook writes, for random bodies, secrets and timestamps', async () => {
    const random = (length: number) =>
      String.fromCodePoint(
        ...Array.from({length}, (_, index) => 32 + ((index * 7919 + length * 104729) % 2000)),
      )
    for (let run = 1; run <= 40; run++) {
      const body = JSON.stringify({_id: `doc-${run}`, text: random(run * 13)})
      const secret = `${random(run % 9)}secret-${run}`
      const timestamp = NOW + run * 977
      expect(await expectedSignature(body, timestamp, secret)).toBe(
        await encodeSignatureHeader(body, timestamp, secret),
      )
    }
  })

  it('keeps the imported key of each secret apart, past the number of keys it keeps', async () => {
    const secrets = Array.from({length: 12}, (_, index) => `secret-${index}`)
    for (const round of [1, 2]) {
      for (const secret of secrets) {
        const signature = await encodeSignatureHeader(BODY, NOW - round, secret)
        await expect(verifyWebhookSignature({...base, secret, signature})).resolves.toBeUndefined()
        const other = secrets[(secrets.indexOf(secret) + 1) % secrets.length]!
        expect(await failure({...base, secret: other, signature})).toEqual({
          status: 401,
          code: 'invalid_signature',
        })
      }
    }
  })

  it('has no signature for an empty body, an empty secret or a timestamp before 2021', async () => {
    expect(await expectedSignature('', NOW, SECRET)).toBeNull()
    expect(await expectedSignature(BODY, NOW, '')).toBeNull()
    expect(await expectedSignature(BODY, Date.UTC(2020, 11, 31), SECRET)).toBeNull()
    expect(await expectedSignature(BODY, Number.NaN, SECRET)).toBeNull()
  })
})

describe('signature comparison', () => {
  it('refuses any signature that differs from the expected one, anywhere, in any length', async () => {
    const valid = await encodeSignatureHeader(BODY, NOW, SECRET)
    const flip = (text: string, index: number) =>
      text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1)
    const digest = valid.indexOf('v1=') + 3
    const forgeries = [
      flip(valid, digest),
      flip(valid, valid.length - 1),
      valid.slice(0, -1),
      `${valid}A`,
      valid.replace(',v1=', ', v1='),
      ` ${valid}`,
      valid.toUpperCase(),
    ]
    for (const signature of forgeries) {
      expect(await failure({...base, signature})).toMatchObject({status: 401})
    }
    expect(await failure({...base, rawBody: '', signature: valid})).toEqual({
      status: 401,
      code: 'invalid_signature',
    })
  })

  it('constantTimeEqual is plain equality for every kind of difference', () => {
    expect(constantTimeEqual('', '')).toBe(true)
    expect(constantTimeEqual('t=1,v1=abc', 't=1,v1=abc')).toBe(true)
    expect(constantTimeEqual('t=1,v1=abc', 't=1,v1=abd')).toBe(false)
    expect(constantTimeEqual('t=1,v1=abc', 'u=1,v1=abc')).toBe(false)
    expect(constantTimeEqual('abc', 'abc\u0000')).toBe(false)
    expect(constantTimeEqual('abc', 'ab')).toBe(false)
    expect(constantTimeEqual('é', 'e\u0301')).toBe(false)
  })
})
