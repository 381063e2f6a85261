import {useCallback, useEffect, useEffectEvent, useState} from 'react'
import {
  getPublishedId,
  useCurrentUser,
  useValidationStatus,
  type DocumentActionComponent,
  type DocumentActionDescription,
  type DocumentActionProps,
  type DocumentBadgeComponent,
  type SanityDocument,
} from 'sanity'

import {useClerkAccess} from '../client/context'
import type {SyncRequest} from '../../core/contract'
import {SyncIcon} from '../icons'
import {useClerkTranslation} from '../i18n'
import {useStudioClient} from '../studioClient'
import {CLERK_TYPES, ENTITLEMENT_FIELDS} from '../schema/names'
import {validateSubjectChoice, type EntitlementDraft} from '../schema/entitlementValidation'
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

/** The document-level errors our subject rule gives a draft whose subject choice is wrong. */
const SUBJECT_CHOICE_ERRORS: ReadonlySet<string> = new Set(
  [
    validateSubjectChoice(undefined),
    validateSubjectChoice({clerkUserId: 'user_a', clerkOrganizationId: 'org_a'}),
  ].filter((message): message is string => typeof message === 'string'),
)

function idOf(document: SanityDocument | null): string | null {
  if (!document) return null
  const {_id: id} = document
  return id
}

/**
 * Whether Sanity's validation verdict may still be one about an older draft state of an
 * entitlement whose current draft names its subject. Sanity 6 validates one draft state at a
 * time and pairs a finished run's markers with the newest revision until the next run starts:
 * a run over a draft without a subject (title typed first) can end after the subject is in, and
 * its "choose a subject" error then reads as current, so a Publish clicked meanwhile ends in
 * "Validation errors" (issue 17). True while that stale error is shown, or while the verdict for
 * the current revision is not in yet (a run that is still going may be the stale one).
 */
function useSubjectVerdictPending(props: DocumentActionProps): boolean {
  const current = props.version ?? props.draft ?? props.published
  // The arguments Sanity's own publish action passes, so both read the same validation.
  const status = useValidationStatus(idOf(current) ?? props.id, props.type, !props.release)
  if (props.type !== CLERK_TYPES.entitlement) return false
  // A draft truly without one subject: Sanity's verdict is right and its message stays.
  if (validateSubjectChoice((current ?? undefined) as EntitlementDraft | undefined) !== true) {
    return false
  }
  const staleSubjectError = status.validation.some(
    (marker) => marker.level === 'error' && SUBJECT_CHOICE_ERRORS.has(marker.message),
  )
  const settled = !status.isValidating && status.revision === revisionOf(current)
  return staleSubjectError || !settled
}

/**
 * Holds a Publish clicked while the verdict may be stale (see {@link useSubjectVerdictPending}):
 * the button shows Sanity's waiting state, and the click reaches `handle` once the verdict is
 * about the current draft. If that verdict has errors, the original action is disabled by then
 * and the click is dropped: calling it would publish past its validation.
 */
function useHeldPublish(
  props: DocumentActionProps,
  description: DocumentActionDescription | null,
  handle: () => void,
): DocumentActionDescription | null {
  const pending = useSubjectVerdictPending(props)
  const [held, setHeld] = useState(false)
  const {t} = useClerkTranslation()
  const originalDisabled = !!description?.disabled
  // Reads the original's latest state when the verdict arrives from Sanity's store.
  const release = useEffectEvent(() => {
    setHeld(false)
    if (!originalDisabled) handle()
  })
  useEffect(() => {
    // The click leaves the hold exactly when the verdict lets it through; no render can derive that.
    // oxlint-disable-next-line react/set-state-in-effect
    if (held && !pending) release()
  }, [held, pending])
  if (!description) return null
  if (held) {
    return {
      ...description,
      disabled: true,
      label: t('action.publish.waiting.label'),
      title: t('action.publish.waiting.title'),
    }
  }
  return {...description, onHandle: () => (pending ? setHeld(true) : handle())}
}

/**
 * Wraps a built-in publish, unpublish or delete action: the original hook runs with the same
 * props (its validation, permissions and disabled state stay), and after it succeeds the proxy
 * is asked to sync. A Publish clicked while Sanity's verdict on an entitlement's subject may be
 * about an older draft waits for the current verdict first. Memoized per original, so the Studio
 * does not remount it on every resolve.
 */
export function withClerkSync(original: DocumentActionComponent): DocumentActionComponent {
  const existing = wrappers.get(original)
  if (existing) return existing
  const lifecycle = original.action as SyncingLifecycle
  const useOriginalThenSync = (props: DocumentActionProps) => {
    const description = original(props)
    const syncAfterChange = useSyncAfterChange(lifecycle)
    const originalHandle = description?.onHandle
    const handle = useCallback(() => {
      syncAfterChange(props)
      originalHandle?.()
    }, [syncAfterChange, props, originalHandle])
    return {description, handle}
  }
  const useClerkSyncingAction: DocumentActionComponent =
    lifecycle === 'publish'
      ? (props) => {
          const {description, handle} = useOriginalThenSync(props)
          return useHeldPublish(props, description, handle)
        }
      : (props) => {
          const {description, handle} = useOriginalThenSync(props)
          return description && {...description, onHandle: handle}
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
