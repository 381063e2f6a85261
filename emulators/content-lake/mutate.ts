/**
 * `POST /data/mutate/<dataset>`: the transaction API `@sanity/client` uses for `create`,
 * `createOrReplace`, `createIfNotExists`, `delete`, `patch().commit()` and `transaction()`.
 */
import {randomUUID} from 'node:crypto'

import {apiError} from './errors'
import {runQuery, type QueryScope} from './groq'
import type {DocumentStore} from './store'
import type {LakeDocument, LakeMutation, LakeTransaction} from './types'
import type {WorkingSet} from './working-set'
import {idOf, keyOf} from './fields'

export interface MutateOptions {
  returnIds: boolean
  returnDocuments: boolean
  autoGenerateArrayKeys: boolean
  dryRun: boolean
}

interface MutationResult {
  id: string
  operation: 'create' | 'update' | 'delete' | 'none'
  document?: LakeDocument
}

const OPERATIONS = ['create', 'createIfNotExists', 'createOrReplace', 'delete', 'patch'] as const
type Operation = (typeof OPERATIONS)[number]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Validates the request body before anything is applied. */
export function parseMutateBody(body: unknown): {
  mutations: LakeMutation[]
  transactionId?: string
} {
  if (!isRecord(body) || !Array.isArray(body.mutations)) {
    throw apiError(400, 'mutationError', 'Request body must be {"mutations": [...]}')
  }
  body.mutations.forEach((mutation, index) => {
    const keys = isRecord(mutation) ? Object.keys(mutation) : []
    const [operation] = keys
    if (keys.length !== 1 || !OPERATIONS.includes(operation as Operation)) {
      throw apiError(
        400,
        'mutationError',
        `Mutation ${index} must have exactly one of ${OPERATIONS.join(', ')}`,
      )
    }
    if (!isRecord((mutation as Record<string, unknown>)[operation as string])) {
      throw apiError(400, 'mutationError', `Mutation ${index} (${operation}) must be an object`)
    }
  })
  const transactionId = typeof body.transactionId === 'string' ? body.transactionId : undefined
  return {mutations: body.mutations as LakeMutation[], transactionId}
}

/** Adds `_key` to objects in arrays that lack one, as `autoGenerateArrayKeys=true` asks. */
function withArrayKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => {
      const keyed = withArrayKeys(item)
      return isRecord(keyed) && typeof keyOf(keyed) !== 'string'
        ? {_key: randomUUID().slice(0, 12), ...keyed}
        : keyed
    })
  }
  if (!isRecord(value)) return value
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withArrayKeys(item)]))
}

/** The ids a `{query}` delete/patch targets, evaluated against the transaction's own view. */
async function idsForQuery(
  work: WorkingSet,
  store: DocumentStore,
  target: Record<string, unknown>,
  scope: QueryScope,
): Promise<string[]> {
  if (typeof target.id === 'string') return [target.id]
  if (typeof target.query !== 'string') {
    throw apiError(400, 'mutationError', 'A delete or patch needs an "id" or a "query"')
  }
  const touched = new Set(work.touchedIds())
  const view = [
    ...store.all().filter((document) => !touched.has(idOf(document))),
    ...[...touched].flatMap((id) => work.get(id) ?? []),
  ]
  const params = isRecord(target.params) ? target.params : {}
  const result = await runQuery(view, target.query, params, scope)
  const rows = Array.isArray(result) ? result : [result]
  return rows.flatMap((row) => {
    const id = isRecord(row) ? idOf(row) : undefined
    return typeof id === 'string' ? [id] : []
  })
}

function exists(work: WorkingSet, document: Record<string, unknown>): boolean {
  const id = idOf(document)
  return typeof id === 'string' && work.get(id) !== null
}

async function applyOne(
  work: WorkingSet,
  store: DocumentStore,
  mutation: LakeMutation,
  options: MutateOptions,
  scope: QueryScope,
): Promise<MutationResult[]> {
  const [operation, rawArgument] = Object.entries(mutation)[0] as [Operation, unknown]
  const argument = (
    options.autoGenerateArrayKeys ? withArrayKeys(rawArgument) : rawArgument
  ) as Record<string, unknown>
  switch (operation) {
    case 'create':
      return [{id: idOf(work.create(argument)), operation: 'create'}]
    case 'createIfNotExists': {
      const existed = exists(work, argument)
      const document = work.createIfNotExists(argument)
      return [{id: idOf(document), operation: existed ? 'none' : 'create'}]
    }
    case 'createOrReplace': {
      const existed = exists(work, argument)
      const document = work.createOrReplace(argument)
      return [{id: idOf(document), operation: existed ? 'update' : 'create'}]
    }
    case 'delete': {
      const ids = await idsForQuery(work, store, argument, scope)
      return ids.map((id) => {
        work.delete(id)
        return {id, operation: 'delete' as const}
      })
    }
    case 'patch': {
      const ids = await idsForQuery(work, store, argument, scope)
      const {id: _id, query: _query, params: _params, ...patch} = argument
      return ids.map((id) => ({id: idOf(work.patch(id, patch)), operation: 'update' as const}))
    }
  }
}

/**
 * Applies the mutations as one transaction: all or nothing. Returns the response body the hosted
 * API would send, and the committed transaction (null for a dry run or a no-op).
 */
export async function mutate(
  store: DocumentStore,
  body: unknown,
  options: MutateOptions,
  scope: QueryScope,
): Promise<{response: Record<string, unknown>; transaction: LakeTransaction | null}> {
  const {mutations, transactionId} = parseMutateBody(body)
  return store.exclusive(async () => {
    const work = store.begin(transactionId)
    const results: MutationResult[] = []
    for (const mutation of mutations) {
      results.push(...(await applyOne(work, store, mutation, options, scope)))
    }
    const transaction = options.dryRun ? null : store.commit(work, scope.identity)
    const response: Record<string, unknown> = {
      transactionId: work.transactionId,
      results: results.map((result) => ({
        id: result.id,
        operation: result.operation,
        ...(options.returnDocuments && result.operation !== 'delete'
          ? {document: work.get(result.id)}
          : {}),
      })),
    }
    if (options.returnIds) response.documentIds = [...new Set(results.map((result) => result.id))]
    return {response, transaction}
  })
}
