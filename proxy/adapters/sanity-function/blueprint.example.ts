// sanity.blueprint.ts: deploys the Clerk sync as a Sanity Function next to your dataset.
// The handler lives in functions/clerk-sync/index.ts:
//
//   import {documentEventHandler} from '@sanity/functions'
//   import {createClerkSyncFunction} from 'sanity-plugin-clerk/proxy'
//
//   export const handler = documentEventHandler(
//     createClerkSyncFunction({clerkSecretKey: process.env.CLERK_SECRET_KEY!}),
//   )
//
// Set the secret with `npx sanity functions env add clerk-sync CLERK_SECRET_KEY sk_live_…`; never
// write it here. Functions are not retried: keep the proxy's reconcile (Access tool, CLI or a
// scheduled job) to repair anything an outage made the Function miss.
import {defineBlueprint, defineDocumentFunction} from '@sanity/blueprints'

export default defineBlueprint({
  resources: [
    defineDocumentFunction({
      name: 'clerk-sync',
      src: './functions/clerk-sync',
      timeout: 30,
      event: {
        on: ['create', 'update', 'delete'],
        // Every type a sync depends on (see documentEventFilter(rules) for your grantable types).
        filter: '_type in ["clerkEntitlement", "clerkPlan", "clerkRole", "course"]',
        // The same projection as the GROQ webhook (DOCUMENT_EVENT_PROJECTION).
        projection:
          '{_id, _type, "rev": after()._rev, "operation": delta::operation(), "before": before(){clerkUserId, clerkOrganizationId, clerkEmail}, "after": after(){clerkUserId, clerkOrganizationId, clerkEmail}}',
      },
    }),
  ],
})
