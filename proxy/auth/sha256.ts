/**
 * SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104) in plain, synchronous JavaScript. WebCrypto's
 * `crypto.subtle` does the same work behind a promise that is settled off the main thread: for
 * the short inputs the proxy hashes on every request (a caller's token, a webhook body) that
 * round trip costs ten times the hashing itself. Tested against `crypto.subtle`.
 */

// prettier-ignore
const ROUND_CONSTANTS = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])
// prettier-ignore
const INITIAL_STATE = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]
const BLOCK_BYTES = 64
const schedule = new Uint32Array(64)

/** Folds the 64-byte blocks of `bytes` from `offset` to `end` into `state`. */
function compress(state: Uint32Array, bytes: Uint8Array, offset: number, end: number): void {
  const w = schedule
  for (let block = offset; block < end; block += BLOCK_BYTES) {
    for (let index = 0; index < 16; index++) {
      const at = block + index * 4
      w[index] =
        (bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!
    }
    for (let index = 16; index < 64; index++) {
      const x = w[index - 15]!
      const y = w[index - 2]!
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)
      w[index] = (w[index - 16]! + s0 + w[index - 7]! + s1) | 0
    }
    let a = state[0]!
    let b = state[1]!
    let c = state[2]!
    let d = state[3]!
    let e = state[4]!
    let f = state[5]!
    let g = state[6]!
    let h = state[7]!
    for (let index = 0; index < 64; index++) {
      const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const choice = (e & f) ^ (~e & g)
      const t1 = (h + s1 + choice + ROUND_CONSTANTS[index]! + w[index]!) | 0
      const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const majority = (a & b) ^ (a & c) ^ (b & c)
      const t2 = (s0 + majority) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = b
      b = a
      a = (t1 + t2) | 0
    }
    state[0] = (state[0]! + a) | 0
    state[1] = (state[1]! + b) | 0
    state[2] = (state[2]! + c) | 0
    state[3] = (state[3]! + d) | 0
    state[4] = (state[4]! + e) | 0
    state[5] = (state[5]! + f) | 0
    state[6] = (state[6]! + g) | 0
    state[7] = (state[7]! + h) | 0
  }
}

/**
 * Finishes a hash whose `state` has already absorbed `absorbed` bytes (whole blocks): the rest
 * of `message`, the padding and the bit length. Returns the 32-byte digest.
 */
function finish(state: Uint32Array, absorbed: number, message: Uint8Array): Uint8Array {
  const whole = message.length - (message.length % BLOCK_BYTES)
  compress(state, message, 0, whole)
  const tail = new Uint8Array(message.length - whole < 56 ? BLOCK_BYTES : 2 * BLOCK_BYTES)
  tail.set(message.subarray(whole))
  tail[message.length - whole] = 0x80
  const bits = (absorbed + message.length) * 8
  const view = new DataView(tail.buffer)
  view.setUint32(tail.length - 8, Math.floor(bits / 0x1_0000_0000))
  view.setUint32(tail.length - 4, bits >>> 0)
  compress(state, tail, 0, tail.length)
  const digest = new Uint8Array(32)
  const out = new DataView(digest.buffer)
  for (let index = 0; index < 8; index++) out.setUint32(index * 4, state[index]!)
  return digest
}

/** SHA-256 of `message`. */
export function sha256(message: Uint8Array): Uint8Array {
  return finish(Uint32Array.from(INITIAL_STATE), 0, message)
}

/**
 * An HMAC-SHA256 key: the hash states after the inner and outer padded key blocks, so each
 * message costs only its own blocks and the outer hash's last one.
 */
export interface HmacSha256Key {
  inner: Uint32Array
  outer: Uint32Array
}

/** Prepares `key` (any length, as RFC 2104 says) for {@link hmacSha256}. */
export function hmacSha256Key(key: Uint8Array): HmacSha256Key {
  const block = new Uint8Array(BLOCK_BYTES)
  block.set(key.length > BLOCK_BYTES ? sha256(key) : key)
  const padded = (pad: number) => {
    const state = Uint32Array.from(INITIAL_STATE)
    compress(
      state,
      block.map((byte) => byte ^ pad),
      0,
      BLOCK_BYTES,
    )
    return state
  }
  return {inner: padded(0x36), outer: padded(0x5c)}
}

/** HMAC-SHA256 of `message` under a key from {@link hmacSha256Key}. */
export function hmacSha256(key: HmacSha256Key, message: Uint8Array): Uint8Array {
  const innerDigest = finish(key.inner.slice(), BLOCK_BYTES, message)
  return finish(key.outer.slice(), BLOCK_BYTES, innerDigest)
}

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += (byte < 16 ? '0' : '') + byte.toString(16)
  return hex
}
