// app/api/clerk/[...path]/route.ts in a Next.js (App Router) app: the whole proxy in one file.
// Set CLERK_SECRET_KEY, SANITY_PROJECT_ID, SANITY_DATASET, SANITY_TOKEN (a read token),
// CLERK_PROXY_ALLOWED_ORIGINS (your Studio's origin), SANITY_WEBHOOK_SECRET, CRON_SECRET (Vercel
// Cron sends it to /sweep, see ../../../../vercel.json) and REDIS_URL in the deployment's
// environment; never in NEXT_PUBLIC_* variables.
import {createClient} from 'redis'
import {
  clerkProxyOptionsFromEnv,
  createNextRouteHandlers,
  createRedisStore,
} from 'sanity-plugin-clerk/proxy'

// Every answer is per editor and live.
export const dynamic = 'force-dynamic'

// Serverless means many instances: they share webhook claims, subject leases, the sweep's cursor
// and the Clerk budget through Redis. One connection per warm instance; commands sent before it
// is up wait for it.
const redis = createClient({url: process.env.REDIS_URL})
void redis.connect()

export const {GET, POST, OPTIONS} = createNextRouteHandlers(() =>
  clerkProxyOptionsFromEnv(process.env, {
    basePath: '/api/clerk',
    store: createRedisStore({client: redis}),
  }),
)
