import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {createLakeClient, startContentLake, type ContentLake} from '../../emulators/content-lake'
import {computeAccess, resolveAccessRules} from '../../core/access'
import {createAccessQueries, ENTITLEMENT_TYPE, type AccessQueries} from './queries'

const rules = resolveAccessRules({
  grantableTypes: [{type: 'course'}, {type: 'cohort', slugField: 'code', metadataKey: 'cohorts'}],
})
const ref = (id: string) => ({_type: 'reference', _ref: id})
const grants = (...ids: string[]) => ids.map((id) => ({...ref(id), _key: id}))

const documents = [
  {_id: 'plan-pro', _type: 'clerkPlan', title: 'Pro', key: 'pro', rank: 2},
  {_id: 'role-editor', _type: 'clerkRole', title: 'Editor', key: 'editor', rank: 1},
  {_id: 'course-a', _type: 'course', title: 'A', slug: {_type: 'slug', current: 'a'}},
  {
    _id: 'drafts.course-b',
    _type: 'course',
    title: 'B (draft only)',
    slug: {_type: 'slug', current: 'b'},
  },
  {_id: 'cohort-1', _type: 'cohort', code: 'spring'},
  {
    _id: 'e1',
    _type: ENTITLEMENT_TYPE,
    title: 'Ada pro',
    clerkUserId: 'user_ada',
    plan: ref('plan-pro'),
    grants: grants('course-a', 'course-b', 'cohort-1'),
  },
  {
    _id: 'drafts.e2',
    _type: ENTITLEMENT_TYPE,
    clerkUserId: 'user_ada',
    role: {...ref('role-editor')},
  },
  {
    _id: 'e3',
    _type: ENTITLEMENT_TYPE,
    clerkOrganizationId: 'org_acme',
    role: ref('role-editor'),
    plan: ref('plan-pro'),
  },
  {_id: 'e4', _type: ENTITLEMENT_TYPE, clerkUserId: 'user_bob', role: ref('role-editor')},
]

let lake: ContentLake
let queries: AccessQueries

beforeAll(async () => {
  lake = await startContentLake({projectId: 'queries', dataset: 'test', documents})
  queries = createAccessQueries(createLakeClient(lake, 'viewer'), rules)
})
afterAll(() => lake?.close())

describe('createAccessQueries against the local Content Lake', () => {
  it('reads a subject in one query with exactly the fields the rules need', async () => {
    const before = lake.requests.length
    const bySubject = await queries.entitlementsOf(['user_ada', 'user_nobody'])
    expect(lake.requests.length - before).toBe(1)
    expect(lake.requests.at(-1)).toMatchObject({
      route: '/data/query/test',
      tag: expect.stringContaining('clerk-sync.subject'),
    })
    expect(bySubject.get('user_nobody')).toEqual([])
    const [ada] = bySubject.get('user_ada') ?? []
    expect(bySubject.get('user_ada')).toHaveLength(1)
    expect(ada).toMatchObject({
      _id: 'e1',
      title: 'Ada pro',
      plan: {key: 'pro', rank: 2},
      role: null,
    })
    expect(ada?.grants).toEqual([
      {_id: 'course-a', _type: 'course', slug: 'a'},
      null,
      {_id: 'cohort-1', _type: 'cohort', slug: 'spring'},
    ])
    expect(
      computeAccess(bySubject.get('user_ada') ?? [], rules, {now: new Date(), subject: 'user_ada'})
        .metadata,
    ).toEqual({
      cohorts: ['spring'],
      courseSlugs: ['a'],
      plan: 'pro',
    })
  })

  it('finds the subjects of an entitlement and of everything entitlements reference', async () => {
    const subjectsOf = async (id: string) => (await queries.subjectsOfDocument(id)).subjects
    expect(await subjectsOf('e1')).toEqual(['user_ada'])
    expect(await subjectsOf('drafts.e3')).toEqual(['org_acme'])
    expect(await subjectsOf('role-editor')).toEqual(['org_acme', 'user_bob'])
    expect(await subjectsOf('course-a')).toEqual(['user_ada'])
    expect(await subjectsOf('missing')).toEqual([])
  })

  it('tells, in the same query, which revision of each probed document the read saw', async () => {
    const {_rev: rev} = lake.getDocument('e1') ?? {}
    const before = lake.requests.length
    const read = await queries.readSubjects(['user_ada'], ['e1', 'missing'])
    const ofDocument = await queries.subjectsOfDocument('e1', ['e1'])
    expect(lake.requests.length - before).toBe(2)
    expect(read.revisions).toEqual(
      new Map([
        ['e1', rev],
        ['missing', null],
      ]),
    )
    expect(read.bySubject.get('user_ada')?.map(({_id}) => _id)).toEqual(['e1'])
    expect(ofDocument.revisions).toEqual(new Map([['e1', rev]]))
    expect(await queries.currentRevisions(['e1', 'missing'])).toEqual(
      new Map([
        ['e1', rev],
        ['missing', null],
      ]),
    )
  })

  it('pages every published entitlement by _id', async () => {
    const before = lake.requests.length
    const pages: string[][] = []
    for await (const page of queries.entitlementPages({pageSize: 2}))
      pages.push(page.map(({_id}) => _id))
    expect(pages).toEqual([['e1', 'e3'], ['e4']])
    expect(lake.requests.length - before).toBe(2)
  })
})
