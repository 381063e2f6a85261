/**
 * A self-signed certificate made at start (never stored in the repository): browsers need TLS
 * to speak HTTP/2, which the Studio needs for its many parallel listener streams.
 */
import {generate} from 'selfsigned'

export interface Certificate {
  key: string
  cert: string
}

export async function createCertificate(): Promise<Certificate> {
  const notAfterDate = new Date(Date.now() + 30 * 24 * 60 * 60 * 1000)
  const pems = await generate([{name: 'commonName', value: 'localhost'}], {
    keySize: 2048,
    algorithm: 'sha256',
    notAfterDate,
    extensions: [
      {name: 'basicConstraints', cA: true},
      {name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true},
      {name: 'extKeyUsage', serverAuth: true},
      {
        name: 'subjectAltName',
        altNames: [
          {type: 2, value: 'localhost'},
          {type: 2, value: '*.localhost'},
          {type: 7, ip: '127.0.0.1'},
        ],
      },
    ],
  })
  return {key: pems.private, cert: pems.cert}
}
