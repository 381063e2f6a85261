import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {MutationEvent, SanityClient} from '@sanity/client'

import {createLakeClient} from './client'
import {startContentLake, type ContentLake} from './server'
import {idOf, revOf} from './fields'

const seed = [
  {_id: 'course-a', _type: 'course', title: 'Algebra', slug: {_type: 'slug', current: 'algebra'}},
  {_id: 'course-b', _type: 'course', title: 'Biology', slug: {_type: 'slug', current: 'biology'}},
  {
    _id: 'plan-pro',
    _type: 'plan',
    title: 'Pro',
    courses: [
      {_key: 'a', _type: 'reference', _ref: 'course-a'},
      {_key: 'b', _type: 'reference', _ref: 'course-b'},
    ],
  },
  {_id: 'drafts.plan-pro', _type: 'plan', title: 'Pro (draft)', courses: []},
]

let lake: ContentLake
let admin: SanityClient

beforeAll(async () => {
  lake = await startContentLake({projectId: 'lake', dataset: 'test', documents: seed})
  admin = createLakeClient(lake)
})

afterAll(async () => {
  await lake.close()
})

describe('queries', () => {
  it('follows references and projects fields', async () => {
    const result = await admin.fetch(
      `*[_id == "plan-pro"][0]{title, "slugs": courses[]->slug.current}`,
    )
    expect(result).toEqual({title: 'Pro', slugs: ['algebra', 'biology']})
  })

  it('never leaks a draft into the published perspective', async () => {
    const published = await admin.fetch(
      `*[_type == "plan"]{_id, title}`,
      {},
      {perspective: 'published'},
    )
    expect(published).toEqual([{_id: 'plan-pro', title: 'Pro'}])
    const byDefault = await admin.fetch(`*[_type == "plan"]._id`)
    expect(byDefault).toEqual(['plan-pro'])
  })

  it('overlays drafts in the drafts perspective and shows everything in raw', async () => {
    const drafts = await admin.fetch(
      `*[_type == "plan"]{_id, _originalId, title}`,
      {},
      {perspective: 'drafts'},
    )
    expect(drafts).toEqual([
      {_id: 'plan-pro', _originalId: 'drafts.plan-pro', title: 'Pro (draft)'},
    ])
    const raw = await admin.fetch(`*[_type == "plan"]._id | order(@)`, {}, {perspective: 'raw'})
    expect(raw).toEqual(['drafts.plan-pro', 'plan-pro'])
  })

  it('uses the raw perspective by default for old API versions', async () => {
    const old = createLakeClient(lake, 'administrator', {apiVersion: '2021-06-07'})
    expect(await old.fetch(`count(*[_type == "plan"])`)).toBe(2)
  })

  it('answers text::query searches the way a Studio list needs', async () => {
    const hits = await admin.fetch(`*[_type == "course" && [@, _id] match text::query($q)]._id`, {
      q: 'bio*',
    })
    expect(hits).toEqual(['course-b'])
  })

  it('rejects invalid GROQ with a queryParseError', async () => {
    await expect(admin.fetch('*[_type == ')).rejects.toMatchObject({
      statusCode: 400,
      details: {type: 'queryParseError'},
    })
  })
})

describe('transactions', () => {
  it('creates, patches and deletes in one transaction with revisions = transaction id', async () => {
    const result = await admin
      .transaction()
      .create({_id: 'course-c', _type: 'course', title: 'Chemistry'})
      .patch('course-a', (patch) => patch.set({title: 'Algebra I'}))
      .commit()
    expect(revOf(lake.getDocument('course-c'))).toBe(result.transactionId)
    expect(lake.getDocument('course-a')).toMatchObject({
      title: 'Algebra I',
      _rev: result.transactionId,
    })

    await admin.delete('course-c')
    expect(lake.getDocument('course-c')).toBeUndefined()
  })

  it('patches by query and honours ifRevisionID', async () => {
    await admin.createOrReplace({_id: 'course-x', _type: 'course', title: 'X', level: 1})
    const rev = revOf(lake.getDocument('course-x')) as string
    await admin.patch({query: '*[_id == "course-x"]'}).inc({level: 1}).commit()
    expect(lake.getDocument('course-x')?.level).toBe(2)
    await expect(
      admin.patch('course-x').ifRevisionId(rev).set({title: 'Y'}).commit(),
    ).rejects.toMatchObject({
      statusCode: 409,
    })
  })

  it('rejects a create over an existing document and applies nothing of that transaction', async () => {
    const before = lake.getDocument('course-b')
    await expect(
      admin
        .transaction()
        .patch('course-b', (patch) => patch.set({title: 'Changed'}))
        .create({_id: 'course-a', _type: 'course'})
        .commit(),
    ).rejects.toMatchObject({statusCode: 409})
    expect(lake.getDocument('course-b')).toEqual(before)
  })

  it('returns documents when asked', async () => {
    const created = await admin.create({_id: 'drafts.', _type: 'course', title: 'Generated'})
    expect(idOf(created)).toMatch(/^drafts\.[0-9a-f-]{36}$/)
    expect(created.title).toBe('Generated')
  })

  it('answers malformed mutations with 400 and no crash', async () => {
    const response = await lake.resolveFetch()(`${lake.apiHost}/v2025-02-19/data/mutate/test`, {
      method: 'POST',
      headers: {authorization: `Bearer ${lake.token}`, 'content-type': 'application/json'},
      body: JSON.stringify({mutations: [{explode: {}}]}),
    })
    expect(response.status).toBe(400)
    const body = JSON.parse(await response.text()) as {error: {type: string}}
    expect(body.error.type).toBe('mutationError')
    expect(await admin.fetch('count(*[_id == "course-a"])')).toBe(1)
  })

  it('omits unknown documents from /data/doc', async () => {
    const body = await admin.request<{documents: {_id: string}[]; omitted: unknown[]}>({
      uri: '/data/doc/test/course-b,nope',
    })
    expect(body.documents.map((document) => idOf(document))).toEqual(['course-b'])
    expect(body.omitted).toEqual([{id: 'nope', reason: 'existence'}])
  })
})

describe('actions', () => {
  it('edits, publishes, unpublishes, discards and deletes like the Studio does', async () => {
    const act = (actions: unknown[]) =>
      admin.request({uri: '/data/actions/test', method: 'POST', body: {actions}})
    await act([
      {
        actionType: 'sanity.action.document.create',
        publishedId: 'course-new',
        attributes: {_id: 'drafts.course-new', _type: 'course', title: 'New'},
        ifExists: 'fail',
      },
    ])
    await act([
      {
        actionType: 'sanity.action.document.edit',
        draftId: 'drafts.course-new',
        publishedId: 'course-new',
        patch: {set: {title: 'New course'}, unset: ['_empty_action_guard_pseudo_field_']},
      },
    ])
    await act([
      {
        actionType: 'sanity.action.document.publish',
        draftId: 'drafts.course-new',
        publishedId: 'course-new',
      },
    ])
    expect(lake.getDocument('drafts.course-new')).toBeUndefined()
    expect(lake.getDocument('course-new')?.title).toBe('New course')

    await act([
      {
        actionType: 'sanity.action.document.unpublish',
        draftId: 'drafts.course-new',
        publishedId: 'course-new',
      },
    ])
    expect(lake.getDocument('course-new')).toBeUndefined()
    expect(lake.getDocument('drafts.course-new')?.title).toBe('New course')

    await act([{actionType: 'sanity.action.document.discard', draftId: 'drafts.course-new'}])
    expect(lake.getDocument('drafts.course-new')).toBeUndefined()

    await expect(
      act([
        {
          actionType: 'sanity.action.document.publish',
          draftId: 'drafts.course-new',
          publishedId: 'course-new',
        },
      ]),
    ).rejects.toMatchObject({statusCode: 409})
    await expect(act([{actionType: 'sanity.action.document.explode'}])).rejects.toMatchObject({
      statusCode: 400,
    })
  })
})

describe('listeners', () => {
  it('delivers mutation events with revisions, transition and the transaction id', async () => {
    const events: MutationEvent[] = []
    let welcomed: () => void = () => {}
    const open = new Promise<void>((resolve) => (welcomed = resolve))
    const received = new Promise<void>((resolve) => {
      const subscription = admin
        .listen('*[_type == "course"]', {}, {includeResult: true, events: ['welcome', 'mutation']})
        .subscribe((event) => {
          if (event.type === 'welcome') welcomed()
          if (event.type !== 'mutation') return
          events.push(event)
          subscription.unsubscribe()
          resolve()
        })
    })
    await open
    const previousRev = revOf(lake.getDocument('course-b'))
    const {transactionId} = await admin
      .patch('course-b')
      .set({title: 'Biology II'})
      .commit({returnDocuments: false})
    await received
    expect(events[0]).toMatchObject({
      documentId: 'course-b',
      transactionId,
      transition: 'update',
      previousRev,
      resultRev: transactionId,
      result: {title: 'Biology II'},
    })
  })
})

describe('identity', () => {
  it('answers /users/me with roles for each user', async () => {
    const me = await createLakeClient(lake, 'editor').users.getById('me')
    expect(me).toMatchObject({id: 'pEditor', role: 'editor', roles: [{name: 'editor'}]})
  })

  it('rejects a wrong token with a Sanity-shaped 401', async () => {
    const stranger = createLakeClient(lake, 'administrator', {token: 'sk-wrong'})
    await expect(stranger.fetch('count(*)')).rejects.toMatchObject({statusCode: 401})
  })

  it('rejects a missing token on data endpoints', async () => {
    const response = await lake.resolveFetch()(
      `${lake.apiHost}/v2025-02-19/data/query/test?query=count(*)`,
    )
    expect(response.status).toBe(401)
  })

  it('lets a viewer read but not write, and says so in grants and ACL', async () => {
    const viewer = createLakeClient(lake, 'viewer')
    expect(await viewer.fetch('count(*[_type == "course"]) > 0')).toBe(true)
    await expect(viewer.create({_type: 'course', title: 'Nope'})).rejects.toMatchObject({
      statusCode: 403,
    })
    await expect(
      viewer.request({
        uri: '/data/actions/test',
        method: 'POST',
        body: {
          actions: [{actionType: 'sanity.action.document.discard', draftId: 'drafts.plan-pro'}],
        },
      }),
    ).rejects.toMatchObject({statusCode: 403})
    const acl = await viewer.request<{permissions: string[]}[]>({
      uri: '/projects/lake/datasets/test/acl',
    })
    expect(acl[0]?.permissions).toEqual(['read', 'history'])
    const grants = await viewer.request<Record<string, {grants: {name: string}[]}[]>>({
      uri: '/projects/lake/grants',
    })
    const documentGrants = grants['sanity.document.filter']?.[0]?.grants.map((grant) => grant.name)
    expect(documentGrants).not.toContain('update')
  })

  it('exchanges a login session id for the chosen user token exactly once', async () => {
    const fetchLake = lake.resolveFetch()
    const origin = 'https://lake.localhost:3333/'
    const choose = await fetchLake(
      `${lake.apiHost}/__lake/login/choose?user=pViewer&origin=${encodeURIComponent(origin)}`,
      {redirect: 'manual'},
    )
    expect(choose.status).toBe(302)
    const sid = /#sid=(.+)$/.exec(choose.headers.get('location') ?? '')?.[1]
    expect(sid).toBeTruthy()
    const exchange = await fetchLake(`${lake.apiHost}/v2021-06-07/auth/fetch?sid=${sid}`)
    expect(JSON.parse(await exchange.text())).toEqual({token: lake.clientConfig('viewer').token})
    const again = await fetchLake(`${lake.apiHost}/v2021-06-07/auth/fetch?sid=${sid}`)
    expect(again.status).toBe(401)
  })

  it('refuses to send a session to a non-local origin', async () => {
    const response = await lake.resolveFetch()(
      `${lake.apiHost}/__lake/login/choose?user=pAdmin&origin=${encodeURIComponent('https://evil.example/')}`,
      {redirect: 'manual'},
    )
    expect(response.status).toBe(400)
  })
})

describe('persistence', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lake-data-'))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('keeps documents across restarts in NDJSON', async () => {
    const dataFile = join(dir, 'data.ndjson')
    const first = await startContentLake({projectId: 'lake', dataset: 'test', dataFile})
    await createLakeClient(first).create({_id: 'kept', _type: 'course', title: 'Kept'})
    await first.close()
    const lines = (await readFile(dataFile, 'utf8')).trim().split('\n')
    expect(lines.map((line) => idOf(JSON.parse(line)))).toEqual(['kept'])

    const second = await startContentLake({projectId: 'lake', dataset: 'test', dataFile})
    try {
      expect(await createLakeClient(second).fetch('*[_id == "kept"][0].title')).toBe('Kept')
    } finally {
      await second.close()
    }
  })

  it('refuses to start on a corrupt data file instead of overwriting it', async () => {
    const dataFile = join(dir, 'corrupt.ndjson')
    await writeFile(dataFile, '{"_id":"a","_type":"x"}\nnot json\n')
    await expect(startContentLake({projectId: 'lake', dataset: 'test', dataFile})).rejects.toThrow(
      /corrupt\.ndjson:2/,
    )
    expect(await readFile(dataFile, 'utf8')).toContain('not json')
  })
})
