/**
 * One transaction in progress: a copy-on-write view over the stored documents. Every write goes
 * through `@sanity/mutator`; the API's preconditions, which the mutator does not enforce, are
 * checked here. Nothing touches the store until the caller commits the collected changes, so a
 * failing transaction leaves no trace.
 */
import {randomUUID} from 'node:crypto'

import {Mutation} from '@sanity/mutator'

import {apiError, mutationConflict} from './errors'
import type {DocumentChange, LakeDocument, LakeMutation} from './types'
import {createdAtOf, idOf, revOf, typeOf} from './fields'

type MutatorInput = ConstructorParameters<typeof Mutation>[0]['mutations'][number]

const ID_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/

/** Sanity's document id rules, close enough to reject what the hosted API rejects. */
export function assertValidId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id) || id.includes('..')) {
    throw apiError(400, 'mutationError', `Invalid document ID: ${JSON.stringify(id)}`)
  }
}

export class WorkingSet {
  readonly transactionId: string
  readonly timestamp: string
  private readonly read: (id: string) => LakeDocument | undefined
  private readonly originals = new Map<string, LakeDocument | null>()
  private readonly current = new Map<string, LakeDocument | null>()
  private readonly applied = new Map<string, LakeMutation[]>()

  constructor(
    read: (id: string) => LakeDocument | undefined,
    transactionId: string,
    timestamp: string,
  ) {
    this.read = read
    this.transactionId = transactionId
    this.timestamp = timestamp
  }

  get(id: string): LakeDocument | null {
    if (this.current.has(id)) return this.current.get(id) ?? null
    return this.read(id) ?? null
  }

  /** The ids this transaction has touched so far (queries must see their new state). */
  touchedIds(): string[] {
    return [...this.current.keys()]
  }

  create(document: Record<string, unknown>): LakeDocument {
    const withId = this.withGeneratedId(document)
    if (this.get(idOf(withId))) {
      throw mutationConflict(
        `Document by ID "${idOf(withId)}" already exists`,
        idOf(withId),
        'documentAlreadyExistsError',
      )
    }
    return this.mutate(idOf(withId), {create: withId})
  }

  createIfNotExists(document: Record<string, unknown>): LakeDocument {
    const withId = this.requireId(document, 'createIfNotExists')
    return this.get(idOf(withId)) ?? this.mutate(idOf(withId), {createIfNotExists: withId})
  }

  createOrReplace(document: Record<string, unknown>): LakeDocument {
    const withId = this.requireId(document, 'createOrReplace')
    const existing = this.get(idOf(withId))
    // The hosted API keeps the original creation time when replacing.
    const replacement = createdAtOf(existing)
      ? {...withId, _createdAt: createdAtOf(existing)}
      : withId
    return this.mutate(idOf(withId), {createOrReplace: replacement})
  }

  /** Deletes `id`; returns false when it did not exist (the API treats that as a no-op). */
  delete(id: string): boolean {
    assertValidId(id)
    if (!this.get(id)) return false
    this.mutate(id, {delete: {id}})
    return true
  }

  patch(id: string, patch: Record<string, unknown>): LakeDocument {
    assertValidId(id)
    const existing = this.get(id)
    if (!existing) {
      throw mutationConflict(
        `Cannot modify nonexistent document "${id}"`,
        id,
        'documentNotFoundError',
      )
    }
    const {ifRevisionID, ...operations} = patch
    if (ifRevisionID !== undefined && ifRevisionID !== revOf(existing)) {
      throw mutationConflict(
        `Document "${id}" has unexpected revision ID ("${revOf(existing)}"), expected "${String(ifRevisionID)}"`,
        id,
        'conflictError',
      )
    }
    return this.mutate(id, {patch: {...operations, id}})
  }

  /** What the transaction changed, one entry per touched document that really differs. */
  changes(): DocumentChange[] {
    return [...this.current.entries()].flatMap(([id, after]) => {
      const before = this.originals.get(id) ?? null
      if (before === null && after === null) return []
      return [{id, before, after, mutations: this.applied.get(id) ?? []}]
    })
  }

  private mutate(id: string, mutation: LakeMutation): LakeDocument {
    const before = this.get(id)
    let after: LakeDocument | null
    try {
      after = new Mutation({
        mutations: [mutation as MutatorInput],
        transactionId: this.transactionId,
        resultRev: this.transactionId,
        timestamp: this.timestamp,
      }).apply(before) as LakeDocument | null
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw apiError(400, 'mutationError', `Invalid mutation on "${id}": ${reason}`)
    }
    if (after && !createdAtOf(after)) after = {...after, _createdAt: this.timestamp}
    if (!this.originals.has(id)) this.originals.set(id, before)
    this.current.set(id, after)
    this.applied.set(id, [...(this.applied.get(id) ?? []), mutation])
    return after ?? (before as LakeDocument)
  }

  private requireId(document: Record<string, unknown>, kind: string): LakeDocument {
    if (typeof idOf(document) !== 'string') {
      throw apiError(400, 'mutationError', `${kind} requires a document with an _id`)
    }
    return this.checked(document)
  }

  private withGeneratedId(document: Record<string, unknown>): LakeDocument {
    const id = idOf(document)
    // `drafts.` (an id ending in a dot) asks the API to append a generated id.
    if (id === undefined) return this.checked({...document, _id: randomUUID()})
    if (typeof id === 'string' && id.endsWith('.')) {
      return this.checked({...document, _id: `${id}${randomUUID()}`})
    }
    return this.checked(document)
  }

  private checked(document: Record<string, unknown>): LakeDocument {
    assertValidId(idOf(document))
    if (typeof typeOf(document) !== 'string' || typeOf(document) === '') {
      throw apiError(400, 'mutationError', `Document "${idOf(document)}" needs a _type`)
    }
    return document as LakeDocument
  }
}
