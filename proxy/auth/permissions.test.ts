import {describe, expect, it} from 'vitest'

import {
  DEFAULT_ROLE_PERMISSIONS,
  PERMISSIONS,
  permissionsForRoles,
  refusalReason,
  resolveRolePermissions,
} from './permissions'

describe('permissionsForRoles', () => {
  it.each([
    [['administrator'], ['read', 'search', 'sync', 'invite', 'reconcile', 'readPrivate']],
    [['editor'], ['read', 'search', 'sync', 'invite']],
    [['developer'], ['read', 'search', 'sync', 'invite']],
    [['contributor'], ['read']],
    [['viewer'], ['read']],
    [['custom-role'], []],
    [[], []],
    [
      ['viewer', 'editor'],
      ['read', 'search', 'sync', 'invite'],
    ],
  ])('%j → %j by default', (roles, expected) => {
    expect(permissionsForRoles(roles, DEFAULT_ROLE_PERMISSIONS)).toEqual(expected)
  })

  it('lets a configured role replace its defaults and the fallback', () => {
    const map = resolveRolePermissions({
      editor: ['read'],
      contributor: ['read', 'sync'],
      '*': ['read'],
    })
    expect(permissionsForRoles(['editor'], map)).toEqual(['read'])
    expect(permissionsForRoles(['contributor'], map)).toEqual(['read', 'sync'])
    expect(permissionsForRoles(['translator'], map)).toEqual(['read'])
    expect(permissionsForRoles(['administrator'], map)).toContain('reconcile')
  })

  it('never treats a user with a role literally named * as the fallback', () => {
    expect(permissionsForRoles(['*'], resolveRolePermissions({'*': ['read', 'sync']}))).toEqual([
      'read',
      'sync',
    ])
  })
})

describe('defaults', () => {
  it('searching Clerk goes with editing entitlements, not with reading', () => {
    expect(PERMISSIONS.search.defaultRoles).toEqual(PERMISSIONS.sync.defaultRoles)
    for (const role of ['viewer', 'contributor', 'custom-role']) {
      expect(permissionsForRoles([role], DEFAULT_ROLE_PERMISSIONS)).not.toContain('search')
    }
  })

  it('explains a refusal, naming the permission and the option', () => {
    expect(refusalReason(['viewer'], 'search')).toBe(
      'Your Sanity role (viewer) may not search Clerk users and organizations: that needs the "search" permission (the proxy\'s "rolePermissions" option).',
    )
    expect(refusalReason([], 'read')).toMatch(/^Your Sanity login has no role in this project/)
  })
})
