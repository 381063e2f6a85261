/**
 * Who is calling: bearer tokens → users with roles, and the project, grants and ACL answers the
 * Studio uses to decide what a user may do. Also the one-click login a newcomer sees: a local
 * "provider" page listing the users, which hands the Studio a session id (`#sid=`) that
 * `/auth/fetch` exchanges for the user's token, as the Studio's real login flow expects.
 */
import {randomBytes} from 'node:crypto'

import {gatewayError, unauthorized} from './errors'
import type {LakeRole, LakeUser} from './types'

const ROLE_TITLES: Record<LakeRole, string> = {
  administrator: 'Administrator',
  editor: 'Editor',
  viewer: 'Viewer',
}

const DOCUMENT_PERMISSIONS: Record<LakeRole, string[]> = {
  administrator: ['read', 'create', 'history', 'update', 'editHistory', 'manage'],
  editor: ['read', 'create', 'history', 'update', 'editHistory'],
  viewer: ['read', 'history'],
}

const newToken = (): string => `sk-lake-${randomBytes(24).toString('base64url')}`

/** The users a lake gets when none are configured: one per role. */
export function defaultUsers(): LakeUser[] {
  return [
    {
      id: 'pAdmin',
      name: 'Ada Admin',
      email: 'ada@example.test',
      role: 'administrator',
      token: newToken(),
    },
    {
      id: 'pEditor',
      name: 'Eddie Editor',
      email: 'eddie@example.test',
      role: 'editor',
      token: newToken(),
    },
    {
      id: 'pViewer',
      name: 'Vera Viewer',
      email: 'vera@example.test',
      role: 'viewer',
      token: newToken(),
    },
  ]
}

export function canWrite(user: LakeUser): boolean {
  return DOCUMENT_PERMISSIONS[user.role].includes('update')
}

export function assertCanWrite(user: LakeUser): void {
  if (!canWrite(user)) {
    throw gatewayError(
      403,
      'Forbidden',
      `Insufficient permissions; permission "update" required (user ${user.id} is a ${user.role})`,
    )
  }
}

const SESSION_TTL_MS = 5 * 60_000

export class Identity {
  readonly users: readonly LakeUser[]
  private readonly byToken: Map<string, LakeUser>
  private readonly sessions = new Map<string, {user: LakeUser; expiresAt: number}>()

  constructor(users: LakeUser[]) {
    if (users.length === 0) throw new Error('content-lake: at least one user is required')
    const ids = new Set<string>()
    for (const user of users) {
      if (!(user.role in ROLE_TITLES)) {
        throw new Error(`content-lake: user ${user.id} has unknown role "${user.role}"`)
      }
      if (ids.has(user.id)) throw new Error(`content-lake: duplicate user id ${user.id}`)
      ids.add(user.id)
    }
    this.users = users
    this.byToken = new Map(users.map((user) => [user.token, user]))
  }

  /** The first administrator: the lake's own token for tests and Functions. */
  admin(): LakeUser {
    const admin = this.users.find((user) => user.role === 'administrator')
    if (!admin) throw new Error('content-lake: configure at least one administrator')
    return admin
  }

  byRole(role: LakeRole): LakeUser {
    const user = this.users.find((candidate) => candidate.role === role)
    if (!user) throw new Error(`content-lake: no user with role ${role}`)
    return user
  }

  /** The caller, from `Authorization: Bearer`; null without a header, 401 for an unknown token. */
  authenticate(authorization: string | undefined): LakeUser | null {
    if (!authorization) return null
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim())
    const user = match?.[1] ? this.byToken.get(match[1]) : undefined
    if (!user) throw unauthorized('Session not found or token invalid')
    return user
  }

  requireUser(authorization: string | undefined): LakeUser {
    const user = this.authenticate(authorization)
    if (!user) throw unauthorized('Unauthorized - no token provided')
    return user
  }

  /** A one-time session id for the login callback (`#sid=`), exchanged at `/auth/fetch`. */
  startSession(userId: string): string {
    const user = this.users.find((candidate) => candidate.id === userId)
    if (!user) throw gatewayError(400, 'Bad Request', `Unknown user ${userId}`)
    const sessionId = randomBytes(24).toString('base64url')
    this.sessions.set(sessionId, {user, expiresAt: Date.now() + SESSION_TTL_MS})
    return sessionId
  }

  exchangeSession(sessionId: string | null): {token: string} {
    const session = sessionId ? this.sessions.get(sessionId) : undefined
    if (sessionId) this.sessions.delete(sessionId)
    if (!session || session.expiresAt < Date.now())
      throw unauthorized('Session id invalid or expired')
    return {token: session.user.token}
  }
}

function roleList(user: LakeUser) {
  return [{name: user.role, title: ROLE_TITLES[user.role]}]
}

/** `GET /users/me`. */
export function currentUserBody(user: LakeUser) {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    profileImage: null,
    provider: 'sanity',
    role: user.role,
    roles: roleList(user),
  }
}

/** `GET /users/<id>[,<id>]`: single id → object, several → array. */
export function projectUsersBody(
  identity: Identity,
  ids: string[],
  caller: LakeUser,
  projectId: string,
) {
  const found = ids.flatMap((id) => identity.users.filter((user) => user.id === id))
  const bodies = found.map((user) => {
    const [givenName = user.name, ...rest] = user.name.split(' ')
    return {
      id: user.id,
      displayName: user.name,
      givenName,
      familyName: rest.join(' ') || null,
      middleName: null,
      imageUrl: null,
      isCurrentUser: user.id === caller.id,
      projectId,
      sanityUserId: user.id,
    }
  })
  return ids.length === 1 ? (bodies[0] ?? null) : bodies
}

/** `GET /projects/<p>`. */
export function projectBody(identity: Identity, caller: LakeUser, projectId: string) {
  return {
    id: projectId,
    displayName: `Local Content Lake (${projectId})`,
    studioHost: null,
    isBlocked: false,
    isDisabled: false,
    isDisabledByUser: false,
    metadata: {},
    organizationId: null,
    organization: null,
    members: identity.users.map((user) => ({
      id: user.id,
      isCurrentUser: user.id === caller.id,
      isRobot: false,
      role: user.role,
      roles: roleList(user),
    })),
    features: [],
  }
}

/** `GET /projects/<p>/roles`. */
export function rolesBody() {
  return (Object.keys(ROLE_TITLES) as LakeRole[]).map((role) => ({
    name: role,
    title: ROLE_TITLES[role],
    description: `${ROLE_TITLES[role]} (local Content Lake)`,
    isCustom: false,
    projectId: null,
    appliesToUsers: true,
    appliesToRobots: true,
  }))
}

const grant = (name: string) => ({name, params: {}})

/** `GET /projects/<p>/grants`: what the Studio checks before enabling Publish and friends. */
export function grantsBody(user: LakeUser) {
  const documentGrants = DOCUMENT_PERMISSIONS[user.role].map(grant)
  const isAdmin = user.role === 'administrator'
  return {
    'sanity.project': [
      {
        grants: [grant('read'), ...(isAdmin ? [grant('deployStudio'), grant('update')] : [])],
        config: {},
      },
    ],
    'sanity.project.members': [
      {grants: [grant('read'), ...(isAdmin ? [grant('invite')] : [])], config: {}},
    ],
    'sanity.project.datasets': [{grants: [grant('read')], config: {}}],
    'sanity.document.filter': [{grants: documentGrants, config: {filter: '_id in path("**")'}}],
  }
}

/** `GET /projects/<p>/datasets/<ds>/acl`: the document permission check. */
export function datasetAclBody(user: LakeUser) {
  return [{filter: '_id in path("**")', permissions: DOCUMENT_PERMISSIONS[user.role]}]
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/**
 * The login "provider" page: one button per user. The Studio links here with `origin` (where to
 * come back to); choosing a user redirects to `origin#sid=<session>`.
 */
export function loginPageHtml(identity: Identity, origin: string): string {
  const buttons = identity.users
    .map((user) => {
      const href = `/__lake/login/choose?${new URLSearchParams({user: user.id, origin})}`
      return `<li><a class="user" data-user-id="${escapeHtml(user.id)}" href="${escapeHtml(href)}">${escapeHtml(user.name)} <small>${escapeHtml(user.email)} · ${escapeHtml(ROLE_TITLES[user.role])}</small></a></li>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Local Content Lake – log in</title>
<style>body{font:16px system-ui,sans-serif;max-width:32rem;margin:4rem auto}ul{list-style:none;padding:0}
a.user{display:block;padding:.8rem 1rem;margin:.5rem 0;border:1px solid #ccc;border-radius:6px;text-decoration:none;color:#111}
a.user:hover{background:#f3f3f3}small{color:#666;display:block}</style></head>
<body><h1>Log in to the local Content Lake</h1><p>Choose who you are. No password: this lake runs on your machine only.</p>
<ul>${buttons}</ul></body></html>`
}

/** Only loopback origins may receive a session id. */
export function assertLoopbackOrigin(origin: string | null): URL {
  let url: URL
  try {
    url = new URL(origin ?? '')
  } catch {
    throw gatewayError(400, 'Bad Request', 'Missing or invalid "origin"')
  }
  const host = url.hostname
  const loopback =
    host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1' || host === '[::1]'
  if (!loopback)
    throw gatewayError(400, 'Bad Request', `Refusing to log in to non-local origin ${host}`)
  return url
}
