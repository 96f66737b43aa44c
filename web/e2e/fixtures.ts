// Test helpers: the expected texts per language (written out here, not imported from the
// app, so that a wrong or missing translation fails a test) and a `lang` option that
// chooses the language the way a returning user would have: through localStorage.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test'
import {
  ENV_ADMIN_PASSWORD,
  ENV_ADMIN_USER,
  ENV_APP_AGENTID,
  ENV_APP_SECRET,
  ENV_CONTACTS_SECRET,
  ENV_CORPID,
} from './global-setup'
import { ENV_TEMP_DIR, serverBinary } from './server-paths'
import type { Locator } from '@playwright/test'
import qrcode from 'qrcode-generator'

export type Lang = 'zh-CN' | 'en'
export const LANGS: readonly Lang[] = ['zh-CN', 'en']
export const other = (lang: Lang): Lang => (lang === 'zh-CN' ? 'en' : 'zh-CN')

export const TEXT = {
  'zh-CN': {
    langName: '简体中文',
    memberTitle: '企业消息中心',
    memberWelcome: '欢迎！在这里接收组织的消息',
    adminTitle: 'corphub 管理后台',
    overview: '概览',
    directory: '通讯录',
    /** The console's menu for a super admin, in order. */
    sections: ['概览', '通讯录', '应用', '消息', '登录与激活', '审计日志', '管理员'],
    /** Menu sections shown but not there yet (disabled, "coming soon"): none at the moment. */
    futureMenu: [] as readonly string[],
    comingSoon: '即将推出',
    statusTitle: '服务器状态',
    operational: '正常',
    unavailable: '不可用',
    storageOk: '正常',
    storageDown: '异常',
    networkError: '无法连接到服务器，请检查网络后重试。',
    errorTitle: '无法获取服务器状态',
    retry: '重试',
    refresh: '刷新',
    notFound: '页面不存在',
    home: '返回首页',
    signedOut: '登录后即可查看组织发给你的消息。第一次登录会激活你的账号。',
    unread: (n: number) => `${n} 条未读`,
    recalled: '此消息已撤回',
    details: '详情',
    back: '返回',
    earlier: '查看更早的消息',
    imageLabel: '[图片]',
    messagesTitle: '消息',
    readOf: (read: number, total: number) => `${read} / ${total} 已读`,
    counts: (total: number, read: number, unread: number) => `共 ${total} 人，已读 ${read}，未读 ${unread}`,
    filterRead: '已读',
    filterUnread: '未读',
    unreadTag: '未读',
    recalledTag: '已撤回',
    uptime: /^\d+ (秒|分 \d+ 秒|小时 \d+ 分|天 \d+ 小时)$/,
  },
  en: {
    langName: 'English',
    memberTitle: 'corphub',
    memberWelcome: "Welcome! Your organisation's messages",
    adminTitle: 'corphub Admin Console',
    overview: 'Overview',
    directory: 'Directory',
    /** The console's menu for a super admin, in order. */
    sections: ['Overview', 'Directory', 'Apps', 'Messages', 'Sign-in', 'Audit log', 'Administrators'],
    futureMenu: [] as readonly string[],
    comingSoon: 'Coming soon',
    statusTitle: 'Server status',
    operational: 'Operational',
    unavailable: 'Unavailable',
    storageOk: 'OK',
    storageDown: 'Down',
    networkError: 'Could not reach the server. Check your connection and try again.',
    errorTitle: 'Could not get the server status',
    retry: 'Retry',
    refresh: 'Refresh',
    notFound: 'Page not found',
    home: 'Back to home',
    signedOut:
      'Sign in to see the messages your organisation sends you. Your first sign-in activates your account.',
    unread: (n: number) => `${n} unread`,
    recalled: 'This message was recalled',
    details: 'Details',
    back: 'Back',
    earlier: 'Show earlier messages',
    imageLabel: '[Image]',
    messagesTitle: 'Messages',
    readOf: (read: number, total: number) => `${read} of ${total} read`,
    counts: (total: number, read: number, unread: number) =>
      `${total} recipients: ${read} read, ${unread} unread`,
    filterRead: 'Read',
    filterUnread: 'Unread',
    unreadTag: 'Unread',
    recalledTag: 'Recalled',
    uptime: /^\d+ (s|min \d+ s|h \d+ min|d \d+ h)$/,
  },
} as const

export interface HealthReport {
  status: string
  version: string
  storage: { backend: string; ok: boolean }
  uptime_seconds: number
}

/** What the running server itself reports, to compare the page against. */
export async function serverHealth(request: APIRequestContext): Promise<HealthReport> {
  const response = await request.get('/healthz')
  expect(response.status(), 'the server should be healthy during the e2e run').toBe(200)
  return (await response.json()) as HealthReport
}

/** Opens the language switch and picks a language by its own name. */
export async function switchLanguage(page: Page, to: Lang): Promise<void> {
  await page.getByTestId('lang-switch').click()
  await page.getByRole('menuitem', { name: TEXT[to].langName }).click()
}

export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px viewport`).toBeLessThanOrEqual(
    innerWidth,
  )
}

// ---- The admin console's session ---------------------------------------------------------

export interface AdminCredentials {
  username: string
  password: string
}

/** The super admin global setup created (`corphub admin create`). */
export function e2eAdmin(): AdminCredentials {
  const username = process.env[ENV_ADMIN_USER]
  const password = process.env[ENV_ADMIN_PASSWORD]
  if (!username || !password) {
    throw new Error('corphub e2e: no admin account (global setup could not run `corphub admin create`)')
  }
  return { username, password }
}

/**
 * Another super admin, made now through the CLI against the running server's data (for tests
 * that lock an account or must not share one).
 */
export function createAdmin(username: string, password = `pw-${unique()}-secret`): AdminCredentials {
  const tempDir = process.env[ENV_TEMP_DIR]
  if (!tempDir) throw new Error('corphub e2e: global setup did not publish the data directory')
  const result = spawnSync(
    serverBinary(),
    ['admin', 'create', '--username', username, '--password-stdin', '--data', path.join(tempDir, 'data')],
    { input: `${password}\n`, encoding: 'utf8', timeout: 15_000 },
  )
  if (result.status !== 0) {
    throw new Error(`corphub admin create ${username} failed: ${result.stderr || result.error?.message}`)
  }
  return { username, password }
}

/** Logs a request context in (its cookie jar keeps the session); returns the CSRF token. */
export async function adminLogin(
  request: APIRequestContext,
  who: AdminCredentials = e2eAdmin(),
): Promise<string> {
  const response = await request.post('/admin/api/session', { data: who })
  expect(response.status(), `logging in as ${who.username}: ${await response.text()}`).toBe(200)
  const body = (await response.json()) as { csrf_token: string }
  return body.csrf_token
}

export interface ApiDepartment {
  id: number
  name: string
  parentid: number
  member_count: number
  total_count: number
}

export interface ApiMember {
  userid: string
  name: string
  status: number
  departments: { id: number; name: string }[]
  tags: { id: number; name: string }[]
}

/** The admin API as a script would use it, to check what the console did. */
export class AdminApi {
  private constructor(
    readonly request: APIRequestContext,
    private readonly csrf: string,
  ) {}

  static async login(request: APIRequestContext, who?: AdminCredentials): Promise<AdminApi> {
    return new AdminApi(request, await adminLogin(request, who))
  }

  async json<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, data?: unknown): Promise<T> {
    const response = await this.request.fetch(`/admin/api${url}`, {
      method,
      data,
      headers: method === 'GET' ? {} : { 'X-CSRF-Token': this.csrf },
    })
    expect(response.ok(), `${method} /admin/api${url}: ${response.status()} ${await response.text()}`).toBe(true)
    return (response.status() === 204 ? undefined : await response.json()) as T
  }

  async departments(): Promise<ApiDepartment[]> {
    return (await this.json<{ departments: ApiDepartment[] }>('GET', '/departments')).departments
  }

  async department(name: string): Promise<ApiDepartment | undefined> {
    return (await this.departments()).find((d) => d.name === name)
  }

  async members(query: Record<string, string | number> = {}): Promise<{ total: number; members: ApiMember[] }> {
    const params = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))
    return this.json('GET', `/members?${params}`)
  }
}

// ---- Test data through the WeCom-compatible API ------------------------------------------------

let counter = 0
/** A short suffix no other test (or run) uses: names and userids stay apart. */
export function unique(): string {
  counter += 1
  return `${Date.now().toString(36)}${process.pid.toString(36)}${counter.toString(36)}`
}

/** An 11-digit mobile number no other test uses. */
export function uniqueMobile(): string {
  counter += 1
  const digits = `${Date.now()}${process.pid}${counter}${Math.floor(Math.random() * 1e6)}`
  return `139${digits.slice(-8)}`
}

export interface NewMember {
  userid: string
  name: string
  department: number[]
  mobile?: string
  email?: string
  position?: string
}

/** A /cgi-bin POST with a token; the test fails unless WeCom's errcode is 0. */
async function cgiPost<T>(request: APIRequestContext, token: string, api: string, data: unknown): Promise<T> {
  const response = await request.post(`/cgi-bin/${api}`, { params: { access_token: token }, data })
  const body = (await response.json()) as T & { errcode: number }
  expect(body.errcode, `${api} ${JSON.stringify(data)}: ${JSON.stringify(body)}`).toBe(0)
  return body
}

export class WeCom {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  static async connect(request: APIRequestContext): Promise<WeCom> {
    const corpid = process.env[ENV_CORPID]
    const corpsecret = process.env[ENV_CONTACTS_SECRET]
    if (!corpid || !corpsecret) throw new Error('corphub e2e: no corpid/contacts secret from global setup')
    const response = await request.get('/cgi-bin/gettoken', { params: { corpid, corpsecret } })
    const body = (await response.json()) as { errcode: number; access_token: string }
    expect(body.errcode, JSON.stringify(body)).toBe(0)
    return new WeCom(request, body.access_token)
  }

  private call<T>(api: string, data: unknown): Promise<T> {
    return cgiPost<T>(this.request, this.token, api, data)
  }

  async createDepartment(name: string, parentid = 1): Promise<number> {
    return (await this.call<{ id: number }>('department/create', { name, parentid })).id
  }

  async createMember(member: NewMember): Promise<void> {
    await this.call('user/create', { mobile: uniqueMobile(), ...member })
  }

  /** user/get: true for a member, false for 60111 (not found). */
  async memberExists(userid: string): Promise<boolean> {
    const response = await this.request.get('/cgi-bin/user/get', {
      params: { access_token: this.token, userid },
    })
    const body = (await response.json()) as { errcode: number }
    expect([0, 60111], JSON.stringify(body)).toContain(body.errcode)
    return body.errcode === 0
  }

  async createTag(tagname: string): Promise<number> {
    return (await this.call<{ tagid: number }>('tag/create', { tagname })).tagid
  }
}

/** The app global setup made, sending through /cgi-bin with its own token. */
export class AppSender {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
    readonly agentid: number,
  ) {}

  static async connect(request: APIRequestContext): Promise<AppSender> {
    const corpid = process.env[ENV_CORPID]
    const corpsecret = process.env[ENV_APP_SECRET]
    const agentid = Number(process.env[ENV_APP_AGENTID])
    if (!corpid || !corpsecret || !agentid) throw new Error('corphub e2e: no app from global setup')
    const response = await request.get('/cgi-bin/gettoken', { params: { corpid, corpsecret } })
    const body = (await response.json()) as { errcode: number; access_token: string }
    expect(body.errcode, JSON.stringify(body)).toBe(0)
    return new AppSender(request, body.access_token, agentid)
  }

  private call<T>(api: string, data: unknown): Promise<T> {
    return cgiPost<T>(this.request, this.token, api, data)
  }

  /** message/send of one msgtype to `touser`; its msgid. */
  async send(touser: string, msgtype: string, content: unknown, extra: object = {}): Promise<string> {
    const body = { touser, msgtype, agentid: this.agentid, [msgtype]: content, ...extra }
    return (await this.call<{ msgid: string }>('message/send', body)).msgid
  }

  async recall(msgid: string): Promise<void> {
    await this.call('message/recall', { msgid })
  }

  async uploadImage(name: string, bytes: Buffer): Promise<string> {
    const response = await this.request.post('/cgi-bin/media/upload', {
      params: { access_token: this.token, type: 'image' },
      multipart: { media: { name, mimeType: 'image/png', buffer: bytes } },
    })
    const body = (await response.json()) as { errcode: number; media_id: string }
    expect(body.errcode, JSON.stringify(body)).toBe(0)
    return body.media_id
  }
}

/** Opens a member session in the page's browser context (the test-only route). */
export async function memberLogin(request: APIRequestContext, userid: string): Promise<void> {
  const response = await request.post('/testing/member-session', { data: { userid } })
  expect(response.status(), await response.text()).toBe(200)
}

// ---- The test fixture ---------------------------------------------------------------------

export const test = base.extend<{ lang: Lang | undefined; loggedIn: boolean }>({
  lang: [undefined, { option: true }],
  // The console asks for a session: by default each page starts logged in as the e2e admin
  // (its context's cookie jar holds the session). Login tests opt out.
  loggedIn: [true, { option: true }],
  page: async ({ page, lang, loggedIn }, use) => {
    if (loggedIn && process.env[ENV_ADMIN_USER]) await adminLogin(page.request)
    if (lang) {
      // Only when nothing is stored yet: a choice made during the test must survive reloads.
      await page.addInitScript((value) => {
        if (!window.localStorage.getItem('corphub.lang')) {
          window.localStorage.setItem('corphub.lang', value)
        }
      }, lang)
    }
    await use(page)
  },
})

export { expect }

/**
 * Second verification is one setting for the whole organisation, and the specs run side by
 * side on one server: a test that turns it on, and a test that activates a member and expects
 * the activation to go through at once, each take this turn (a lock directory beside the
 * server's data) around those steps. Returns the release.
 */
export async function secondVerificationTurn(): Promise<() => void> {
  const lock = path.join(process.env[ENV_TEMP_DIR] ?? '', 'second-verification.lock')
  const deadline = Date.now() + 60_000
  for (;;) {
    try {
      fs.mkdirSync(lock)
      return () => fs.rmSync(lock, { recursive: true, force: true })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    if (Date.now() > deadline) throw new Error(`corphub e2e: ${lock} was held for over a minute`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

// ---- QR codes ------------------------------------------------------------------------------

/** The modules of the QR code for `text` (auto size, error correction M), rows of '1' (dark). */
export function qrModules(text: string): string[] {
  const qr = qrcode(0, 'M')
  qr.addData(text, 'Byte')
  qr.make()
  const n = qr.getModuleCount()
  const rows: string[] = []
  for (let r = 0; r < n; r++) {
    let row = ''
    for (let c = 0; c < n; c++) row += qr.isDark(r, c) ? '1' : '0'
    rows.push(row)
  }
  return rows
}

/**
 * Reads the QR code a picture on the page shows back, module by module (drawn on a canvas,
 * a four-module white quiet zone around it), and expects the code of exactly `text`.
 */
export async function expectQrCodeOf(img: Locator, text: string): Promise<void> {
  const expected = qrModules(text)
  await expect(img).toBeVisible()
  await expect
    .poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0))
    .toBe(true)
  const seen = await img.evaluate((el, n) => {
    const image = el as HTMLImageElement
    const margin = 4
    const scale = 10
    const width = (n + 2 * margin) * scale
    const canvas = document.createElement('canvas')
    canvas.width = canvas.height = width
    const ctx = canvas.getContext('2d')!
    ctx.fillStyle = '#888'
    ctx.fillRect(0, 0, width, width)
    ctx.drawImage(image, 0, 0, width, width)
    const px = ctx.getImageData(0, 0, width, width).data
    const dark = (x: number, y: number) => px[(y * width + x) * 4]! < 100
    const light = (x: number, y: number) => px[(y * width + x) * 4]! > 200
    const rows: string[] = []
    for (let r = -margin; r < n + margin; r++) {
      let row = ''
      for (let c = -margin; c < n + margin; c++) {
        const x = (c + margin) * scale + scale / 2
        const y = (r + margin) * scale + scale / 2
        row += dark(x, y) ? '1' : light(x, y) ? '0' : '?'
      }
      rows.push(row)
    }
    return rows
  }, expected.length)
  const blank = '0'.repeat(expected.length + 8)
  const framed = [
    ...Array<string>(4).fill(blank),
    ...expected.map((row) => `0000${row}0000`),
    ...Array<string>(4).fill(blank),
  ]
  expect(seen, `the QR code on the page encodes ${text}`).toEqual(framed)
}

// ---- A second browser, for another administrator ----------------------------------------------

/**
 * A new browser context like the test's own (the project's viewport and touch, the language
 * chosen the way `lang` does), with nobody logged in: another administrator's browser.
 */
export async function newConsoleContext(
  browser: import('@playwright/test').Browser,
  lang?: Lang,
): Promise<import('@playwright/test').BrowserContext> {
  const use = test.info().project.use
  const context = await browser.newContext({
    baseURL: use.baseURL,
    viewport: use.viewport,
    isMobile: use.isMobile,
    hasTouch: use.hasTouch,
    deviceScaleFactor: use.deviceScaleFactor,
    locale: use.locale,
  })
  if (lang) {
    await context.addInitScript((value) => {
      if (!window.localStorage.getItem('corphub.lang')) window.localStorage.setItem('corphub.lang', value)
    }, lang)
  }
  return context
}
