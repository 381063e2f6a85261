/**
 * "Invite to sign up" for an email-addressed entitlement, with the latest invitation's status
 * (pending, accepted, revoked, expired) and revoke / resend. The invitation carries no access:
 * the entitlement does, once the invitee verifies the address.
 *
 * Test ids: `clerk-invite`, `clerk-invitation-status` (`data-status`), `clerk-invitation-revoke`,
 * `clerk-invitation-resend`, `clerk-invitation-error`.
 */
import {Badge, Button, Card, Flex, Stack, Text} from '@sanity/ui'
import {useMutation, useQuery, useQueryClient} from '@tanstack/react-query'

import type {InvitationStatus} from '../../core/contract'
import {useClerkAccess} from '../client/context'
import {clerkQueryKeys, useProxyPermits} from '../client/queries'
import {useClerkTranslation, type ClerkT} from '../i18n'

const STATUS_TONE: Record<InvitationStatus, 'caution' | 'positive' | 'default' | 'critical'> = {
  pending: 'caution',
  accepted: 'positive',
  revoked: 'default',
  expired: 'critical',
}

function statusLabel(status: InvitationStatus, t: ClerkT): string {
  switch (status) {
    case 'pending':
      return t('invitation.status.pending')
    case 'accepted':
      return t('invitation.status.accepted')
    case 'revoked':
      return t('invitation.status.revoked')
    case 'expired':
      return t('invitation.status.expired')
  }
}

export function EmailInvitation({email}: {email: string}): React.JSX.Element | null {
  const {client} = useClerkAccess()
  const {t} = useClerkTranslation()
  const queryClient = useQueryClient()
  const mayInvite = useProxyPermits('invite')
  const queryKey = [...clerkQueryKeys.all, 'invitations', email]
  const invitations = useQuery({
    queryKey,
    queryFn: ({signal}) => client.invitations(email, {signal}),
    enabled: mayInvite,
  })
  const action = useMutation({
    mutationFn: (kind: 'invite' | 'revoke' | 'resend') => {
      const latest = invitations.data?.data[0]
      if (kind === 'invite' || !latest) return client.invite(email)
      return kind === 'revoke'
        ? client.revokeInvitation(latest.id)
        : client.resendInvitation(latest.id, email)
    },
    onSettled: () => queryClient.invalidateQueries({queryKey}),
  })
  if (!mayInvite) return null
  const latest = invitations.data?.data[0]
  const busy = action.isPending || invitations.isFetching
  return (
    <Card padding={3} radius={2} tone="transparent" border>
      <Stack gap={3}>
        <Flex gap={2} align="center" wrap="wrap">
          {latest ? (
            <Badge
              data-testid="clerk-invitation-status"
              data-status={latest.status}
              tone={STATUS_TONE[latest.status]}
            >
              {statusLabel(latest.status, t)}
            </Badge>
          ) : null}
          {!latest && invitations.isSuccess ? (
            <Button
              data-testid="clerk-invite"
              text={t('invitation.invite')}
              tone="primary"
              disabled={busy}
              onClick={() => action.mutate('invite')}
            />
          ) : null}
          {latest?.status === 'pending' ? (
            <Button
              data-testid="clerk-invitation-revoke"
              text={t('invitation.revoke')}
              mode="ghost"
              tone="critical"
              disabled={busy}
              onClick={() => action.mutate('revoke')}
            />
          ) : null}
          {latest && latest.status !== 'accepted' ? (
            <Button
              data-testid="clerk-invitation-resend"
              text={
                latest.status === 'pending' ? t('invitation.resend') : t('invitation.invite-again')
              }
              mode="ghost"
              disabled={busy}
              onClick={() => action.mutate('resend')}
            />
          ) : null}
        </Flex>
        <Text size={1} muted>
          {t('invitation.note')}
        </Text>
        {action.error || invitations.error ? (
          <Text size={1} data-testid="clerk-invitation-error" role="alert">
            {(action.error ?? invitations.error)?.message}
          </Text>
        ) : null}
      </Stack>
    </Card>
  )
}
