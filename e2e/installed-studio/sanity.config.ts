/**
 * A Studio as a user writes it: the plugin comes from node_modules (the packed tarball), never
 * from this repository's source. The journey inlines the local stand-ins' URLs at build time.
 */
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'
import {clerkAccess} from 'sanity-plugin-clerk'

export default defineConfig({
  name: 'default',
  title: 'Installed plugin',
  projectId: process.env.SANITY_STUDIO_PROJECT_ID || 'clerkdemo',
  dataset: process.env.SANITY_STUDIO_DATASET || 'production',
  apiHost: process.env.SANITY_STUDIO_API_HOST || 'https://localhost:3334',
  auth: {loginMethod: 'token'},
  plugins: [
    structureTool(),
    clerkAccess({
      proxyUrl: process.env.SANITY_STUDIO_CLERK_PROXY_URL || 'http://127.0.0.1:3336',
      includeCourseType: true,
    }),
  ],
})
