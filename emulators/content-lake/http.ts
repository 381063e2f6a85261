/**
 * The small HTTP vocabulary the routes share: parsed requests, replies, CORS, body reading.
 * Works for HTTP/2 streams and HTTP/1.1 fallback requests alike (Node's compatibility API).
 */
import type {Http2ServerRequest, Http2ServerResponse} from 'node:http2'

import {LakeError, apiError} from './errors'

export type RawRequest = Http2ServerRequest
export type RawResponse = Http2ServerResponse

export interface LakeRequest {
  method: string
  url: URL
  /** The path without the `/v<version>` prefix, e.g. `/data/query/production`. */
  route: string
  /** `2025-02-19`, `1`, `X`, …; null for unversioned paths. */
  apiVersion: string | null
  authorization: string | undefined
  /** The origin the caller reached us on (e.g. `https://p.localhost:3333`). */
  origin: string
  raw: RawRequest
  response: RawResponse
}

/** A JSON (or other) answer; `null` means the route already wrote the response itself. */
export type Reply = {
  status?: number
  body?: unknown
  text?: string
  contentType?: string
  headers?: Record<string, string>
} | null

const MAX_BODY_BYTES = 50 * 1024 * 1024

export function parseRequest(raw: RawRequest, response: RawResponse): LakeRequest {
  const authority = String(raw.headers[':authority'] ?? raw.headers.host ?? 'localhost')
  const url = new URL(raw.url ?? '/', `https://${authority}`)
  const versioned = /^\/v([^/]+)(\/.*)?$/.exec(url.pathname)
  return {
    method: (raw.method ?? 'GET').toUpperCase(),
    url,
    route: versioned ? (versioned[2] ?? '/') : url.pathname,
    apiVersion: versioned?.[1] ?? null,
    authorization:
      typeof raw.headers.authorization === 'string' ? raw.headers.authorization : undefined,
    origin: `https://${authority}`,
    raw,
    response,
  }
}

export async function readBody(request: LakeRequest): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request.raw) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buffer.length
    if (size > MAX_BODY_BYTES) throw apiError(413, 'httpPayloadTooLarge', 'Request body too large')
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function readJson(request: LakeRequest): Promise<unknown> {
  const text = await readBody(request)
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw apiError(400, 'httpBadRequest', 'Request body is not valid JSON')
  }
}

/** Headers every answer carries so a Studio on another origin may read it. */
export function corsHeaders(raw: RawRequest): Record<string, string> {
  const origin = typeof raw.headers.origin === 'string' ? raw.headers.origin : undefined
  const requested = raw.headers['access-control-request-headers']
  return {
    ...(origin
      ? {'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true'}
      : {}),
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'access-control-allow-headers':
      typeof requested === 'string' ? requested : 'authorization,content-type,last-event-id',
    vary: 'Origin',
  }
}

export function send(request: LakeRequest, reply: NonNullable<Reply>): void {
  const {response} = request
  if (response.headersSent || response.writableEnded) return
  const status = reply.status ?? 200
  const payload = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body))
  response.writeHead(status, {
    ...corsHeaders(request.raw),
    'content-type': reply.contentType ?? 'application/json; charset=utf-8',
    ...reply.headers,
  })
  response.end(payload)
}

export function sendError(request: LakeRequest, error: unknown): number {
  if (error instanceof LakeError) {
    send(request, {status: error.status, body: error.body})
    return error.status
  }
  console.error('content-lake: unexpected error', error)
  const description = error instanceof Error ? error.message : 'Internal error'
  send(request, {status: 500, body: {error: {description, type: 'internalError'}}})
  return 500
}

/** Query-string parameters `$name=<JSON>` → GROQ params. */
export function groqParams(url: URL): Record<string, unknown> {
  const params: Record<string, unknown> = {}
  for (const [key, value] of url.searchParams) {
    if (!key.startsWith('$')) continue
    try {
      params[key.slice(1)] = JSON.parse(value)
    } catch {
      throw apiError(400, 'queryParseError', `Parameter "${key}" is not valid JSON`)
    }
  }
  return params
}

export function booleanParam(url: URL, name: string, fallback: boolean): boolean {
  const value = url.searchParams.get(name)
  if (value === null) return fallback
  return value === 'true' || value === '1' || value === ''
}
