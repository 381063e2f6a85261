import {useCallback, useSyncExternalStore} from 'react'

import {useClerkAccess} from './context'
import type {ReconcileEvent} from '../../core/contract'
import {ProxyError, type ProxyClient} from './proxyClient'

type Kind = 'user' | 'organization'

/** Progress of one kind of subject, as the last `progress` event said. */
export interface KindProgress {
  scanned: number
  total: number | null
  drifted: number
  written: number
  failed: number
}

/** One drifted subject of a run. */
export type ReconcileDrift = Omit<Extract<ReconcileEvent, {type: 'drift'}>, 'type'>

/** Everything the Access tool shows about a reconcile run. */
export interface ReconcileState {
  phase: 'idle' | 'running' | 'done' | 'failed'
  dryRun: boolean
  progress: Partial<Record<Kind, KindProgress>>
  /** Each drifted subject as the stream reported it (with its name and email when Clerk has them). */
  drifts: ReconcileDrift[]
  summary: {scanned: number; drifted: number; written: number; failed: number} | null
  error: unknown
}

const IDLE: ReconcileState = {
  phase: 'idle',
  dryRun: true,
  progress: {},
  drifts: [],
  summary: null,
  error: null,
}

/** Folds one stream event into the state (pure, so the tool's rendering is easy to test). */
export function reduceReconcile(state: ReconcileState, event: ReconcileEvent): ReconcileState {
  switch (event.type) {
    case 'start':
      return {...IDLE, phase: 'running', dryRun: event.dryRun}
    case 'progress': {
      const {kind, type: _type, ...progress} = event
      return {...state, progress: {...state.progress, [kind]: progress}}
    }
    case 'drift': {
      const {type: _type, ...drift} = event
      return {...state, drifts: [...state.drifts, drift]}
    }
    case 'done': {
      const {type: _type, ...summary} = event
      return {...state, phase: 'done', summary}
    }
    case 'error':
      return {...state, phase: 'failed', error: new ProxyError(502, event.error)}
  }
}

/** Overall completion between 0 and 1, or null while no total is known. */
export function reconcileFraction(state: ReconcileState): number | null {
  if (state.phase === 'done') return 1
  const kinds = Object.values(state.progress)
  if (kinds.length === 0 || kinds.some((p) => p.total === null)) return null
  const total = kinds.reduce((sum, p) => sum + (p.total ?? 0), 0)
  return total === 0 ? 0 : kinds.reduce((sum, p) => sum + p.scanned, 0) / total
}

type SetState = (update: (previous: ReconcileState) => ReconcileState) => void

async function followReconcile(
  client: ProxyClient,
  dryRun: boolean,
  signal: AbortSignal,
  setState: SetState,
): Promise<void> {
  try {
    for await (const event of client.reconcile({dryRun}, {signal})) {
      if (signal.aborted) return
      setState((previous) => reduceReconcile(previous, event))
    }
    // A stream that ends without `done` or `error` was cut off.
    setState((previous) =>
      previous.phase === 'running'
        ? {...previous, phase: 'failed', error: new Error('The reconcile stream ended early')}
        : previous,
    )
  } catch (error) {
    if (!signal.aborted) setState((previous) => ({...previous, phase: 'failed', error}))
  }
}

/** One reconcile run and who is watching it; lives outside React (see {@link useReconcile}). */
interface ReconcileRun {
  getState(): ReconcileState
  subscribe(listener: () => void): () => void
  start(client: ProxyClient, dryRun: boolean): void
}

function createReconcileRun(): ReconcileRun {
  let state = IDLE
  let controller: AbortController | null = null
  const listeners = new Set<() => void>()
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start(client, dryRun) {
      controller?.abort()
      const current = new AbortController()
      controller = current
      const setState: SetState = (update) => {
        if (controller !== current) return
        state = update(state)
        for (const listener of listeners) listener()
      }
      setState(() => ({...IDLE, phase: 'running', dryRun}))
      void followReconcile(client, dryRun, current.signal, setState)
    },
  }
}

/**
 * Runs live outside React, one per plugin configuration: the Studio may remount its tools (a
 * workspace re-resolving, the editor switching tools and back), and a dry-run diff or a running
 * reconcile must survive that instead of silently resetting to "run a dry run first".
 */
const runs = new WeakMap<object, ReconcileRun>()

function runFor(owner: object): ReconcileRun {
  let run = runs.get(owner)
  if (!run) {
    run = createReconcileRun()
    runs.set(owner, run)
  }
  return run
}

/** Runs `POST /reconcile` and follows its NDJSON stream; the run outlives the component. */
export function useReconcile(): {state: ReconcileState; start: (dryRun: boolean) => void} {
  const {client, config} = useClerkAccess()
  const run = runFor(config)
  const state = useSyncExternalStore(run.subscribe, run.getState, run.getState)
  const start = useCallback((dryRun: boolean) => run.start(client, dryRun), [client, run])
  return {state, start}
}
