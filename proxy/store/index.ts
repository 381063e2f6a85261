export type {ClaimState, Lease, ProxyStore, RateWindow} from './types'
export {createMemoryStore, type MemoryStoreOptions} from './memory'
export {createRedisStore, type RedisEvalClient, type RedisStoreOptions} from './redis'
