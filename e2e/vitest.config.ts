import {defineConfig} from 'vitest/config'

// The slow suite: a real Studio in real Chromium against the local stand-ins. One file at a time,
// since each file starts its own servers and a browser on a 2-core machine.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
})
