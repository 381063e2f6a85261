export {
  ARTIFACTS_DIR,
  blockExternalRequests,
  collectProblems,
  isLoopbackHost,
  launchBrowser,
  newStudioPage,
  type NewStudioPageOptions,
  type ProblemCollector,
  type StudioPage,
} from './browser'
export {
  buildStudio,
  serveStatic,
  type BuildStudioOptions,
  type BuiltStudio,
  type StaticServer,
} from './studio'
export {expectAccessible, scanAccessibility, type AxeViolation} from './axe'
export {waitFor} from './wait'
