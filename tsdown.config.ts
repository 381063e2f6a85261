import {defineConfig} from 'tsdown'

// Three public entry points plus the proxy's CLI. Dependencies and peers stay external, so the
// Studio entry can only reach @clerk/backend by importing it (checked in src/exports.package.test.ts).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    proxy: 'proxy/index.ts',
    testing: 'emulators/index.ts',
    cli: 'proxy/adapters/node/cli.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2023',
  dts: true,
  clean: true,
  sourcemap: true,
  outDir: 'dist',
})
