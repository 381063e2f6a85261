/**
 * The query planner answers exactly what a full scan answers: a property test over random
 * datasets, random writes, random queries (shapes the indexes narrow and shapes they must not),
 * random params (one plan per query text serves them all, except where params shape the parse),
 * every perspective, and lagging views.
 */
import * as fc from 'fast-check'

import {idOf} from './fields'
import {applyPerspective, runQuery, type QueryScope} from './groq'
import {QueryPlanner} from './planner'
import {QueryReplica} from './replica'
import {DocumentStore, type DatasetView} from './store'
import type {LakeDocument} from './types'

const scope: QueryScope = {projectId: 'lake', dataset: 'test', identity: 'tester'}
const BASES = ['a', 'b', 'c', 'd']
// `drafts-e` and `versions-e` are published ids that groq-js's `path("drafts.**")` and
// `path("versions.**")` match all the same (its globs join segments with a regex `.`).
const IDS = [
  ...BASES.flatMap((base) => [base, `drafts.${base}`, `versions.r1.${base}`]),
  'drafts-e',
  'versions-e',
]
const TYPES = ['course', 'plan', 'clerkEntitlement']
const PERSPECTIVES = ['raw', 'published', 'drafts', 'r1,drafts']

const id = fc.constantFrom(...IDS)
const target = fc.constantFrom(...IDS, 'missing')
// Numbers next to strings that read the same: `==` and `in` must tell them apart.
const scalar = fc.constantFrom<unknown>('user_1', 'user_2', 'x', '1', 1, 3, '3', true, false)
/** What a field may hold: a scalar, null, or an array (never `==` to a scalar, nor `in` a list). */
const fieldValue = fc.oneof(
  {weight: 4, arbitrary: scalar},
  fc.constant(null),
  fc.array(scalar, {maxLength: 2}),
)
/** Objects with a `_ref` hide every `_ref` below them from `references()`. */
const hiddenReference = fc.oneof(
  target.map((ref) => ({_ref: ref})),
  fc.tuple(target, target).map(([outer, inner]) => ({_ref: outer, subject: {_ref: inner}})),
  target.map((inner) => ({_ref: 7, subject: {_ref: inner}})),
)

const documentArbitrary: fc.Arbitrary<LakeDocument> = fc
  .record(
    {
      _id: id,
      _type: fc.constantFrom(...TYPES),
      clerkUserId: fieldValue,
      clerkEmail: fieldValue,
      clerkOrganizationId: fieldValue,
      title: fieldValue,
      tags: fieldValue,
      plan: target.map((ref) => ({_type: 'reference', _ref: ref})),
      courses: fc.array(
        target.map((ref) => ({_key: ref, _type: 'reference', _ref: ref})),
        {maxLength: 2},
      ),
      meta: fc.record({subject: hiddenReference}, {noNullPrototype: true}),
    },
    {requiredKeys: ['_id', '_type'], noNullPrototype: true},
  )
  .map((document) => document as LakeDocument)

type Write =
  | {kind: 'put'; document: LakeDocument}
  | {kind: 'delete'; id: string}
  | {kind: 'patch'; id: string; set: Record<string, unknown>}

const writeArbitrary: fc.Arbitrary<Write> = fc.oneof(
  documentArbitrary.map((document) => ({kind: 'put' as const, document})),
  id.map((deleted) => ({kind: 'delete' as const, id: deleted})),
  fc
    .record({
      id,
      set: fc.oneof(
        fc.record({_type: fc.constantFrom(...TYPES)}, {noNullPrototype: true}),
        fc.record({clerkUserId: fieldValue}, {noNullPrototype: true}),
        fc.record({tags: fieldValue}, {noNullPrototype: true}),
        fc.record({plan: target.map((ref) => ({_ref: ref}))}, {noNullPrototype: true}),
      ),
    })
    .map((patch) => ({kind: 'patch' as const, ...patch})),
)

const literal = (value: unknown) => JSON.stringify(value)
const idLiteral = id.map(literal)
const atom: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...TYPES).map((type) => `_type == ${literal(type)}`),
  fc.array(fc.constantFrom(...TYPES), {maxLength: 2}).map((types) => `_type in ${literal(types)}`),
  idLiteral.map((value) => `_id == ${value}`),
  fc.array(id, {maxLength: 3}).map((ids) => `_id in ${literal(ids)}`),
  fc
    .tuple(fc.constantFrom('>', '>=', '<', '<='), idLiteral)
    .map(([op, value]) => `_id ${op} ${value}`),
  idLiteral.map((value) => `${value} < _id`),
  target.map((ref) => `references(${literal(ref)})`),
  fc.array(target, {maxLength: 2}).map((refs) => `references(${literal(refs)})`),
  target.map((ref) => `plan._ref == ${literal(ref)}`),
  target.map((ref) => `meta.subject._ref == ${literal(ref)}`),
  target.map((ref) => `meta.subject.subject._ref == ${literal(ref)}`),
  scalar.map((value) => `clerkUserId == ${literal(value)}`),
  scalar.map((value) => `title == ${literal(value)}`),
  scalar.map((value) => `${literal(value)} == tags`),
  fc.array(scalar, {maxLength: 3}).map((values) => `title in ${literal(values)}`),
  fc
    .constantFrom('clerkUserId', 'clerkEmail', 'title', 'tags')
    .map((field) => `${field} in $subjects`),
  fc.constant('clerkEmail in $emails'),
  // The reconcile's subject query (proxy/sanity/queries.ts), decided but for its id checks:
  fc.constant(
    '_type == $type && !(_id in path("drafts.**")) && !(_id in path("versions.**")) && (clerkUserId in $subjects || clerkOrganizationId in $subjects || clerkEmail in $emails)',
  ),
  fc.constant('clerkUserId in $subjects'),
  fc.constant('clerkUserId == $user'),
  fc.constant('_type == $type'),
  fc.constant('_id == $id'),
  fc.constant('_id in $ids'),
  fc.constant('_id >= $id'),
  fc.constant('references($ref)'),
  fc.constant('plan._ref == $ref'),
  fc.constant('title == $missing'),
  // Reads like a scan's parameter: must stay the caller's value.
  fc.constant('title == $__lakeScan0'),
  // Shapes the planner must leave to a full scan:
  fc.constant('clerkUserId == null'),
  fc.constant('defined(title)'),
  fc.constant('!(_id in path("drafts.**"))'),
  fc.constant('_id in path("versions.**")'),
  fc.constant('count(*[references(^._id)]) > 0'),
  fc.constant('plan->_type == "plan"'),
  fc.constant('title > 2'),
)
const filter: fc.Arbitrary<string> = fc.letrec<{filter: string}>((tie) => ({
  filter: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    atom,
    fc.tuple(tie('filter'), tie('filter')).map(([left, right]) => `(${left} && ${right})`),
    fc.tuple(tie('filter'), tie('filter')).map(([left, right]) => `(${left} || ${right})`),
    tie('filter').map((inner) => `!(${inner})`),
  ),
})).filter

const queryArbitrary = fc.oneof(
  filter.map((where) => `*[${where}]`),
  filter.map((where) => `*[${where}]{_id, _type, "plan": plan->_id, "planTitle": plan->title}`),
  fc
    .tuple(filter, fc.integer({min: 1, max: 4}))
    .map(([where, rows]) => `*[${where}] | order(_id asc) [0...${rows}]{_id, "p": plan->title}`),
  fc
    .tuple(filter, fc.integer({min: 0, max: 3}))
    .map(([where, last]) => `*[${where}] | order(_id) [0..${last}]._id`),
  filter.map((where) => `*[${where}] | order(_id desc) [0...2]._id`),
  filter.map((where) => `*[${where}] | order(_id asc) [1...3]._id`),
  filter.map((where) => `*[${where}][0]._id`),
  filter.map((where) => `count(*[${where}])`),
  filter.map(
    (where) => `{"ids": *[${where}]._id, "all": count(*), "refs": *[references("a")]._id}`,
  ),
  filter.map((where) => `*[${where}]{_id, "back": *[references(^._id)]._id}`),
  filter.map(
    (where) =>
      `*[${where}] | order(title desc, _id asc) {_id, "t": coalesce(title, "none"), "s": select(defined(plan) => "has", "none"), "n": count(courses[]->)}`,
  ),
  filter.map((where) => `array::unique(*[${where}]._type)`),
  filter.map((where) => `*[${where}]{..., "plan": plan->{_id, _type}}`),
  // Params the parser folds into the query's shape (`[$at]` is an attribute or element access
  // once inlined, slices need constants, a custom function binds `$doc` of its own):
  filter.map((where) => `*[${where}] | order(_id asc) [$at]`),
  filter.map((where) => `*[${where}] | order(_id asc) [0...$rows]._id`),
  filter.map((where) => `*[${where}][$flag]._id`),
  filter.map((where) => `*[${where}][$rows + 0]._id`),
  filter.map((where) => `*[${where}]{_id, "t": coalesce(title, $fallback)}`),
  filter.map(
    (where) => `fn lake::title($doc) = $doc{title}; *[${where}]{_id, "t": lake::title(@)}`,
  ),
)

const paramsArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    subjects: fc.oneof(fc.array(scalar, {maxLength: 3}), fc.constant<unknown>([null, 'x']), scalar),
    emails: fc.array(scalar, {maxLength: 2}),
    user: scalar,
    type: fc.constantFrom(...TYPES),
    id,
    ids: fc.array(id, {maxLength: 3}),
    ref: target,
    at: fc.constantFrom<unknown>(0, 1, '_id', 'title', true),
    flag: fc.boolean(),
    rows: fc.integer({min: 1, max: 3}),
    fallback: scalar,
    doc: scalar,
    __lakeScan0: scalar,
  },
  // Any may be missing: a missing param evaluates to null.
  {requiredKeys: ['rows'], noNullPrototype: true},
)

const RUNS = 200
let comparisons = 0

/** Errors agree too: a query groq-js refuses fails the same way on both paths. */
async function outcome(answer: () => Promise<unknown>): Promise<unknown> {
  try {
    return {result: await answer()}
  } catch (error) {
    return {error: error instanceof Error ? error.message : String(error)}
  }
}

async function agree(
  planner: QueryPlanner,
  view: DatasetView,
  query: string,
  perspective: string,
  paramSets: Record<string, unknown>[],
): Promise<void> {
  // The same planner answers every param set: a plan cached for one must serve the next.
  for (const params of paramSets) {
    const indexed = await outcome(() => planner.run(view, query, params, perspective, scope))
    const scanned = await outcome(() =>
      runQuery(applyPerspective(view.all(), perspective), query, params, scope),
    )
    expect(indexed, `${query} (${perspective}) ${JSON.stringify(params)}`).toEqual(scanned)
    comparisons++
  }
}

function apply(store: DocumentStore, write: Write): void {
  const work = store.begin()
  if (write.kind === 'put') work.createOrReplace(write.document)
  else if (write.kind === 'delete') work.delete(write.id)
  else if (work.get(write.id)) work.patch(write.id, {set: write.set})
  store.commit(work, 'tester')
}

describe('query planner', () => {
  it('answers exactly what a full scan answers, after writes, in every perspective, lagging or not', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(documentArbitrary, {selector: (document) => idOf(document), maxLength: 10}),
        fc.array(writeArbitrary, {maxLength: 8}),
        fc.array(queryArbitrary, {minLength: 1, maxLength: 3}),
        fc.array(paramsArbitrary, {minLength: 1, maxLength: 2}),
        async (documents, writes, queries, paramSets) => {
          let now = 0
          const store = new DocumentStore(documents, {now: () => now})
          const planner = new QueryPlanner(store.indexes)
          for (const query of queries) {
            for (const perspective of PERSPECTIVES) {
              await agree(planner, store, query, perspective, paramSets)
            }
          }
          for (const write of writes) {
            now += 100
            apply(store, write)
          }
          const replica = new QueryReplica(store)
          for (const query of queries) {
            for (const perspective of PERSPECTIVES) {
              await agree(planner, store, query, perspective, paramSets)
              for (const lagMs of [150, 450]) {
                replica.set({minMs: lagMs, maxMs: lagMs})
                await agree(planner, replica.view(), query, perspective, paramSets)
              }
            }
          }
        },
      ),
      // A fixed seed keeps the run deterministic; FC_SEED explores other datasets and queries.
      {numRuns: RUNS, seed: Number(process.env.FC_SEED ?? 1_129)},
    )
    // Each run compares up to 3 queries × 4 perspectives × 2 param sets, before writes, after, and
    // lagging twice.
    expect(comparisons).toBeGreaterThan(RUNS * 4)
  })

  it('reads only the candidates the indexes give for the shapes they cover', async () => {
    const documents: LakeDocument[] = Array.from({length: 2_000}, (_, index) => ({
      _id: `ent-${String(index).padStart(5, '0')}`,
      _type: 'clerkEntitlement',
      clerkUserId: `user_${index % 1_000}`,
      plan: {_ref: index % 2 ? 'plan-pro' : 'plan-free'},
    }))
    documents.push({_id: 'plan-pro', _type: 'plan', key: 'pro'})
    const store = new DocumentStore(documents)
    let reads = 0
    let scans = 0
    const counting: DatasetView = {
      get: (wanted) => {
        reads++
        return store.get(wanted)
      },
      all: () => {
        scans++
        return store.all()
      },
      rankOf: (wanted) => store.rankOf(wanted),
    }
    const planner = new QueryPlanner(store.indexes)
    const run = (query: string, queryParams: Record<string, unknown> = {}) =>
      planner.run(counting, query, queryParams, 'published', scope)

    expect(
      await run('*[_type == "clerkEntitlement" && clerkUserId == $user]{_id, "plan": plan->key}', {
        user: 'user_7',
      }),
    ).toEqual([
      {_id: 'ent-00007', plan: 'pro'},
      {_id: 'ent-01007', plan: 'pro'},
    ])
    expect(await run('*[_id in ["ent-00003", "nope"]]._id')).toEqual(['ent-00003'])
    expect(await run('count(*[references("plan-pro")])')).toBe(1_000)
    expect(
      await run(
        '*[_type == "clerkEntitlement" && !(_id in path("drafts.**")) && _id > "ent-01500"] | order(_id asc) [0...3]._id',
      ),
    ).toEqual(['ent-01501', 'ent-01502', 'ent-01503'])
    expect(scans).toBe(0)
    expect(reads).toBeLessThan(1_200)
  })
})
