/**
 * A member's browser without the browser, for tests and benches: a cookie jar, sign-in, the
 * token refresh the page's script does, and which courses the page shows open.
 */
export class MemberClient {
  readonly cookies = new Map<string, string>()

  constructor(readonly siteUrl: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    const response = await fetch(`${this.siteUrl}${path}`, {
      ...init,
      redirect: 'manual',
      headers: {...init.headers, cookie},
    })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const at = pair.indexOf('=')
      const name = pair.slice(0, at)
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(at + 1))
    }
    return response
  }

  /** A document navigation as Chromium sends it (only those get Clerk's handshake). */
  async page(path = '/'): Promise<{status: number; html: string}> {
    const navigation = {headers: {accept: 'text/html', 'sec-fetch-dest': 'document'}}
    let response = await this.request(path, navigation)
    if (response.status === 303) {
      response = await this.request(response.headers.get('location') ?? '/', navigation)
    }
    return {status: response.status, html: await response.text()}
  }

  async signIn(userId: string): Promise<void> {
    const response = await this.request('/sign-in', {
      method: 'POST',
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: new URLSearchParams({userId}).toString(),
    })
    if (response.status !== 303) throw new Error(`sign-in answered ${response.status}`)
  }

  /** What the page's script does every refresh interval: a new token, then the content. */
  async refreshAndRead(): Promise<string> {
    const refreshed = await this.request('/session/refresh', {method: 'POST'})
    if (refreshed.status !== 200) throw new Error(`refresh answered ${refreshed.status}`)
    return (await this.page('/content')).html
  }
}

/** The slugs of the courses a member page shows open, sorted. */
export function openCourses(html: string): string[] {
  return [...html.matchAll(/data-course="([^"]+)" data-open="true"/g)]
    .map((match) => match[1] as string)
    .sort()
}
