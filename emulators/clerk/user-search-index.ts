/**
 * Every user's search text joined into one string, so a `query` over 100,000 users is one
 * `indexOf` walk instead of a substring test per user.
 */
import type {FilterableUser} from './user-filter'

const SEARCH_SEPARATOR = '\u0000'

export class UserSearchIndex<Entry extends FilterableUser> {
  readonly #text: string
  /** Where each user's search text starts in `text`, ascending. */
  readonly #starts: number[]
  readonly #entries: Entry[]

  /** `entries` in the order matches come back in (oldest first). */
  constructor(entries: Entry[]) {
    const starts: number[] = []
    let offset = 0
    for (const entry of entries) {
      starts.push(offset)
      offset += entry.search.length + SEARCH_SEPARATOR.length
    }
    this.#text = entries.map((entry) => entry.search).join(SEARCH_SEPARATOR)
    this.#starts = starts
    this.#entries = entries
  }

  /** Users whose search text contains `needle` (lowercased), each once, in index order. */
  matching(needle: string): Entry[] {
    if (needle.includes(SEARCH_SEPARATOR)) return []
    const matches: Entry[] = []
    let position = this.#text.indexOf(needle)
    while (position !== -1) {
      const owner = segmentAt(this.#starts, position)
      matches.push(this.#entries[owner] as Entry)
      const next = this.#starts[owner + 1]
      if (next === undefined) break
      position = this.#text.indexOf(needle, next)
    }
    return matches
  }
}

/** The index of the segment containing `position`: the last start at or before it. */
function segmentAt(starts: readonly number[], position: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >>> 1
    if ((starts[middle] as number) <= position) low = middle
    else high = middle - 1
  }
  return low
}
