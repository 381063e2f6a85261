import type {SanityClient} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {waitForPublished} from './waitForPublished'

function clientAnswering(...revs: Array<string | null | Error>) {
  const fetch = vi.fn<() => Promise<string | null>>(async () => {
    const next = revs.length > 1 ? revs.shift()! : revs[0]!
    if (next instanceof Error) throw next
    return next
  })
  return {client: {fetch} as unknown as SanityClient, fetch}
}

describe('waitForPublished', () => {
  const sleep = vi.fn<(ms: number) => Promise<void>>(async () => undefined)

  it('waits until the published revision differs from the one before publishing', async () => {
    const {client, fetch} = clientAnswering('r1', new Error('offline'), 'r1', 'r2')
    expect(
      await waitForPublished(client, 'ent-1', {kind: 'changedFrom', rev: 'r1'}, {sleep}),
    ).toEqual({rev: 'r2'})
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('treats a first publish (no revision before) as done when any revision appears', async () => {
    const {client} = clientAnswering(null, 'r1')
    expect(
      await waitForPublished(client, 'ent-1', {kind: 'changedFrom', rev: null}, {sleep}),
    ).toEqual({rev: 'r1'})
  })

  it('waits for the published version to disappear after unpublish or delete', async () => {
    const {client, fetch} = clientAnswering('r1', null)
    expect(await waitForPublished(client, 'ent-1', {kind: 'gone'}, {sleep})).toEqual({rev: null})
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('gives up after the timeout (e.g. the editor cancelled the confirm dialog)', async () => {
    const {client, fetch} = clientAnswering('r1')
    const result = await waitForPublished(
      client,
      'ent-1',
      {kind: 'gone'},
      {sleep, delaysMs: [100], timeoutMs: 350},
    )
    expect(result).toBeNull()
    expect(fetch).toHaveBeenCalledTimes(4)
  })
})
