/**
 * The `clerkUserId` / `clerkOrganizationId` pickers.
 *
 * Test ids: `clerk-user-picker-input` / `clerk-organization-picker-input` (the text box),
 * `clerk-picker-results` (listbox), `clerk-picker-option-<id>`, `clerk-picker-use-id` (the
 * "use this pasted id" option), `clerk-picker-loading`, `clerk-picker-empty`,
 * `clerk-picker-error`, `clerk-picker-invalid-id`, `clerk-picker-grant-email` (grant to a
 * typed address nobody in Clerk has yet), `clerk-selected-card`,
 * `clerk-selected-status`, `clerk-picker-clear`, `clerk-picker-replace` (search for another
 * subject while the current one stays set), `clerk-picker-replace-cancel`.
 */
import {Badge, Box, Button, Card, Flex, Spinner, Stack, Text, TextInput} from '@sanity/ui'
import {useEffect, useId, useState, type ClipboardEvent, type KeyboardEvent} from 'react'
import {set, unset, type StringInputProps} from 'sanity'

import {isClerkOrganizationId, isClerkUserId, normalizeEmail} from '../../core/access'
import {useClerkAccess} from '../client/context'
import {useClerkTranslation} from '../i18n'
import {explainProxyError} from '../client/errors'
import {ProxyError} from '../client/proxyClient'
import {
  useProxyPermits,
  useSubjectSearch,
  useSubjectStatus,
  type SubjectKind,
  type SubjectSummary,
} from '../client/queries'
import {CloseIcon, SearchIcon} from '../icons'
import {SubjectSummaryRow, UserFlags} from './SubjectSummary'
import {useGrantByEmail} from './EmailGrantContext'
import {useSetSubjectSnapshot, type SubjectSnapshot} from './SubjectSnapshotContext'
import {useDebouncedValue} from './useDebouncedValue'

/** How long typing must pause before the picker searches. */
export const SEARCH_DEBOUNCE_MS = 300

/** How each kind's ids look; its words are in the i18n bundle, under `.user` / `.organization` keys. */
const KIND_ID = {
  user: {prefix: 'user_', isId: isClerkUserId},
  organization: {prefix: 'org_', isId: isClerkOrganizationId},
} as const

type Choice =
  | {kind: 'id'; id: string}
  | {kind: 'summary'; summary: SubjectSummary}
  /** A grant to an address no Clerk user has yet. */
  | {kind: 'email'; email: string}

function choiceId(choice: Choice): string {
  if (choice.kind === 'email') return `email:${choice.email}`
  return choice.kind === 'id' ? choice.id : choice.summary.id
}

function snapshotOf(summary: SubjectSummary): SubjectSnapshot {
  return {
    subjectId: summary.id,
    name: summary.name || null,
    email: 'primaryEmail' in summary ? summary.primaryEmail : null,
    imageUrl: summary.imageUrl,
  }
}

/** Present for screen readers, invisible on screen. */
const VISUALLY_HIDDEN: React.CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
  border: 0,
}

/** The picker for one subject kind; {@link ClerkUserIdInput} and {@link ClerkOrganizationIdInput} wrap it. */
export function ClerkSubjectInput(
  props: StringInputProps & {kind: SubjectKind},
): React.JSX.Element {
  const {kind, value, readOnly, onChange} = props
  const setSnapshot = useSetSubjectSnapshot()
  const grantByEmail = useGrantByEmail()
  // A pasted id has no name yet: the snapshot is saved once Clerk answers, and only then (never
  // merely because a document was opened, which would create a draft).
  const [awaitingSnapshot, setAwaitingSnapshot] = useState<string | null>(null)
  // The search text lives here, not in the search box: the box unmounts whenever the form shows a
  // value or turns read-only for a moment (an echo of an older value, a permission re-check after
  // the draft is created), and text typed meanwhile must survive. Only the editor's own pick or
  // clear empties it.
  const [query, setQuery] = useState('')
  // Replacing searches while the current subject stays in the document: a reassignment never
  // passes through a draft without a subject. Such a draft is invalid ("choose a subject"), and
  // Sanity 6 validates one draft state at a time: when a run over that state ends after the new
  // subject is in, its error is reported as current until the next run starts, and a Publish
  // clicked meanwhile ends in "Validation errors" (issue 17; README, Clerk pickers).
  const [replacing, setReplacing] = useState(false)

  function choose(choice: Choice) {
    if (choice.kind === 'email') {
      setQuery('')
      setReplacing(false)
      grantByEmail?.(choice.email)
      return
    }
    const id = choiceId(choice)
    setQuery('')
    setReplacing(false)
    onChange(set(id))
    if (choice.kind === 'summary') {
      setSnapshot?.(snapshotOf(choice.summary))
    } else {
      setSnapshot?.(null)
      setAwaitingSnapshot(id)
    }
  }

  function clear() {
    setQuery('')
    setReplacing(false)
    onChange(unset())
    setSnapshot?.(null)
    setAwaitingSnapshot(null)
  }

  function resolved(summary: SubjectSummary) {
    if (summary.id !== awaitingSnapshot) return
    setAwaitingSnapshot(null)
    setSnapshot?.(snapshotOf(summary))
  }

  const card = value ? (
    <SelectedSubjectCard
      subject={value}
      readOnly={!!readOnly}
      onClear={clear}
      onResolved={awaitingSnapshot === value ? resolved : undefined}
      replace={{
        active: replacing,
        onToggle: () => {
          setQuery('')
          setReplacing(!replacing)
        },
      }}
    />
  ) : null
  if (value && (!replacing || readOnly)) return card!
  if (readOnly) return props.renderDefault(props)
  const search = (
    <SubjectSearch
      kind={kind}
      inputId={props.elementProps.id}
      query={query}
      onQueryChange={setQuery}
      onChoose={choose}
      canGrantByEmail={kind === 'user' && grantByEmail !== null}
      autoFocus={replacing}
    />
  )
  return value ? (
    <Stack gap={2}>
      {card}
      {search}
    </Stack>
  ) : (
    search
  )
}

function SubjectSearch({
  kind,
  inputId,
  query,
  onQueryChange,
  onChoose,
  canGrantByEmail,
  autoFocus,
}: {
  kind: SubjectKind
  inputId: string
  query: string
  onQueryChange: (query: string) => void
  /** Also empties the query. */
  onChoose: (choice: Choice) => void
  /** Offer "grant by email" when a typed address finds no user. */
  canGrantByEmail: boolean
  /** Focus the box on mount (the editor just asked to replace the subject). */
  autoFocus?: boolean
}) {
  const text = KIND_ID[kind]
  const isUser = kind === 'user'
  const {hasToken} = useClerkAccess()
  const {t} = useClerkTranslation()
  const listboxId = useId()
  const noSearchId = useId()
  // Viewers and contributors lack `search` (the proxy answers 403); they can still paste an id.
  // Until `/me` answers this is true and the proxy decides, as before.
  const maySearch = useProxyPermits('search')
  const [open, setOpen] = useState(false)
  const [activeIndex, setActiveIndex] = useState(0)
  const trimmed = query.trim()
  const debounced = useDebouncedValue(trimmed, SEARCH_DEBOUNCE_MS)
  const search = useSubjectSearch(kind, debounced, {
    enabled: maySearch && open && debounced.length > 0,
  })
  const pastedId = text.isId(trimmed) ? trimmed : null
  const malformedId =
    !pastedId && trimmed.startsWith(text.prefix) && trimmed.length > text.prefix.length
  const waiting = maySearch && (trimmed !== debounced || search.isFetching)
  const results = maySearch && debounced && search.data && !search.isError ? search.data.data : []
  const typedEmail = normalizeEmail(trimmed)
  const offerEmail =
    canGrantByEmail &&
    typedEmail !== null &&
    !waiting &&
    search.isSuccess &&
    !results.some((s) => 'primaryEmail' in s && s.primaryEmail?.toLowerCase() === typedEmail)
  const choices: Choice[] = [
    ...(pastedId ? [{kind: 'id' as const, id: pastedId}] : []),
    ...results
      .filter((s) => s.id !== pastedId)
      .map((summary) => ({kind: 'summary' as const, summary})),
    ...(offerEmail && typedEmail ? [{kind: 'email' as const, email: typedEmail}] : []),
  ]
  const active = Math.min(activeIndex, Math.max(choices.length - 1, 0))
  const showList = open && trimmed.length > 0
  // Without search the list would only ever say "nothing found": it opens for a pasted id alone.
  const showOptions = showList && (maySearch || choices.length > 0)
  const optionId = (index: number) => `${listboxId}-option-${index}`
  // Read out by screen readers as results arrive; the listbox alone is silent while typing.
  const announcement = !showList
    ? ''
    : waiting
      ? t('picker.status.searching')
      : search.isError
        ? ''
        : choices.length
          ? t('picker.status.results', {count: choices.length})
          : t('picker.status.none')

  function pick(choice: Choice | undefined) {
    if (!choice) return
    onChoose(choice)
    setOpen(false)
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      setOpen(true)
      if (choices.length === 0) return
      const step = event.key === 'ArrowDown' ? 1 : -1
      setActiveIndex((active + step + choices.length) % choices.length)
    } else if (event.key === 'Enter') {
      if (!showList || choices.length === 0) return
      event.preventDefault()
      pick(choices[active])
    } else if (event.key === 'Escape' && showList) {
      event.preventDefault()
      setOpen(false)
    }
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    const pasted = event.clipboardData.getData('text').trim()
    if (!text.isId(pasted)) return
    event.preventDefault()
    pick({kind: 'id', id: pasted})
  }

  return (
    <Stack gap={2}>
      <TextInput
        id={inputId}
        data-testid={`clerk-${kind}-picker-input`}
        autoFocus={autoFocus}
        icon={SearchIcon}
        iconRight={waiting && showList ? <Spinner muted /> : undefined}
        placeholder={
          maySearch
            ? isUser
              ? t('picker.placeholder.user')
              : t('picker.placeholder.organization')
            : isUser
              ? t('picker.placeholder-paste.user')
              : t('picker.placeholder-paste.organization')
        }
        aria-describedby={maySearch ? undefined : noSearchId}
        value={query}
        role="combobox"
        aria-expanded={showOptions}
        aria-controls={listboxId}
        aria-autocomplete="list"
        aria-activedescendant={showOptions && choices.length ? optionId(active) : undefined}
        onChange={(event) => {
          onQueryChange(event.currentTarget.value)
          setActiveIndex(0)
          setOpen(true)
        }}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      />
      <span
        role="status"
        aria-live="polite"
        style={VISUALLY_HIDDEN}
        data-testid="clerk-picker-status"
      >
        {announcement}
      </span>
      {maySearch ? null : (
        <Text size={1} muted id={noSearchId} data-testid="clerk-picker-no-search">
          {isUser ? t('picker.no-search.user') : t('picker.no-search.organization')}
        </Text>
      )}
      {showList && malformedId ? (
        <Card padding={3} radius={2} tone="caution" data-testid="clerk-picker-invalid-id">
          <Text size={1}>
            {isUser ? t('picker.invalid-id.user') : t('picker.invalid-id.organization')}
          </Text>
        </Card>
      ) : null}
      {showOptions ? (
        <Card
          id={listboxId}
          role="listbox"
          aria-label={isUser ? t('picker.results.user') : t('picker.results.organization')}
          data-testid="clerk-picker-results"
          border
          radius={2}
          padding={1}
        >
          <Stack gap={1}>
            {choices.map((choice, index) => (
              <Card
                key={choiceId(choice)}
                id={optionId(index)}
                role="option"
                aria-selected={index === active}
                data-testid={
                  choice.kind === 'id'
                    ? 'clerk-picker-use-id'
                    : choice.kind === 'email'
                      ? 'clerk-picker-grant-email'
                      : `clerk-picker-option-${choice.summary.id}`
                }
                padding={2}
                radius={2}
                tone={index === active ? 'primary' : 'default'}
                selected={index === active}
                style={{cursor: 'pointer'}}
                // mousedown, not click: the input's blur would close the list first.
                onMouseDown={(event) => {
                  event.preventDefault()
                  pick(choice)
                }}
                onMouseEnter={() => setActiveIndex(index)}
              >
                {choice.kind === 'id' ? (
                  <Text size={1}>
                    {isUser
                      ? t('picker.use-id.user', {id: choice.id})
                      : t('picker.use-id.organization', {id: choice.id})}
                  </Text>
                ) : choice.kind === 'email' ? (
                  <Stack gap={2}>
                    <Text size={1} weight="medium">
                      {t('picker.grant-email', {email: choice.email})}
                    </Text>
                    <Text size={1} muted>
                      {t('picker.grant-email.note')}
                    </Text>
                  </Stack>
                ) : (
                  <SubjectSummaryRow
                    summary={choice.summary}
                    badges={<UserFlags summary={choice.summary} />}
                  />
                )}
              </Card>
            ))}
            <SearchState
              kind={kind}
              query={debounced}
              waiting={waiting}
              resultCount={results.length}
              error={search.isError ? search.error : null}
              hasToken={hasToken}
            />
          </Stack>
        </Card>
      ) : null}
    </Stack>
  )
}

function SearchState(props: {
  kind: SubjectKind
  query: string
  waiting: boolean
  resultCount: number
  error: Error | null
  hasToken: boolean
}) {
  const {t} = useClerkTranslation()
  const isUser = props.kind === 'user'
  if (props.error) {
    const explained = explainProxyError(props.error, {hasToken: props.hasToken, t})
    return (
      <Card padding={3} radius={2} tone="critical" data-testid="clerk-picker-error" role="alert">
        <Stack gap={2}>
          <Text size={1} weight="medium">
            {t('picker.search-unavailable', {reason: explained.title})}
          </Text>
          <Text size={1}>{explained.description}</Text>
          <Text size={1} muted>
            {isUser ? t('picker.paste-still.user') : t('picker.paste-still.organization')}
          </Text>
        </Stack>
      </Card>
    )
  }
  if (props.waiting && props.resultCount === 0) {
    return (
      <Flex padding={3} gap={2} align="center" data-testid="clerk-picker-loading">
        <Spinner muted />
        <Text size={1} muted>
          {isUser ? t('picker.loading.user') : t('picker.loading.organization')}
        </Text>
      </Flex>
    )
  }
  if (!props.waiting && props.query && props.resultCount === 0) {
    return (
      <Box padding={3} data-testid="clerk-picker-empty">
        <Text size={1} muted>
          {isUser
            ? t('picker.empty.user', {query: props.query})
            : t('picker.empty.organization', {query: props.query})}
        </Text>
      </Box>
    )
  }
  return null
}

/** What the selected card says about the subject, also exposed as `data-status`. */
type SelectedState = 'loading' | 'deleted' | 'unknown' | 'banned' | 'locked' | 'found'

/** The chosen subject with what Clerk says about it now. */
export function SelectedSubjectCard({
  subject,
  readOnly,
  onClear,
  onResolved,
  replace,
}: {
  subject: string
  readOnly: boolean
  onClear: () => void
  /** Offers "Replace": search for another subject while this one stays set. */
  replace?: {active: boolean; onToggle: () => void}
  /** Called once Clerk has answered with the subject's profile. */
  onResolved?: (summary: SubjectSummary) => void
}): React.JSX.Element {
  const {hasToken} = useClerkAccess()
  const {t} = useClerkTranslation()
  const status = useSubjectStatus(subject)
  const summary = status.data?.user ?? status.data?.organization
  useEffect(() => {
    if (summary && onResolved) onResolved(summary)
  }, [summary, onResolved])
  const notFound =
    status.data?.status === 'deleted' ||
    (status.error instanceof ProxyError && status.error.status === 404)

  const state: SelectedState = status.isPending
    ? 'loading'
    : notFound
      ? 'deleted'
      : status.isError
        ? 'unknown'
        : summary && 'banned' in summary && summary.banned
          ? 'banned'
          : summary && 'locked' in summary && summary.locked
            ? 'locked'
            : 'found'
  const statusLine = {
    loading: (
      <Flex gap={2} align="center">
        <Spinner muted />
        <Text size={1} muted>
          {t('selected.checking')}
        </Text>
      </Flex>
    ),
    deleted: <Badge tone="critical">{t('panel.deleted-badge')}</Badge>,
    unknown: (
      <Text size={1} muted>
        {t('selected.unavailable', {reason: explainProxyError(status.error, {hasToken, t}).title})}
      </Text>
    ),
    banned: <Badge tone="critical">{t('subject.banned')}</Badge>,
    locked: <Badge tone="caution">{t('subject.locked')}</Badge>,
    found: <Badge tone="positive">{t('selected.found')}</Badge>,
  }[state]

  return (
    <Card padding={3} radius={2} border data-testid="clerk-selected-card" data-status={state}>
      <Flex align="center" gap={3}>
        {/* minWidth 0 lets long ids shrink instead of running under the status. */}
        <Stack flex={1} gap={3} style={{minWidth: 0}}>
          {summary ? (
            <SubjectSummaryRow summary={summary} />
          ) : (
            <Text size={1} textOverflow="ellipsis">
              <code>{subject}</code>
            </Text>
          )}
          <Box data-testid="clerk-selected-status">{statusLine}</Box>
        </Stack>
        {readOnly || !replace ? null : (
          <Button
            mode="ghost"
            text={replace.active ? t('selected.replace-cancel') : t('selected.replace')}
            aria-label={
              replace.active
                ? t('selected.replace-cancel-label', {subject})
                : t('selected.replace-label', {subject})
            }
            aria-pressed={replace.active}
            data-testid={replace.active ? 'clerk-picker-replace-cancel' : 'clerk-picker-replace'}
            onClick={replace.onToggle}
          />
        )}
        {readOnly ? null : (
          <Button
            icon={CloseIcon}
            mode="bleed"
            aria-label={t('selected.clear-label', {subject})}
            title={t('selected.clear')}
            data-testid="clerk-picker-clear"
            onClick={onClear}
          />
        )}
      </Flex>
    </Card>
  )
}

/** Input for `clerkUserId` fields. */
export function ClerkUserIdInput(props: StringInputProps): React.JSX.Element {
  return <ClerkSubjectInput {...props} kind="user" />
}

/** Input for `clerkOrganizationId` fields. */
export function ClerkOrganizationIdInput(props: StringInputProps): React.JSX.Element {
  return <ClerkSubjectInput {...props} kind="organization" />
}
