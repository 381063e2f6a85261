#!/usr/bin/env node
console.error('sanity-plugin-clerk: the proxy CLI is not built yet')
process.exit(1)
