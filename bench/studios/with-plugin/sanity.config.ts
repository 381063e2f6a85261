/** The bundle bench's Studio with the plugin: `../without-plugin` plus `clerkAccess()`. */
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'

import {clerkAccess} from '../../../src'

export default defineConfig({
  name: 'default',
  title: 'Bundle bench (with the plugin)',
  projectId: 'benchstudio',
  dataset: 'production',
  plugins: [
    structureTool(),
    clerkAccess({proxyUrl: 'https://proxy.bench.example/api/clerk', includeCourseType: true}),
  ],
})
