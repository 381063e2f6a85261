import {defineCliConfig} from 'sanity/cli'

export default defineCliConfig({
  api: {projectId: 'benchstudio', dataset: 'production'},
  deployment: {autoUpdates: false},
})
