import {describe, expect, it} from 'vitest'

import {CreationOrderedList} from './ordered-list'

describe('CreationOrderedList.slice', () => {
  it('answers every page as walking the list would, in both directions', () => {
    const list = new CreationOrderedList<{createdAt: number; seq: number}>()
    // Out-of-order and tied creation times, as seeded users have.
    for (let seq = 0; seq < 23; seq++) list.insert({createdAt: (seq * 7) % 5, seq})
    for (const descending of [false, true]) {
      const walked = [...list.iterate(descending)]
      for (const limit of [1, 5, 10, 30]) {
        for (let offset = 0; offset <= 25; offset++) {
          expect(list.slice(offset, limit, descending)).toEqual(
            walked.slice(offset, offset + limit),
          )
        }
      }
    }
  })
})
