import {describe, expect, it} from 'vitest'

import {hmacSha256, hmacSha256Key, sha256, toHex} from './sha256'

/** Deterministic bytes, so a failure names the same input every run. */
function bytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed * 2654435761 + 1
  for (let index = 0; index < length; index++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[index] = x >>> 24
  }
  return out
}

const subtleHex = async (digest: Promise<ArrayBuffer>) => toHex(new Uint8Array(await digest))

describe('sha256', () => {
  it('agrees with crypto.subtle for every length across three blocks', async () => {
    for (let length = 0; length <= 200; length++) {
      const message = bytes(length, length)
      expect(toHex(sha256(message)), `length ${length}`).toBe(
        await subtleHex(crypto.subtle.digest('SHA-256', message)),
      )
    }
  })

  it('knows the FIPS 180-2 answers', () => {
    const text = (value: string) => new TextEncoder().encode(value)
    expect(toHex(sha256(text('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(toHex(sha256(text('')))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })
})

describe('hmacSha256', () => {
  it('agrees with crypto.subtle for keys shorter and longer than a block, any message', async () => {
    for (const keyLength of [1, 13, 32, 63, 64, 65, 100, 200]) {
      const key = bytes(keyLength, keyLength + 1000)
      const prepared = hmacSha256Key(key)
      const imported = await crypto.subtle.importKey(
        'raw',
        key,
        {name: 'HMAC', hash: 'SHA-256'},
        false,
        ['sign'],
      )
      for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 300]) {
        const message = bytes(length, length + keyLength)
        expect(toHex(hmacSha256(prepared, message)), `key ${keyLength}, length ${length}`).toBe(
          await subtleHex(crypto.subtle.sign('HMAC', imported, message)),
        )
      }
    }
  })

  it('leaves a prepared key as it was, so it signs the same message the same way twice', () => {
    const key = hmacSha256Key(bytes(20, 7))
    const message = bytes(90, 8)
    expect(toHex(hmacSha256(key, message))).toBe(toHex(hmacSha256(key, message)))
  })
})
