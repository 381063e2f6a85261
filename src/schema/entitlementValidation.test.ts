import type {SanityClient} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {resolveAccessRules} from '../../core/access'
import {
  budgetWarning,
  describeBudget,
  estimateSubjectSize,
  validateEmail,
  validateOrganizationId,
  validateSubjectChoice,
  validateUserId,
  validateValidityWindow,
} from './entitlementValidation'

describe('entitlement validation messages', () => {
  it('wants exactly one subject', () => {
    expect(validateSubjectChoice({})).toMatch(/Choose the Clerk user, organization or email/)
    expect(validateSubjectChoice({clerkUserId: 'user_1', clerkOrganizationId: 'org_1'})).toMatch(
      /not several/,
    )
    expect(validateSubjectChoice({clerkUserId: 'user_1', clerkEmail: 'a@example.com'})).toMatch(
      /not several/,
    )
    expect(validateSubjectChoice({clerkUserId: 'user_1'})).toBe(true)
    expect(validateSubjectChoice({clerkOrganizationId: 'org_1'})).toBe(true)
    expect(validateSubjectChoice({clerkEmail: 'a@example.com'})).toBe(true)
  })

  it('wants an email address written as Clerk stores it', () => {
    expect(validateEmail('new.person@example.com')).toBe(true)
    expect(validateEmail(undefined)).toBe(true)
    expect(validateEmail('New.Person@Example.com')).toMatch(/"new\.person@example\.com"/)
    expect(validateEmail('not an address')).toMatch(/is not an email address/)
  })

  it('checks id formats and leaves empty values to required rules', () => {
    expect(validateUserId('user_2abcXYZ')).toBe(true)
    expect(validateUserId(undefined)).toBe(true)
    expect(validateUserId('org_2abc')).toMatch(/starts with "user_"/)
    expect(validateUserId('user_../x')).toMatch(/"user_\.\.\/x"/)
    expect(validateOrganizationId('org_2abc')).toBe(true)
    expect(validateOrganizationId('user_2abc')).toMatch(/starts with "org_"/)
  })

  it('wants validUntil after validFrom', () => {
    const from = '2026-01-01T00:00:00Z'
    expect(validateValidityWindow({validFrom: from, validUntil: '2025-12-31T00:00:00Z'})).toMatch(
      /later than/,
    )
    expect(validateValidityWindow({validFrom: from, validUntil: from})).toMatch(/later than/)
    expect(validateValidityWindow({validFrom: from, validUntil: '2026-02-01T00:00:00Z'})).toBe(true)
    expect(validateValidityWindow({validUntil: '2026-02-01T00:00:00Z'})).toBe(true)
  })
})

describe('estimateSubjectSize', () => {
  const rules = resolveAccessRules({sessionBudgetBytes: 100})

  function clientReturning(result: unknown) {
    const fetch = vi.fn<(...args: unknown[]) => Promise<unknown>>(async () => result)
    return {client: {fetch} as unknown as SanityClient, fetch}
  }

  it('merges the draft with the subject’s other published entitlements, counting only published references', async () => {
    const {client, fetch} = clientReturning({
      others: [
        {
          _id: 'ent-other',
          clerkUserId: 'user_1',
          plan: {key: 'basic', rank: 1},
          grants: [{_id: 'c-1', _type: 'course', slug: 'intro'}],
        },
      ],
      referenced: [
        {_id: 'plan-pro', _type: 'clerkPlan', key: 'pro', rank: 5},
        {_id: 'c-2', _type: 'course', slug: 'advanced-topics'},
      ],
    })
    const estimate = await estimateSubjectSize(
      {
        _id: 'drafts.ent-1',
        clerkUserId: 'user_1',
        plan: {_ref: 'plan-pro'},
        grants: [{_ref: 'c-2'}, {_ref: 'c-unpublished'}],
      },
      client,
      rules,
    )
    const expected = {courseSlugs: ['advanced-topics', 'intro'], plan: 'pro'}
    expect(estimate?.subject).toBe('user_1')
    expect(estimate?.size.publicBytes).toBe(JSON.stringify(expected).length)
    const [, params, options] = fetch.mock.calls[0] as unknown as [
      string,
      Record<string, unknown>,
      unknown,
    ]
    expect(params).toMatchObject({publishedId: 'ent-1', subject: 'user_1'})
    expect(params.referencedIds).toEqual(['plan-pro', 'c-2', 'c-unpublished'])
    expect(options).toEqual({perspective: 'published'})
  })

  it('counts the namespace wrapper', async () => {
    const namespaced = resolveAccessRules({namespace: 'access'})
    const {client} = clientReturning({
      others: [],
      referenced: [{_id: 'p', _type: 'clerkPlan', key: 'pro'}],
    })
    const estimate = await estimateSubjectSize(
      {clerkUserId: 'user_1', plan: {_ref: 'p'}},
      client,
      namespaced,
    )
    expect(estimate?.size.publicBytes).toBe(JSON.stringify({access: {plan: 'pro'}}).length)
  })

  it('skips the query without a valid subject', async () => {
    const {client, fetch} = clientReturning({others: [], referenced: []})
    expect(await estimateSubjectSize({clerkUserId: 'nope'}, client, rules)).toBeNull()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('describes budget and limit overruns with the subject and size', () => {
    const size = {
      bytes: 1500,
      publicBytes: 1500,
      sessionBudget: 1200,
      limit: 8192,
      overBudget: true,
      overLimit: false,
    }
    expect(describeBudget({subject: 'user_1', size})).toMatch(
      /user_1 would carry 1\.5 KB in session claims, above the 1\.2 KB budget/,
    )
    expect(
      describeBudget({subject: 'user_1', size: {...size, bytes: 9000, overLimit: true}}),
    ).toMatch(/above Clerk's 8\.0 KB limit/)
    expect(describeBudget({subject: 'user_1', size: {...size, overBudget: false}})).toBe(true)
  })
})

describe('budgetWarning', () => {
  const rules = resolveAccessRules({})

  it('never throws when the lake cannot be read: a thrown validator would be an error marker that blocks publishing', async () => {
    const client = {
      fetch: vi.fn<() => Promise<unknown>>(async () => {
        throw new Error('socket hang up')
      }),
    } as unknown as SanityClient
    const result = await budgetWarning({_id: 'drafts.e1', clerkUserId: 'user_1'}, client, rules)
    expect(result).toMatch(/could not be estimated \(socket hang up\)/)
  })

  it('is satisfied without a document or within the budget', async () => {
    const client = {
      fetch: vi.fn<() => Promise<unknown>>(async () => ({others: [], referenced: []})),
    } as unknown as SanityClient
    expect(await budgetWarning(undefined, client, rules)).toBe(true)
    expect(await budgetWarning({_id: 'drafts.e1', clerkUserId: 'user_1'}, client, rules)).toBe(true)
  })
})
