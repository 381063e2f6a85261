import {lazy} from 'react'
import {
  defineDocumentInspector,
  definePlugin,
  type DocumentActionComponent,
  type Plugin,
  type Tool,
} from 'sanity'

import {useClerkSyncAction, useClerkSyncBadge, withClerkSync} from './actions/clerkActions'
import {createClerkAccessLayout} from './components/ClerkAccessLayout'
import type {ClerkAccessConfig} from './config'
import {clerkLocaleBundles, useClerkTranslation} from './i18n'
import {LockIcon} from './icons'
import {PLUGIN_NAME, resolveConfig} from './resolveConfig'
import {clerkSchemaTypes, CLERK_TYPES} from './schema'

const SYNCING_ACTIONS = new Set(['publish', 'unpublish', 'delete'])

/** Name of the Clerk inspector in the document pane (`?inspect=clerk-access`). */
export const CLERK_INSPECTOR_NAME = 'clerk-access'

const clerkInspector = defineDocumentInspector({
  name: CLERK_INSPECTOR_NAME,
  component: lazy(() => import('./components/ClerkInspector')),
  useMenuItem: function useClerkInspectorMenuItem() {
    const {t} = useClerkTranslation()
    return {title: t('plugin.title'), icon: LockIcon, showAsAction: true}
  },
})

/**
 * The Studio plugin: entitlement schemas, Clerk pickers, publish-and-sync, the Clerk panel and
 * the Access tool. Everything it adds is gated on its own types; for any other type the
 * resolvers return what they were given.
 *
 * @example
 * ```ts
 * plugins: [clerkAccess({proxyUrl: 'https://example.com/api/clerk'})]
 * ```
 */
export const clerkAccess: Plugin<ClerkAccessConfig> = definePlugin<ClerkAccessConfig>((options) => {
  const config = resolveConfig(options)
  const syncedTypes = new Set<string>([
    CLERK_TYPES.entitlement,
    CLERK_TYPES.plan,
    CLERK_TYPES.role,
    ...config.grantableTypes.map((g) => g.type),
  ])
  const panelTypes = new Set<string>([CLERK_TYPES.entitlement, ...config.panelTypes])
  const accessTool: Tool = {
    name: 'clerk-access',
    title: 'Clerk access',
    icon: LockIcon,
    component: lazy(() => import('./components/AccessTool')),
  }

  return {
    name: PLUGIN_NAME,
    schema: {types: clerkSchemaTypes(config)},
    i18n: {bundles: clerkLocaleBundles},
    document: {
      actions: (prev, context) => {
        if (!syncedTypes.has(context.schemaType)) return prev
        const wrapped = prev.map((action: DocumentActionComponent) =>
          action.action && SYNCING_ACTIONS.has(action.action) ? withClerkSync(action) : action,
        )
        return [...wrapped, useClerkSyncAction]
      },
      badges: (prev, context) =>
        syncedTypes.has(context.schemaType) ? [...prev, useClerkSyncBadge] : prev,
      inspectors: (prev, context) =>
        panelTypes.has(context.documentType) ? [...prev, clerkInspector] : prev,
    },
    tools: (prev, context) => {
      const roles = context.currentUser?.roles ?? []
      const allowed = roles.some((role) => config.toolRoles.includes(role.name))
      return config.tool && allowed ? [...prev, accessTool] : prev
    },
    studio: {components: {layout: createClerkAccessLayout(config)}},
  }
})
