import {useMemo} from 'react'
import type {LayoutProps} from 'sanity'

import {ClerkAccessProvider} from '../client/context'
import {createProxyClient} from '../client/proxyClient'
import type {ResolvedClerkAccessConfig} from '../config'
import {useStudioClient} from '../studioClient'

/**
 * The Studio layout wrapped in the plugin's context: the proxy client (sending the editor's
 * own Sanity token) and a private React Query cache, for every pane, inspector and tool.
 */
export function createClerkAccessLayout(
  config: ResolvedClerkAccessConfig,
): (props: LayoutProps) => React.JSX.Element {
  function ClerkAccessLayout(props: LayoutProps) {
    const sanityClient = useStudioClient()
    const client = useMemo(
      () =>
        createProxyClient({
          proxyUrl: config.proxyUrl,
          // Read on every request: the token can change while the Studio stays open.
          getToken: () => sanityClient.config().token,
        }),
      [sanityClient],
    )
    // With cookie login the Studio has no token it can hand to a third party.
    const hasToken = !!sanityClient.config().token
    return (
      <ClerkAccessProvider
        config={config}
        client={client}
        hasToken={hasToken}
        sanity={sanityClient}
      >
        {props.renderDefault(props)}
      </ClerkAccessProvider>
    )
  }
  return ClerkAccessLayout
}
