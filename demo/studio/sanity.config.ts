/**
 * The demo Studio: the plugin from source, pointed at the local stand-ins by `demo/start.ts`.
 *
 * Every `process.env.SANITY_STUDIO_*` below is replaced textually by `sanity build`, so each must
 * stay a bare member expression (a `typeof process` guard would compile to the fallback).
 */
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'

import {clerkAccess} from '../../src'
import {DEMO_DATASET, DEMO_PROJECT_ID} from '../constants'

export default defineConfig({
  name: 'default',
  title: 'Clerk access demo',
  projectId: process.env.SANITY_STUDIO_PROJECT_ID || DEMO_PROJECT_ID,
  dataset: process.env.SANITY_STUDIO_DATASET || DEMO_DATASET,
  apiHost: process.env.SANITY_STUDIO_API_HOST || 'https://localhost:3334',
  auth: {loginMethod: 'token'},
  plugins: [
    structureTool(),
    clerkAccess({
      proxyUrl: process.env.SANITY_STUDIO_CLERK_PROXY_URL || 'http://127.0.0.1:3336',
      includeCourseType: true,
      // The demo's member site: the panel links to it as "open the member site as this user".
      memberSiteUrl: process.env.SANITY_STUDIO_MEMBER_SITE_URL || undefined,
    }),
  ],
})
