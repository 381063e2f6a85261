import {defineConfig} from 'tsdown'

// Four public entry points plus the proxy's CLI. Dependencies and peers stay external, so the
// Studio entry can only reach @clerk/backend by importing it (checked in src/exports.package.test.ts).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    proxy: 'proxy/index.ts',
    testing: 'emulators/testing.ts',
    app: 'app/index.ts',
    cli: 'proxy/adapters/node/cli.ts',
  },
  format: 'esm',
  platform: 'neutral',
  target: 'es2023',
  dts: true,
  clean: true,
  sourcemap: true,
  outDir: 'dist',
  // No package is ever bundled, devDependencies included: what only ./testing needs (a
  // devDependency here, added by the user: emulators/testingPeers.ts) must stay an import, and
  // the package test fails on any import the manifest does not declare.
  deps: {neverBundle: true},
})
