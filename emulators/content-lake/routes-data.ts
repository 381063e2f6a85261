/** The `/data/*` API: query, doc, listen, mutate, actions (history: `routes-history.ts`). */
import {apiError} from './errors'
import {applyActions} from './actions'
import type {LakeCore} from './core'
import {applyPerspective, defaultPerspective, runQuery, type QueryScope} from './groq'
import {booleanParam, corsHeaders, groqParams, readJson, type LakeRequest, type Reply} from './http'
import {assertCanWrite} from './identity'
import {mutate} from './mutate'
import type {LakeUser} from './types'

const DATA_ROUTE = /^\/data\/(query|doc|listen|mutate|actions)\/([^/]+)(?:\/(.*))?$/

function scopeFor(core: LakeCore, user: LakeUser): QueryScope {
  return {projectId: core.projectId, dataset: core.dataset, identity: user.id}
}

async function query(core: LakeCore, request: LakeRequest, user: LakeUser): Promise<Reply> {
  let text = request.url.searchParams.get('query')
  let params = groqParams(request.url)
  if (request.method === 'POST') {
    const body = (await readJson(request)) as {query?: unknown; params?: unknown} | undefined
    if (typeof body?.query === 'string') text = body.query
    if (body?.params && typeof body.params === 'object')
      params = body.params as Record<string, unknown>
  }
  if (!text) throw apiError(400, 'queryParseError', 'Missing "query"')
  const perspective =
    request.url.searchParams.get('perspective') ?? defaultPerspective(request.apiVersion ?? '1')
  const started = performance.now()
  // Queries read the (possibly lagging) replica; doc-by-id, writes and listeners read the store.
  const view = core.replica.view()
  const scope = scopeFor(core, user)
  const result = core.planner
    ? await core.planner.run(view, text, params, perspective, scope)
    : await runQuery(applyPerspective(view.all(), perspective), text, params, scope)
  const ms = Math.round(performance.now() - started)
  const returnQuery = request.url.searchParams.get('returnQuery') !== 'false'
  return {body: {...(returnQuery ? {query: text} : {}), result, ms}}
}

function doc(core: LakeCore, ids: string): Reply {
  const requested = ids.split(',').filter(Boolean)
  const documents = requested.flatMap((id) => core.store.get(id) ?? [])
  const omitted = requested
    .filter((id) => !core.store.get(id))
    .map((id) => ({id, reason: 'existence'}))
  return {body: {documents, omitted}}
}

function listen(core: LakeCore, request: LakeRequest, user: LakeUser, dropAfterMs?: number): Reply {
  const {url, response} = request
  const text = url.searchParams.get('query')
  if (!text) throw apiError(400, 'queryParseError', 'Missing "query"')
  const options = {
    query: text,
    params: groqParams(url),
    includeResult: booleanParam(url, 'includeResult', true),
    includeMutations: booleanParam(url, 'includeMutations', true),
    includePreviousRevision: booleanParam(url, 'includePreviousRevision', false),
    effectFormat: url.searchParams.get('effectFormat'),
    visibility: url.searchParams.get('visibility') ?? 'query',
  }
  const matches = core.listeners.compile(options, scopeFor(core, user))
  response.writeHead(200, {
    ...corsHeaders(request.raw),
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
  })
  const unsubscribe = core.listeners.attach(options, matches, {
    write: (chunk) => response.write(chunk),
    end: () => response.end(),
  })
  request.raw.on('close', unsubscribe)
  if (dropAfterMs !== undefined) {
    setTimeout(() => {
      unsubscribe()
      response.end()
    }, dropAfterMs).unref()
  }
  return null
}

/** Handles `/data/*`; returns undefined when the route is not a data route. */
export async function dataRoute(
  core: LakeCore,
  request: LakeRequest,
  user: LakeUser,
  dropListenerAfterMs?: number,
): Promise<Reply | undefined> {
  const match = DATA_ROUTE.exec(request.route)
  if (!match) return undefined
  const [, endpoint, dataset, rest = ''] = match
  if (dataset !== core.dataset) {
    throw apiError(404, 'notFound', `Dataset "${dataset}" not found in project ${core.projectId}`)
  }
  switch (endpoint) {
    case 'query':
      return query(core, request, user)
    case 'doc':
      return doc(core, rest)
    case 'listen':
      return listen(core, request, user, dropListenerAfterMs)
    case 'mutate': {
      if (request.method !== 'POST') throw apiError(405, 'httpMethodNotAllowed', 'Use POST')
      assertCanWrite(user)
      const {url} = request
      const {response} = await mutate(
        core.store,
        await readJson(request),
        {
          returnIds: booleanParam(url, 'returnIds', false),
          returnDocuments: booleanParam(url, 'returnDocuments', false),
          autoGenerateArrayKeys: booleanParam(url, 'autoGenerateArrayKeys', false),
          dryRun: booleanParam(url, 'dryRun', false),
        },
        scopeFor(core, user),
      )
      return {body: response}
    }
    case 'actions': {
      if (request.method !== 'POST') throw apiError(405, 'httpMethodNotAllowed', 'Use POST')
      assertCanWrite(user)
      const body = await readJson(request)
      const {response} = await core.store.exclusive(async () =>
        applyActions(core.store, body, user.id),
      )
      return {body: response}
    }
  }
  return undefined
}
