/**
 * `sanity-plugin-clerk/app`: for the app that serves your members. Reads the access the proxy
 * writes to Clerk from verified session claims, answers `can(access, {course: 'intro'})`, and
 * builds the GROQ filter that fetches only entitled documents. Framework-agnostic and edge-safe:
 * no Node built-ins, no dependencies; verify tokens with `@clerk/backend` (or your framework's
 * Clerk SDK) and hand the claims over.
 */
export {
  MissingAccessClaimError,
  can,
  readMemberAccess,
  type AccessRequirement,
  type MemberAccess,
  type SessionClaims,
} from './access'
export {
  RANKS_QUERY,
  entitledFilter,
  toRanks,
  type EntitledFilter,
  type EntitledFilterOptions,
} from './groq'
export {
  resolveMemberAccessOptions,
  type AccessRanks,
  type MemberAccessOptions,
  type ResolvedMemberAccessOptions,
} from './options'
export {measureSessionClaims, sessionTokenTemplate, type SessionTokenTemplate} from './template'
export type {SizeReport} from '../core/access'
