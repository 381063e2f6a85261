/** The member site's HTML. Everything from data is escaped; the only script refreshes the token. */
import type {MemberAccess} from '../../app'
import type {DemoMember} from './server'

export interface CourseView {
  slug: string
  title: string
  open: boolean
  /** The course content, only for open courses (fetched through the entitled filter). */
  content: string | null
}

export interface MemberView {
  name: string
  access: MemberAccess
  courses: CourseView[]
  /** Plan-gated content: `can(access, {plan: 'pro'})`, so Enterprise opens it too. */
  proCorner: boolean
  renderedAt: Date
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[char] ?? char,
  )
}

const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f8;color:#1b1b1f}
header{background:#1b1b1f;color:#fff;padding:12px 24px;display:flex;gap:16px;align-items:center}
header h1{font-size:18px;margin:0;flex:1}
main{max-width:880px;margin:24px auto;padding:0 24px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px}
.card{background:#fff;border-radius:8px;padding:12px 16px;border:1px solid #ddd}
.card.locked{opacity:.6}
.facts{font-size:14px;color:#555}
button{font:inherit;padding:6px 12px;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
.notice{background:#fde8e8;border:1px solid #e0a0a0;padding:8px 12px;border-radius:6px}
`

function layout(title: string, body: string, script = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}${script ? `<script>${script}</script>` : ''}</body></html>`
}

/** The sign-in page: one button per demo member (a real Clerk session each). */
export function renderSignIn(members: DemoMember[], notice: string | null): string {
  const buttons = members
    .map(
      (member) => `<form method="post" action="/sign-in" class="card">
  <input type="hidden" name="userId" value="${escapeHtml(member.id)}">
  <strong>${escapeHtml(member.name)}</strong><br><span class="facts">${escapeHtml(member.email)}</span><br>
  <button type="submit" data-sign-in="${escapeHtml(member.email)}">Sign in as ${escapeHtml(member.name)}</button>
</form>`,
    )
    .join('\n')
  return layout(
    'Member site: sign in',
    `<header><h1>Clerk Academy (demo member site)</h1></header><main>
${notice ? `<p class="notice" data-refused>${escapeHtml(notice)}</p>` : ''}
<p>Pick a demo member. Signing in creates a real session in the Clerk emulator; its token sits in the
<code>__session</code> cookie and is verified by <code>@clerk/backend</code> on every request.</p>
<div class="grid">${buttons}</div></main>`,
  )
}

const time = (date: Date | null) => (date ? date.toISOString().slice(11, 19) : '–')

/** The part of the page the refresh script re-reads after each token refresh. */
export function renderContent({access, courses, proCorner, renderedAt}: MemberView): string {
  const organization = access.organization
    ? `${escapeHtml(access.organization.slug ?? access.organization.id)} (${escapeHtml(access.organization.role ?? '')})`
    : 'none'
  const cards = courses
    .map((course) =>
      course.open
        ? `<article class="card" data-course="${escapeHtml(course.slug)}" data-open="true">
  <h3>${escapeHtml(course.title)}</h3><p>${escapeHtml(course.content ?? '')}</p></article>`
        : `<article class="card locked" data-course="${escapeHtml(course.slug)}" data-open="false">
  <h3>🔒 ${escapeHtml(course.title)}</h3><p class="facts">Locked: ask an editor for access.</p></article>`,
    )
    .join('\n')
  return `<section class="facts" data-claims-issued-at="${access.issuedAt?.toISOString() ?? ''}">
Plan <strong data-plan>${escapeHtml(access.plan ?? 'none')}</strong> ·
role <strong>${escapeHtml(access.role ?? 'none')}</strong> · organization ${organization} ·
claims issued <strong>${time(access.issuedAt)}</strong>, expire ${time(access.expiresAt)} (UTC) ·
page updated ${time(renderedAt)}
</section>
<h2>Courses</h2><div class="grid">${cards}</div>
<h2>Pro corner</h2><p class="card${proCorner ? '' : ' locked'}" data-perk="pro" data-open="${proCorner}">${
    proCorner
      ? 'Office hours and recordings for Pro and higher plans.'
      : '🔒 For Pro and higher plans.'
  }</p>`
}

/**
 * The signed-in page. Its script does what Clerk's frontend does for session tokens: mint a new
 * one before the old expires (`POST /session/refresh`), then re-read the content with it.
 */
export function renderPage(view: MemberView, refreshMs: number): string {
  const script = `
const content = document.getElementById('content')
async function refreshToken() {
  const refreshed = await fetch('/session/refresh', {method: 'POST'})
  if (refreshed.status === 401) return location.assign('/')
  const page = await fetch('/content')
  if (page.ok) content.innerHTML = await page.text()
}
setInterval(() => refreshToken().catch(() => {}), ${Math.round(refreshMs)})`
  return layout(
    `Member site: ${view.name}`,
    `<header><h1>Clerk Academy</h1><span data-member>${escapeHtml(view.name)}</span>
<form method="post" action="/sign-out"><button type="submit">Sign out</button></form></header>
<main id="content">${renderContent(view)}</main>`,
    script,
  )
}
