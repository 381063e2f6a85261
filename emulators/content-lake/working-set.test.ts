import {DocumentStore} from './store'

function storeWith() {
  return new DocumentStore([
    {_id: 'a', _type: 'course', title: 'A', _rev: 'r0', _createdAt: '2020-01-01T00:00:00.000Z'},
  ])
}

describe('transactions on a working set', () => {
  it('stamps revisions and times from the transaction', () => {
    const store = storeWith()
    const work = store.begin('tx-1')
    work.create({_id: 'b', _type: 'course'})
    work.patch('a', {set: {title: 'A2'}})
    store.commit(work, 'pUser')
    expect(store.get('b')).toMatchObject({
      _rev: 'tx-1',
      _createdAt: work.timestamp,
      _updatedAt: work.timestamp,
    })
    expect(store.get('a')).toMatchObject({
      _rev: 'tx-1',
      title: 'A2',
      _createdAt: '2020-01-01T00:00:00.000Z',
    })
    expect(store.revision('a', 'r0')?.title).toBe('A')
  })

  it('refuses conflicts the mutator would silently accept', () => {
    const work = storeWith().begin()
    expect(() => work.create({_id: 'a', _type: 'course'})).toThrow(/already exists/)
    expect(() => work.patch('missing', {set: {title: 'x'}})).toThrow(/nonexistent/)
    expect(() => work.patch('a', {ifRevisionID: 'other', set: {title: 'x'}})).toThrow(
      /unexpected revision/,
    )
    expect(() => work.create({_id: 'bad id!', _type: 'course'})).toThrow(/Invalid document ID/)
    expect(() => work.create({_id: 'c'})).toThrow(/_type/)
  })

  it('leaves the store untouched until commit, and a failed transaction leaves no trace', () => {
    const store = storeWith()
    const work = store.begin()
    work.patch('a', {set: {title: 'changed'}})
    expect(store.get('a')?.title).toBe('A')
    expect(() => work.create({_id: 'a', _type: 'course'})).toThrow(/already exists/)
    expect(store.get('a')?.title).toBe('A')
    expect(store.transactions()).toHaveLength(0)
  })

  it('records one change per document with the mutations applied to it', () => {
    const store = storeWith()
    const work = store.begin('tx-2')
    work.patch('a', {set: {title: 'one'}})
    work.patch('a', {set: {title: 'two'}})
    work.delete('a')
    const transaction = store.commit(work, 'pUser')
    expect(transaction?.changes).toEqual([
      expect.objectContaining({
        id: 'a',
        after: null,
        before: expect.objectContaining({title: 'A'}),
      }),
    ])
    expect(transaction?.changes[0]?.mutations).toHaveLength(3)
  })
})

describe('exclusive transactions', () => {
  it('run one after another even when they await between begin and commit', async () => {
    const store = storeWith()
    const order: string[] = []
    const slow = store.exclusive(async () => {
      const work = store.begin('slow')
      order.push('slow begins')
      await new Promise((resolve) => setTimeout(resolve, 20))
      work.patch('a', {inc: {count: 1}, setIfMissing: {count: 0}})
      store.commit(work, 'pUser')
      order.push('slow commits')
    })
    const fast = store.exclusive(async () => {
      order.push('fast begins')
      const work = store.begin('fast')
      work.patch('a', {ifRevisionID: 'slow', set: {title: 'after slow'}})
      store.commit(work, 'pUser')
    })
    await Promise.all([slow, fast])
    expect(order).toEqual(['slow begins', 'slow commits', 'fast begins'])
    expect(store.get('a')).toMatchObject({title: 'after slow', _rev: 'fast'})
  })

  it('keep going after a transaction fails', async () => {
    const store = storeWith()
    await expect(
      store.exclusive(async () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    await expect(store.exclusive(async () => 'next')).resolves.toBe('next')
  })
})
