import {defineConfig} from 'vitest/config'

// Fast suites only: pure rules, components (jsdom), proxy and emulators on loopback.
// The packaged-output checks and the browser journeys have configs of their own.
export default defineConfig({
  test: {
    globals: true,
    // Installs redis-server on a fresh machine: the shared-store and multi-instance suites need it.
    globalSetup: ['proxy/testing/global-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'core/**/*.test.ts',
            'app/**/*.test.ts',
            'src/**/*.test.ts',
            'proxy/**/*.test.ts',
            'emulators/**/*.test.ts',
            'demo/**/*.test.ts',
            'docs/**/*.test.ts',
          ],
          exclude: ['**/*.package.test.ts', '**/node_modules/**'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['src/**/*.test.tsx'],
          setupFiles: ['src/test/setup.ts'],
          testTimeout: 20_000,
        },
      },
    ],
  },
})
