/**
 * Who-am-I, project and permission endpoints, the login flow, and the boot-time endpoints a
 * Studio calls (features, key-value settings, telemetry) answered with harmless defaults.
 */
import type {LakeCore} from './core'
import {notFound, unauthorized} from './errors'
import {readJson, type LakeRequest, type Reply} from './http'
import {
  assertLoopbackOrigin,
  currentUserBody,
  datasetAclBody,
  grantsBody,
  loginPageHtml,
  projectBody,
  projectUsersBody,
  rolesBody,
} from './identity'
import type {LakeUser} from './types'

/** Routes that work without a token (the Studio calls them before logging in). */
export async function publicRoute(
  core: LakeCore,
  request: LakeRequest,
): Promise<Reply | undefined> {
  const {route, url} = request
  if (route === '/auth/providers') {
    return {
      body: {
        thirdPartyLogin: false,
        sso: {},
        providers: [
          {name: 'lake', title: 'Local Content Lake', url: `${request.origin}/__lake/login`},
        ],
      },
    }
  }
  if (route === '/auth/fetch')
    return {body: core.identity.exchangeSession(url.searchParams.get('sid'))}
  if (route === '/auth/logout') return {body: {}}
  if (route === '/__lake/login') {
    const origin = assertLoopbackOrigin(url.searchParams.get('origin'))
    return {
      text: loginPageHtml(core.identity, origin.href),
      contentType: 'text/html; charset=utf-8',
    }
  }
  if (route === '/__lake/login/choose') {
    const origin = assertLoopbackOrigin(url.searchParams.get('origin'))
    const sessionId = core.identity.startSession(url.searchParams.get('user') ?? '')
    origin.hash = `sid=${sessionId}`
    return {status: 302, headers: {location: origin.href}, text: ''}
  }
  if (route === '/intake/telemetry-status') return {body: {status: 'denied'}}
  if (route === '/intake/batch') return {body: {}}
  return undefined
}

const PROJECT_ROUTE = /^\/projects\/([^/]+)(\/.*)?$/

/** Routes that need a known user (or, for `/users/me`, report the absence of one). */
export async function identityRoute(
  core: LakeCore,
  request: LakeRequest,
  user: LakeUser | null,
): Promise<Reply | undefined> {
  const {route} = request
  if (route === '/users/me') return {body: user ? currentUserBody(user) : {}}
  if (!user) {
    if (route === '/auth/id' || route.startsWith('/users/') || route.startsWith('/projects/')) {
      throw unauthorized('Unauthorized - no token provided')
    }
    return undefined
  }
  if (route === '/auth/id') return {body: {id: user.id}}
  if (route.startsWith('/users/me/keyvalue')) {
    if (request.method === 'GET') {
      const keys = decodeURIComponent(route.slice('/users/me/keyvalue/'.length)).split(',')
      return {body: keys.filter(Boolean).map((key) => ({key, value: null}))}
    }
    const body = await readJson(request)
    return {body: Array.isArray(body) ? body : [body]}
  }
  if (route.startsWith('/users/')) {
    const ids = decodeURIComponent(route.slice('/users/'.length)).split(',').filter(Boolean)
    return {body: projectUsersBody(core.identity, ids, user, core.projectId)}
  }
  if (route === '/features') return {body: []}
  const project = PROJECT_ROUTE.exec(route)
  if (!project) return undefined
  const [, projectId, rest = ''] = project
  if (projectId !== core.projectId) throw notFound(`Project "${projectId}" not found`)
  if (rest === '') return {body: projectBody(core.identity, user, core.projectId)}
  if (rest === '/grants') return {body: grantsBody(user)}
  if (rest === '/roles') return {body: rolesBody()}
  if (rest === '/user-applications') return {body: []}
  if (rest === '/datasets') {
    return {body: [{name: core.dataset, aclMode: 'public'}]}
  }
  if (rest === `/datasets/${core.dataset}/acl`) return {body: datasetAclBody(user)}
  return undefined
}
