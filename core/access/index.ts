/**
 * The access rules: pure functions shared by the Studio plugin and the proxy. No I/O, no React,
 * no SDKs: they run in the browser, on edge runtimes and in Node.
 */
export {
  ACCESS_RULES_VERSION,
  DEFAULT_LIMIT_BYTES,
  DEFAULT_SESSION_BUDGET_BYTES,
  accessHash,
  computeAccess,
  isActiveAt,
  ownedKeys,
  resolveAccessRules,
  type AccessComputation,
  type AccessRulesOptions,
} from './rules'
export {
  SYNC_STAMP_KEY,
  applyMergePatch,
  applyMetadataPatch,
  changesOf,
  diffAccess,
  isEmptyPatch,
  ownedPublicMetadata,
  readSyncStamp,
  writtenKeysOf,
  type AccessDiff,
} from './diff'
export {
  describeAccessChange,
  isNoChange,
  type AccessChange,
  type AccessItem,
  type AccessSwitch,
} from './change'
export {MetadataTooLargeError, checkWritableSize, measureMetadataSize} from './size'
export {canonicalJson, contentHash, isPlainObject, jsonEqual} from './hash'
export {entitlementProjection, grantSlugProjection} from './projection'
export {
  isClerkOrganizationId,
  isClerkUserId,
  isPublishedId,
  normalizeEmail,
  subjectKind,
} from './ids'
export type * from './types'
