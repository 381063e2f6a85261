export {clerkAccess} from './plugin'
export type {ClerkAccessConfig, GrantableType} from './config'
