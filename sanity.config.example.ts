/**
 * The demo's setup against real services: copy this into your Studio as `sanity.config.ts`.
 *
 * With these in the environment (or a `.env` file the Sanity CLI reads), it talks to your real
 * Sanity project and to your deployed proxy:
 *
 *   SANITY_STUDIO_PROJECT_ID=abc123
 *   SANITY_STUDIO_DATASET=production
 *   SANITY_STUDIO_CLERK_PROXY_URL=https://example.com/api/clerk
 *
 * The proxy holds the Clerk secret key; the Studio never sees it. `SANITY_STUDIO_*` values are
 * inlined into the public bundle at build time, so never put a secret in one.
 */
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'
import {clerkAccess} from 'sanity-plugin-clerk'

/** Fails the build with a clear message instead of shipping a Studio that cannot work. */
function required(name: string, value: string | undefined): string {
  if (!value) throw new Error(`sanity.config.ts: set ${name} (see sanity.config.example.ts)`)
  return value
}

export default defineConfig({
  name: 'default',
  title: 'Courses and access',
  // Bare `process.env.SANITY_STUDIO_*` expressions: the build replaces them textually.
  projectId: required('SANITY_STUDIO_PROJECT_ID', process.env.SANITY_STUDIO_PROJECT_ID),
  dataset: required('SANITY_STUDIO_DATASET', process.env.SANITY_STUDIO_DATASET),
  // The plugin proves who the editor is by sending their Sanity token to the proxy; with cookie
  // login the browser never sees that token, so sign in with a token instead.
  auth: {loginMethod: 'token'},
  plugins: [
    structureTool(),
    clerkAccess({
      proxyUrl: required(
        'SANITY_STUDIO_CLERK_PROXY_URL',
        process.env.SANITY_STUDIO_CLERK_PROXY_URL,
      ),
      // Adds the plugin's own `course` type; leave it out when your Studio has one.
      includeCourseType: true,
    }),
  ],
})
