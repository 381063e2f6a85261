/**
 * Sessions and the tokens minted for them, as Clerk's Backend API has them: `POST /v1/sessions`
 * (Clerk's testing-only way to sign someone in), session tokens with the v2 claim shape plus the
 * custom claims of the instance's session-token template, JWT templates, and revocation. The
 * user and organization data the claims carry are read from the store at minting time, so a
 * metadata write shows in the next token, as with Clerk.
 */
import {ClerkApiError, notFound, paramInvalid} from './errors'
import {createSigningKey, signJwt, type RsaPublicJwk, type SigningKey} from './jwt'
import {isJsonObject, type JsonObject, type JsonValue} from './metadata'
import {cryptoRandom, mintId, mintTraceId, type RandomSource} from './random'
import type {ClerkStore} from './store'

/** Spec schema `Session`. Timestamps in epoch milliseconds. */
export interface SessionJson {
  object: 'session'
  id: string
  user_id: string
  client_id: string
  actor: JsonObject | null
  status: 'active' | 'revoked' | 'ended' | 'expired' | 'removed'
  last_active_organization_id: string | null
  last_active_at: number
  latest_activity: null
  expire_at: number
  abandon_at: number
  updated_at: number
  created_at: number
  tasks: null
}

/** The instance's session-token settings (Clerk dashboard → Sessions). */
export interface SessionTokenSettings {
  /**
   * Custom claims with shortcodes, e.g. `{"metadata": "{{user.public_metadata}}"}`. A string that
   * is exactly one shortcode takes the value's JSON type; shortcodes inside longer strings are
   * interpolated. A claim whose shortcode resolves to nothing is left out.
   */
  claims: JsonObject
  /** Token lifetime in seconds. Clerk's is 60. */
  lifetimeSeconds: number
  /** `azp` of minted tokens: the origin of your frontend (Clerk takes it from the request). */
  authorizedParty: string | null
}

/** A JWT template (Clerk dashboard → JWT templates), used by `POST /sessions/{id}/tokens/{name}`. */
export interface JwtTemplate {
  claims: JsonObject
  /** Default 60 s, as in Clerk's dashboard. */
  lifetimeSeconds: number
}

export interface SessionStoreOptions {
  /** Clock in epoch milliseconds; tokens take `iat` from it. Default `Date.now`. */
  now?: () => number
  /** PKCS#8 PEM of the signing key (2048-bit RSA); default a fresh key on first use. */
  signingKeyPem?: string
  /** Initial session-token settings. */
  sessionToken?: Partial<SessionTokenSettings>
  random?: RandomSource
}

/** Claims every session token has and no template may set (Clerk refuses them too). */
export const RESERVED_CLAIMS: readonly string[] = [
  'act',
  'azp',
  'exp',
  'fea',
  'fva',
  'iat',
  'iss',
  'jti',
  'nbf',
  'o',
  'pla',
  'sid',
  'sts',
  'sub',
  'v',
]

/** Clerk's session lifetime default: seven days; abandoned after thirty. */
const SESSION_LIFETIME_MS = 7 * 86_400_000
const SESSION_ABANDON_MS = 30 * 86_400_000
/** Clerk's tokens are valid from ten seconds before they are issued (clock skew). */
const NOT_BEFORE_SKEW_S = 10
const TOKEN_LIFETIME_RANGE = [30, 315_360_000] as const

export const DEFAULT_SESSION_TOKEN: SessionTokenSettings = {
  claims: {},
  lifetimeSeconds: 60,
  authorizedParty: null,
}

export class SessionStore {
  readonly #store: ClerkStore
  readonly #now: () => number
  readonly #random: RandomSource
  /** `iss` of every token: the Frontend API URL Clerk would use (the emulator sets its own). */
  issuer = 'http://127.0.0.1'
  readonly #signingKeyPem: string | undefined
  #key: SigningKey | undefined
  readonly #sessions = new Map<string, SessionJson>()
  readonly #templates = new Map<string, JwtTemplate>()
  #sessionToken: SessionTokenSettings
  readonly #initialSessionToken: SessionTokenSettings

  constructor(store: ClerkStore, options: SessionStoreOptions) {
    this.#store = store
    this.#now = options.now ?? Date.now
    this.#random = options.random ?? cryptoRandom()
    this.#signingKeyPem = options.signingKeyPem
    this.#initialSessionToken = readSessionTokenSettings(options.sessionToken ?? {})
    this.#sessionToken = this.#initialSessionToken
  }

  /** The signing key, made on first use. */
  get signingKey(): SigningKey {
    this.#key ??= createSigningKey(this.#signingKeyPem)
    return this.#key
  }

  /** The public key as PEM, for `verifyToken(token, {jwtKey})` without the network. */
  get jwtKey(): string {
    return this.signingKey.publicKeyPem
  }

  /** `GET /v1/jwks`. */
  jwks(): {keys: RsaPublicJwk[]} {
    return {keys: [this.signingKey.jwk]}
  }

  get sessionToken(): SessionTokenSettings {
    return this.#sessionToken
  }

  /** Replaces the given parts of the session-token settings; throws a 422 on bad input. */
  configureSessionToken(settings: Partial<SessionTokenSettings>): SessionTokenSettings {
    this.#sessionToken = readSessionTokenSettings({...this.#sessionToken, ...settings})
    return this.#sessionToken
  }

  /** Creates or replaces a JWT template. */
  setJwtTemplate(name: string, template: Partial<JwtTemplate> & {claims: JsonObject}): JwtTemplate {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
      throw paramInvalid('name', 'A template name has 1–64 letters, digits, "_" or "-".')
    }
    checkClaims(template.claims)
    const stored = {
      claims: template.claims,
      lifetimeSeconds: readLifetime(template.lifetimeSeconds ?? 60, 'lifetime'),
    }
    this.#templates.set(name, stored)
    return stored
  }

  /** `POST /v1/sessions`: an active session for a user, optionally with an active organization. */
  create(input: {
    userId: string
    activeOrganizationId?: string | null
    actor?: JsonObject | null
  }): SessionJson {
    if (!this.#store.getUser(input.userId)) throw notFound('User')
    const organizationId = input.activeOrganizationId ?? null
    if (organizationId !== null) this.#membership(input.userId, organizationId)
    const now = this.#now()
    const session: SessionJson = {
      object: 'session',
      id: mintId('sess', this.#random),
      user_id: input.userId,
      client_id: mintId('client', this.#random),
      actor: input.actor ?? null,
      status: 'active',
      last_active_organization_id: organizationId,
      last_active_at: now,
      latest_activity: null,
      expire_at: now + SESSION_LIFETIME_MS,
      abandon_at: now + SESSION_ABANDON_MS,
      updated_at: now,
      created_at: now,
      tasks: null,
    }
    this.#sessions.set(session.id, session)
    return {...session}
  }

  /** `GET /v1/sessions/{id}`, with an elapsed lifetime shown as `expired`. */
  get(id: string): SessionJson {
    const session = this.#sessions.get(id)
    if (!session) throw notFound('Session')
    if (session.status === 'active' && session.expire_at <= this.#now()) session.status = 'expired'
    return {...session}
  }

  /** `GET /v1/sessions?user_id=…&status=…`, newest first. */
  list(filter: {userId?: string; status?: string}): SessionJson[] {
    return [...this.#sessions.keys()]
      .map((id) => this.get(id))
      .filter(
        (session) =>
          (filter.userId === undefined || session.user_id === filter.userId) &&
          (filter.status === undefined || session.status === filter.status),
      )
      .sort((a, b) => b.created_at - a.created_at)
  }

  /** `POST /v1/sessions/{id}/revoke`: no token can be minted for it afterwards. */
  revoke(id: string): SessionJson {
    const session = this.#sessions.get(id)
    if (!session) throw notFound('Session')
    session.status = 'revoked'
    session.updated_at = this.#now()
    return {...session}
  }

  /**
   * `POST /v1/sessions/{id}/tokens[/{template}]`: a session token (v2 claims plus the
   * session-token template) or a JWT-template token, signed RS256.
   */
  mintToken(
    sessionId: string,
    options: {template?: string; expiresInSeconds?: number | null} = {},
  ): {object: 'token'; jwt: string} {
    const session = this.get(sessionId)
    if (session.status !== 'active') {
      throw new ClerkApiError(
        404,
        'resource_not_found',
        'not found',
        `Session ${sessionId} is ${session.status}; tokens are minted for active sessions only.`,
      )
    }
    const template =
      options.template === undefined ? undefined : this.#templates.get(options.template)
    if (options.template !== undefined && !template) throw notFound('JWT template')
    const lifetime =
      options.expiresInSeconds == null
        ? (template ?? this.#sessionToken).lifetimeSeconds
        : readLifetime(options.expiresInSeconds, 'expires_in_seconds')
    const context = this.#claimContext(session)
    const iat = Math.floor(this.#now() / 1000)
    const custom = renderClaims((template ?? this.#sessionToken).claims, context)
    const authorizedParty = this.#sessionToken.authorizedParty
    const defaults: JsonObject = template
      ? {
          ...(authorizedParty && {azp: authorizedParty}),
          exp: iat + lifetime,
          iat,
          iss: this.issuer,
          jti: mintTraceId(this.#random).slice(0, 20),
          nbf: iat - NOT_BEFORE_SKEW_S,
          sub: session.user_id,
        }
      : {
          ...(session.actor && {act: session.actor}),
          ...(authorizedParty && {azp: authorizedParty}),
          exp: iat + lifetime,
          fva: [Math.max(0, Math.floor((this.#now() - session.created_at) / 60_000)), -1],
          iat,
          iss: this.issuer,
          nbf: iat - NOT_BEFORE_SKEW_S,
          ...(context.org && {o: organizationClaim(context.org)}),
          sid: session.id,
          sts: 'active',
          sub: session.user_id,
          v: 2,
        }
    session.last_active_at = this.#now()
    // Default claims win: a template can add claims, never change these.
    return {object: 'token', jwt: signJwt({...custom, ...defaults}, this.signingKey)}
  }

  /** Forgets every session and template and restores the initial settings (the key stays). */
  reset(): void {
    this.#sessions.clear()
    this.#templates.clear()
    this.#sessionToken = this.#initialSessionToken
  }

  #membership(userId: string, organizationId: string) {
    const organization = this.#store.getOrganization(organizationId)
    if (!organization) throw notFound('Organization')
    const membership = this.#store.listMemberships(
      {organizationId: organization.id, userId},
      {key: 'created_at', descending: false},
      {limit: 1, offset: 0},
    ).data[0]
    if (!membership) {
      throw paramInvalid(
        'active_organization_id',
        `User ${userId} is not a member of organization ${organizationId}.`,
      )
    }
    return membership
  }

  /** What shortcodes can name: `user.*`, `org.*`, `org_membership.*`, `session.*`. */
  #claimContext(session: SessionJson): ClaimContext {
    const user = this.#store.getUser(session.user_id)
    if (!user) throw notFound('User')
    const primaryEmail = user.email_addresses.find(
      (email) => email.id === user.primary_email_address_id,
    )
    const fullName = [user.first_name, user.last_name].filter(Boolean).join(' ')
    const context: ClaimContext = {
      user: {
        ...(user as unknown as JsonObject),
        full_name: fullName || null,
        primary_email_address: primaryEmail?.email_address ?? null,
      },
      session: {id: session.id, actor: session.actor},
    }
    const organizationId = session.last_active_organization_id
    if (organizationId) {
      const membership = this.#membership(session.user_id, organizationId)
      const organization = membership.organization
      context.org = {
        ...(organization as unknown as JsonObject),
        role: membership.role,
      }
      context.org_membership = {public_metadata: membership.public_metadata}
    }
    return context
  }
}

interface ClaimContext {
  user: JsonObject
  session: JsonObject
  org?: JsonObject
  org_membership?: JsonObject
}

/** v2's compact organization claim: role without the `org:` prefix, slug as `slg`. */
function organizationClaim(org: JsonObject): JsonObject {
  const role = String(org.role ?? '')
  return {id: org.id as string, rol: role.replace(/^org:/, ''), slg: org.slug as string}
}

const WHOLE_SHORTCODE = /^\s*\{\{\s*([A-Za-z_][\w.]*)\s*\}\}\s*$/
const ANY_SHORTCODE = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g

function resolvePath(context: ClaimContext, path: string): JsonValue | undefined {
  let value: unknown = context
  for (const part of path.split('.')) {
    if (!isJsonObject(value)) return undefined
    value = value[part]
  }
  return value as JsonValue | undefined
}

/** Renders a template's claims against the session's user and organization. */
export function renderClaims(claims: JsonObject, context: ClaimContext): JsonObject {
  const rendered: JsonObject = {}
  for (const [name, value] of Object.entries(claims)) {
    const result = renderValue(value, context)
    if (result !== undefined && result !== null) rendered[name] = result
  }
  return rendered
}

function renderValue(value: JsonValue, context: ClaimContext): JsonValue | undefined {
  if (typeof value === 'string') {
    const whole = WHOLE_SHORTCODE.exec(value)
    if (whole) return resolvePath(context, whole[1] as string)
    return value.replace(ANY_SHORTCODE, (_match, path: string) => {
      const resolved = resolvePath(context, path)
      if (resolved === undefined || resolved === null) return ''
      return typeof resolved === 'object' ? JSON.stringify(resolved) : String(resolved)
    })
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, context) ?? null)
  if (isJsonObject(value)) return renderClaims(value, context)
  return value
}

function checkClaims(claims: unknown): asserts claims is JsonObject {
  if (!isJsonObject(claims)) throw paramInvalid('claims', 'claims must be a JSON object.')
  const reserved = Object.keys(claims).filter((name) => RESERVED_CLAIMS.includes(name))
  if (reserved.length > 0) {
    throw paramInvalid(
      'claims',
      `${reserved.join(', ')} ${reserved.length > 1 ? 'are' : 'is'} reserved: every session token has ${reserved.length > 1 ? 'them' : 'it'} already.`,
    )
  }
}

function readLifetime(value: unknown, param: string): number {
  const [min, max] = TOKEN_LIFETIME_RANGE
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw paramInvalid(param, `${param} must be a whole number of seconds from ${min} to ${max}.`)
  }
  return value
}

function readSessionTokenSettings(input: Partial<SessionTokenSettings>): SessionTokenSettings {
  const claims = input.claims ?? DEFAULT_SESSION_TOKEN.claims
  checkClaims(claims)
  const authorizedParty = input.authorizedParty ?? null
  if (authorizedParty !== null && URL.parse(authorizedParty)?.origin !== authorizedParty) {
    throw paramInvalid(
      'authorizedParty',
      'authorizedParty must be an origin such as https://example.com.',
    )
  }
  return {
    claims,
    lifetimeSeconds: readLifetime(
      input.lifetimeSeconds ?? DEFAULT_SESSION_TOKEN.lifetimeSeconds,
      'lifetimeSeconds',
    ),
    authorizedParty,
  }
}
