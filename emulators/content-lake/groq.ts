/**
 * GROQ over the stored documents with groq-js, plus what groq-js lacks and the Studio needs:
 * perspectives and a stand-in for `text::query()` (every Studio document list uses it).
 */
import {evaluate, parse} from 'groq-js'

import {apiError} from './errors'
import type {LakeDocument} from './types'
import {idOf} from './fields'

export interface QueryScope {
  projectId: string
  dataset: string
  /** The user id `identity()` returns. */
  identity: string
}

const DRAFTS_PREFIX = 'drafts.'
const VERSIONS_PREFIX = 'versions.'

export const isDraftId = (id: string): boolean => id.startsWith(DRAFTS_PREFIX)
export const isVersionId = (id: string): boolean => id.startsWith(VERSIONS_PREFIX)
export const draftIdOf = (publishedId: string): string => `${DRAFTS_PREFIX}${publishedId}`

/** The published id of a draft or version id (`drafts.x` / `versions.r.x` → `x`). */
export function publishedIdOf(id: string): string {
  if (isDraftId(id)) return id.slice(DRAFTS_PREFIX.length)
  if (isVersionId(id)) return id.split('.').slice(2).join('.')
  return id
}

/**
 * The perspective a request gets when it names none: `published` from API version 2025-02-19 on
 * (and for `vX`), `raw` before (Sanity changelog 2025-02-24).
 */
export function defaultPerspective(apiVersion: string): 'raw' | 'published' {
  if (apiVersion === 'X') return 'published'
  const date = /^\d{4}-\d{2}-\d{2}$/.test(apiVersion) ? apiVersion : '0000-00-00'
  return date >= '2025-02-19' ? 'published' : 'raw'
}

/**
 * The documents a query sees under a perspective: `raw` (everything), `published` (no drafts or
 * versions), `drafts`/`previewDrafts` (published overlaid by drafts), or a comma-separated stack
 * of release names and `drafts`, highest priority first. Overlaid documents carry the published
 * `_id` and their real id in `_originalId`.
 */
export function applyPerspective(documents: LakeDocument[], perspective: string): LakeDocument[] {
  const layers = perspective
    .split(',')
    .map((layer) => layer.trim())
    .filter(Boolean)
  if (layers.length === 0 || layers.includes('raw')) return documents
  const published = documents.filter((doc) => !isDraftId(idOf(doc)) && !isVersionId(idOf(doc)))
  if (layers.length === 1 && layers[0] === 'published') return published

  const byId = new Map(published.map((doc) => [idOf(doc), doc]))
  const stored = new Map(documents.map((doc) => [idOf(doc), doc]))
  // Lowest priority first, so higher layers overwrite.
  for (const layer of [...layers].reverse()) {
    if (layer === 'published') continue
    const prefix =
      layer === 'drafts' || layer === 'previewDrafts'
        ? DRAFTS_PREFIX
        : `${VERSIONS_PREFIX}${layer}.`
    for (const [id, doc] of stored) {
      if (!id.startsWith(prefix)) continue
      const publishedId = id.slice(prefix.length)
      byId.set(publishedId, {...doc, _id: publishedId, _originalId: id})
    }
  }
  return [...byId.values()]
}

/** A field path the way search queries name fields: `title`, `slug.current`, `courses[].title`. */
const FIELD_PATH = String.raw`[A-Za-z_]\w*(?:\[\])?(?:\.[A-Za-z_]\w*(?:\[\])?)*`
// The lookbehind keeps a path from being matched from its middle (`@.title`, `$q`, `a[0].b`).
const TEXT_QUERY_PATTERN = new RegExp(
  String.raw`(@|\[[^[\]]*\]|(?<![\w.$@)\]])${FIELD_PATH})\s+match\s+text::query\(\s*(\$[A-Za-z_]\w*|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*\)`,
  'g',
)
const WHOLE_FIELD_PATH = new RegExp(`^${FIELD_PATH}$`)

/** The text of every string, number and boolean inside a value, one per line. */
function leafText(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(leafText)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(leafText)
  if (['string', 'number', 'boolean'].includes(typeof value)) return [String(value)]
  return []
}

/** The values a field path reaches; arrays on the way are walked element by element. */
function valuesAtPath(document: LakeDocument, path: string): unknown[] {
  let values: unknown[] = [document]
  for (const segment of path.replaceAll('[]', '').split('.')) {
    values = values
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .map((value) =>
        value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[segment]
          : undefined,
      )
      .filter((value) => value !== undefined)
  }
  return values
}

/**
 * What a selector searches in one document: the document's JSON for `@` (and for list entries
 * that are not plain field paths), otherwise the text inside the named fields only.
 */
function searchableText(selector: string, document: LakeDocument): string {
  const entries = selector.startsWith('[')
    ? selector
        .slice(1, -1)
        .split(',')
        .map((entry) => entry.trim())
    : [selector]
  return entries
    .map((entry) =>
      WHOLE_FIELD_PATH.test(entry)
        ? leafText(valuesAtPath(document, entry)).join('\n')
        : JSON.stringify(document),
    )
    .join('\n')
    .toLowerCase()
}

/**
 * Rewrites `<selector> match text::query(<arg>)` into `_id in $__textN`, with the ids computed
 * here. The selector is `@` (the whole document), a field path (`title`, `slug.current`: only
 * that field's text) or a bracketed list of those (the tokens may be spread over the entries). A
 * document matches when its searched text contains every token of the search string (leading
 * `+`/`-` and `*` stripped; no tokens, e.g. `"*"`, matches everything). Coarser than Sanity's
 * ranking search, but it returns the documents a Studio list or reference input expects.
 */
export function shimTextQuery(
  query: string,
  params: Record<string, unknown>,
  documents: LakeDocument[],
): {query: string; params: Record<string, unknown>} {
  let counter = 0
  const extraParams: Record<string, unknown> = {}
  const rewritten = query.replace(
    TEXT_QUERY_PATTERN,
    (_match, selector: string, argument: string) => {
      const searchText = argument.startsWith('$')
        ? params[argument.slice(1)]
        : (JSON.parse(
            argument.startsWith("'") ? `"${argument.slice(1, -1)}"` : argument,
          ) as unknown)
      const tokens = String(searchText ?? '')
        .toLowerCase()
        .split(/\s+/)
        .map((token) => token.replace(/^[+-]/, '').replaceAll('*', ''))
        .filter(Boolean)
      const name = `__text${counter++}`
      extraParams[name] = documents
        .filter((doc) => {
          const haystack = searchableText(selector, doc)
          return tokens.every((token) => haystack.includes(token))
        })
        .map((doc) => idOf(doc))
      return `_id in $${name}`
    },
  )
  return counter === 0 ? {query, params} : {query: rewritten, params: {...params, ...extraParams}}
}

export function parseOrThrow(
  query: string,
  params: Record<string, unknown>,
  mode: 'normal' | 'delta',
) {
  try {
    // Params go in at parse time: groq-js rejects non-constant slices like `[0...$limit]` otherwise.
    return parse(query, {params, mode})
  } catch (error) {
    throw apiError(400, 'queryParseError', describe(error), {query})
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export async function evaluateOrThrow(
  tree: ReturnType<typeof parse>,
  options: Parameters<typeof evaluate>[1],
  query: string,
): Promise<unknown> {
  try {
    const value = await evaluate(tree, options)
    return (await value.get()) ?? null
  } catch (error) {
    // Sanity rejects these at parse time (it type-checks first), so callers see the same type.
    throw apiError(400, 'queryParseError', describe(error), {query})
  }
}

/** Runs a query against documents that already have the perspective applied. */
export async function runQuery(
  documents: LakeDocument[],
  query: string,
  params: Record<string, unknown>,
  scope: QueryScope,
): Promise<unknown> {
  const shimmed = shimTextQuery(query, params, documents)
  const tree = parseOrThrow(shimmed.query, shimmed.params, 'normal')
  return evaluateOrThrow(
    tree,
    {
      dataset: documents,
      params: shimmed.params,
      identity: scope.identity,
      sanity: {projectId: scope.projectId, dataset: scope.dataset},
    },
    query,
  )
}

/**
 * A compiled listener filter: does the query select this one document? Projections and ordering
 * do not matter, only whether anything comes back.
 */
export function compileDocumentMatcher(
  query: string,
  params: Record<string, unknown>,
  scope: QueryScope,
): (document: LakeDocument | null) => Promise<boolean> {
  const shimmedOnce = shimTextQuery(query, params, [])
  const hasTextSearch = shimmedOnce.query !== query
  const tree = hasTextSearch ? null : parseOrThrow(query, params, 'normal')
  return async (document) => {
    if (!document) return false
    const dataset = [document]
    const result = tree
      ? await evaluateOrThrow(tree, {dataset, params, identity: scope.identity}, query)
      : await runQuery(dataset, query, params, scope)
    return Array.isArray(result) ? result.length > 0 : result !== null && result !== false
  }
}

/** A delta-mode expression (webhook and Function filters and projections). */
export interface DeltaExpression {
  evaluate(before: LakeDocument | null, after: LakeDocument | null): Promise<unknown>
}

/**
 * Compiles a delta-GROQ expression (`before()`, `after()`, `delta::operation()`), evaluated with
 * the changed document as root (the before-document for deletes, so `_id` still resolves).
 */
export function compileDelta(
  expression: string,
  scope: Omit<QueryScope, 'identity'>,
): DeltaExpression {
  const tree = parseOrThrow(expression, {}, 'delta')
  return {
    evaluate: (before, after) =>
      evaluateOrThrow(
        tree,
        {
          root: after ?? before,
          before,
          after,
          params: {},
          sanity: {projectId: scope.projectId, dataset: scope.dataset},
        },
        expression,
      ),
  }
}
