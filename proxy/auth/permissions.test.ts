import {describe, expect, it} from 'vitest'

import {DEFAULT_ROLE_PERMISSIONS, permissionsForRoles, resolveRolePermissions} from './permissions'

describe('permissionsForRoles', () => {
  it.each([
    [['administrator'], ['read', 'sync', 'reconcile', 'readPrivate']],
    [['editor'], ['read', 'sync']],
    [['developer'], ['read', 'sync']],
    [['viewer'], ['read']],
    [['custom-role'], ['read']],
    [[], []],
    [
      ['viewer', 'editor'],
      ['read', 'sync'],
    ],
  ])('%j → %j by default', (roles, expected) => {
    expect(permissionsForRoles(roles, DEFAULT_ROLE_PERMISSIONS)).toEqual(expected)
  })

  it('lets a configured role replace its defaults and the fallback', () => {
    const map = resolveRolePermissions({editor: ['read'], contributor: ['read', 'sync'], '*': []})
    expect(permissionsForRoles(['editor'], map)).toEqual(['read'])
    expect(permissionsForRoles(['contributor'], map)).toEqual(['read', 'sync'])
    expect(permissionsForRoles(['viewer'], map)).toEqual([])
    expect(permissionsForRoles(['administrator'], map)).toContain('reconcile')
  })

  it('never treats a user with a role literally named * as the fallback', () => {
    expect(permissionsForRoles(['*'], resolveRolePermissions({'*': ['read', 'sync']}))).toEqual([
      'read',
      'sync',
    ])
  })
})
