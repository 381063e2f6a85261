/**
 * The `clerkEmail` field of an entitlement: a grant to someone who may not have a Clerk account
 * yet. It says "No Clerk account yet" until a Clerk user has the address, then shows that
 * user's card (the grant reaches them once the address is verified; no edit needed).
 *
 * An address nobody has yet can be invited to sign up (see `EmailInvitation`).
 *
 * Test ids: `clerk-email-input`, `clerk-email-card`, `clerk-email-status` (`data-status`:
 * `no-account` | `account` | `checking`), `clerk-email-clear`.
 */
import {Badge, Button, Card, Flex, Stack, Text, TextInput} from '@sanity/ui'
import {useState} from 'react'
import {set, unset, type StringInputProps} from 'sanity'

import {normalizeEmail} from '../../core/access'
import {useSubjectSearch} from '../client/queries'
import {useClerkTranslation} from '../i18n'
import {CloseIcon} from '../icons'
import {SelectedSubjectCard} from './ClerkSubjectInput'
import {EmailInvitation} from './EmailInvitation'

export function ClerkEmailInput(props: StringInputProps): React.JSX.Element {
  const {value, readOnly, onChange} = props
  const {t} = useClerkTranslation()
  const [draft, setDraft] = useState('')
  if (value) {
    return <EmailCard email={value} readOnly={!!readOnly} onClear={() => onChange(unset())} />
  }
  if (readOnly) return props.renderDefault(props)
  const commit = () => {
    const email = normalizeEmail(draft)
    if (email) {
      onChange(set(email))
      setDraft('')
    }
  }
  return (
    <TextInput
      id={props.elementProps.id}
      data-testid="clerk-email-input"
      type="email"
      placeholder={t('email.placeholder')}
      value={draft}
      onChange={(event) => setDraft(event.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit()
      }}
    />
  )
}

function EmailCard({
  email,
  readOnly,
  onClear,
}: {
  email: string
  readOnly: boolean
  onClear: () => void
}) {
  const {t} = useClerkTranslation()
  const search = useSubjectSearch('user', email, {limit: 5})
  const owner = search.data?.data.find(
    (summary) => 'primaryEmail' in summary && summary.primaryEmail?.toLowerCase() === email,
  )
  const status = owner ? 'account' : search.isSuccess ? 'no-account' : 'checking'
  return (
    <Stack gap={2}>
      <Card padding={3} radius={2} border data-testid="clerk-email-card">
        <Flex align="center" gap={3}>
          <Stack gap={2} flex={1}>
            <Text size={1} weight="medium">
              {email}
            </Text>
            <Flex gap={2} data-testid="clerk-email-status" data-status={status}>
              {status === 'no-account' ? (
                <Badge tone="caution">{t('email.no-account')}</Badge>
              ) : status === 'account' ? (
                <Badge tone="positive">{t('email.account')}</Badge>
              ) : (
                <Badge>{t('selected.checking')}</Badge>
              )}
            </Flex>
            {status === 'no-account' ? (
              <Text size={1} muted>
                {t('email.no-account.note')}
              </Text>
            ) : null}
          </Stack>
          {readOnly ? null : (
            <Button
              data-testid="clerk-email-clear"
              icon={CloseIcon}
              mode="bleed"
              aria-label={t('email.remove')}
              onClick={onClear}
            />
          )}
        </Flex>
      </Card>
      {owner ? <SelectedSubjectCard subject={owner.id} readOnly onClear={() => undefined} /> : null}
      {status === 'no-account' && !readOnly ? <EmailInvitation email={email} /> : null}
    </Stack>
  )
}
