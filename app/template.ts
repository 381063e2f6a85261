import {measureMetadataSize, ownedKeys, type SizeReport} from '../core/access'
import {resolveMemberAccessOptions, type MemberAccessOptions} from './options'

/** The session-token template to paste into Clerk, and its size. */
export interface SessionTokenTemplate {
  /** The custom claims, as Clerk's dashboard takes them (Sessions → Customize session token). */
  claims: Record<string, unknown>
  /** `claims` as pretty JSON, ready to paste. */
  json: string
  /**
   * The template measured with the proxy's size rule (`core/access/size`, UTF-8 bytes of the
   * JSON) against the session-claim budget. What a token carries depends on the member's
   * access: measure real claims with {@link measureSessionClaims}.
   */
  size: SizeReport
}

function shortcode(path: string): string {
  return `{{${path}}}`
}

/**
 * The session-token template that puts the access the proxy writes into every session token:
 * the user's owned keys and the active organization's, under one claim (default `access`):
 * `{access: {user: …, org: …}}`. With a `namespace` each side is one shortcode
 * (`{{user.public_metadata.<namespace>}}`); without, one shortcode per owned key, so keys other
 * systems keep in `publicMetadata` never ride along.
 *
 * @example
 * ```ts
 * const {json, size} = sessionTokenTemplate({namespace: 'access'})
 * console.log(json) // paste into Clerk → Sessions → Customize session token
 * if (size.overBudget) console.warn(`template alone is ${size.publicBytes} bytes`)
 * ```
 */
export function sessionTokenTemplate(options: MemberAccessOptions = {}): SessionTokenTemplate {
  const {rules, claim} = resolveMemberAccessOptions(options)
  const side = (root: 'user' | 'org') =>
    rules.namespace !== null
      ? shortcode(`${root}.public_metadata.${rules.namespace}`)
      : Object.fromEntries(
          ownedKeys(rules).map((key) => [key, shortcode(`${root}.public_metadata.${key}`)]),
        )
  const claims = {[claim]: {user: side('user'), org: side('org')}}
  return {
    claims,
    json: JSON.stringify(claims, null, 2),
    size: measureSessionClaims(claims, options),
  }
}

/**
 * Measures session claims (a decoded token, or only its custom claims) with the rule the proxy
 * and the Studio use for Clerk's session-claim budget (about 1.2 KB): UTF-8 bytes of the JSON.
 */
export function measureSessionClaims(
  claims: Record<string, unknown>,
  options: MemberAccessOptions = {},
): SizeReport {
  return measureMetadataSize({publicMetadata: claims}, resolveMemberAccessOptions(options).rules)
}
