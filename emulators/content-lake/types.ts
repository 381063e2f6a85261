import type {ClientConfig} from '@sanity/client'

/** A stored Sanity document: `_id` and `_type` are always present. */
export interface LakeDocument {
  _id: string
  _type: string
  _rev?: string
  _createdAt?: string
  _updatedAt?: string
  [field: string]: unknown
}

export type LakeRole = 'administrator' | 'editor' | 'viewer'

/** A person (or robot) who can use the lake, identified by a bearer token. */
export interface LakeUser {
  id: string
  name: string
  email: string
  role: LakeRole
  token: string
}

/** One mutation in the `/data/mutate` body, as `@sanity/client` sends it. */
export type LakeMutation = Record<string, unknown>

/** What one committed transaction did to one document. */
export interface DocumentChange {
  id: string
  before: LakeDocument | null
  after: LakeDocument | null
  /** The mutations applied to this document, in order (for listener events). */
  mutations: LakeMutation[]
}

export interface LakeTransaction {
  id: string
  timestamp: string
  /** The user id of whoever committed it. */
  identity: string
  changes: DocumentChange[]
}

export type WebhookOperation = 'create' | 'update' | 'delete'

/** A GROQ-powered webhook, configured like Sanity's `type: 'document'` webhooks. */
export interface WebhookConfig {
  name: string
  url: string
  /** Delta-GROQ filter; empty or missing matches every document. */
  filter?: string
  /** Delta-GROQ projection; the body is strictly its result. Missing: the whole document. */
  projection?: string
  on: WebhookOperation[]
  includeDrafts?: boolean
  secret?: string
  headers?: Record<string, string>
  httpMethod?: 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'GET'
}

/** The context an emulated Sanity Function handler receives. */
export interface FunctionContext {
  clientOptions: {
    projectId: string
    dataset: string
    apiHost: string
    token: string
    useProjectHostname: false
    useCdn: false
    apiVersion: string
    /** Not part of Sanity's context: lets an in-process `createClient` trust the lake's CA. */
    resolveFetch: LakeResolveFetch
  }
  local: true
}

export interface FunctionEvent {
  data: unknown
}

/** A local stand-in for a Sanity document Function (`defineDocumentFunction`). */
export interface LakeFunction {
  name: string
  filter?: string
  projection?: string
  on: WebhookOperation[]
  includeDrafts?: boolean
  handler: (input: {context: FunctionContext; event: FunctionEvent}) => Promise<unknown> | unknown
}

/** `@sanity/client`'s `resolveFetch` hook, typed loosely to keep get-it's types out of ours. */
export type LakeResolveFetch = NonNullable<ClientConfig['resolveFetch']>
