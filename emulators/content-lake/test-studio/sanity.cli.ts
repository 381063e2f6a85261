import {defineCliConfig} from 'sanity/cli'

export default defineCliConfig({
  api: {
    projectId: process.env.SANITY_STUDIO_PROJECT_ID || 'lake',
    dataset: process.env.SANITY_STUDIO_DATASET || 'test',
  },
  deployment: {autoUpdates: false},
})
