import type {AccessRules, ClerkMetadataState, SizeReport, SubjectId} from './types'

const encoder = new TextEncoder()

function byteLength(value: unknown): number {
  return encoder.encode(JSON.stringify(value ?? {})).length
}

/**
 * Measures metadata as Clerk stores it: `bytes` counts public+private+unsafe together (the 8 KB
 * limit), `publicBytes` only the public part (what session claims carry, budget about 1.2 KB).
 */
export function measureMetadataSize(
  metadata: ClerkMetadataState,
  rules: Pick<AccessRules, 'sessionBudgetBytes' | 'limitBytes'>,
): SizeReport {
  const publicBytes = byteLength(metadata.publicMetadata)
  const bytes =
    publicBytes + byteLength(metadata.privateMetadata) + byteLength(metadata.unsafeMetadata)
  return {
    bytes,
    publicBytes,
    sessionBudget: rules.sessionBudgetBytes,
    limit: rules.limitBytes,
    overBudget: publicBytes > rules.sessionBudgetBytes,
    overLimit: bytes > rules.limitBytes,
  }
}

/** Thrown when a write would leave a subject's metadata above Clerk's limit. */
export class MetadataTooLargeError extends Error {
  readonly code = 'metadata_too_large'
  constructor(
    readonly subject: SubjectId,
    readonly size: SizeReport,
  ) {
    super(
      `Metadata for ${subject} would be ${size.bytes} bytes, above Clerk's limit of ${size.limit} ` +
        'bytes: grant fewer documents or shorten their slugs.',
    )
    this.name = 'MetadataTooLargeError'
  }
}

/**
 * Decides whether a write may go ahead. Refuses (throws {@link MetadataTooLargeError}) when the
 * result would be over the limit and larger than now: a write that shrinks metadata, such as a
 * revocation, is never blocked. Returns the size after the write.
 */
export function checkWritableSize(
  subject: SubjectId,
  before: SizeReport,
  after: SizeReport,
): SizeReport {
  if (after.overLimit && after.bytes > before.bytes) throw new MetadataTooLargeError(subject, after)
  return after
}
