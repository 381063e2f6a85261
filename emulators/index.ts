export {}
export * from './clerk'
