import {defineConfig} from 'vitest/config'

// Runs against the built `dist/`, after `npm run build`.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['**/*.package.test.ts'],
    exclude: ['**/node_modules/**'],
    // Importing dist/index.js loads all of `sanity`: slow on a busy 2-core machine.
    testTimeout: 60_000,
  },
})
