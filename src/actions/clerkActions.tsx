import {useCallback} from 'react'
import {
  getPublishedId,
  useCurrentUser,
  type DocumentActionComponent,
  type DocumentActionProps,
  type DocumentBadgeComponent,
  type SanityDocument,
} from 'sanity'

import {useClerkAccess} from '../client/context'
import type {SyncRequest} from '../../core/contract'
import {SyncIcon} from '../icons'
import {useClerkTranslation} from '../i18n'
import {useStudioClient} from '../studioClient'
import {ENTITLEMENT_FIELDS} from '../schema/names'
import {useRunClerkSync} from './syncRunner'
import {syncStatusStore, useDocumentSyncState} from './syncStatusStore'
import {waitForPublished, type PublishedCondition} from './waitForPublished'

/** The built-in actions whose outcome changes what Clerk should hold. */
export type SyncingLifecycle = 'publish' | 'unpublish' | 'delete'

/** The Clerk subject a (published) entitlement names, if any. */
export function subjectOf(document: SanityDocument | null): string | null {
  const value =
    document?.[ENTITLEMENT_FIELDS.userId] ?? document?.[ENTITLEMENT_FIELDS.organizationId]
  return typeof value === 'string' && value ? value : null
}

function revisionOf(document: SanityDocument | null): string | null {
  if (!document) return null
  const {_rev: rev} = document
  return rev ?? null
}

/** Whether the current Studio user has one of `roles` (UI gating only; the proxy decides). */
export function useHasStudioRole(roles: readonly string[]): boolean {
  const user = useCurrentUser()
  return !!user?.roles.some((role) => roles.includes(role.name))
}

/**
 * Returns a function to call when the editor triggers `lifecycle`: it notes what the published
 * document was, waits until the Content Lake shows the change, then asks the proxy to sync. The
 * wait runs outside React, so it also completes when the pane closes (e.g. after delete).
 */
function useSyncAfterChange(lifecycle: SyncingLifecycle): (props: DocumentActionProps) => void {
  const client = useStudioClient()
  const runSync = useRunClerkSync()
  const {config} = useClerkAccess()
  const allowed = useHasStudioRole(config.syncRoles)
  return useCallback(
    (props: DocumentActionProps) => {
      // Without the role, the webhook or Function syncs; the editor is not bothered.
      if (!allowed) return
      const publishedId = getPublishedId(props.id)
      const before = props.published
      // Deleting or unpublishing something never published changes nothing in Clerk.
      if (lifecycle !== 'publish' && !before) return
      const previous = subjectOf(before)
      const previousEmail = before?.[ENTITLEMENT_FIELDS.email]
      const request: SyncRequest = {
        documentId: publishedId,
        ...(previous ? {previousSubjects: [previous]} : {}),
        // Its holder loses the grant when the address changes or the entitlement goes.
        ...(typeof previousEmail === 'string' && previousEmail
          ? {previousEmails: [previousEmail]}
          : {}),
      }
      const condition: PublishedCondition =
        lifecycle === 'publish' ? {kind: 'changedFrom', rev: revisionOf(before)} : {kind: 'gone'}
      syncStatusStore.set(publishedId, {status: 'waiting'})
      void waitForPublished(client, publishedId, condition).then((published) => {
        if (published) {
          // The revision the Studio saw published: the proxy reads no older than it.
          const named = {...request, documentRevision: published.rev}
          return runSync(publishedId, named, before ?? null)
        }
        // Cancelled or failed: the Studio reports its own failures; forget our waiting state.
        syncStatusStore.clear(publishedId)
        return undefined
      })
    },
    [allowed, client, lifecycle, runSync],
  )
}

const wrappers = new WeakMap<DocumentActionComponent, DocumentActionComponent>()

/**
 * Wraps a built-in publish, unpublish or delete action: the original hook runs with the same
 * props (its validation, permissions and disabled state stay), and after it succeeds the proxy
 * is asked to sync. Memoized per original, so the Studio does not remount it on every resolve.
 */
export function withClerkSync(original: DocumentActionComponent): DocumentActionComponent {
  const existing = wrappers.get(original)
  if (existing) return existing
  const lifecycle = original.action as SyncingLifecycle
  const useClerkSyncingAction: DocumentActionComponent = (props) => {
    const description = original(props)
    const syncAfterChange = useSyncAfterChange(lifecycle)
    if (!description) return null
    const originalHandle = description.onHandle
    return {
      ...description,
      onHandle: () => {
        syncAfterChange(props)
        originalHandle?.()
      },
    }
  }
  useClerkSyncingAction.action = original.action
  useClerkSyncingAction.displayName = `withClerkSync(${original.displayName ?? lifecycle})`
  wrappers.set(original, useClerkSyncingAction)
  return useClerkSyncingAction
}

/** "Sync to Clerk now": recomputes the published document's subjects on demand. */
export const useClerkSyncAction: DocumentActionComponent = (props) => {
  const runSync = useRunClerkSync()
  const {config} = useClerkAccess()
  const allowed = useHasStudioRole(config.syncRoles)
  const publishedId = getPublishedId(props.id)
  const state = useDocumentSyncState(publishedId)
  const {t} = useClerkTranslation()
  if (!allowed) return null
  const busy = state?.status === 'syncing'
  return {
    label: busy ? t('action.sync.running') : t('action.sync.label'),
    icon: SyncIcon,
    disabled: busy || !props.published,
    title: props.published ? t('action.sync.title') : t('action.sync.unpublished'),
    onHandle: () => void runSync(publishedId, {documentId: publishedId}),
  }
}
useClerkSyncAction.action = 'clerkSync'
useClerkSyncAction.displayName = 'ClerkSyncAction'

/** "Clerk: out of sync" while the last sync from this Studio failed. */
export const useClerkSyncBadge: DocumentBadgeComponent = (props) => {
  const state = useDocumentSyncState(getPublishedId(props.id))
  const {t} = useClerkTranslation()
  if (state?.status === 'syncing') return {label: t('badge.syncing'), color: 'primary'}
  if (state?.status !== 'failed') return null
  return {
    label: t('badge.out-of-sync'),
    color: 'danger',
    title: `${state.error.title}: ${state.error.description}`,
  }
}
useClerkSyncBadge.displayName = 'ClerkSyncBadge'
