export {createClerkProxy, type ClerkProxyOptions} from './createClerkProxy'
