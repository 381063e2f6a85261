/** The bundle bench's reference Studio: the same as `../with-plugin` minus `clerkAccess()`. */
import {defineConfig} from 'sanity'
import {structureTool} from 'sanity/structure'

export default defineConfig({
  name: 'default',
  title: 'Bundle bench (without the plugin)',
  projectId: 'benchstudio',
  dataset: 'production',
  plugins: [structureTool()],
})
