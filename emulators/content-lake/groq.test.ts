import {
  applyPerspective,
  compileDelta,
  defaultPerspective,
  publishedIdOf,
  runQuery,
  shimTextQuery,
} from './groq'
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
