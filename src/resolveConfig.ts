import {resolveAccessRules} from '../core/access'
import type {ClerkAccessConfig, ResolvedClerkAccessConfig} from './config'

/** The plugin's name as Sanity and error messages show it. */
export const PLUGIN_NAME = 'sanity-plugin-clerk'

function fail(option: string, problem: string): never {
  throw new Error(`${PLUGIN_NAME}: "${option}" ${problem}`)
}

function stringList(option: string, value: unknown, fallback: string[]): string[] {
  if (value === undefined) return fallback
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || !item)) {
    fail(option, `must be an array of non-empty strings, got ${JSON.stringify(value)}`)
  }
  return value
}

function optionalBoolean(option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback
  if (typeof value !== 'boolean')
    fail(option, `must be true or false, got ${JSON.stringify(value)}`)
  return value
}

/**
 * Hosts that never leave this machine: `localhost` and `*.localhost` (RFC 6761), 127.0.0.0/8
 * and `[::1]`. Only these may use `http:`.
 */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '')
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  )
}

function resolveProxyUrl(proxyUrl: unknown): string {
  if (typeof proxyUrl !== 'string' || !proxyUrl) fail('proxyUrl', 'is required')
  let url: URL
  try {
    url = new URL(proxyUrl)
  } catch {
    fail('proxyUrl', `must be an absolute URL, got ${JSON.stringify(proxyUrl)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('proxyUrl', 'must be http(s)')
  // Every request carries the editor's Sanity token: never in clear text across a network.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    fail(
      'proxyUrl',
      `must use https: (the editor's Sanity token travels with every request); http: is only accepted for localhost and 127.0.0.1, got ${JSON.stringify(url.origin)}`,
    )
  }
  if (url.username || url.password) fail('proxyUrl', 'must not contain a user name or password')
  return proxyUrl.replace(/\/+$/, '')
}

function resolveMemberSiteUrl(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null
  if (typeof value !== 'string')
    fail('memberSiteUrl', `must be a URL, got ${JSON.stringify(value)}`)
  const url = URL.parse(value)
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    fail('memberSiteUrl', `must be an absolute http(s) URL, got ${JSON.stringify(value)}`)
  }
  if (url.username || url.password) {
    fail('memberSiteUrl', 'must not contain a user name or password')
  }
  return url.href
}

/** Applies defaults and throws, naming the plugin and the option, on anything invalid. */
export function resolveConfig(config: ClerkAccessConfig | undefined): ResolvedClerkAccessConfig {
  if (!config || typeof config !== 'object') fail('config', 'is required: clerkAccess({proxyUrl})')
  const proxyUrl = resolveProxyUrl(config.proxyUrl)
  if (config.grantableTypes !== undefined && !Array.isArray(config.grantableTypes)) {
    fail('grantableTypes', 'must be an array like [{type: "course"}]')
  }
  // The proxy validates the same options with the same function, so both sides agree.
  const rules = resolveAccessRules({
    grantableTypes: config.grantableTypes,
    namespace: config.namespace,
  })
  return {
    proxyUrl,
    grantableTypes: rules.grantableTypes,
    namespace: rules.namespace,
    rules,
    includeCourseType: optionalBoolean('includeCourseType', config.includeCourseType, false),
    panelTypes: stringList('panelTypes', config.panelTypes, []),
    toolRoles: stringList('toolRoles', config.toolRoles, ['administrator']),
    syncRoles: stringList('syncRoles', config.syncRoles, ['administrator', 'editor', 'developer']),
    tool: optionalBoolean('tool', config.tool, true),
    memberSiteUrl: resolveMemberSiteUrl(config.memberSiteUrl),
  }
}
