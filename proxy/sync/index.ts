export {
  createSyncEngine,
  RECHECK_QUEUE,
  type ConvergenceOptions,
  type SyncSubjectsOptions,
  type ReconcileOptions,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncLogger,
} from './engine'
export {createKeyedCoalescer, type KeyedCoalescer} from './coalesce'
export type {RevisionRequirement} from './freshness'
export {PASSING_FAILURES, SyncError, toErrorBody} from './errors'
export {
  createValiditySweep,
  VALIDITY_CURSOR,
  DEFAULT_VALIDITY_SWEEP_INTERVAL_MS,
  type ValiditySweep,
  type ValiditySweepOptions,
  type ValiditySweepRun,
} from './validity'
