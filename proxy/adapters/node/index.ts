export {
  createNodeRequestListener,
  createNodeServer,
  sendWebResponse,
  startNodeServer,
  toWebRequest,
  type RunningNodeServer,
} from './server'
