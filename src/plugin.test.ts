import type {
  ConfigContext,
  DocumentActionComponent,
  DocumentActionsContext,
  DocumentBadgeComponent,
  DocumentInspector,
  DocumentInspectorContext,
  SchemaTypeDefinition,
  Tool,
} from 'sanity'
import {describe, expect, it} from 'vitest'

import {clerkAccess} from './plugin'

function action(name: string, key?: string): DocumentActionComponent {
  const hook: DocumentActionComponent = () => ({label: name})
  if (key) hook.action = key as DocumentActionComponent['action']
  hook.displayName = name
  return hook
}

const publish = action('Publish', 'publish')
const unpublish = action('Unpublish', 'unpublish')
const remove = action('Delete', 'delete')
const duplicate = action('Duplicate', 'duplicate')
const prevActions = [publish, unpublish, remove, duplicate]

function pluginParts(config: Parameters<typeof clerkAccess>[0] = {proxyUrl: 'https://proxy.test'}) {
  const options = clerkAccess(config)
  const {actions, badges, inspectors} = options.document ?? {}
  if (
    typeof actions !== 'function' ||
    typeof badges !== 'function' ||
    typeof inspectors !== 'function'
  ) {
    throw new Error('expected resolver functions')
  }
  if (typeof options.tools !== 'function') throw new Error('expected a tools resolver')
  const types = (options.schema?.types ?? []) as SchemaTypeDefinition[]
  return {options, actions, badges, inspectors, tools: options.tools, types}
}

const actionContext = (schemaType: string) => ({schemaType}) as DocumentActionsContext
const inspectorContext = (documentType: string) => ({documentType}) as DocumentInspectorContext
const userContext = (...roles: string[]) =>
  ({
    currentUser: {
      id: 'u',
      name: 'U',
      email: 'u@x',
      roles: roles.map((name) => ({name, title: name})),
    },
  }) as ConfigContext

describe('clerkAccess plugin object', () => {
  it('names itself and adds only its own schema types', () => {
    const {options, types} = pluginParts()
    expect(options.name).toBe('sanity-plugin-clerk')
    expect(types.map((t) => t.name)).toEqual([
      'clerkUserId',
      'clerkOrganizationId',
      'clerkEntitlement',
      'clerkPlan',
      'clerkRole',
    ])
    expect(
      pluginParts({proxyUrl: 'https://p.test', includeCourseType: true}).types.map((t) => t.name),
    ).toContain('course')
  })

  it('returns prev itself for unrelated types (actions, badges, inspectors)', () => {
    const {actions, badges, inspectors} = pluginParts()
    const prevBadges: DocumentBadgeComponent[] = []
    const prevInspectors: DocumentInspector[] = []
    expect(actions(prevActions, actionContext('post'))).toBe(prevActions)
    expect(badges(prevBadges, {schemaType: 'post'} as never)).toBe(prevBadges)
    expect(inspectors(prevInspectors, inspectorContext('post'))).toBe(prevInspectors)
  })

  it('wraps publish, unpublish and delete for entitlements, keeps the rest, and adds Sync now', () => {
    const {actions} = pluginParts()
    const result = actions(prevActions, actionContext('clerkEntitlement'))
    expect(result.map((a) => a.action)).toEqual([
      'publish',
      'unpublish',
      'delete',
      'duplicate',
      'clerkSync',
    ])
    expect(result[0]).not.toBe(publish)
    expect(result[3]).toBe(duplicate)
    expect(result[0]!.displayName).toBe('withClerkSync(Publish)')
  })

  it('memoizes wrappers so the Studio does not remount them on every resolve', () => {
    const {actions} = pluginParts()
    const first = actions(prevActions, actionContext('clerkEntitlement'))
    const second = actions(prevActions, actionContext('clerkPlan'))
    expect(second[0]).toBe(first[0])
    expect(second[2]).toBe(first[2])
  })

  it('also syncs grantable types, plans and roles, but shows the panel only where configured', () => {
    const {actions, inspectors} = pluginParts({
      proxyUrl: 'https://p.test',
      grantableTypes: [{type: 'lesson'}],
      panelTypes: ['member'],
    })
    for (const type of ['lesson', 'clerkPlan', 'clerkRole']) {
      expect(actions(prevActions, actionContext(type)).at(-1)!.action).toBe('clerkSync')
    }
    expect(actions(prevActions, actionContext('course'))).toBe(prevActions)
    expect(inspectors([], inspectorContext('clerkEntitlement')).map((i) => i.name)).toEqual([
      'clerk-access',
    ])
    expect(inspectors([], inspectorContext('member')).map((i) => i.name)).toEqual(['clerk-access'])
    expect(inspectors([], inspectorContext('lesson'))).toEqual([])
  })

  it('adds the Access tool for tool roles only, and never with tool: false', () => {
    const {tools} = pluginParts()
    const prevTools: Tool[] = []
    expect(tools(prevTools, userContext('administrator')).map((t) => t.name)).toEqual([
      'clerk-access',
    ])
    expect(tools(prevTools, userContext('editor'))).toBe(prevTools)
    const custom = pluginParts({proxyUrl: 'https://p.test', toolRoles: ['editor']}).tools
    expect(custom(prevTools, userContext('editor'))).toHaveLength(1)
    const off = pluginParts({proxyUrl: 'https://p.test', tool: false}).tools
    expect(off(prevTools, userContext('administrator'))).toBe(prevTools)
  })

  it('wraps the Studio layout to provide the proxy client', () => {
    expect(typeof pluginParts().options.studio?.components?.layout).toBe('function')
  })
})

describe('clerkAccess proxyUrl', () => {
  it.each([
    'https://proxy.example.com/api/clerk',
    'http://localhost:8787',
    'http://clerkdemo.localhost:3336/',
    'http://127.0.0.1:3336',
    'http://127.8.9.10',
    'http://[::1]:8787',
  ])('accepts %s', (proxyUrl) => {
    expect(() => clerkAccess({proxyUrl})).not.toThrow()
  })
})

describe('clerkAccess config validation', () => {
  it.each([
    [undefined, /sanity-plugin-clerk: "config" is required/],
    [{}, /sanity-plugin-clerk: "proxyUrl" is required/],
    [{proxyUrl: '/api/clerk'}, /"proxyUrl" must be an absolute URL/],
    [{proxyUrl: 'ftp://x.test'}, /"proxyUrl" must be http\(s\)/],
    [{proxyUrl: 'http://proxy.example.com/api/clerk'}, /"proxyUrl" must use https:.*localhost/],
    [{proxyUrl: 'http://10.0.0.5:8787'}, /"proxyUrl" must use https:/],
    [{proxyUrl: 'http://localhost.example.com'}, /"proxyUrl" must use https:/],
    [{proxyUrl: 'http://127.0.0.1.nip.io'}, /"proxyUrl" must use https:/],
    [{proxyUrl: 'https://user:pw@x.test'}, /"proxyUrl" must not contain a user name/],
    [{proxyUrl: 'https://x.test', toolRoles: 'administrator'}, /"toolRoles" must be an array/],
    [{proxyUrl: 'https://x.test', tool: 'no'}, /"tool" must be true or false/],
    [
      {proxyUrl: 'https://x.test', grantableTypes: [{type: 'a b'}]},
      /sanity-plugin-clerk.*grantableTypes\[0\]\.type/,
    ],
    [
      {proxyUrl: 'https://x.test', grantableTypes: [{type: 'x', metadataKey: 'plan'}]},
      /sanity-plugin-clerk.*metadataKey/,
    ],
    [{proxyUrl: 'https://x.test', namespace: 'a.b'}, /sanity-plugin-clerk.*namespace/],
    [
      {proxyUrl: 'https://x.test', memberSiteUrl: '/members'},
      /"memberSiteUrl" must be an absolute/,
    ],
    [{proxyUrl: 'https://x.test', memberSiteUrl: 'javascript:alert(1)'}, /"memberSiteUrl" must be/],
    [{proxyUrl: 'https://x.test', memberSiteUrl: 42}, /"memberSiteUrl" must be a URL/],
  ])('fails fast on %j', (config, message) => {
    expect(() => clerkAccess(config as never)).toThrow(message)
  })
})
