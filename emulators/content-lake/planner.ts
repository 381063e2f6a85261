/**
 * The query planner: answers GROQ from a few index-picked candidates instead of scanning the
 * dataset, with results identical to the full scan by construction.
 *
 * Each `*` in the parsed query becomes a parameter holding its candidates. For `*[filter]` the
 * planner reads the filter's top-level `&&`/`||` of conditions it understands (`_type == c`,
 * `field == c`, `field in [c…]`, `_id == c`, `_id in [c…]`, `_id > c` and friends,
 * `references(c…)`, `a.b._ref == c`, with `c` a literal or parameter) and takes the ids its
 * indexes give; anything else (`!`, functions, comparisons of computed values, a `*` that is no
 * filter base) means "every document". Candidates are a superset of the matches and keep the
 * dataset's order, so groq-js, which still evaluates the query over them, returns exactly what
 * the full scan returns. References (`->`) are looked up by id instead of scanned.
 *
 * Where a lookup is exact (its ids are precisely the documents for which its condition is true:
 * `field == c` and `field in [c…]` with strings, numbers or booleans, `_id` equality and ranges,
 * `references()`, and `&&`/`||` of exact parts; not `a.b._ref == c`, `== null`, or an `&&` with
 * an undecided side), groq-js is handed the tree with that condition, or that `&&` part, replaced
 * by `true`: a reconcile page's `clerkUserId in $subjects || …` over 500 subjects cost a value per
 * element per candidate. That holds in the raw and published perspectives over a current view
 * only: overlays merge families into documents no index describes, and a lagging view adds its
 * changed documents to every candidate set. A `!(_id in path(c))` part (how queries leave drafts
 * and versions out) is `true` likewise wherever no candidate's `_id` matches the glob.
 *
 * A page `*[filter] | order(_id asc) [0...n]` (raw and published perspectives) reads candidates
 * in `_id` order and stops once `n` match.
 *
 * Plans are cached by query text, parsed once without the params, which evaluation then
 * supplies: the proxy asks the same few queries for ever different subjects, and parsing plus
 * planning cost several times the evaluation. Where groq-js's parser folds a param into the
 * tree's shape (`[$key]` becomes an attribute or element access, `[0...$n]` must be constant, a
 * custom `fn` binds `$names` of its own), the plan is made per text and params as before.
 */
import {evaluateSync, parse, Path, type EvaluateOptions, type ExprNode} from 'groq-js'

import {idOf} from './fields'
import {
  applyPerspective,
  evaluateOrThrow,
  isDraftId,
  isVersionId,
  parseOrThrow,
  publishedIdOf,
  shimTextQuery,
  type QueryScope,
} from './groq'
import {lowerBound, scalarKey, type DocumentIndexes} from './indexes'
import {PastView} from './replica'
import type {DatasetView} from './store'
import type {LakeDocument} from './types'

interface Bound {
  id: string
  inclusive: boolean
}

/**
 * Where a scan's candidates come from; null means every document. An `exact` lookup gives
 * precisely the documents for which its condition is true (raw and published perspectives, a
 * current view), so the condition need not be evaluated again; the others give a superset.
 */
type Lookup = {exact: boolean} & (
  | {kind: 'field'; field: string; keys: string[]}
  | {kind: 'family'; ids: string[]}
  | {kind: 'references'; targets: string[]}
  | {kind: 'idRange'; lower?: Bound; upper?: Bound}
  | {kind: 'union' | 'intersection'; of: Lookup[]}
)

/** A `*` of the query: the scan parameter standing in for it and the filter it is the base of. */
interface Scan {
  param: string
  /**
   * The filter's condition as it stands in the plan's tree, read with the request's params into
   * a lookup; null for a bare `*`.
   */
  filter: unknown
}

type Params = Record<string, unknown>

interface Plan {
  tree: ExprNode
  scans: Scan[]
  /** Set when the whole query is one `_id`-ordered page of a scan: how many rows it keeps. */
  page?: {scan: Scan; rows: number}
  /** The tree with the conditions the lookups decide replaced by `true`, by their numbers. */
  deciding: RecentlyUsed<ExprNode>
}

type Node = Record<string, unknown> & {type: string}

const SCAN_PARAM = '__lakeScan'

/** The constant a node stands for (a literal, or a param the request supplies), or undefined. */
function constantOf(node: unknown, params: Params): {value: unknown} | undefined {
  const expression = node as Node
  if (expression.type === 'Value') return {value: expression.value}
  if (expression.type === 'Parameter') {
    const name = expression.name as string
    return Object.hasOwn(params, name) ? {value: params[name]} : undefined
  }
  if (expression.type === 'Array') {
    const values: unknown[] = []
    for (const element of expression.elements as Node[]) {
      if (element.isSplat) return undefined
      const item = constantOf(element.value, params)
      if (!item) return undefined
      values.push(item.value)
    }
    return {value: values}
  }
  return undefined
}

/** `a.b.c` read from the document itself, as a list of names; undefined for anything else. */
function attributePath(node: unknown): string[] | undefined {
  const expression = node as Node
  if (expression.type !== 'AccessAttribute') return undefined
  const base = expression.base as Node | undefined
  if (!base || base.type === 'This') return [expression.name as string]
  const parent = attributePath(base)
  return parent ? [...parent, expression.name as string] : undefined
}

const strings = (values: unknown[]): string[] | undefined =>
  values.every((value) => typeof value === 'string') ? (values as string[]) : undefined

/** The lookup for `path` being one of `values` (`==` gives one value, `in` a list). */
function equalityLookup(path: string[], values: unknown[]): Lookup | null {
  const last = path.at(-1) as string
  if (last === '_ref') {
    const targets = strings(values)
    // Any document holding one of the targets anywhere: a superset of this one path's.
    return targets ? {kind: 'references', targets, exact: false} : null
  }
  if (path.length !== 1) return null
  if (last === '_id') {
    const ids = strings(values)
    return ids ? {kind: 'family', ids, exact: true} : null
  }
  // GROQ's `==` is true for two strings, numbers or booleans of the same value, and false for
  // any other pair (an array or object field, a missing one against a non-null value), which is
  // what the scalar keys tell apart. `== null` also matches a missing field, which no index lists.
  const keys = values.map(scalarKey)
  if (keys.some((key) => key === undefined)) return null
  return {kind: 'field', field: last, keys: keys as string[], exact: true}
}

const FLIPPED: Record<string, string> = {'<': '>', '<=': '>=', '>': '<', '>=': '<='}

function comparisonLookup(
  op: string,
  left: unknown,
  right: unknown,
  params: Params,
): Lookup | null {
  let path = attributePath(left)
  let constant = constantOf(right, params)
  let operator = op
  if (!path || !constant) {
    path = attributePath(right)
    constant = constantOf(left, params)
    operator = op === '==' ? op : (FLIPPED[op] ?? '')
  }
  if (!path || !constant) return null
  if (operator === '==') return equalityLookup(path, [constant.value])
  if (operator in FLIPPED && path.length === 1 && path[0] === '_id') {
    if (typeof constant.value !== 'string') return null
    const bound = {id: constant.value, inclusive: operator.endsWith('=')}
    return operator.startsWith('>')
      ? {kind: 'idRange', lower: bound, exact: true}
      : {kind: 'idRange', upper: bound, exact: true}
  }
  return null
}

/** The candidates a filter allows, read from its top-level `&&`/`||` structure. */
function lookupOf(node: unknown, params: Params): Lookup | null {
  const expression = node as Node
  switch (expression.type) {
    case 'Group':
      return lookupOf(expression.base, params)
    case 'And': {
      const parts = [lookupOf(expression.left, params), lookupOf(expression.right, params)].filter(
        (part): part is Lookup => part !== null,
      )
      if (parts.length === 0) return null
      // A side without a lookup still has to hold: then the candidates are a superset.
      if (parts.length === 1) return {...(parts[0] as Lookup), exact: false}
      return {kind: 'intersection', of: parts, exact: parts.every((part) => part.exact)}
    }
    case 'Or': {
      const left = lookupOf(expression.left, params)
      const right = lookupOf(expression.right, params)
      return left && right
        ? {kind: 'union', of: [left, right], exact: left.exact && right.exact}
        : null
    }
    case 'OpCall': {
      const op = expression.op as string
      if (op === 'in') {
        const path = attributePath(expression.left)
        const list = constantOf(expression.right, params)
        return path && list && Array.isArray(list.value) ? equalityLookup(path, list.value) : null
      }
      return comparisonLookup(op, expression.left, expression.right, params)
    }
    case 'FuncCall': {
      if (expression.name !== 'references' || expression.namespace !== 'global') return null
      const targets: string[] = []
      for (const argument of expression.args as Node[]) {
        const constant = constantOf(argument, params)
        if (!constant) return null
        const values = Array.isArray(constant.value) ? constant.value : [constant.value]
        // references() ignores what is not a string, as here.
        targets.push(...values.filter((value): value is string => typeof value === 'string'))
      }
      return {kind: 'references', targets, exact: true}
    }
    default:
      return null
  }
}

/** The names of the params a tree reads (`$name` left as a Parameter node). */
function parameterNames(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) parameterNames(item, into)
  else if (node !== null && typeof node === 'object') {
    const expression = node as Node
    // A literal (an inlined param) is data, however node-like its content.
    if (expression.type === 'Parameter') into.add(expression.name as string)
    else if (expression.type !== 'Value') {
      for (const value of Object.values(expression)) parameterNames(value, into)
    }
  }
  return into
}

/**
 * Replaces every `*` with a scan parameter named `<prefix><n>`; returns the new tree (the input
 * is not touched).
 */
function withScans(node: unknown, scans: Scan[], prefix: string): unknown {
  if (Array.isArray(node)) return node.map((item) => withScans(item, scans, prefix))
  if (node === null || typeof node !== 'object') return node
  const expression = node as Node
  if (expression.type === 'Value') return expression
  if (expression.type === 'Everything') {
    const scan = {param: `${prefix}${scans.length}`, filter: null}
    scans.push(scan)
    return {type: 'Parameter', name: scan.param}
  }
  if (expression.type === 'Filter' && (expression.base as Node).type === 'Everything') {
    const scan: Scan = {param: `${prefix}${scans.length}`, filter: null}
    scans.push(scan)
    // Inner `*`s become scan params, which no lookup reads as a constant (no request param has
    // their names).
    scan.filter = withScans(expression.expr, scans, prefix)
    return {...expression, base: {type: 'Parameter', name: scan.param}, expr: scan.filter}
  }
  return Object.fromEntries(
    Object.entries(expression).map(([key, value]) => [key, withScans(value, scans, prefix)]),
  )
}

/** `…[0...n]` over `order(_id asc)` over a scan, optionally projected: the rows it keeps. */
function pageOf(tree: Node, scans: Scan[]): Plan['page'] {
  const slice = (tree.type === 'Map' || tree.type === 'Projection' ? tree.base : tree) as Node
  if (slice.type !== 'Slice' || slice.left !== 0 || typeof slice.right !== 'number') return
  const rows = (slice.right as number) + (slice.isInclusive ? 1 : 0)
  const order = slice.base as Node
  if (order.type !== 'PipeFuncCall' || order.name !== 'order') return
  const [key, ...rest] = order.args as Node[]
  if (!key || rest.length > 0) return
  const field = key.type === 'Asc' ? (key.base as Node) : key
  if (attributePath(field)?.join('.') !== '_id') return
  const filter = order.base as Node
  if (filter.type !== 'Filter' || (filter.base as Node).type !== 'Parameter') return
  const scan = scans.find((candidate) => candidate.param === (filter.base as Node).name)
  return scan && rows > 0 ? {scan, rows} : undefined
}

function planOf(tree: ExprNode): Plan {
  // Scan names no `$param` of the query starts with, so the query's own params keep their values.
  const names = [...parameterNames(tree)]
  let prefix = SCAN_PARAM
  while (names.some((name) => name.startsWith(prefix))) prefix += '_'
  const scans: Scan[] = []
  const rewritten = withScans(tree, scans, prefix) as ExprNode
  return {
    tree: rewritten,
    scans,
    page: pageOf(rewritten as unknown as Node, scans),
    // Which conditions are decided depends on the params' kinds: a few variants per text.
    deciding: new RecentlyUsed(DECIDING_VARIANTS),
  }
}

/**
 * The conditions of a filter that hold for every candidate: the whole filter, or else parts of
 * its top-level `&&`s. A part of an `||` is left alone: a candidate may come from the other side.
 */
function decidedConditions(
  node: unknown,
  lookup: Lookup | null,
  params: Params,
  holds: (condition: Node, lookup: Lookup | null) => boolean,
  into: Node[] = [],
): Node[] {
  const expression = node as Node
  if (holds(expression, lookup)) into.push(expression)
  else if (expression.type === 'Group') {
    decidedConditions(expression.base, lookup, params, holds, into)
  } else if (expression.type === 'And') {
    for (const side of [expression.left, expression.right]) {
      decidedConditions(side, lookupOf(side, params), params, holds, into)
    }
  }
  return into
}

/** The glob of `!(_id in path(c))` with `c` a constant string (how queries leave drafts out). */
function excludedPath(node: Node, params: Params): Path | undefined {
  if (node.type !== 'Not') return undefined
  let inner = node.base as Node
  while (inner.type === 'Group') inner = inner.base as Node
  if (inner.type !== 'OpCall' || inner.op !== 'in') return undefined
  if (attributePath(inner.left)?.join('.') !== '_id') return undefined
  const call = inner.right as Node
  const args = call.args as Node[] | undefined
  if (call.type !== 'FuncCall' || call.namespace !== 'global' || call.name !== 'path')
    return undefined
  const glob = args?.length === 1 ? constantOf(args[0], params) : undefined
  return typeof glob?.value === 'string' ? new Path(glob.value) : undefined
}

/**
 * Whether `!(_id in path(c))` is true for each of these documents: none has an `_id` that
 * groq-js's own `Path` matches (its glob is looser than it reads: `drafts.**` also matches
 * `drafts-x`). One pattern per query instead of one per candidate, as groq-js compiles it.
 */
function excludesEvery(condition: Node, documents: readonly LakeDocument[], params: Params) {
  const path = excludedPath(condition, params)
  return (
    path !== undefined &&
    documents.every((document) => {
      const id = idOf(document)
      return typeof id === 'string' && !path.matches(id)
    })
  )
}

const DECIDED: Node = {type: 'Value', value: true}
const DECIDING_VARIANTS = 8

/** `node` with each of `decided` replaced by `true`, sharing every untouched subtree. */
function withDecided(node: unknown, decided: ReadonlySet<Node>): unknown {
  if (Array.isArray(node)) {
    const items = node.map((item) => withDecided(item, decided))
    return items.some((item, index) => item !== node[index]) ? items : node
  }
  if (node === null || typeof node !== 'object') return node
  const expression = node as Node
  if (decided.has(expression)) return DECIDED
  if (expression.type === 'Value') return expression
  let copy: Node | undefined
  for (const [key, value] of Object.entries(expression)) {
    const next = withDecided(value, decided)
    if (next !== value) (copy ??= {...expression})[key] = next
  }
  return copy ?? expression
}

const conditionNumbers = new WeakMap<Node, number>()
let conditionsNumbered = 0

/** A number per condition node, to name a set of decided conditions in a cache key. */
function numberOf(node: Node): number {
  let number = conditionNumbers.get(node)
  if (number === undefined) conditionNumbers.set(node, (number = conditionsNumbered++))
  return number
}

/** groq-js's test for what its parser folds to a constant (`canConstantEvaluate`). */
function foldable(node: Node): boolean {
  switch (node.type) {
    case 'Group':
    case 'Pos':
    case 'Neg':
      return foldable(node.base as Node)
    case 'Value':
    case 'Parameter':
      return true
    case 'OpCall':
      return ['+', '-', '*', '/', '%', '**'].includes(node.op as string)
        ? foldable(node.left as Node) && foldable(node.right as Node)
        : false
    default:
      return false
  }
}

/**
 * Whether a tree parsed without params means the same as one parsed with them inlined: the
 * parser folds a constant `[…]` into an attribute or element access when it is a string or a
 * number, which a param only is once inlined.
 */
function paramsKeepShape(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(paramsKeepShape)
  if (node === null || typeof node !== 'object') return true
  const expression = node as Node
  if (expression.type === 'Value') return true
  if (expression.type === 'Filter') {
    const condition = expression.expr as Node
    if (foldable(condition) && parameterNames(condition).size > 0) return false
  }
  return Object.values(expression).every(paramsKeepShape)
}

/** Custom functions bind `$name`s of their own, which inlined params would replace. */
const DECLARES_FUNCTION = /\bfn\b/

/** How a query text is planned, decided once per text. */
type Shape =
  | {kind: 'shared'; plan: Plan}
  | {kind: 'perParams'}
  /** `text::query()`: the plan depends on the dataset, made afresh every time. */
  | {kind: 'textSearch'}

function shapeOf(query: string): Shape {
  if (shimTextQuery(query, {}, []).query !== query) return {kind: 'textSearch'}
  if (DECLARES_FUNCTION.test(query)) return {kind: 'perParams'}
  let tree: ExprNode
  try {
    tree = parse(query, {mode: 'normal'})
  } catch {
    // `[0...$n]` needs its params to parse at all (and invalid GROQ fails the same way again).
    return {kind: 'perParams'}
  }
  return paramsKeepShape(tree) ? {kind: 'shared', plan: planOf(tree)} : {kind: 'perParams'}
}

/** A Map that keeps the `limit` most recently used entries. */
class RecentlyUsed<V> {
  private readonly entries = new Map<string, V>()
  private readonly limit: number

  constructor(limit: number) {
    this.limit = limit
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    if (this.entries.size >= this.limit) {
      this.entries.delete(this.entries.keys().next().value as string)
    }
    this.entries.set(key, value)
  }
}

const lookupFor = (scan: Scan, params: Params): Lookup | null =>
  scan.filter === null ? null : lookupOf(scan.filter, params)

type PerspectiveKind = 'raw' | 'published' | 'overlay'

function kindOf(perspective: string): PerspectiveKind {
  const layers = perspective
    .split(',')
    .map((layer) => layer.trim())
    .filter(Boolean)
  if (layers.length === 0 || layers.includes('raw')) return 'raw'
  return layers.length === 1 && layers[0] === 'published' ? 'published' : 'overlay'
}

const inRange = (id: string, lower?: Bound, upper?: Bound): boolean =>
  (!lower || id > lower.id || (lower.inclusive && id === lower.id)) &&
  (!upper || id < upper.id || (upper.inclusive && id === upper.id))

/**
 * One query against one dataset view: the indexes, the view's documents changed since the
 * indexes' state (a lagging replica's), and a cache of whole-dataset scans.
 */
class Execution {
  private readonly view: DatasetView
  private readonly indexes: DocumentIndexes
  private readonly perspective: string
  private readonly kind: PerspectiveKind
  private readonly changed: ReadonlySet<string>
  private everything: LakeDocument[] | undefined
  private readonly dereferenced = new Map<string, LakeDocument | null>()

  constructor(view: DatasetView, indexes: DocumentIndexes, perspective: string) {
    this.view = view
    this.indexes = indexes
    this.perspective = perspective
    this.kind = kindOf(perspective)
    this.changed = view instanceof PastView ? new Set(view.changed.keys()) : new Set()
  }

  /** The whole dataset under the perspective (what an unnarrowed `*` reads). */
  all(): LakeDocument[] {
    this.everything ??= applyPerspective(this.view.all(), this.perspective)
    return this.everything
  }

  /** Raw ids that may hold a match (null: any document may). */
  candidates(lookup: Lookup | null): ReadonlySet<string> | null {
    const ids = this.resolve(lookup)
    if (!ids || this.changed.size === 0) return ids
    // The indexes describe the store now; a lagging view's changed documents may match too.
    return new Set([...ids, ...this.changed])
  }

  /** The candidates' documents under the perspective, in dataset order. */
  documents(ids: Iterable<string>): LakeDocument[] {
    const wanted = new Set<string>()
    for (const id of ids) {
      if (this.kind !== 'overlay') {
        if (this.kind === 'raw' || (!isDraftId(id) && !isVersionId(id))) wanted.add(id)
        continue
      }
      // Overlays merge a family (published, draft, versions) into one document: take it whole.
      for (const member of this.familyOf(publishedIdOf(id))) wanted.add(member)
    }
    const found: {document: LakeDocument; rank: number}[] = []
    for (const id of wanted) {
      const document = this.view.get(id)
      if (document) found.push({document, rank: this.view.rankOf(id) ?? 0})
    }
    found.sort((a, b) => a.rank - b.rank)
    const documents = found.map(({document}) => document)
    return this.kind === 'overlay' ? applyPerspective(documents, this.perspective) : documents
  }

  /** What `->` finds: the document with this `_id` under the perspective, or null. */
  dereference(id: string): LakeDocument | null {
    // Many rows follow the same few references (plans, roles): look each up once per query.
    let found = this.dereferenced.get(id)
    if (found === undefined) {
      const family = this.documents(this.familyOf(publishedIdOf(id)))
      found = family.find((document) => idOf(document) === id) ?? null
      this.dereferenced.set(id, found)
    }
    return found
  }

  /** Candidate ids in `_id` order (raw and published perspectives, current view only). */
  *ordered(lookup: Lookup | null): Generator<string> {
    const ranges: Lookup[] = []
    const sets: Lookup[] = []
    for (const part of lookup?.kind === 'intersection' ? lookup.of : lookup ? [lookup] : []) {
      ;(part.kind === 'idRange' ? ranges : sets).push(part)
    }
    const within = (id: string) =>
      ranges.every((range) => range.kind === 'idRange' && inRange(id, range.lower, range.upper))
    const members =
      sets.length > 0
        ? this.resolve({kind: 'intersection', of: sets, exact: sets.every((set) => set.exact)})
        : null
    const sorted = this.indexes.sortedIds()
    if (members && members.size * 8 < sorted.length) {
      yield* [...members].filter(within).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      return
    }
    const lower = ranges.flatMap((range) =>
      range.kind === 'idRange' && range.lower ? [range.lower] : [],
    )
    let start = 0
    for (const bound of lower)
      start = Math.max(start, lowerBound(sorted, bound.id, !bound.inclusive))
    for (let index = start; index < sorted.length; index++) {
      const id = sorted[index] as string
      if ((!members || members.has(id)) && within(id)) yield id
    }
  }

  /**
   * Whether the candidates are stored documents as they are now (raw or published perspective,
   * a current view): then `_id` order can be read from the index, and exact lookups are exact.
   */
  get current(): boolean {
    return this.kind !== 'overlay' && this.changed.size === 0
  }

  private familyOf(publishedId: string): string[] {
    const members = [...this.indexes.family(publishedId)]
    for (const id of this.changed) if (publishedIdOf(id) === publishedId) members.push(id)
    return members
  }

  private resolve(lookup: Lookup | null): ReadonlySet<string> | null {
    if (!lookup) return null
    switch (lookup.kind) {
      case 'field':
        return this.union(lookup.keys.map((key) => this.indexes.byField(lookup.field, key)))
      case 'family': {
        const families = lookup.ids.map((id) => this.indexes.family(publishedIdOf(id)))
        if (this.kind === 'overlay') return this.union(families)
        // Without overlays `_id` is the stored id: just the ids named that exist.
        return new Set(lookup.ids.filter((id, index) => families[index]?.has(id)))
      }
      case 'references':
        return this.union(
          lookup.targets.map((target) =>
            lookup.exact ? this.indexes.referencedBy(target) : this.indexes.referencing(target),
          ),
        )
      case 'idRange': {
        // `_id` is the stored id only without overlays; there, families merge under one id.
        if (this.kind === 'overlay') return null
        const sorted = this.indexes.sortedIds()
        const start = lookup.lower
          ? lowerBound(sorted, lookup.lower.id, !lookup.lower.inclusive)
          : 0
        const ids = new Set<string>()
        for (let index = start; index < sorted.length; index++) {
          const id = sorted[index] as string
          if (!inRange(id, undefined, lookup.upper)) break
          ids.add(id)
        }
        return ids
      }
      case 'union': {
        const parts = lookup.of.map((part) => this.resolve(part))
        return parts.some((part) => part === null)
          ? null
          : this.union(parts as ReadonlySet<string>[])
      }
      case 'intersection': {
        const parts = lookup.of
          .map((part) => this.resolve(part))
          .filter((part): part is ReadonlySet<string> => part !== null)
        if (parts.length === 0) return null
        parts.sort((a, b) => a.size - b.size)
        const [smallest, ...others] = parts as [ReadonlySet<string>, ...ReadonlySet<string>[]]
        if (others.length === 0) return smallest
        return new Set([...smallest].filter((id) => others.every((other) => other.has(id))))
      }
    }
  }

  private union(sets: ReadonlySet<string>[]): ReadonlySet<string> {
    if (sets.length === 1) return sets[0] as ReadonlySet<string>
    const ids = new Set<string>()
    for (const set of sets) for (const id of set) ids.add(id)
    return ids
  }
}

const PLAN_CACHE_SIZE = 500

/**
 * The plan's tree with each condition that holds for all of its scan's candidates as `true`, so
 * groq-js evaluates only the rest on each candidate (a reconcile page's `in` over 500 subjects
 * was most of its time): what an exact lookup decides (`exactLookups`: a current execution), and
 * the `!(_id in path(c))` no candidate in `scanned` (by scan param) fails.
 */
function deciding(
  plan: Plan,
  lookups: Map<Scan, Lookup | null>,
  params: Params,
  scanned: ReadonlyMap<string, LakeDocument[]>,
  exactLookups: boolean,
): ExprNode {
  const decided = plan.scans.flatMap((scan) => {
    if (scan.filter === null) return []
    const candidates = scanned.get(scan.param)
    const holds = (condition: Node, lookup: Lookup | null) =>
      (exactLookups && lookup?.exact === true) ||
      (candidates !== undefined && excludesEvery(condition, candidates, params))
    return decidedConditions(scan.filter, lookups.get(scan) ?? null, params, holds)
  })
  if (decided.length === 0) return plan.tree
  const key = decided.map(numberOf).join(',')
  let tree = plan.deciding.get(key)
  if (!tree) {
    tree = withDecided(plan.tree, new Set(decided)) as ExprNode
    plan.deciding.set(key, tree)
  }
  return tree
}

/** Runs GROQ over a dataset view through the indexes, caching plans per query text. */
export class QueryPlanner {
  private readonly indexes: DocumentIndexes
  private readonly shapes = new RecentlyUsed<Shape>(PLAN_CACHE_SIZE)
  /** Plans of the texts whose params shape the tree, per text and params. */
  private readonly plansWithParams = new RecentlyUsed<Plan>(PLAN_CACHE_SIZE)

  constructor(indexes: DocumentIndexes) {
    this.indexes = indexes
  }

  async run(
    view: DatasetView,
    query: string,
    params: Record<string, unknown>,
    perspective: string,
    scope: QueryScope,
  ): Promise<unknown> {
    const execution = new Execution(view, this.indexes, perspective)
    const plan = this.planFor(query, params, execution)
    const lookups = new Map(plan.scans.map((scan) => [scan, lookupFor(scan, params)]))
    const evaluate = async (scanned: Map<string, LakeDocument[]>) => {
      const tree = deciding(plan, lookups, params, scanned, execution.current)
      const options: EvaluateOptions = {
        dataset: [],
        params: {...params, ...Object.fromEntries(scanned)},
        identity: scope.identity,
        sanity: {projectId: scope.projectId, dataset: scope.dataset},
        dereference: ({_ref}) => execution.dereference(_ref),
      }
      try {
        // groq-js's synchronous evaluator is several times faster (no promise per node); it
        // refuses a few constructs, which then take the asynchronous path and its errors.
        return evaluateSync(tree, options).get() ?? null
      } catch {
        return evaluateOrThrow(tree, options, query)
      }
    }
    const scanned = new Map<string, LakeDocument[]>()
    for (const scan of plan.scans) {
      if (scan === plan.page?.scan && execution.current) continue
      const ids = execution.candidates(lookups.get(scan) ?? null)
      scanned.set(scan.param, ids ? execution.documents(ids) : execution.all())
    }
    if (!plan.page || !execution.current) return evaluate(scanned)

    // A page in `_id` order: read candidates in that order until the page is full.
    const {scan, rows} = plan.page
    const source = execution.ordered(lookups.get(scan) ?? null)
    const taken: string[] = []
    let exhausted = false
    // Enough for a page when nearly every candidate matches (the common case); more if not.
    for (let want = rows + Math.max(16, Math.ceil(rows / 8)); ; want *= 4) {
      while (taken.length < want) {
        const next = source.next()
        if (next.done) {
          exhausted = true
          break
        }
        taken.push(next.value)
      }
      scanned.set(scan.param, execution.documents(taken))
      const result = await evaluate(scanned)
      if (exhausted || (Array.isArray(result) && result.length >= rows)) return result
    }
  }

  private planFor(query: string, params: Params, execution: Execution): Plan {
    let shape = this.shapes.get(query)
    if (!shape) {
      shape = shapeOf(query)
      this.shapes.set(query, shape)
    }
    if (shape.kind === 'textSearch') {
      // text::query() is answered by listing matching ids, computed over the whole dataset.
      const withIds = shimTextQuery(query, params, execution.all())
      return planOf(parseOrThrow(withIds.query, withIds.params, 'normal'))
    }
    if (shape.kind === 'shared') return shape.plan
    const key = `${query}\u0000${JSON.stringify(params)}`
    let plan = this.plansWithParams.get(key)
    if (!plan) {
      plan = planOf(parseOrThrow(query, params, 'normal'))
      this.plansWithParams.set(key, plan)
    }
    return plan
  }
}
