import {describe, expect, it} from 'vitest'

import {describeAccessChange, isNoChange} from './change'

describe('describeAccessChange', () => {
  it('lists what a subject gained when access appears', () => {
    const change = describeAccessChange(
      'user_b',
      {},
      {plan: 'pro', courseSlugs: ['accessibility', 'structured-content']},
    )
    expect(change).toEqual({
      subject: 'user_b',
      gained: [
        {key: 'courseSlugs', value: 'accessibility'},
        {key: 'courseSlugs', value: 'structured-content'},
        {key: 'plan', value: 'pro'},
      ],
      lost: [],
      switched: [],
    })
  })

  it('lists what a subject lost when access goes', () => {
    const change = describeAccessChange('user_a', {plan: 'pro', role: 'editor'}, {})
    expect(change.lost).toEqual([
      {key: 'plan', value: 'pro'},
      {key: 'role', value: 'editor'},
    ])
    expect(change.gained).toEqual([])
  })

  it('calls a plan that changed value a switch, and diffs lists item by item', () => {
    const change = describeAccessChange(
      'user_a',
      {plan: 'enterprise', courseSlugs: ['a', 'b']},
      {plan: 'pro', courseSlugs: ['b', 'c']},
    )
    expect(change.switched).toEqual([{key: 'plan', from: 'enterprise', to: 'pro'}])
    expect(change.gained).toEqual([{key: 'courseSlugs', value: 'c'}])
    expect(change.lost).toEqual([{key: 'courseSlugs', value: 'a'}])
  })

  it('finds no change when before and after grant the same, in any key order', () => {
    const change = describeAccessChange(
      'user_a',
      {plan: 'pro', courseSlugs: ['a']},
      {courseSlugs: ['a'], plan: 'pro'},
    )
    expect(isNoChange(change)).toBe(true)
  })

  it('treats a list emptied to [] like a key removed', () => {
    const change = describeAccessChange('org_a', {courseSlugs: ['a']}, {courseSlugs: []})
    expect(change.lost).toEqual([{key: 'courseSlugs', value: 'a'}])
    expect(isNoChange(change)).toBe(false)
  })
})
