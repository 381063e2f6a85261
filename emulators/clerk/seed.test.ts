import {seedStore} from './seed'
import {ClerkStore} from './store'

function seeded(option: Parameters<typeof seedStore>[1]) {
  const store = new ClerkStore()
  const summary = seedStore(store, option)
  const users = store.listUsers({}, {key: 'created_at', descending: false}, {limit: 1e9, offset: 0})
  return {store, summary, users}
}

describe('seed', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const first = seeded({users: 50, organizations: 4, seed: 'same'})
    const second = seeded({users: 50, organizations: 4, seed: 'same'})
    const other = seeded({users: 50, organizations: 4, seed: 'other'})
    const strip = (users: typeof first.users) =>
      users.map(({image_url: _image, profile_image_url: _profile, ...rest}) => rest)
    expect(strip(second.users)).toEqual(strip(first.users))
    expect(second.summary).toEqual(first.summary)
    expect(other.users.map((user) => user.id)).not.toEqual(first.users.map((user) => user.id))
  })

  it('makes realistic, unique people with real-looking ids', () => {
    const {users, store, summary} = seeded({users: 2000, organizations: 20, seed: 7})
    expect(users).toHaveLength(2000)
    expect(summary.organizations).toBe(20)
    expect(users.every((user) => /^user_[0-9A-Za-z]{27}$/.test(user.id))).toBe(true)
    const emails = users.map((user) => user.email_addresses[0]?.email_address)
    expect(new Set(emails).size).toBe(2000)
    const share = (test: (user: (typeof users)[number]) => boolean) =>
      users.filter(test).length / users.length
    expect(share((user) => user.banned)).toBeGreaterThan(0.005)
    expect(share((user) => user.locked)).toBeGreaterThan(0.002)
    expect(share((user) => user.phone_numbers.length > 0)).toBeGreaterThan(0.2)
    expect(share((user) => user.username !== null)).toBeGreaterThan(0.2)
    expect(share((user) => user.first_name === null)).toBe(0)
    const times = users.map((user) => user.created_at)
    expect(new Set(times).size).toBe(times.length)
    expect(summary.memberships).toBe(store.counts.memberships)
    expect(summary.memberships).toBeGreaterThan(20)
  })

  it('seeds ten thousand users and keeps listing and counting them', () => {
    const {store} = seeded({users: 10_000, organizations: 50, seed: 'big'})
    expect(store.countUsers({})).toBe(10_000)
    expect(store.countUsers({query: 'example'})).toBe(10_000)
    const page = store.listUsers(
      {},
      {key: 'created_at', descending: true},
      {limit: 5, offset: 9_990},
    )
    expect(page).toHaveLength(5)
  })

  it('has a demo preset and accepts a bare seed value', () => {
    expect(seeded('demo').summary).toMatchObject({users: 40, organizations: 6})
    expect(seeded(42).summary.users).toBe(40)
    expect(() => seeded({users: -1})).toThrow(/whole numbers/)
  })
})
