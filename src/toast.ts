/**
 * The host Studio's toasts, whichever `@sanity/ui` major it runs. `useToast` is exported from the
 * root of `@sanity/ui` 3 (Studio 5) but only from `@sanity/ui/toast` in 4 (Studio 6), whose root
 * keeps a type-only tombstone that is `undefined` at runtime; `@sanity/ui/toast` does not exist in
 * 3. So no single static import works on both, and shipping both majors would nest a second copy.
 *
 * Both majors create their toast context with `createGlobalScopedContext`, which keeps it on
 * `globalThis` under `Symbol.for('@sanity/ui/context/toast')` so that duplicated copies share one
 * provider. Reading that slot reaches the host's `ToastProvider` whatever its version; like
 * `@sanity/ui`, the first copy to ask creates the context, so load order does not matter.
 */
import {createContext, useContext, type Context, type ReactNode} from 'react'

import {PLUGIN_NAME} from './resolveConfig'

/** What `@sanity/ui` 3 and 4 both accept in `push` (identical `ToastParams` in both). */
export interface ToastParams {
  id?: string
  status?: 'error' | 'warning' | 'success' | 'info'
  title?: ReactNode
  description?: ReactNode
  closable?: boolean
  duration?: number
  onClose?: () => void
}

/** The value both majors provide (`version: 0`). */
export interface ToastContextValue {
  version: 0
  push: (params: ToastParams) => string
}

const TOAST_CONTEXT_KEY = Symbol.for('@sanity/ui/context/toast')

function sharedToastContext(): Context<ToastContextValue | null> {
  const scope = globalThis as unknown as Record<symbol, Context<ToastContextValue | null>>
  scope[TOAST_CONTEXT_KEY] ??= createContext<ToastContextValue | null>(null)
  return scope[TOAST_CONTEXT_KEY]
}

/** The Studio's toast API; throws, as `@sanity/ui`'s own `useToast` does, outside a provider. */
export function useToast(): ToastContextValue {
  const value = useContext(sharedToastContext())
  if (!value) throw new Error(`${PLUGIN_NAME}: no @sanity/ui ToastProvider above this component`)
  if (value.version !== 0) {
    throw new Error(`${PLUGIN_NAME}: the Studio’s @sanity/ui toast context is not version 0`)
  }
  return value
}
