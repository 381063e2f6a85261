export {
  DEFAULT_ENTITLEMENT_PAGE_SIZE,
  DEFAULT_SUBJECT_PAGE_SIZE,
  ENTITLEMENT_TYPE,
  SANITY_API_VERSION,
  createAccessQueries,
  createSanityReadClient,
  emailOf,
  subjectOf,
  type AccessQueries,
  type SanityReadClientConfig,
  type SubjectsOfDocument,
  type SubjectsRead,
} from './queries'
export {
  createSanityReader,
  SanityRequestError,
  type SanityQueryOptions,
  type SanityReader,
  type SanityReaderConfig,
} from './transport'
