import {describe, expect, it} from 'vitest'

import {clerkProxyOptionsFromEnv, resolveClerkProxyOptions, type ClerkProxyOptions} from './options'

const SECRET = 'sk_test_SuperSecretValue42'
const valid: ClerkProxyOptions = {
  clerkSecretKey: SECRET,
  sanity: {projectId: 'abc123', dataset: 'production', token: 'skReadToken'},
  allowedOrigins: ['https://studio.example.com/'],
}

function messageOf(options: unknown): string {
  try {
    resolveClerkProxyOptions(options as ClerkProxyOptions)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the options to be refused')
}

describe('resolveClerkProxyOptions', () => {
  it('applies defaults', () => {
    const resolved = resolveClerkProxyOptions(valid)
    expect(resolved).toMatchObject({
      basePath: '',
      allowedOrigins: ['https://studio.example.com'],
      webhookToleranceMs: 300_000,
      identityCacheTtlMs: 30_000,
      bodyLimitBytes: 65_536,
      rateLimit: {requests: 300, windowMs: 60_000},
      clientRateLimit: {requests: 60, windowMs: 60_000},
      clientAddress: undefined,
      identityFailureCacheTtlMs: 10_000,
      identityCacheSize: 1_000,
      sanity: {apiVersion: '2025-02-19'},
    })
    expect(resolved.rules.grantableTypes).toEqual([
      {type: 'course', slugField: 'slug', metadataKey: 'courseSlugs'},
    ])
    expect(resolved.rolePermissions.administrator).toContain('readPrivate')
  })

  it.each([
    [{...valid, clerkSecretKey: ''}, '"clerkSecretKey" is required'],
    [{...valid, clerkSecretKey: 'pk_test_abc'}, 'publishable key'],
    [{...valid, clerkSecretKey: `${SECRET} `}, 'whitespace'],
    [{...valid, sanity: undefined}, '"sanity" is required'],
    [{...valid, sanity: {...valid.sanity, projectId: ''}}, '"sanity.projectId" is required'],
    [{...valid, sanity: {...valid.sanity, projectId: 'Bad Id'}}, '"sanity.projectId" is not'],
    [{...valid, sanity: {...valid.sanity, dataset: 'a/b'}}, '"sanity.dataset" is not'],
    [{...valid, sanity: {...valid.sanity, token: undefined}}, '"sanity.token" is required'],
    [{...valid, sanity: {...valid.sanity, apiHost: 'localhost:3333'}}, '"sanity.apiHost" must be'],
    [{...valid, sanity: {...valid.sanity, apiVersion: 'latest'}}, '"sanity.apiVersion"'],
    [{...valid, clerkApiUrl: 'ftp://clerk'}, '"clerkApiUrl" must be http(s)'],
    [{...valid, basePath: 'api/clerk'}, '"basePath"'],
    [{...valid, basePath: '/api/../clerk'}, '"basePath"'],
    [{...valid, allowedOrigins: undefined}, '"allowedOrigins" is required'],
    [
      {...valid, allowedOrigins: ['studio.example.com']},
      '"allowedOrigins[0]" must be an http(s) origin',
    ],
    [{...valid, webhookSecret: ''}, '"webhookSecret" is required'],
    [{...valid, webhookToleranceMs: -1}, '"webhookToleranceMs" must be a positive number'],
    [
      {...valid, rolePermissions: {editor: ['write']}},
      '"rolePermissions.editor" must be an array of',
    ],
    [{...valid, rules: {namespace: 'not valid'}}, '"rules" are invalid'],
    [{...valid, rateLimit: {requests: 0, windowMs: 1}}, '"rateLimit.requests"'],
    [{...valid, clientRateLimit: {requests: 5, windowMs: 0}}, '"clientRateLimit.windowMs"'],
    [
      {...valid, clientRateLimit: {requests: 5, windowMs: 1, trackedCallers: -1}},
      '"clientRateLimit.trackedCallers"',
    ],
    [{...valid, clientRateLimit: true}, '"clientRateLimit" must be {requests, windowMs} or false'],
    [{...valid, clientAddress: {header: 'x forwarded'}}, '"clientAddress.header"'],
    [
      {...valid, clientAddress: {header: 'x-forwarded-for', trustedProxies: 0}},
      '"clientAddress.trustedProxies"',
    ],
    [{...valid, identityFailureCacheTtlMs: -5}, '"identityFailureCacheTtlMs"'],
    [{...valid, identityCacheSize: 0}, '"identityCacheSize"'],
    [{...valid, now: 5}, '"now" must be a function'],
    [{...valid, bodyLimitBytes: 1e12}, '"bodyLimitBytes" must be a positive number up to'],
    [{...valid, logger: {warn: () => {}}}, '"logger.info" must be a function'],
  ])('refuses invalid options, naming the option (%#)', (options, expected) => {
    const message = messageOf(options)
    expect(message).toContain('sanity-plugin-clerk/proxy')
    expect(message).toContain(expected)
    expect(message).not.toContain(SECRET)
  })

  it('accepts basePath with a trailing slash and identityCacheTtlMs 0', () => {
    const resolved = resolveClerkProxyOptions({
      ...valid,
      basePath: '/api/clerk/',
      identityCacheTtlMs: 0,
    })
    expect(resolved.basePath).toBe('/api/clerk')
    expect(resolved.identityCacheTtlMs).toBe(0)
  })
})

describe('clerkProxyOptionsFromEnv', () => {
  const env = {
    CLERK_SECRET_KEY: SECRET,
    SANITY_PROJECT_ID: 'abc123',
    SANITY_DATASET: 'production',
    SANITY_TOKEN: 'skReadToken',
  }

  it('reads the required variables and the optional ones when set', () => {
    const options = clerkProxyOptionsFromEnv({
      ...env,
      CLERK_API_URL: 'http://127.0.0.1:4010',
      SANITY_API_HOST: 'https://localhost:3333',
      SANITY_WEBHOOK_SECRET: 'whsec',
      CLERK_PROXY_ALLOWED_ORIGINS: 'https://a.example, http://localhost:3333 ,',
      CLERK_PROXY_BASE_PATH: '/api/clerk',
      CLERK_PROXY_NAMESPACE: 'access',
      CLERK_PROXY_GRANTABLE_TYPES: 'course,lesson:key:lessonKeys',
    })
    expect(options).toEqual({
      clerkSecretKey: SECRET,
      clerkApiUrl: 'http://127.0.0.1:4010',
      sanity: {
        projectId: 'abc123',
        dataset: 'production',
        token: 'skReadToken',
        apiHost: 'https://localhost:3333',
      },
      allowedOrigins: ['https://a.example', 'http://localhost:3333'],
      webhookSecret: 'whsec',
      basePath: '/api/clerk',
      rules: {
        namespace: 'access',
        grantableTypes: [
          {type: 'course'},
          {type: 'lesson', slugField: 'key', metadataKey: 'lessonKeys'},
        ],
      },
    })
    expect(() => resolveClerkProxyOptions(options)).not.toThrow()
  })

  it.each(['CLERK_SECRET_KEY', 'SANITY_PROJECT_ID', 'SANITY_DATASET', 'SANITY_TOKEN'])(
    'names %s when it is missing or blank',
    (name) => {
      expect(() => clerkProxyOptionsFromEnv({...env, [name]: '  '})).toThrow(
        `environment variable ${name} is not set`,
      )
    },
  )

  it('lets explicit overrides win over the environment', () => {
    expect(
      clerkProxyOptionsFromEnv({...env, CLERK_PROXY_BASE_PATH: '/x'}, {basePath: '/api/clerk'})
        .basePath,
    ).toBe('/api/clerk')
  })
})
