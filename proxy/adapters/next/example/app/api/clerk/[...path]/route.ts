// app/api/clerk/[...path]/route.ts in a Next.js (App Router) app: the whole proxy in one file.
// Set CLERK_SECRET_KEY, SANITY_PROJECT_ID, SANITY_DATASET, SANITY_TOKEN (a read token),
// CLERK_PROXY_ALLOWED_ORIGINS (your Studio's origin) and SANITY_WEBHOOK_SECRET in the
// deployment's environment; never in NEXT_PUBLIC_* variables.
import {clerkProxyOptionsFromEnv, createNextRouteHandlers} from 'sanity-plugin-clerk/proxy'

// Every answer is per editor and live.
export const dynamic = 'force-dynamic'

export const {GET, POST, OPTIONS} = createNextRouteHandlers(() =>
  clerkProxyOptionsFromEnv(process.env, {basePath: '/api/clerk'}),
)
