import {createClient, type SanityClient} from '@sanity/client'

import type {ContentLake} from './server'
import type {LakeRole} from './types'

/**
 * A real `@sanity/client` for the lake that trusts its self-signed certificate in this process
 * (no NODE_EXTRA_CA_CERTS needed). Other processes: pass `lake.caCertPath` as NODE_EXTRA_CA_CERTS
 * and use `lake.clientConfig(role)`.
 */
export function createLakeClient(
  lake: Pick<ContentLake, 'clientConfig' | 'resolveFetch'>,
  role: LakeRole = 'administrator',
  overrides: {apiVersion?: string; token?: string} = {},
): SanityClient {
  return createClient({...lake.clientConfig(role), resolveFetch: lake.resolveFetch, ...overrides})
}
