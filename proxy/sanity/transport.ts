import {sanityProjectApiUrl, type ProxyFetch} from '../auth/identity'

/**
 * What the proxy's queries need from Sanity: GROQ queries and documents by id, with the same
 * call shapes as `@sanity/client`, so a `SanityClient` fits as well as {@link createSanityReader}.
 */
export interface SanityReader {
  /** The `result` of a GROQ query; `params` are sent JSON-encoded as `$name`. */
  fetch<R = unknown>(
    query: string,
    params: Record<string, unknown>,
    options: SanityQueryOptions,
  ): Promise<R>
  /** The documents with these ids (strongly consistent, unlike queries), `null` where none is. */
  getDocuments(
    ids: string[],
    options?: {tag?: string; signal?: AbortSignal},
  ): Promise<Array<{_id: string; _rev?: string} | null>>
}

/** Per-query options; the proxy reads the `published` perspective, never through the CDN. */
export interface SanityQueryOptions {
  perspective: 'published'
  /** Accepted for `@sanity/client`'s sake; this reader never asks the CDN. */
  useCdn?: boolean
  /** The request tag Sanity's request log shows (`?tag=`). */
  tag?: string
  signal?: AbortSignal
}

/** Settings of {@link createSanityReader}. */
export interface SanityReaderConfig {
  projectId: string
  dataset: string
  /** A token that can read the dataset; sent as `Authorization: Bearer`. */
  token?: string
  /** Default `https://api.sanity.io`. */
  apiHost?: string
  /** Default: `true` for Sanity's hosts, `false` for any other (see `sanityProjectApiUrl`). */
  useProjectHostname?: boolean
  /** `2025-02-19` or `v2025-02-19`. */
  apiVersion: string
  /** Default: the global `fetch` (a test passes one that trusts the local lake's certificate). */
  fetch?: ProxyFetch
  /** One attempt's limit. Default 300 s, as `@sanity/client`'s. */
  timeoutMs?: number
  /** Attempts after the first on 429, 502, 503 or a network failure. Default 5, as `@sanity/client`'s. */
  maxRetries?: number
  /**
   * Where Sanity's `X-Sanity-Warning` headers go (a deprecated API version, say), each message
   * once, as `@sanity/client` prints them. Default `console.warn`.
   */
  warn?: (message: string) => void
}

/** A query longer than this (as a query string) is sent as a POST body: `@sanity/client`'s limit. */
const MAX_GET_QUERY_LENGTH = 11_264
const DEFAULT_TIMEOUT_MS = 300_000
const DEFAULT_MAX_RETRIES = 5
/** Answers that say "try again": the ones `@sanity/client` retries. */
const RETRIED_STATUSES = new Set([429, 502, 503])

/**
 * A failed request to Sanity, carrying the HTTP status as `statusCode` (as `@sanity/client`'s
 * errors do, so the same mapping applies) and Sanity's error object (`{description, type}`).
 */
export class SanityRequestError extends Error {
  readonly statusCode: number
  readonly details: unknown

  constructor(statusCode: number, details: unknown, tag: string | undefined) {
    const description = (details as {description?: unknown} | null)?.description
    super(
      `Sanity answered HTTP ${statusCode}${tag ? ` to ${tag}` : ''}` +
        (typeof description === 'string' ? `: ${description}` : ''),
    )
    this.name = 'SanityRequestError'
    this.statusCode = statusCode
    this.details = details
  }
}

/** Backoff before retry `attempt` (0-based): `@sanity/client`'s 100 ms · 2^attempt plus jitter. */
function retryDelayMs(attempt: number): number {
  return 100 * 2 ** attempt + Math.random() * 100
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

/** Whether `error` is the request being cancelled or timing out, which no retry can help. */
function isAbort(error: unknown): boolean {
  const name = (error as {name?: unknown} | null)?.name
  return name === 'AbortError' || name === 'TimeoutError'
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * A {@link SanityReader} over plain `fetch` against Sanity's HTTP API: `GET /v<version>/data/query/
 * <dataset>?query=…&$name=<JSON>` (a `POST {query, params}` when that would be too long),
 * `GET /data/doc/<dataset>/<ids>`. It sends what `@sanity/client` sends for the proxy's reads
 * (bearer token, `perspective`, `tag`, `returnQuery=false`) and retries like it, without its
 * request stack: the proxy's one query per sync costs a quarter less CPU this way. Runs on every
 * runtime with `fetch`.
 */
export function createSanityReader(config: SanityReaderConfig): SanityReader {
  const version = config.apiVersion.replace(/^v/, '')
  const base = `${sanityProjectApiUrl(config)}/v${version}/data`
  const queryUrl = `${base}/query/${encodeURIComponent(config.dataset)}`
  const docUrl = `${base}/doc/${encodeURIComponent(config.dataset)}/`
  const send = config.fetch ?? ((url, init) => globalThis.fetch(url, init))
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const maxRetries = config.maxRetries ?? DEFAULT_MAX_RETRIES
  const authorization = config.token ? `Bearer ${config.token}` : null
  const warn = config.warn ?? ((message: string) => console.warn(message))
  const warned = new Set<string>()
  const passOnWarnings = (response: Awaited<ReturnType<ProxyFetch>>) => {
    const message = response.headers.get('x-sanity-warning')
    if (!message || warned.has(message)) return
    warned.add(message)
    warn(message)
  }

  const request = async (
    url: string,
    body: string | null,
    tag: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> => {
    const headers: Record<string, string> = {accept: 'application/json'}
    if (authorization) headers.authorization = authorization
    if (body !== null) headers['content-type'] = 'application/json'
    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs)
      let response: Awaited<ReturnType<ProxyFetch>>
      try {
        response = await send(url, {
          method: body === null ? 'GET' : 'POST',
          headers,
          ...(body === null ? {} : {body}),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        })
      } catch (error) {
        if (attempt >= maxRetries || isAbort(error) || signal?.aborted) throw error
        await pause(retryDelayMs(attempt), signal)
        continue
      }
      passOnWarnings(response)
      const text = await response.text()
      if (response.ok) {
        const parsed = parseJson(text)
        if (parsed === undefined)
          throw new Error(`Sanity answered ${tag ?? url} with invalid JSON.`)
        return parsed
      }
      if (RETRIED_STATUSES.has(response.status) && attempt < maxRetries) {
        await pause(retryDelayMs(attempt), signal)
        continue
      }
      const answer = parseJson(text) as {error?: unknown} | undefined
      throw new SanityRequestError(response.status, answer?.error ?? null, tag)
    }
  }

  return {
    async fetch<R>(query: string, params: Record<string, unknown>, options: SanityQueryOptions) {
      const search = new URLSearchParams()
      if (options.tag) search.set('tag', options.tag)
      search.set('perspective', options.perspective)
      search.set('returnQuery', 'false')
      const settings = `?${search}`
      search.set('query', query)
      for (const [name, value] of Object.entries(params)) {
        if (value !== undefined) search.append(`$${name}`, JSON.stringify(value))
      }
      const get = `?${search}`
      const answer =
        get.length < MAX_GET_QUERY_LENGTH
          ? await request(`${queryUrl}${get}`, null, options.tag, options.signal)
          : await request(
              `${queryUrl}${settings}`,
              JSON.stringify({query, params}),
              options.tag,
              options.signal,
            )
      return ((answer as {result?: unknown} | null)?.result ?? null) as R
    },

    async getDocuments(ids, options = {}) {
      const path = ids.map(encodeURIComponent).join(',')
      const tag = options.tag ? `?tag=${encodeURIComponent(options.tag)}` : ''
      const answer = (await request(
        `${docUrl}${path}${tag}`,
        null,
        options.tag,
        options.signal,
      )) as {
        documents?: Array<{_id: string; _rev?: string} | null>
      } | null
      const byId = new Map<string, {_id: string; _rev?: string}>()
      for (const document of answer?.documents ?? []) {
        if (!document) continue
        const {_id: id} = document
        byId.set(id, document)
      }
      return ids.map((id) => byId.get(id) ?? null)
    },
  }
}
