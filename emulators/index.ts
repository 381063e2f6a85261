export {}
export * from './clerk/public'
