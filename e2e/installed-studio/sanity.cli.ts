import {defineCliConfig} from 'sanity/cli'

export default defineCliConfig({
  api: {
    projectId: process.env.SANITY_STUDIO_PROJECT_ID || 'clerkdemo',
    dataset: process.env.SANITY_STUDIO_DATASET || 'production',
  },
  deployment: {autoUpdates: false},
  // Journey 8 reads the bundle's source maps to count the copies of each shared runtime in it.
  vite: (config) => ({...config, build: {...config.build, sourcemap: true}}),
})
