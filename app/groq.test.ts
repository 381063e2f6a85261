import {evaluate, parse} from 'groq-js'

import {readMemberAccess} from './access'
import {entitledFilter, RANKS_QUERY, toRanks} from './groq'

const documents = [
  {_id: 'plan-pro', _type: 'clerkPlan', key: 'pro', rank: 10},
  {_id: 'plan-free', _type: 'clerkPlan', key: 'free', rank: 0},
  {_id: 'role-editor', _type: 'clerkRole', key: 'editor'},
  {_id: 'c1', _type: 'course', slug: {_type: 'slug', current: 'intro'}, free: false},
  {_id: 'c2', _type: 'course', slug: {_type: 'slug', current: 'advanced'}, free: false},
  {_id: 'c3', _type: 'course', slug: {_type: 'slug', current: 'welcome'}, free: true},
  {_id: 'c4', _type: 'course', slug: {_type: 'slug', current: '"] || true || ["'}, free: false},
  {_id: 'l1', _type: 'lesson', slug: 'intro'},
]

async function run(query: string, params: Record<string, unknown> = {}) {
  return (await evaluate(parse(query), {dataset: documents, params})).get()
}

const accessFor = (courseSlugs: unknown) =>
  readMemberAccess({sub: 'user_1', access: {user: {courseSlugs}}})

describe('entitledFilter', () => {
  it('matches only granted documents of grantable types, plus the public ones', async () => {
    const {filter, params} = entitledFilter(accessFor(['intro']))
    expect(await run(`*[${filter}]._id`, params)).toEqual(['c1'])
    const open = entitledFilter(accessFor(['intro']), {publicFilter: 'free == true'})
    expect(await run(`*[_type == "course" && ${open.filter}]._id`, open.params)).toEqual([
      'c1',
      'c3',
    ])
    const none = entitledFilter(accessFor([]), {publicFilter: 'free == true'})
    expect(await run(`*[${none.filter}]._id`, none.params)).toEqual(['c3'])
  })

  it('carries the member’s slugs only as parameters', async () => {
    const hostile = '"] || true || ["'
    const {filter, params} = entitledFilter(accessFor([hostile]))
    expect(filter).not.toContain(hostile)
    // The query text never depends on what a token carries.
    expect(filter).toBe(entitledFilter(accessFor(['intro'])).filter)
    expect(params).toEqual({access_course: [hostile]})
    // Matched as a value (the one document with that odd slug), never run as GROQ.
    expect(await run(`*[${filter}]._id`, params)).toEqual(['c4'])
  })

  it('covers every grantable type with its own slug field', async () => {
    const options = {
      grantableTypes: [{type: 'course'}, {type: 'lesson', metadataKey: 'lessonSlugs'}],
    }
    const access = readMemberAccess(
      {sub: 'user_1', access: {user: {courseSlugs: ['advanced'], lessonSlugs: ['intro']}}},
      options,
    )
    const {filter, params} = entitledFilter(access, options)
    expect(await run(`*[${filter}]._id`, params)).toEqual(['c2', 'l1'])
    expect(entitledFilter(access, {grantableTypes: []}).filter).toBe('false')
  })
})

describe('ranks', () => {
  it('reads plan and role ranks from the dataset', async () => {
    expect(toRanks(await run(RANKS_QUERY))).toEqual({
      plans: {pro: 10, free: 0},
      roles: {editor: 0},
    })
    expect(toRanks({plans: [{key: ''}, {rank: 3}], roles: null})).toEqual({plans: {}, roles: {}})
  })
})
