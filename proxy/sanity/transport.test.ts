import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {createLakeClient, startContentLake, type ContentLake} from '../../emulators/content-lake'
import {resolveAccessRules} from '../../core/access'
import type {ProxyFetch} from '../auth/identity'
import {createAccessQueries, ENTITLEMENT_TYPE} from './queries'
import {createSanityReader, SanityRequestError, type SanityReader} from './transport'

const documents = [
  {_id: 'plan-pro', _type: 'clerkPlan', title: 'Pro', key: 'pro', rank: 2},
  {
    _id: 'e1',
    _type: ENTITLEMENT_TYPE,
    clerkUserId: 'user_ada',
    plan: {_type: 'reference', _ref: 'plan-pro'},
  },
  {_id: 'drafts.e2', _type: ENTITLEMENT_TYPE, clerkUserId: 'user_ada'},
  {_id: 'e3', _type: ENTITLEMENT_TYPE, clerkOrganizationId: 'org_acme'},
]

let lake: ContentLake
let reader: SanityReader

const readerFor = (overrides: {maxRetries?: number; token?: string} = {}) => {
  const {projectId, dataset, apiHost, token, apiVersion} = lake.clientConfig('viewer')
  return createSanityReader({
    projectId,
    dataset,
    apiHost,
    token,
    apiVersion,
    fetch: lake.resolveFetch(),
    ...overrides,
  })
}

beforeAll(async () => {
  lake = await startContentLake({projectId: 'transport', dataset: 'test', documents})
  reader = readerFor()
})
afterEach(() => lake.faults.clear())
afterAll(() => lake?.close())

const lastRequest = () => lake.requests.at(-1)!

describe('createSanityReader against the local Content Lake', () => {
  it('answers the proxy queries exactly as @sanity/client does', async () => {
    const rules = resolveAccessRules({})
    const viaReader = createAccessQueries(reader, rules)
    const viaClient = createAccessQueries(createLakeClient(lake, 'viewer'), rules)
    const subjects = ['user_ada', 'org_acme', 'user_nobody']
    expect(await viaReader.readSubjects(subjects, ['e1', 'e9'])).toEqual(
      await viaClient.readSubjects(subjects, ['e1', 'e9']),
    )
    expect(await viaReader.readChange('e1', subjects, ['e1'])).toEqual(
      await viaClient.readChange('e1', subjects, ['e1']),
    )
    expect(await viaReader.currentRevisions(['e3', 'gone', 'e1'])).toEqual(
      await viaClient.currentRevisions(['e3', 'gone', 'e1']),
    )
  })

  it('sends a GET with the token, the published perspective, the tag and JSON-encoded params', async () => {
    const result = await reader.fetch<string[]>(
      '*[_type == $type && clerkUserId == $user]._id',
      {type: ENTITLEMENT_TYPE, user: 'user_ada'},
      {perspective: 'published', tag: 'clerk-sync.test'},
    )
    expect(result).toEqual(['e1'])
    const request = lastRequest()
    expect(request).toMatchObject({method: 'GET', route: '/data/query/test', status: 200})
    expect(request.tag).toBe('clerk-sync.test')
    const url = new URL(request.url, lake.apiHost)
    expect(url.searchParams.get('perspective')).toBe('published')
    expect(url.searchParams.get('$user')).toBe('"user_ada"')
    expect(url.searchParams.get('returnQuery')).toBe('false')
    expect(request.userId).toBe(lake.users.find((user) => user.role === 'viewer')?.id)
  })

  it('sends a query too long for a URL as POST {query, params}, with the same answer', async () => {
    const many = Array.from({length: 2000}, (_, index) => `user_${index}`)
    const result = await reader.fetch<string[]>(
      '*[_type == $type && clerkUserId in $users] | order(_id asc)._id',
      {type: ENTITLEMENT_TYPE, users: [...many, 'user_ada']},
      {perspective: 'published', tag: 'clerk-sync.long'},
    )
    expect(result).toEqual(['e1'])
    expect(lastRequest()).toMatchObject({method: 'POST', route: '/data/query/test', status: 200})
    expect(new URL(lastRequest().url, lake.apiHost).searchParams.get('perspective')).toBe(
      'published',
    )
  })

  it("fails with Sanity's status and error description, and never the token", async () => {
    const failure = await reader
      .fetch('*[_type == ', {}, {perspective: 'published', tag: 'clerk-sync.broken'})
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(SanityRequestError)
    expect(failure).toMatchObject({statusCode: 400, details: {type: 'queryParseError'}})
    expect((failure as Error).message).toContain('clerk-sync.broken')
    expect((failure as Error).message).not.toContain(lake.clientConfig('viewer').token)

    const refused = await readerFor({token: 'not-a-token'})
      .fetch('*[0]', {}, {perspective: 'published'})
      .catch((error: unknown) => error)
    expect(refused).toMatchObject({statusCode: 401})
  })

  it('retries 503s like @sanity/client, and reports the status when they go on', async () => {
    lake.faults.add({route: '^/data/query/', status: 503, times: 2})
    const before = lake.requests.length
    await expect(
      reader.fetch(
        'count(*[_type == $type])',
        {type: ENTITLEMENT_TYPE},
        {perspective: 'published'},
      ),
    ).resolves.toBe(2)
    expect(lake.requests.length - before).toBe(3)

    lake.faults.add({route: '^/data/query/', status: 503, times: 3})
    await expect(
      readerFor({maxRetries: 1}).fetch('count(*)', {}, {perspective: 'published'}),
    ).rejects.toMatchObject({statusCode: 503})
  })

  it('reads documents by id in the order asked, null where there is none', async () => {
    const found = await reader.getDocuments(['e3', 'missing', 'e1'], {tag: 'clerk-sync.revision'})
    expect(found).toEqual([
      expect.objectContaining({_id: 'e3', _rev: expect.any(String)}),
      null,
      expect.objectContaining({_id: 'e1'}),
    ])
    expect(lastRequest()).toMatchObject({method: 'GET', route: '/data/doc/test/e3,missing,e1'})
  })
})

describe('createSanityReader without a server', () => {
  const capturing = (answer: () => Promise<Response>) => {
    const calls: Array<{url: string; init: RequestInit}> = []
    const fetch = ((url: string, init: RequestInit) => {
      calls.push({url, init})
      return answer()
    }) as unknown as ProxyFetch
    return {calls, fetch}
  }

  it("addresses Sanity's project host with the pinned API version", async () => {
    const {calls, fetch} = capturing(async () => Response.json({result: [1]}))
    const sanity = createSanityReader({
      projectId: 'abc123',
      dataset: 'production',
      token: 'sk-read',
      apiVersion: 'v2025-02-19',
      fetch,
    })
    await expect(sanity.fetch('*[0]', {}, {perspective: 'published'})).resolves.toEqual([1])
    const url = new URL(calls[0]!.url)
    expect(url.origin + url.pathname).toBe(
      'https://abc123.api.sanity.io/v2025-02-19/data/query/production',
    )
    expect(calls[0]!.init.headers).toMatchObject({authorization: 'Bearer sk-read'})
  })

  it("passes Sanity's warnings on, each message once", async () => {
    const deprecated = 'This API version is deprecated: use v2025-02-19 or later'
    const {fetch} = capturing(async () =>
      Response.json({result: []}, {headers: {'x-sanity-warning': deprecated}}),
    )
    const warnings: string[] = []
    const sanity = createSanityReader({
      projectId: 'abc123',
      dataset: 'production',
      apiVersion: '2021-03-25',
      fetch,
      warn: (message) => warnings.push(message),
    })
    await sanity.fetch('*[0]', {}, {perspective: 'published'})
    await sanity.getDocuments(['a'])
    expect(warnings).toEqual([deprecated])
  })

  it('gives up after its timeout, and at once when the caller aborts', async () => {
    const hanging = (_url: string, init: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )
    const config = {projectId: 'abc123', dataset: 'production', apiVersion: '2025-02-19'}
    const timed = createSanityReader({
      ...config,
      timeoutMs: 20,
      maxRetries: 3,
      fetch: hanging as unknown as ProxyFetch,
    })
    await expect(timed.fetch('*', {}, {perspective: 'published'})).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    const controller = new AbortController()
    const pending = createSanityReader({
      ...config,
      fetch: hanging as unknown as ProxyFetch,
    }).fetch('*', {}, {perspective: 'published', signal: controller.signal})
    controller.abort()
    await expect(pending).rejects.toMatchObject({name: 'AbortError'})
  })
})
