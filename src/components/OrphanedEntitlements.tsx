/**
 * The Access tool's list of orphaned entitlements: published entitlements naming a Clerk user or
 * organization that was deleted in Clerk (the proxy asks Clerk live, `GET /orphans`). Each can
 * be opened, and editors (the proxy's `sync` permission) can delete it after confirming: the
 * subject can never come back (Clerk does not reuse ids), so a kept entitlement would only ever
 * mislead. Deleting removes the published document and its draft in one transaction.
 *
 * Test ids: `clerk-tool-orphans`, `clerk-tool-orphan-<entitlement id>`,
 * `clerk-tool-orphan-delete-<id>`, `clerk-tool-orphan-confirm-<id>`,
 * `clerk-tool-orphan-cancel-<id>`, `clerk-tool-orphan-error`, `clerk-tool-orphans-none`,
 * `clerk-tool-orphans-error`.
 */
import {Badge, Button, Card, Flex, Spinner, Stack, Text} from '@sanity/ui'
import {useQueryClient} from '@tanstack/react-query'
import {useState} from 'react'
import {IntentLink} from 'sanity/router'

import type {OrphanedEntitlement} from '../../core/contract'
import {useClerkAccess} from '../client/context'
import {clerkQueryKeys, useOrphanedEntitlements, useProxyPermits} from '../client/queries'
import {useClerkTranslation} from '../i18n'
import {CLERK_TYPES} from '../schema/names'
import {ProxyErrorCard} from './ClerkPanel'

function OrphanRow({orphan, mayDelete}: {orphan: OrphanedEntitlement; mayDelete: boolean}) {
  const {t} = useClerkTranslation()
  const {sanity} = useClerkAccess()
  const queryClient = useQueryClient()
  const [step, setStep] = useState<'idle' | 'confirm' | 'deleting'>('idle')
  const [error, setError] = useState<string | null>(null)
  const id = orphan.entitlementId

  async function remove() {
    if (!sanity) return
    setStep('deleting')
    setError(null)
    try {
      await sanity.transaction().delete(id).delete(`drafts.${id}`).commit()
      await queryClient.invalidateQueries({queryKey: clerkQueryKeys.orphans()})
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause))
      setStep('idle')
    }
  }

  return (
    <Card padding={3} radius={2} border data-testid={`clerk-tool-orphan-${id}`}>
      <Stack gap={3}>
        <Flex gap={2} align="center" wrap="wrap">
          <Badge tone="critical">
            {orphan.kind === 'organization'
              ? t('tool.orphans.organization-deleted')
              : t('tool.orphans.user-deleted')}
          </Badge>
          <Text size={1} weight="semibold">
            <IntentLink intent="edit" params={{id, type: CLERK_TYPES.entitlement}}>
              {orphan.title || id}
            </IntentLink>
          </Text>
          <Text size={1} muted>
            <code>{orphan.subject}</code>
          </Text>
        </Flex>
        {mayDelete && sanity ? (
          step === 'idle' ? (
            <Flex>
              <Button
                text={t('tool.orphans.delete')}
                mode="ghost"
                tone="critical"
                data-testid={`clerk-tool-orphan-delete-${id}`}
                onClick={() => setStep('confirm')}
              />
            </Flex>
          ) : (
            <Flex gap={2} align="center" wrap="wrap">
              <Text size={1}>{t('tool.orphans.confirm-question')}</Text>
              <Button
                text={t('tool.orphans.confirm')}
                tone="critical"
                disabled={step === 'deleting'}
                data-testid={`clerk-tool-orphan-confirm-${id}`}
                onClick={() => void remove()}
              />
              <Button
                text={t('tool.orphans.cancel')}
                mode="bleed"
                disabled={step === 'deleting'}
                data-testid={`clerk-tool-orphan-cancel-${id}`}
                onClick={() => setStep('idle')}
              />
            </Flex>
          )
        ) : null}
        {error ? (
          <Text size={1} data-testid="clerk-tool-orphan-error">
            {t('tool.orphans.delete-failed', {message: error})}
          </Text>
        ) : null}
      </Stack>
    </Card>
  )
}

/** The orphaned entitlements section of the Access tool. */
export function OrphanedEntitlements(): React.JSX.Element {
  const {t} = useClerkTranslation()
  const orphans = useOrphanedEntitlements()
  const mayDelete = useProxyPermits('sync')
  return (
    <Card padding={4} radius={2} border data-testid="clerk-tool-orphans">
      <Stack gap={3}>
        <Text weight="semibold">{t('tool.orphans.title')}</Text>
        <Text size={1} muted>
          {t('tool.orphans.description')}
        </Text>
        {orphans.isError ? (
          <ProxyErrorCard error={orphans.error} testId="clerk-tool-orphans-error" />
        ) : null}
        {orphans.isPending ? <Spinner muted /> : null}
        {orphans.data?.orphans.length === 0 ? (
          <Text size={1} muted data-testid="clerk-tool-orphans-none">
            {t('tool.orphans.none')}
          </Text>
        ) : null}
        {orphans.data?.orphans.map((orphan) => (
          <OrphanRow key={orphan.entitlementId} orphan={orphan} mayDelete={mayDelete} />
        ))}
      </Stack>
    </Card>
  )
}
