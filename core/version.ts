// A named import so the bundler inlines only the version, not the whole manifest.
import {version} from '../package.json'

/** Sent to the proxy with every request, for support. */
export const PLUGIN_VERSION: string = version
