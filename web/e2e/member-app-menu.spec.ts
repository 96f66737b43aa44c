// An app's menu in the member client, in each language on a 375×667 screen, against the real
// server: the console's API sets a menu (a click button, a submenu holding a view button and a
// scan button, a photo button) and turns on the report of entering; the member opens the app's
// conversation and the client tells the app (`enter_agent`), shows the three buttons, reports a
// click with its key and says it was sent, opens the submenu, reports its view button with its
// URL and opens the page in a new window without an opener; what the web client cannot do is
// shown disabled, said in words, and reports nothing. The server answers 202 `{"queued": false}`
// (the app has no callback). Once the menu is deleted no bar shows. Every test makes its own app
// (`corphub app create` on the server's data), so that tests running side by side, and the
// inbox's tests on the shared app, do not see each other's menus.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { APIRequestContext, Page, Request } from '@playwright/test'
import {
  LANGS,
  WeCom,
  adminLogin,
  expect,
  expectNoHorizontalOverflow,
  memberLogin,
  test,
  unique,
} from './fixtures'
import { ENV_CORPID } from './global-setup'
import { ENV_TEMP_DIR, serverBinary } from './server-paths'

const WORDS = {
  'zh-CN': {
    sent: '已发送',
    home: '应用主页',
    cancel: '取消',
    unsupported: '网页版暂不支持此功能',
  },
  en: {
    sent: 'Sent',
    home: 'Home page',
    cancel: 'Cancel',
    unsupported: 'Not supported in the web client',
  },
} as const

const HELP_URL = 'https://help.example.com/start?from=menu'
const HOME_URL = 'https://oa.example.com/home'

const MENU = {
  button: [
    { type: 'click', name: '签到', key: 'checkin' },
    {
      name: '更多',
      sub_button: [
        { type: 'view', name: '帮助中心', url: HELP_URL },
        { type: 'scancode_push', name: '扫一扫', key: 'scan' },
      ],
    },
    { type: 'pic_sysphoto', name: '拍照', key: 'photo' },
  ],
}

// ---- Data ---------------------------------------------------------------------------------------

/** A new app made on the running server's data, as an operator would; its agentid and secret. */
function createApp(name: string): { agentid: number; secret: string } {
  const tempDir = process.env[ENV_TEMP_DIR]
  if (!tempDir) throw new Error('corphub e2e: global setup did not publish the data directory')
  const made = spawnSync(serverBinary(), ['app', 'create', '--name', name, '--json', '--data', path.join(tempDir, 'data')], {
    encoding: 'utf8',
    timeout: 15_000,
  })
  expect(made.status, `corphub app create ${name}: ${made.stderr || made.error?.message}`).toBe(0)
  const line = (made.stdout ?? '').split('\n').find((l) => l.trim().startsWith('{'))
  const app = JSON.parse(line ?? '{}') as { agentid: number; secret: string }
  expect(typeof app.agentid).toBe('number')
  return app
}

/** message/send of a text through the app, with its own token: the member's conversation. */
async function sendText(request: APIRequestContext, app: { agentid: number; secret: string }, touser: string) {
  const token = await request.get('/cgi-bin/gettoken', {
    params: { corpid: process.env[ENV_CORPID] ?? '', corpsecret: app.secret },
  })
  const { errcode, access_token } = (await token.json()) as { errcode: number; access_token: string }
  expect(errcode).toBe(0)
  const sent = await request.post('/cgi-bin/message/send', {
    params: { access_token },
    data: { touser, msgtype: 'text', agentid: app.agentid, text: { content: '欢迎使用菜单' } },
  })
  const body = (await sent.json()) as { errcode: number }
  expect(body.errcode, JSON.stringify(body)).toBe(0)
}

/** The console's API with a session of its own in this request context. */
async function consoleApi(request: APIRequestContext) {
  const csrf = await adminLogin(request)
  return async (method: 'PUT' | 'PATCH' | 'DELETE', url: string, data?: unknown): Promise<void> => {
    const response = await request.fetch(`/admin/api${url}`, { method, data, headers: { 'X-CSRF-Token': csrf } })
    expect(response.ok(), `${method} /admin/api${url}: ${response.status()} ${await response.text()}`).toBe(true)
  }
}

/** The app as the member's client reads it. */
async function memberApp(request: APIRequestContext, agentid: number): Promise<{ menu: unknown; report_enter: boolean }> {
  const response = await request.get(`/api/v1/apps/${agentid}`)
  expect(response.status(), await response.text()).toBe(200)
  return (await response.json()) as { menu: unknown; report_enter: boolean }
}

// ---- The page -----------------------------------------------------------------------------------

/** The next event the page reports to the app with this body; its request once answered 202. */
async function expectEvent(page: Page, agentid: number, body: object, act: () => Promise<unknown>): Promise<Request> {
  const reported = page.waitForRequest(
    (r) =>
      r.method() === 'POST' &&
      new URL(r.url()).pathname === `/api/v1/apps/${agentid}/events` &&
      JSON.stringify(r.postDataJSON()) === JSON.stringify(body),
  )
  await act()
  const request = await reported
  const response = await request.response()
  expect(response?.status()).toBe(202)
  expect(await response?.json()).toEqual({ queued: false })
  expect(request.headers()['x-csrf-token']).toBeTruthy()
  return request
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`member app menu (${lang})`, () => {
    test.use({ lang, viewport: { width: 375, height: 667 } })

    test('shows the menu, reports entering, clicks and pages; no bar once deleted', async ({ page, context, request }) => {
      const sfx = unique()
      const app = createApp(`菜单应用${sfx}`)
      const contacts = await WeCom.connect(request)
      const userid = `menu-${sfx}`
      await contacts.createMember({ userid, name: '菜单用户', department: [1] })
      await sendText(request, app, userid)

      const api = await consoleApi(request)
      await api('PUT', `/apps/${app.agentid}/menu`, MENU)
      await api('PATCH', `/apps/${app.agentid}`, { isreportenter: true, home_url: HOME_URL })
      await memberLogin(page.request, userid)
      await expect.poll(async () => (await memberApp(page.request, app.agentid)).report_enter).toBe(true)

      // Events to the app, counted: nothing is reported for what the web client cannot do.
      const events: unknown[] = []
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === `/api/v1/apps/${app.agentid}/events`) {
          events.push(r.postDataJSON())
        }
      })

      // Opening the conversation tells the app the member came in.
      await expectEvent(page, app.agentid, { event: 'enter_agent' }, () => page.goto(`/c/${app.agentid}`))
      await expect(page.getByTestId('message')).toHaveCount(1)

      const bar = page.getByTestId('app-menu')
      const buttons = bar.getByTestId('app-menu-button')
      await expect(buttons).toHaveText(['签到', '更多', '拍照'])
      await expect(buttons.nth(0)).not.toHaveAttribute('aria-disabled', 'true')
      await expect(buttons.nth(2)).toHaveAttribute('aria-disabled', 'true')
      await expect(buttons.nth(2)).toHaveAttribute('title', tx.unsupported)
      // The three side by side, inside the screen, at its bottom.
      const boxes = await Promise.all([0, 1, 2].map(async (i) => (await buttons.nth(i).boundingBox())!))
      expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBe(1)
      expect(boxes[2]!.x + boxes[2]!.width).toBeLessThanOrEqual(375)
      expect(boxes[0]!.y + boxes[0]!.height).toBeGreaterThan(667 - 60)
      await expectNoHorizontalOverflow(page)

      // The home page, in the conversation's header.
      const home = page.getByTestId('app-home')
      await expect(home).toHaveText(tx.home)
      await expect(home).toHaveAttribute('href', HOME_URL)
      await expect(home).toHaveAttribute('target', '_blank')

      // A click button: its key reported, and said to be sent.
      await expectEvent(page, app.agentid, { event: 'click', key: 'checkin' }, () => buttons.nth(0).click())
      await expect(page.locator('.van-toast').filter({ hasText: tx.sent })).toBeVisible()

      // A button the web client cannot do (disabled, so tapped by force): said in words, nothing
      // reported.
      await buttons.nth(2).click({ force: true })
      await expect(page.locator('.van-toast').filter({ hasText: tx.unsupported })).toBeVisible()

      // The submenu: its leaves in a sheet; the scan button disabled with the hint.
      await buttons.nth(1).click()
      const items = page.getByTestId('app-submenu-item')
      await expect(items).toHaveCount(2)
      await expect(items.nth(0)).toHaveText('帮助中心')
      await expect(items.nth(0)).toBeEnabled()
      await expect(items.nth(1)).toBeDisabled()
      await expect(items.nth(1)).toContainText('扫一扫')
      await expect(items.nth(1).getByTestId('app-menu-unsupported')).toHaveText(tx.unsupported)
      await expect(page.getByRole('button', { name: tx.cancel })).toBeVisible()
      await expectNoHorizontalOverflow(page)

      // Its view button: the URL reported, then opened in a new window that has no opener.
      await context.route('https://help.example.com/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<title>help</title><p>help</p>' }),
      )
      const popupOpened = context.waitForEvent('page')
      await expectEvent(page, app.agentid, { event: 'view', key: HELP_URL }, () => items.nth(0).click())
      const popup = await popupOpened
      await popup.waitForLoadState()
      expect(popup.url()).toBe(HELP_URL)
      expect(await popup.evaluate(() => window.opener)).toBeNull()
      await popup.close()
      await expect(items.first()).toBeHidden()

      expect(events).toEqual([
        { event: 'enter_agent' },
        { event: 'click', key: 'checkin' },
        { event: 'view', key: HELP_URL },
      ])

      // The menu deleted: no bar, and the conversation as before.
      await api('DELETE', `/apps/${app.agentid}/menu`)
      await expect.poll(async () => (await memberApp(page.request, app.agentid)).menu).toBeNull()
      const loaded = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/apps/${app.agentid}`)
      await page.reload()
      expect((await loaded).status()).toBe(200)
      await expect(page.getByTestId('message')).toHaveCount(1)
      await expect(page.getByTestId('app-menu')).toHaveCount(0)
      await expect(page.getByTestId('app-home')).toHaveAttribute('href', HOME_URL)
    })

    test('an app the server does not know shows no menu bar, the thread still opens', async ({ page, request }) => {
      // An app the server does not know: 404, and the thread still opens.
      const sfx = unique()
      const contacts = await WeCom.connect(request)
      const userid = `nomenu-${sfx}`
      await contacts.createMember({ userid, name: '无菜单', department: [1] })
      await memberLogin(page.request, userid)
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/apps/999999')
      await page.goto('/c/999999')
      expect((await answered).status()).toBe(404)
      await expect(page.getByTestId('thread')).toBeVisible()
      await expect(page.getByTestId('app-menu')).toHaveCount(0)
      await expect(page.getByTestId('app-home')).toHaveCount(0)
    })
  })
}
