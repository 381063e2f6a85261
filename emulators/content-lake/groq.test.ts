import {
  applyPerspective,
  compileDelta,
  defaultPerspective,
  publishedIdOf,
  runQuery,
  shimTextQuery,
} from './groq'
import type {SanityClient} from '@sanity/client'

import {createLakeClient} from './client'
import {startContentLake, type ContentLake} from './server'
import type {LakeDocument} from './types'

const documents: LakeDocument[] = [
  {_id: 'a', _type: 'course', title: 'Published A'},
  {_id: 'drafts.a', _type: 'course', title: 'Draft A'},
  {_id: 'versions.spring.a', _type: 'course', title: 'Spring A'},
  {_id: 'drafts.b', _type: 'course', title: 'Draft-only B'},
]
const scope = {projectId: 'p', dataset: 'd', identity: 'pUser'}
const titles = (docs: LakeDocument[]) =>
  docs.map(({_id, title}) => `${_id}:${String(title)}`).sort()

describe('perspectives', () => {
  it('published hides drafts and versions', () => {
    expect(titles(applyPerspective(documents, 'published'))).toEqual(['a:Published A'])
  })

  it('drafts overlays drafts on published and keeps the real id in _originalId', () => {
    const overlaid = applyPerspective(documents, 'drafts')
    expect(titles(overlaid)).toEqual(['a:Draft A', 'b:Draft-only B'])
    expect(overlaid.find(({_id}) => _id === 'a')).toMatchObject({_originalId: 'drafts.a'})
  })

  it('a release stack puts the first-named layer on top', () => {
    expect(titles(applyPerspective(documents, 'spring,drafts'))).toEqual([
      'a:Spring A',
      'b:Draft-only B',
    ])
  })

  it('raw is everything', () => {
    expect(applyPerspective(documents, 'raw')).toHaveLength(4)
  })

  it('defaults to published from v2025-02-19 and raw before', () => {
    expect(defaultPerspective('2025-02-19')).toBe('published')
    expect(defaultPerspective('X')).toBe('published')
    expect(defaultPerspective('2021-06-07')).toBe('raw')
    expect(defaultPerspective('1')).toBe('raw')
  })

  it('maps draft and version ids to the published id', () => {
    expect(publishedIdOf('drafts.x')).toBe('x')
    expect(publishedIdOf('versions.r1.x')).toBe('x')
    expect(publishedIdOf('x')).toBe('x')
  })
})

describe('text::query stand-in', () => {
  it('rewrites only the match expression and keeps documents containing every token', async () => {
    const {query, params} = shimTextQuery(
      '*[_type == "course" && [@, _id] match text::query($q)]._id',
      {q: 'draft +only*'},
      documents,
    )
    expect(query).toBe('*[_type == "course" && _id in $__text0]._id')
    expect(params).toMatchObject({__text0: ['drafts.b']})
    expect(await runQuery(documents, '*[@ match text::query("*")]._id', {}, scope)).toHaveLength(4)
  })
})

describe('text::query with a field selector, through the lake', () => {
  const seed: LakeDocument[] = [
    {_id: 'plan-pro', _type: 'plan', title: 'Pro', slug: {_type: 'slug', current: 'pro'}},
    {_id: 'plan-team', _type: 'plan', title: 'Team', slug: {_type: 'slug', current: 'team-plus'}},
    {
      _id: 'plan-basic',
      _type: 'plan',
      title: 'Basic',
      description: 'Upgrade to pro later',
      slug: {_type: 'slug', current: 'basic'},
    },
  ]
  let lake: ContentLake
  let client: SanityClient

  beforeAll(async () => {
    lake = await startContentLake({projectId: 'groq', dataset: 'test', documents: seed})
    client = createLakeClient(lake)
  })

  afterAll(async () => {
    await lake.close()
  })

  const search = (query: string, params: Record<string, unknown> = {}) =>
    client.fetch<string[]>(query, params).then((ids) => [...ids].sort())

  it('matches a plain field and ignores the token in other fields', async () => {
    expect(await search('*[_type == "plan" && title match text::query("pro")]._id')).toEqual([
      'plan-pro',
    ])
    // The whole document still matches where the Studio's list asks for it.
    expect(await search('*[_type == "plan" && @ match text::query("pro")]._id')).toEqual([
      'plan-basic',
      'plan-pro',
    ])
  })

  it('matches a dotted path with a prefix token from a parameter', async () => {
    expect(
      await search('*[_type == "plan" && slug.current match text::query($q)]._id', {q: 'plu*'}),
    ).toEqual(['plan-team'])
    expect(
      await search('*[_type == "plan" && slug.current match text::query($q)]._id', {q: 'upgrade'}),
    ).toEqual([])
  })

  it('finds the tokens across the fields of a list', async () => {
    const query = '*[_type == "plan" && [title, slug.current] match text::query($q)]._id'
    expect(await search(query, {q: 'team plus'})).toEqual(['plan-team'])
    expect(await search(query, {q: 'basic upgrade'})).toEqual([])
  })

  it('answers the scored query a reference input sends', async () => {
    const hits = await client.fetch<{_id: string}[]>(
      `*[_type in $__types] | score(boost(_type in ["plan"] && title match text::query($__query), 10), ([@, _id] match text::query($__query) || references($__rawQuery))) [_score > 0] {_id} | order(_score desc) [0...$__limit]`,
      {__types: ['plan'], __query: 'pro*', __rawQuery: 'pro', __limit: 11},
    )
    expect(hits.map(({_id}) => _id)).toEqual(['plan-pro', 'plan-basic'])
  })
})

describe('delta expressions', () => {
  it('see before() and after() and name the operation', async () => {
    const projection = compileDelta(
      '{"op": delta::operation(), "was": before().title, "is": after().title}',
      scope,
    )
    const before = {_id: 'a', _type: 'course', title: 'Old'}
    const after = {_id: 'a', _type: 'course', title: 'New'}
    expect(await projection.evaluate(before, after)).toEqual({op: 'update', was: 'Old', is: 'New'})
    expect(await projection.evaluate(null, after)).toEqual({op: 'create', was: null, is: 'New'})
    expect(await projection.evaluate(before, null)).toEqual({op: 'delete', was: 'Old', is: null})
  })

  it('reject invalid GROQ when compiled', () => {
    expect(() => compileDelta('_type ==', scope)).toThrow(/Unexpected|expected/i)
  })
})
