import type {Permission} from '../../core/contract'

/** Sanity role name → what holders of that role may do through the proxy. `*` covers other roles. */
export type RolePermissions = Record<string, readonly Permission[]>

/**
 * Administrators may do everything; editors and developers may read and sync (the sync only
 * recomputes from published content, so it cannot grant anything); everyone else may read.
 */
export const DEFAULT_ROLE_PERMISSIONS: RolePermissions = {
  administrator: ['read', 'sync', 'reconcile', 'readPrivate'],
  editor: ['read', 'sync'],
  developer: ['read', 'sync'],
  '*': ['read'],
}

export const ALL_PERMISSIONS: readonly Permission[] = ['read', 'sync', 'reconcile', 'readPrivate']

/** The defaults with `overrides` replacing whole role entries. */
export function resolveRolePermissions(overrides: RolePermissions | undefined): RolePermissions {
  return {...DEFAULT_ROLE_PERMISSIONS, ...overrides}
}

/**
 * The union of the permissions of `roles`; the `*` entry applies only to a user none of whose
 * roles is listed, so configuring a role can restrict it below the fallback. A user without any
 * role in the project (a valid Sanity login from elsewhere) gets nothing.
 */
export function permissionsForRoles(
  roles: readonly string[],
  rolePermissions: RolePermissions,
): Permission[] {
  if (roles.length === 0) return []
  const known = roles.filter((role) => role !== '*' && Object.hasOwn(rolePermissions, role))
  const granted = new Set<Permission>(
    known.length > 0
      ? known.flatMap((role) => rolePermissions[role] ?? [])
      : (rolePermissions['*'] ?? []),
  )
  return ALL_PERMISSIONS.filter((permission) => granted.has(permission))
}
