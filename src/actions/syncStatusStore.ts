import {useSyncExternalStore} from 'react'

import type {ExplainedError} from '../client/errors'
import type {SyncRequest, SyncResponse} from '../../core/contract'

/** What the Studio knows about the last Clerk sync it asked for, per published document id. */
export type DocumentSyncState =
  | {status: 'waiting'}
  | {status: 'syncing'; request: SyncRequest}
  | {status: 'synced'; request: SyncRequest; response: SyncResponse; at: number}
  | {status: 'failed'; request: SyncRequest; error: ExplainedError; at: number}

type Listener = () => void

/** A tiny external store, so the action, the badge and the panel agree without a provider. */
export interface SyncStatusStore {
  get(documentId: string): DocumentSyncState | undefined
  set(documentId: string, state: DocumentSyncState): void
  /** Forget a document (e.g. the editor cancelled the confirm dialog). */
  clear(documentId: string): void
  subscribe(listener: Listener): () => void
}

export function createSyncStatusStore(): SyncStatusStore {
  const states = new Map<string, DocumentSyncState>()
  const listeners = new Set<Listener>()
  return {
    get: (documentId) => states.get(documentId),
    set(documentId, state) {
      states.set(documentId, state)
      for (const listener of listeners) listener()
    },
    clear(documentId) {
      if (!states.delete(documentId)) return
      for (const listener of listeners) listener()
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/**
 * Shared by every document pane of the Studio tab. Module state is fine here: it is only a UI
 * hint (the panel's live drift is the truth) and it is keyed by document id.
 */
export const syncStatusStore: SyncStatusStore = createSyncStatusStore()

/** The latest sync state of a document, re-rendering when it changes. */
export function useDocumentSyncState(
  documentId: string,
  store: SyncStatusStore = syncStatusStore,
): DocumentSyncState | undefined {
  return useSyncExternalStore(
    store.subscribe,
    () => store.get(documentId),
    () => store.get(documentId),
  )
}
