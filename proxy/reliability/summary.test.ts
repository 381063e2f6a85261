import {describe, expect, it} from 'vitest'
import {createFigureTable} from './summary'

describe('createFigureTable', () => {
  it('counts, sets and renders rows grouped by prefix in first-seen order', () => {
    const table = createFigureTable('demo')
    table.count('faults: 503')
    table.set('syncs', 300)
    table.count('faults: reset', 2)
    table.count('faults: 503')
    table.set('worst delay', '48.1 s')
    expect(table.get('faults: 503')).toBe(2)
    expect(table.get('worst delay')).toBe(0)
    expect(table.render().split('\n')).toEqual([
      '── demo ──',
      '  faults: 503    2',
      '  faults: reset  2',
      '  syncs          300',
      '  worst delay    48.1 s',
    ])
  })
})
