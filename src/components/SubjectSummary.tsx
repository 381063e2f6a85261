import {Avatar, Badge, Box, Flex, Stack, Text} from '@sanity/ui'

import type {SubjectSummary} from '../client/queries'
import {useClerkTranslation} from '../i18n'

/** Initials for an avatar without an image. */
export function initialsOf(name: string): string {
  const letters = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
  return letters.join('') || '?'
}

/** A user's email or an organization's slug: the second line under the name. */
export function secondaryLineOf(summary: SubjectSummary): string | null {
  return 'primaryEmail' in summary ? summary.primaryEmail : summary.slug
}

/** Avatar, name, email (or slug) and id of a Clerk user or organization, on one row. */
export function SubjectSummaryRow({
  summary,
  badges,
}: {
  summary: SubjectSummary
  badges?: React.ReactNode
}): React.JSX.Element {
  const secondary = secondaryLineOf(summary)
  return (
    <Flex align="center" gap={3}>
      <Avatar
        size={1}
        src={summary.imageUrl ?? undefined}
        initials={initialsOf(summary.name || summary.id)}
      />
      <Stack flex={1} gap={2}>
        <Text size={1} weight="medium" textOverflow="ellipsis">
          {summary.name || secondary || summary.id}
        </Text>
        <Text size={1} muted textOverflow="ellipsis">
          {[secondary, summary.id].filter(Boolean).join(' · ')}
        </Text>
      </Stack>
      {badges ? <Box>{badges}</Box> : null}
    </Flex>
  )
}

/** Badges for what Clerk says about a user: banned, locked. */
export function UserFlags({summary}: {summary: SubjectSummary}): React.JSX.Element | null {
  const {t} = useClerkTranslation()
  if (!('banned' in summary)) return null
  return (
    <Flex gap={1}>
      {summary.banned ? <Badge tone="critical">{t('subject.banned')}</Badge> : null}
      {summary.locked ? <Badge tone="caution">{t('subject.locked')}</Badge> : null}
    </Flex>
  )
}
