export {
  DEFAULT_ENTITLEMENT_PAGE_SIZE,
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
