import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'

import {schemaTypes} from './schema'

/**
 * The smallest Studio that exercises the local Content Lake: token login (the lake offers a
 * one-click provider), one document type with a slug and a reference. `SANITY_STUDIO_API_HOST` is
 * inlined at build time, so it must be read bare (no `typeof process` guard).
 */
export default defineConfig({
  name: 'content-lake-test',
  title: 'Content Lake test Studio',
  projectId: process.env.SANITY_STUDIO_PROJECT_ID || 'lake',
  dataset: process.env.SANITY_STUDIO_DATASET || 'test',
  apiHost: process.env.SANITY_STUDIO_API_HOST || 'https://localhost:3333',
  auth: {loginMethod: 'token'},
  plugins: [structureTool()],
  schema: {types: schemaTypes},
})
