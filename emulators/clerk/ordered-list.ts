/**
 * Records kept sorted by creation time (ties broken by insertion sequence), so the default
 * `-created_at` listing walks the array backwards instead of sorting on every request.
 */
export interface Ordered {
  readonly createdAt: number
  readonly seq: number
}

function before(a: Ordered, b: Ordered): boolean {
  return a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.seq < b.seq)
}

export class CreationOrderedList<T extends Ordered> {
  #items: T[] = []

  get size(): number {
    return this.#items.length
  }

  /** Inserts in order; appending (the common case: created now) is O(1). */
  insert(item: T): void {
    const items = this.#items
    const last = items[items.length - 1]
    if (!last || before(last, item)) {
      items.push(item)
      return
    }
    items.splice(this.#lowerBound(item), 0, item)
  }

  remove(item: T): void {
    const index = this.#lowerBound(item)
    if (this.#items[index] === item) this.#items.splice(index, 1)
  }

  clear(): void {
    this.#items = []
  }

  /** Newest first when `descending`, oldest first otherwise. */
  *iterate(descending: boolean): Generator<T> {
    const items = this.#items
    if (descending) {
      for (let i = items.length - 1; i >= 0; i--) yield items[i] as T
    } else {
      for (const item of items) yield item
    }
  }

  /** `limit` items from position `offset` of {@link iterate}'s order, without walking to it. */
  slice(offset: number, limit: number, descending: boolean): T[] {
    return sliceInOrder(this.#items, offset, limit, descending)
  }

  toArray(): T[] {
    return [...this.#items]
  }

  #lowerBound(item: Ordered): number {
    let low = 0
    let high = this.#items.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (before(this.#items[middle] as T, item)) low = middle + 1
      else high = middle
    }
    return low
  }
}

/** `limit` items from position `offset` of `items` read forwards, or backwards when `descending`. */
export function sliceInOrder<T>(
  items: readonly T[],
  offset: number,
  limit: number,
  descending: boolean,
): T[] {
  if (!descending) return items.slice(offset, offset + limit)
  const end = Math.max(0, items.length - offset)
  return items.slice(Math.max(0, end - limit), end).reverse()
}
