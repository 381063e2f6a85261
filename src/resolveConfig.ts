import type {ClerkAccessConfig, ResolvedClerkAccessConfig} from './config'

const PLUGIN = 'sanity-plugin-clerk'

function fail(option: string, problem: string): never {
  throw new Error(`${PLUGIN}: "${option}" ${problem}`)
}

/** Applies defaults and throws, naming the plugin and the option, on anything invalid. */
export function resolveConfig(config: ClerkAccessConfig | undefined): ResolvedClerkAccessConfig {
  if (!config || typeof config !== 'object') fail('config', 'is required: clerkAccess({proxyUrl})')
  if (typeof config.proxyUrl !== 'string' || !config.proxyUrl) fail('proxyUrl', 'is required')
  let url: URL
  try {
    url = new URL(config.proxyUrl)
  } catch {
    fail('proxyUrl', `must be an absolute URL, got ${JSON.stringify(config.proxyUrl)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('proxyUrl', 'must be http(s)')
  const grantableTypes = (config.grantableTypes ?? [{type: 'course'}]).map((g, i) => {
    if (!g || typeof g.type !== 'string' || !g.type) fail(`grantableTypes[${i}].type`, 'is required')
    return {type: g.type, slugField: g.slugField ?? 'slug', metadataKey: g.metadataKey ?? `${g.type}Slugs`}
  })
  return {
    proxyUrl: config.proxyUrl.replace(/\/+$/, ''),
    grantableTypes,
    includeCourseType: config.includeCourseType ?? false,
    panelTypes: config.panelTypes ?? [],
    toolRoles: config.toolRoles ?? ['administrator'],
    tool: config.tool ?? true,
  }
}
