import type {ClerkAccessConfig, ResolvedClerkAccessConfig} from './config'

/** The plugin's name as Sanity and error messages show it. */
export const PLUGIN_NAME = 'sanity-plugin-clerk'

const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
const METADATA_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

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

function resolveProxyUrl(proxyUrl: unknown): string {
  if (typeof proxyUrl !== 'string' || !proxyUrl) fail('proxyUrl', 'is required')
  let url: URL
  try {
    url = new URL(proxyUrl)
  } catch {
    fail('proxyUrl', `must be an absolute URL, got ${JSON.stringify(proxyUrl)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('proxyUrl', 'must be http(s)')
  return proxyUrl.replace(/\/+$/, '')
}

function resolveGrantableTypes(value: ClerkAccessConfig['grantableTypes']) {
  if (value !== undefined && (!Array.isArray(value) || value.length === 0)) {
    fail('grantableTypes', 'must be a non-empty array like [{type: "course"}]')
  }
  const resolved = (value ?? [{type: 'course'}]).map((grantable, index) => {
    const option = `grantableTypes[${index}]`
    if (!grantable || typeof grantable.type !== 'string' || !TYPE_NAME.test(grantable.type)) {
      fail(`${option}.type`, 'must be a document type name')
    }
    const metadataKey = grantable.metadataKey ?? `${grantable.type}Slugs`
    if (!METADATA_KEY.test(metadataKey)) fail(`${option}.metadataKey`, 'must be a plain identifier')
    const slugField = grantable.slugField ?? 'slug'
    if (typeof slugField !== 'string' || !slugField)
      fail(`${option}.slugField`, 'must be a field name')
    return {type: grantable.type, slugField, metadataKey}
  })
  const seen = new Set<string>()
  for (const {type, metadataKey} of resolved) {
    if (seen.has(type)) fail('grantableTypes', `lists "${type}" twice`)
    if (metadataKey === 'plan' || metadataKey === 'role') {
      fail('grantableTypes', `metadataKey "${metadataKey}" is reserved for plans and roles`)
    }
    seen.add(type)
  }
  return resolved
}

/** Applies defaults and throws, naming the plugin and the option, on anything invalid. */
export function resolveConfig(config: ClerkAccessConfig | undefined): ResolvedClerkAccessConfig {
  if (!config || typeof config !== 'object') fail('config', 'is required: clerkAccess({proxyUrl})')
  const namespace = config.namespace ?? null
  if (namespace !== null && (typeof namespace !== 'string' || !METADATA_KEY.test(namespace))) {
    fail('namespace', `must be a plain identifier, got ${JSON.stringify(namespace)}`)
  }
  return {
    proxyUrl: resolveProxyUrl(config.proxyUrl),
    grantableTypes: resolveGrantableTypes(config.grantableTypes),
    includeCourseType: optionalBoolean('includeCourseType', config.includeCourseType, false),
    namespace,
    panelTypes: stringList('panelTypes', config.panelTypes, []),
    toolRoles: stringList('toolRoles', config.toolRoles, ['administrator']),
    syncRoles: stringList('syncRoles', config.syncRoles, ['administrator', 'editor', 'developer']),
    tool: optionalBoolean('tool', config.tool, true),
  }
}
