export {
  createNodeRequestListener,
  createNodeServer,
  sendWebResponse,
  startNodeServer,
  toWebRequest,
  type RunningNodeServer,
  type StartNodeServerOptions,
} from './server'
