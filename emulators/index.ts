/**
 * `sanity-plugin-clerk/testing`: the local stand-ins for Clerk's Backend API and Sanity's Content
 * Lake, for testing apps offline. The Clerk names carry a `Clerk` prefix where both would clash.
 */
export * from './clerk/public'
export * from './content-lake'
