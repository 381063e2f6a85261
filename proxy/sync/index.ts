export {
  createSyncEngine,
  type ReconcileOptions,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncLogger,
} from './engine'
export {createKeyedCoalescer, type KeyedCoalescer} from './coalesce'
export {SyncError, toErrorBody} from './errors'
export {
  createValiditySweep,
  DEFAULT_VALIDITY_SWEEP_INTERVAL_MS,
  type ValiditySweep,
  type ValiditySweepOptions,
  type ValiditySweepRun,
} from './validity'
