/**
 * The demo's member site: what an app built on `sanity-plugin-clerk/app` looks like. Pick a demo
 * member to sign in as (a real session in the Clerk emulator), and see the courses they may open
 * and the ones that are locked. Every request's `__session` cookie is verified by the real
 * `@clerk/backend` (`authenticateRequest`); the page refreshes the token the way Clerk's frontend
 * does (every `refreshMs`, default 50 s, so a 60 s token never lapses) and then re-reads the
 * content, so an editor's publish shows up after the next refresh.
 *
 * Server-rendered HTML from `node:http`, no framework: the Clerk and Sanity parts are the point.
 */
import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

import {createClerkClient, type ClerkClient} from '@clerk/backend'
import type {SanityClient} from '@sanity/client'

import {
  can,
  entitledFilter,
  RANKS_QUERY,
  readMemberAccess,
  toRanks,
  type MemberAccess,
  type MemberAccessOptions,
  type SessionClaims,
} from '../../app'
import {closeServer, listen} from '../staticServer'
import {escapeHtml, renderContent, renderPage, renderSignIn, type CourseView} from './views'

/** Someone the sign-in page offers. */
export interface DemoMember {
  id: string
  name: string
  email: string
}

export interface MemberSiteOptions {
  /** The Clerk emulator (or Clerk): Backend API origin, secret key and publishable key. */
  clerk: {apiUrl: string; secretKey: string; publishableKey: string}
  /** A read client for the published content. */
  sanity: SanityClient
  /** People to offer on the sign-in page, in order. */
  members: DemoMember[]
  port?: number
  /** How often the page refreshes its session token. Default 50 s (Clerk's tokens live 60 s). */
  refreshMs?: number
  /** Same rules as the proxy (grantable types, namespace). */
  access?: MemberAccessOptions
}

export interface MemberSite {
  /** `http://localhost:<port>`: also the `azp` the tokens must carry. */
  url: string
  close(): Promise<void>
}

const SESSION_COOKIE = '__session'
const CLIENT_UAT_COOKIE = '__client_uat'
/** Stands in for Clerk's `__client` cookie: which session this browser holds, signed by the site. */
const CLIENT_COOKIE = '__member_client'

/** The course catalog (public) and the entitled courses' content (through the app's filter). */
const CATALOG_QUERY = `*[_type == "course" && defined(slug.current)]|order(title asc){"slug": slug.current, title}`
const contentQuery = (filter: string) =>
  `*[_type == "course" && ${filter}]{"slug": slug.current, description}`

export async function startMemberSite(options: MemberSiteOptions): Promise<MemberSite> {
  const refreshMs = options.refreshMs ?? 50_000
  if (!(refreshMs >= 100)) throw new Error('member site: refreshMs must be at least 100 ms')
  const clientSecret = randomBytes(32)
  const server = createServer()
  await listen(server, options.port ?? 0, '127.0.0.1')
  const url = `http://localhost:${(server.address() as AddressInfo).port}`
  const clerk: ClerkClient = createClerkClient({
    secretKey: options.clerk.secretKey,
    apiUrl: options.clerk.apiUrl,
    publishableKey: options.clerk.publishableKey,
  })

  const signClient = (sessionId: string) =>
    `${sessionId}.${createHmac('sha256', clientSecret).update(sessionId).digest('base64url')}`
  const sessionOfClient = (value: string | undefined): string | null => {
    const [sessionId, mac] = (value ?? '').split('.')
    if (!sessionId || !mac) return null
    const expected = Buffer.from(signClient(sessionId).split('.')[1] as string)
    const given = Buffer.from(mac)
    return expected.length === given.length && timingSafeEqual(expected, given) ? sessionId : null
  }

  /** Mints a fresh session token, as Clerk's frontend does; null when the session is over. */
  const refresh = async (sessionId: string): Promise<string | null> => {
    try {
      return (await clerk.sessions.getToken(sessionId)).jwt
    } catch {
      return null
    }
  }

  /** Verifies the request's `__session` with `@clerk/backend`; the reason when it is refused. */
  const authenticate = async (
    request: IncomingMessage,
  ): Promise<{claims: SessionClaims} | {refused: string | null; handshake?: boolean}> => {
    const cookies = parseCookies(request.headers.cookie)
    if (!cookies[SESSION_COOKIE]) return {refused: null}
    const state = await clerk.authenticateRequest(toWebRequest(request, url), {
      authorizedParties: [url],
    })
    if (state.status === 'signed-in') return {claims: state.toAuth().sessionClaims as SessionClaims}
    return {
      refused: state.message || state.reason || 'the session token was refused',
      // An expired token asks for Clerk's handshake: a new token if the client still has a session.
      handshake: state.status === 'handshake',
    }
  }

  const readAccess = async (claims: SessionClaims): Promise<MemberAccess> => {
    const ranks = toRanks(await options.sanity.fetch(RANKS_QUERY))
    return readMemberAccess(claims, {...options.access, ranks})
  }

  const courses = async (access: MemberAccess): Promise<CourseView[]> => {
    const {filter, params} = entitledFilter(access, options.access)
    const [catalog, open] = await Promise.all([
      options.sanity.fetch<Array<{slug: string; title: string}>>(CATALOG_QUERY),
      options.sanity.fetch<Array<{slug: string; description?: string}>>(
        contentQuery(filter),
        params,
      ),
    ])
    const content = new Map(open.map((course) => [course.slug, course.description ?? '']))
    return catalog.map((course) => ({
      ...course,
      open: content.has(course.slug),
      content: content.get(course.slug) ?? null,
    }))
  }

  const memberName = (userId: string) =>
    options.members.find((member) => member.id === userId)?.name ?? userId

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', url).pathname
    const method = request.method ?? 'GET'
    if (method === 'POST' && path === '/sign-in') {
      const userId = new URLSearchParams(await readText(request)).get('userId') ?? ''
      if (!options.members.some((member) => member.id === userId)) {
        return send(response, 400, renderSignIn(options.members, 'Pick one of the demo members.'))
      }
      const session = await clerk.sessions.createSession({userId})
      const jwt = await refresh(session.id)
      if (!jwt) return send(response, 502, renderSignIn(options.members, 'Clerk refused.'))
      return redirect(response, '/', [
        cookie(SESSION_COOKIE, jwt),
        cookie(CLIENT_UAT_COOKIE, String(Math.floor(Date.now() / 1000) - 1)),
        cookie(CLIENT_COOKIE, signClient(session.id), true),
      ])
    }
    if (method === 'POST' && path === '/sign-out') {
      const sessionId = sessionOfClient(parseCookies(request.headers.cookie)[CLIENT_COOKIE])
      if (sessionId) await clerk.sessions.revokeSession(sessionId).catch(() => undefined)
      return redirect(response, '/', signedOutCookies())
    }
    if (method === 'POST' && path === '/session/refresh') {
      const sessionId = sessionOfClient(parseCookies(request.headers.cookie)[CLIENT_COOKIE])
      const jwt = sessionId ? await refresh(sessionId) : null
      if (!jwt) return sendJson(response, 401, {signedIn: false}, signedOutCookies())
      return sendJson(response, 200, {signedIn: true}, [cookie(SESSION_COOKIE, jwt)])
    }
    if (method === 'GET' && (path === '/' || path === '/content')) {
      const verified = await authenticate(request)
      if (!('claims' in verified)) {
        const sessionId = sessionOfClient(parseCookies(request.headers.cookie)[CLIENT_COOKIE])
        const jwt = verified.handshake && sessionId ? await refresh(sessionId) : null
        if (jwt) return redirect(response, path, [cookie(SESSION_COOKIE, jwt)])
        const note = verified.refused ? `Your session token was refused: ${verified.refused}` : null
        if (path === '/content') return sendJson(response, 401, {signedIn: false})
        // Opened from the Studio's "open the member site as this user": offer just that member.
        const as = new URL(request.url ?? '/', url).searchParams.get('as')
        const offered = options.members.filter((member) => !as || member.id === as)
        return send(response, verified.refused ? 401 : 200, renderSignIn(offered, note), [
          ...(verified.refused ? signedOutCookies() : []),
        ])
      }
      const access = await readAccess(verified.claims)
      const view = {
        name: memberName(access.userId),
        access,
        courses: await courses(access),
        proCorner: can(access, {plan: 'pro'}),
        renderedAt: new Date(),
      }
      if (path === '/content') return send(response, 200, renderContent(view))
      return send(response, 200, renderPage(view, refreshMs))
    }
    if (method === 'GET' && path === '/healthz') return sendJson(response, 200, {ok: true})
    send(response, 404, `<p>Not found: ${escapeHtml(path)}</p>`)
  }

  server.on('request', (request, response) => {
    handle(request, response).catch((error: Error) => {
      console.error('member site:', error.message)
      if (!response.headersSent) send(response, 500, `<p>${escapeHtml(error.message)}</p>`)
    })
  })
  return {url, close: () => closeServer(server)}
}

function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=')
    if (index > 0) cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim()
  }
  return cookies
}

function cookie(name: string, value: string, httpOnly = false): string {
  return `${name}=${value}; Path=/; SameSite=Lax${httpOnly ? '; HttpOnly' : ''}`
}

function signedOutCookies(): string[] {
  return [SESSION_COOKIE, CLIENT_UAT_COOKIE, CLIENT_COOKIE].map(
    (name) => `${name}=; Path=/; Max-Age=0`,
  )
}

/** The incoming request as a Web `Request`, which is what `authenticateRequest` reads. */
function toWebRequest(request: IncomingMessage, origin: string): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers.set(name, value)
    else if (Array.isArray(value)) headers.set(name, value.join(', '))
  }
  return new Request(new URL(request.url ?? '/', origin), {
    method: request.method ?? 'GET',
    headers,
  })
}

function readText(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      text += chunk
      if (text.length > 16_384) request.destroy(new Error('body too large'))
    })
    request.on('end', () => resolve(text))
    request.on('error', reject)
  })
}

function send(response: ServerResponse, status: number, html: string, cookies: string[] = []) {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...(cookies.length > 0 && {'set-cookie': cookies}),
  })
  response.end(html)
}

function sendJson(response: ServerResponse, status: number, body: unknown, cookies: string[] = []) {
  response.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...(cookies.length > 0 && {'set-cookie': cookies}),
  })
  response.end(JSON.stringify(body))
}

function redirect(response: ServerResponse, location: string, cookies: string[]) {
  response.writeHead(303, {location, 'set-cookie': cookies, 'cache-control': 'no-store'})
  response.end()
}
