export {
  createSyncEngine,
  type ReconcileOptions,
  type SyncEngine,
  type SyncEngineOptions,
  type SyncLogger,
} from './engine'
export {createKeyedCoalescer, type KeyedCoalescer} from './coalesce'
export {SyncError, toErrorBody} from './errors'
