import packageJson from '../package.json' with {type: 'json'}

/** The package version, reported by `GET /health`. */
export const PROXY_VERSION: string = packageJson.version
