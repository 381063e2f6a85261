/**
 * The instance's signing key and RS256 JWTs, as Clerk issues them: a 2048-bit RSA key whose public
 * half is served at `GET /v1/jwks` and can be given to `verifyToken({jwtKey})` as PEM.
 * `@clerk/backend` reads a PEM `jwtKey` by stripping the fixed SPKI prefix of a 2048-bit key with
 * exponent 65537, so the size is not a free choice.
 */
import {
  createPrivateKey,
  createPublicKey,
  createSign,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto'

import {cryptoRandom, mintId} from './random'

/** One entry of `GET /v1/jwks` (spec schema `JWKS.rsa.PublicKey`). */
export interface RsaPublicJwk {
  kid: string
  alg: 'RS256'
  use: 'sig'
  kty: 'RSA'
  n: string
  e: string
}

/** A signing key: the private key signs, the public half is published. */
export interface SigningKey {
  /** `kid` in every token header and in the JWKS, `ins_…` like Clerk's instance keys. */
  readonly kid: string
  /** The public key as SPKI PEM: what Clerk's dashboard shows as the "JWT public key". */
  readonly publicKeyPem: string
  readonly jwk: RsaPublicJwk
  /** RS256 signature over `data`, base64url. */
  sign(data: string): string
}

/**
 * A signing key from a PKCS#8 PEM private key (stable across restarts), or a fresh one. Generating
 * takes tens of milliseconds, so the emulator does it on the first token, not at start.
 */
export function createSigningKey(privateKeyPem?: string, kid?: string): SigningKey {
  let privateKey: KeyObject
  if (privateKeyPem) {
    privateKey = createPrivateKey(privateKeyPem)
  } else {
    privateKey = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicExponent: 0x10001,
    }).privateKey
  }
  const details = privateKey.asymmetricKeyDetails
  if (privateKey.asymmetricKeyType !== 'rsa' || details?.modulusLength !== 2048) {
    throw new Error('the signing key must be a 2048-bit RSA key, as Clerk uses')
  }
  const publicKey = createPublicKey(privateKey)
  const exported = publicKey.export({format: 'jwk'}) as {n: string; e: string}
  const keyId = kid ?? mintId('ins', cryptoRandom())
  return {
    kid: keyId,
    publicKeyPem: publicKey.export({format: 'pem', type: 'spki'}).toString(),
    jwk: {kid: keyId, alg: 'RS256', use: 'sig', kty: 'RSA', n: exported.n, e: exported.e},
    sign: (data) => createSign('RSA-SHA256').update(data).sign(privateKey).toString('base64url'),
  }
}

const encodeSegment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

/** A compact RS256 JWS: `header.payload.signature`, header `{alg, kid, typ: 'JWT'}`. */
export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const signingInput = `${encodeSegment({alg: 'RS256', kid: key.kid, typ: 'JWT'})}.${encodeSegment(payload)}`
  return `${signingInput}.${key.sign(signingInput)}`
}
