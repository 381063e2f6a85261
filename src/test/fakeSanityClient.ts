import {evaluate, parse} from 'groq-js'
import type {SanityClient, SanityDocument} from 'sanity'
import {vi, type Mock} from 'vitest'

type FetchArgs = [query: string, params?: Record<string, unknown>, options?: {perspective?: string}]

/** A document in the fake dataset. */
export type FakeDocument = Record<string, unknown> & {_id: string}

/** A Sanity client over an in-memory dataset that really evaluates GROQ (with groq-js). */
export interface FakeSanityClient {
  client: SanityClient
  /** Every `fetch` call, to assert on. */
  fetch: Mock<(...args: FetchArgs) => Promise<unknown>>
  /** Creates or replaces a document. */
  put(document: FakeDocument): void
  remove(id: string): void
}

function idOf(document: FakeDocument): string {
  const {_id: id} = document
  return id
}

function isPublishedId(id: string): boolean {
  return !id.startsWith('drafts.') && !id.startsWith('versions.')
}

/**
 * `fetch(query, params, {perspective})` runs the query over the dataset (`raw` sees drafts and
 * versions, anything else only published documents); `getDocument(id)` reads by id.
 */
export function createFakeSanityClient(initial: FakeDocument[] = []): FakeSanityClient {
  const documents = new Map(initial.map((doc) => [idOf(doc), doc]))
  const fetch = vi.fn<(...args: FetchArgs) => Promise<unknown>>(
    async (query, params = {}, options) => {
      const all = [...documents.values()]
      const dataset =
        options?.perspective === 'raw' ? all : all.filter((doc) => isPublishedId(idOf(doc)))
      const value = await evaluate(parse(query, {params}), {dataset, params})
      return value.get()
    },
  )
  const client = {
    fetch,
    getDocument: async (id: string) => documents.get(id) as SanityDocument | undefined,
  } as unknown as SanityClient
  return {
    client,
    fetch,
    put: (document) => void documents.set(idOf(document), document),
    remove: (id) => void documents.delete(id),
  }
}
