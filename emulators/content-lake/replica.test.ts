import {createLakeClient} from './client'
import {QueryReplica} from './replica'
import {startContentLake, type ContentLake} from './server'
import {DocumentStore} from './store'
import type {LakeDocument} from './types'

/** A store on a hand-driven clock, with a snapshot of `all()` after every commit. */
function storeOnClock() {
  let now = 1_000
  const store = new DocumentStore([{_id: 'seed', _type: 'course', title: 'Seed'}], {
    now: () => now,
  })
  const snapshots: {at: number; documents: LakeDocument[]}[] = [{at: now, documents: store.all()}]
  const commit = (at: number, write: (work: ReturnType<DocumentStore['begin']>) => void) => {
    now = at
    const work = store.begin()
    write(work)
    store.commit(work, 'tester')
    snapshots.push({at, documents: store.all()})
  }
  return {store, snapshots, commit, setNow: (at: number) => (now = at)}
}

describe('lagging query replica', () => {
  it('reads the dataset exactly as it was lagMs ago, in creation order, after creates, patches, deletes and re-creates', () => {
    const {store, snapshots, commit, setNow} = storeOnClock()
    commit(2_000, (work) => work.create({_id: 'a', _type: 'course', title: 'A'}))
    commit(3_000, (work) => {
      work.patch('a', {set: {title: 'A2'}})
      work.create({_id: 'b', _type: 'plan'})
    })
    commit(4_000, (work) => work.delete('seed'))
    commit(5_000, (work) => {
      work.delete('a')
      work.create({_id: 'seed', _type: 'course', title: 'Seed again'})
    })
    setNow(6_000)
    const replica = new QueryReplica(store)
    for (const {at, documents} of snapshots) {
      for (const offset of [0, 500]) {
        const lagMs = 6_000 - at - offset
        if (lagMs < 0) continue
        replica.set({minMs: lagMs, maxMs: lagMs})
        expect(replica.view().all(), `lag ${lagMs} ms`).toEqual(documents)
      }
    }
    replica.set(null)
    expect(replica.view().all()).toEqual(store.all())
  })

  it('draws the same lags from the same seed', () => {
    const {store, commit, setNow} = storeOnClock()
    for (let index = 1; index <= 20; index++) {
      commit(1_000 + index * 100, (work) => work.create({_id: `d${index}`, _type: 'course'}))
    }
    setNow(3_100)
    const sizes = (seed: number) => {
      const replica = new QueryReplica(store, {minMs: 0, maxMs: 2_000, seed})
      return Array.from({length: 12}, () => replica.view().all().length)
    }
    expect(sizes(7)).toEqual(sizes(7))
    expect(new Set(sizes(7)).size).toBeGreaterThan(1)
    expect(sizes(7)).not.toEqual(sizes(8))
  })

  it('rejects a lag that makes no sense', () => {
    const replica = new QueryReplica(new DocumentStore())
    expect(() => replica.set({minMs: 10, maxMs: 5})).toThrow(/below minMs/)
    expect(() => replica.set({minMs: -1, maxMs: 5})).toThrow(/minMs ≥ 0/)
    expect(replica.lag).toBeNull()
  })
})

describe('a lake with query lag', () => {
  let lake: ContentLake

  beforeAll(async () => {
    lake = await startContentLake({
      projectId: 'lake',
      dataset: 'test',
      documents: [{_id: 'course-a', _type: 'course', title: 'Algebra'}],
      queryLag: {minMs: 60_000, maxMs: 60_000},
    })
  })

  afterAll(async () => {
    await lake.close()
  })

  it('misses a fresh write in GROQ while documents by id and query-targeted mutations see it', async () => {
    const client = createLakeClient(lake)
    await client.create({_id: 'course-b', _type: 'course', title: 'Biology'})
    await client.patch('course-a').set({title: 'Algebra I'}).commit()

    expect(await client.fetch('*[_type == "course"] | order(_id) {_id, title}')).toEqual([
      {_id: 'course-a', title: 'Algebra'},
    ])
    expect(await client.getDocument('course-b')).toMatchObject({title: 'Biology'})
    expect(await client.getDocument('course-a')).toMatchObject({title: 'Algebra I'})
    // Mutations are strongly consistent, even when they select documents with a query.
    await client.patch({query: '*[_id == "course-b"]'}).set({title: 'Biology I'}).commit()
    expect(lake.getDocument('course-b')).toMatchObject({title: 'Biology I'})

    lake.setQueryLag(null)
    expect(await client.fetch('*[_type == "course"] | order(_id).title')).toEqual([
      'Algebra I',
      'Biology I',
    ])
  })
})
