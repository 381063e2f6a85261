import type {Permission} from '../../core/contract'

/** Sanity role name → what holders of that role may do through the proxy. `*` covers other roles. */
export type RolePermissions = Record<string, readonly Permission[]>

/** One permission: what it lets an editor do, and which Sanity roles hold it by default. */
export interface PermissionDefinition {
  /** What a holder may do, as a refusal names it ("may not …"). */
  action: string
  /** Sanity's standard roles that hold it unless `rolePermissions` says otherwise. */
  defaultRoles: readonly string[]
}

const MAY_EDIT_ENTITLEMENTS = ['administrator', 'editor', 'developer'] as const

/**
 * Every permission, least privilege first. Searching Clerk goes with editing entitlements (the
 * roles that can publish them), not with reading: a viewer may look up the subject of an
 * entitlement it can already see, but not page through the Clerk directory. Add a row here to
 * add a permission; the defaults, the validation of `rolePermissions` and the 403 reasons follow.
 */
export const PERMISSIONS: Readonly<Record<Permission, PermissionDefinition>> = {
  read: {
    action: 'look up a Clerk user or organization by id',
    defaultRoles: [...MAY_EDIT_ENTITLEMENTS, 'contributor', 'viewer'],
  },
  search: {
    action: 'search Clerk users and organizations',
    defaultRoles: MAY_EDIT_ENTITLEMENTS,
  },
  sync: {action: 'sync subjects to Clerk', defaultRoles: MAY_EDIT_ENTITLEMENTS},
  invite: {
    action: 'invite people to sign up to Clerk',
    defaultRoles: MAY_EDIT_ENTITLEMENTS,
  },
  reconcile: {
    action: 'reconcile every Clerk user and organization',
    defaultRoles: ['administrator'],
  },
  readPrivate: {
    action: "read the plugin's sync stamp in private metadata",
    defaultRoles: ['administrator'],
  },
}

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[]

/**
 * The defaults, from {@link PERMISSIONS}: administrators may do everything; editors and
 * developers may read, search and sync (a sync only recomputes from published content, so it
 * cannot grant anything); contributors and viewers may only look subjects up by id; any other
 * role (`*`) may do nothing until `rolePermissions` lists it.
 */
export const DEFAULT_ROLE_PERMISSIONS: RolePermissions = (() => {
  const byRole: Record<string, Permission[]> = {}
  for (const permission of ALL_PERMISSIONS) {
    for (const role of PERMISSIONS[permission].defaultRoles) {
      ;(byRole[role] ??= []).push(permission)
    }
  }
  return {...byRole, '*': []}
})()

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

/** Why an editor with `roles` is refused `needed`: the 403's reason, naming the option to change. */
export function refusalReason(roles: readonly string[], needed: Permission): string {
  const who =
    roles.length === 0
      ? 'Your Sanity login has no role in this project, so it'
      : `Your Sanity role (${roles.join(', ')})`
  return `${who} may not ${PERMISSIONS[needed].action}: that needs the "${needed}" permission (the proxy's "rolePermissions" option).`
}
