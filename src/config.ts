import type {AccessRules, SubjectId} from '../core/access/types'

/** A document type whose published documents can be granted by an entitlement (e.g. courses). */
export interface GrantableType {
  /** Sanity document type name, e.g. `course`. */
  type: string
  /** Field holding the slug written to Clerk (a `slug` field or a string), default `slug`. */
  slugField?: string
  /** Metadata key the granted slugs are written to, default `<type>Slugs`. */
  metadataKey?: string
}

/** Options of {@link clerkAccess}. */
export interface ClerkAccessConfig {
  /** Absolute URL of the deployed proxy, e.g. `https://example.com/api/clerk`. */
  proxyUrl: string
  /** Document types entitlements can grant. Default: `[{type: 'course'}]`. */
  grantableTypes?: GrantableType[]
  /** Add the plugin's own `course` type (for Studios without one). Default `false`. */
  includeCourseType?: boolean
  /**
   * Same value as the proxy's `namespace` option: the owned keys then live under
   * `publicMetadata[namespace]`. Only used here to estimate the session-claim size.
   */
  namespace?: string
  /** Document types that get the Clerk panel, besides entitlements. */
  panelTypes?: string[]
  /**
   * Studio roles that see the Access tool. Default `['administrator']`. This hides UI only: the
   * proxy authorizes every request on its own.
   */
  toolRoles?: string[]
  /**
   * Studio roles that see the "Sync to Clerk now" action and get the sync after publishing.
   * Default `['administrator', 'editor', 'developer']` (UI only, like `toolRoles`).
   */
  syncRoles?: string[]
  /** Set `false` to leave the Access tool out. */
  tool?: boolean
  /**
   * Your member site, e.g. `https://app.example.com/`. When set, the Clerk panel and the Access
   * tool's preview link to it as "Open the member site as this user", adding `?as=<user id>`.
   * Your site decides what that does: sign-in is Clerk's business, so for real users use Clerk's
   * impersonation (actor tokens, see the README) behind your own admin check.
   */
  memberSiteUrl?: string
}

/** {@link ClerkAccessConfig} with every default applied. */
export type ResolvedClerkAccessConfig = Required<
  Omit<ClerkAccessConfig, 'grantableTypes' | 'namespace' | 'memberSiteUrl'>
> & {
  grantableTypes: Required<GrantableType>[]
  namespace: string | null
  /** Absolute URL of the member site, or null when not configured. */
  memberSiteUrl: string | null
  /** The access rules the proxy applies with the same options (for size estimates). */
  rules: AccessRules
}

export type {SubjectId}
