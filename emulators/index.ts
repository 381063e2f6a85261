export {}
export * from './clerk/public'
export * from './content-lake'
