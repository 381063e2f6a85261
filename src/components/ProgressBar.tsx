import {Box, Card} from '@sanity/ui'

/** A thin progress bar; `fraction` null means "unknown total" (shown as a full, muted bar). */
export function ProgressBar({
  fraction,
  label,
  testId,
}: {
  fraction: number | null
  label: string
  testId?: string
}): React.JSX.Element {
  const percent = fraction === null ? null : Math.round(Math.min(Math.max(fraction, 0), 1) * 100)
  return (
    <Card
      radius={2}
      tone="transparent"
      border
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      data-testid={testId}
      style={{height: 8, overflow: 'hidden'}}
    >
      <Box
        style={{
          height: '100%',
          width: `${percent ?? 100}%`,
          opacity: percent === null ? 0.4 : 1,
          background: 'var(--card-focus-ring-color, #2276fc)',
          transition: 'width 200ms ease-out',
        }}
      />
    </Card>
  )
}
