import type {MutationEvent} from '@sanity/client'

import {createLakeClient} from './client'
import {startContentLake, type ContentLake} from './server'

let lake: ContentLake

beforeAll(async () => {
  lake = await startContentLake({
    projectId: 'lake',
    dataset: 'test',
    documents: [{_id: 'course-a', _type: 'course', title: 'Algebra'}],
  })
})

afterAll(async () => {
  await lake.close()
})

async function admin(path: string, init: {method?: string; body?: unknown} = {}) {
  const response = await lake.resolveFetch()(`${lake.apiHost}/__lake${path}`, {
    method: init.method ?? 'GET',
    headers: {'content-type': 'application/json'},
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return {status: response.status, body: JSON.parse(await response.text()) as unknown}
}

describe('admin API', () => {
  it('lists stored documents and transactions without a token, and never tokens', async () => {
    await createLakeClient(lake).patch('course-a').set({title: 'Algebra I'}).commit()
    const documents = await admin('/documents')
    expect(documents.body).toEqual([expect.objectContaining({_id: 'course-a', title: 'Algebra I'})])
    const one = await admin('/documents/course-a')
    expect(one.body).toMatchObject({title: 'Algebra I'})
    expect((await admin('/documents/nope')).status).toBe(404)
    const transactions = (await admin('/transactions')).body as {changes: {id: string}[]}[]
    expect(transactions.at(-1)?.changes.map((change) => change.id)).toEqual(['course-a'])
    expect(JSON.stringify(await admin('/requests'))).not.toContain(lake.token)
  })

  it('injects a 5xx on a route, which @sanity/client retries, and logs both answers', async () => {
    await admin('/faults', {method: 'POST', body: {route: '^/data/query/', status: 503, times: 1}})
    const title = await createLakeClient(lake).fetch('*[_id == "course-a"][0].title')
    expect(title).toBe('Algebra I')
    const queries = lake.requests.filter((request) => request.route === '/data/query/test')
    expect(queries.slice(-2).map((request) => request.status)).toEqual([503, 200])
    expect((await admin('/faults')).body).toEqual([])
  })

  it('sets, reads and removes the query lag; rejects a bad one', async () => {
    expect(
      await admin('/query-lag', {method: 'PUT', body: {minMs: 60_000, maxMs: 90_000, seed: 3}}),
    ).toEqual({
      status: 200,
      body: {queryLag: {minMs: 60_000, maxMs: 90_000, seed: 3}},
    })
    await createLakeClient(lake).create({_id: 'course-c', _type: 'course', title: 'Chemistry'})
    expect(await createLakeClient(lake).fetch('count(*[_id == "course-c"])')).toBe(0)
    expect((await admin('/query-lag', {method: 'PUT', body: {minMs: 5, maxMs: 1}})).status).toBe(
      400,
    )
    expect(await admin('/query-lag')).toMatchObject({body: {queryLag: {minMs: 60_000}}})
    expect(await admin('/query-lag', {method: 'DELETE'})).toEqual({
      status: 200,
      body: {queryLag: null},
    })
    expect(await createLakeClient(lake).fetch('count(*[_id == "course-c"])')).toBe(1)
  })

  it('shortens webhook timings for tests; rejects unknown or negative ones', async () => {
    expect(
      await admin('/webhooks/timings', {method: 'PUT', body: {timeoutMs: 50, retryDelayMs: 5}}),
    ).toEqual({
      status: 200,
      body: {retryDelayMs: 5, maxRetries: 2, timeoutMs: 50},
    })
    expect((await admin('/webhooks/timings', {method: 'PUT', body: {timeoutMs: -1}})).status).toBe(
      400,
    )
    expect((await admin('/webhooks/timings', {method: 'PUT', body: {retries: 1}})).status).toBe(400)
    expect((await admin('/webhooks/timings')).body).toMatchObject({timeoutMs: 50})
  })

  it('rejects a fault without a route', async () => {
    expect((await admin('/faults', {method: 'POST', body: {status: 500}})).status).toBe(400)
  })

  it('drops listener streams on request or by fault rule; clients reconnect and keep receiving', async () => {
    const client = createLakeClient(lake)
    const welcomes: string[] = []
    const mutations: MutationEvent[] = []
    const subscription = client
      .listen('*[_id == "course-a"]', {}, {events: ['welcome', 'mutation']})
      .subscribe((event) => {
        if (event.type === 'welcome') welcomes.push(event.listenerName)
        if (event.type === 'mutation') mutations.push(event)
      })
    try {
      await vi.waitFor(() => expect(welcomes).toHaveLength(1))
      lake.faults.add({route: '^/data/listen/', dropListenerAfterMs: 0, times: 1})
      expect((await admin('/listeners/drop', {method: 'POST'})).body).toEqual({dropped: 1})
      // The first reconnect is dropped by the fault rule right after its welcome; the next holds.
      await vi.waitFor(() => expect(welcomes).toHaveLength(3), {timeout: 15_000})
      expect(lake.openListeners()).toBe(1)
      await client.patch('course-a').set({title: 'After the drop'}).commit()
      await vi.waitFor(() => expect(mutations).toHaveLength(1))
    } finally {
      subscription.unsubscribe()
    }
  })
})
