// An app's settings and menu on the Apps page (应用), in each language, against the real server:
// a super admin edits the settings (name, description, home page, trusted domain, the reports),
// kept after a reload, the logo shown; a bad description is said under the field before anything
// is sent, and what the server refuses anyway is shown with its own message; a menu with a click
// button and a submenu holding a view button is built on a 375×667 screen, saved, kept after a
// reload and stored exactly as WeCom's menu JSON (the console's API and /cgi-bin/menu/get agree);
// a name over 16 bytes is refused in the browser; the menu is deleted; the app is closed (its
// token answers 50003) and reopened; an administrator with only the send right sees both sections
// read-only. Every test makes its own app (`corphub app create` on the server's data).
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  adminLogin,
  expect,
  expectNoHorizontalOverflow,
  newConsoleContext,
  test,
  unique,
} from './fixtures'
import { ENV_CORPID } from './global-setup'
import { ENV_TEMP_DIR, serverBinary } from './server-paths'

const WORDS = {
  'zh-CN': {
    yes: '是',
    no: '否',
    notSet: '未设置',
    open: '正常',
    closed: '已停用',
    cancel: '取消',
    settingsSaved: (name: string) => `已保存「${name}」的设置`,
    chars: (n: number, max: number) => `${n} / ${max} 字`,
    descriptionLength: (n: number) => `应用介绍需要 4 到 120 个字（现在 ${n} 个），或者不填`,
    settingsFailed: '设置没有保存',
    serverDescription: '应用介绍需要 4 到 120 个字，或者不填；设置没有保存。',
    menuEmpty: '未设置菜单',
    menuCreate: '设置菜单',
    menuEdit: '修改菜单',
    menuSaved: (name: string) => `已保存「${name}」的菜单`,
    menuDeleted: (name: string) => `已删除「${name}」的菜单`,
    deleteMenu: '删除菜单',
    click: '点击推送事件',
    view: '打开网页',
    submenu: '子菜单',
    bytes: (n: number, max: number) => `${n} / ${max} 字节`,
    nameTooLong: (n: number) => `名称最多 16 字节（现在 ${n} 字节）`,
    problemCount: (n: number) => `还有 ${n} 处需要修改，菜单没有保存。`,
    menuFailed: '菜单没有保存',
    serverName: '菜单 2.1：菜单名称的长度不符合要求（一级菜单 1 到 16 字节，子菜单项 1 到 40 字节）。',
    close: '停用应用',
    reopen: '启用应用',
    closeConfirm: '错误码 50003',
    closedDone: (name: string) => `「${name}」已停用`,
    reopenedDone: (name: string) => `「${name}」已启用`,
    closedNote: '这个应用已停用：它的 access_token 不能使用（接口返回错误码 50003），也不能通过它发送消息。',
    readOnly: '你对这个应用只有“发消息”权限：这里只能查看它的设置，修改需要“管理”权限。',
  },
  en: {
    yes: 'Yes',
    no: 'No',
    notSet: 'Not set',
    open: 'Open',
    closed: 'Closed',
    cancel: 'Cancel',
    settingsSaved: (name: string) => `Settings of ${name} saved`,
    chars: (n: number, max: number) => `${n} of ${max} characters`,
    descriptionLength: (n: number) => `The description takes 4 to 120 characters (now ${n}), or none at all`,
    settingsFailed: 'The settings were not saved',
    serverDescription: 'The description takes 4 to 120 characters, or none at all; the settings were not saved.',
    menuEmpty: 'No menu',
    menuCreate: 'Set up a menu',
    menuEdit: 'Change the menu',
    menuSaved: (name: string) => `Menu of ${name} saved`,
    menuDeleted: (name: string) => `Menu of ${name} deleted`,
    deleteMenu: 'Delete the menu',
    click: 'Send a click event',
    view: 'Open a web page',
    submenu: 'Submenu',
    bytes: (n: number, max: number) => `${n} of ${max} bytes`,
    nameTooLong: (n: number) => `The name takes at most 16 bytes (now ${n})`,
    problemCount: (n: number) => `Still to fix: ${n}. The menu was not saved.`,
    menuFailed: 'The menu was not saved',
    serverName: 'Button 2.1: A name is too long or empty (1 to 16 bytes at the top, 1 to 40 in a submenu).',
    close: 'Close the app',
    reopen: 'Reopen the app',
    closeConfirm: 'error 50003',
    closedDone: (name: string) => `${name} closed`,
    reopenedDone: (name: string) => `${name} reopened`,
    closedNote: 'This app is closed: its access tokens do not work (calls answer error 50003) and nothing can be sent through it.',
    readOnly: 'You have the Send right over this app: you may see its settings here; changing them needs the Manage right.',
  },
} as const

// A 1×1 PNG, for the logo.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

interface ApiApp {
  agentid: number
  name: string
  description: string
  closed: boolean
  logo_url: string
  redirect_domain: string
  home_url: string
  report_location_flag: number
  isreportenter: boolean
  isreportuser: boolean
  menu: unknown
}

// ---- Data ---------------------------------------------------------------------------------------

/** A new app made on the running server's data, as an operator would; its agentid and secret. */
function createApp(name: string): { agentid: number; secret: string; name: string } {
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
  return { ...app, name }
}

/** /cgi-bin/gettoken with the app's secret: WeCom's answer. */
async function getToken(request: APIRequestContext, secret: string): Promise<{ errcode: number; access_token?: string }> {
  const response = await request.get('/cgi-bin/gettoken', { params: { corpid: process.env[ENV_CORPID] ?? '', corpsecret: secret } })
  return (await response.json()) as { errcode: number; access_token?: string }
}

/** A /cgi-bin GET with the app's token: WeCom's answer. */
async function cgiGet<T = { errcode: number }>(
  request: APIRequestContext,
  token: string,
  api: string,
  params: Record<string, string | number>,
): Promise<T> {
  const response = await request.get(`/cgi-bin/${api}`, { params: { access_token: token, ...params } })
  return (await response.json()) as T
}

/** The logo, set as agent/set sets it: an image of media/upload. */
async function setLogo(request: APIRequestContext, agentid: number, secret: string): Promise<void> {
  const { access_token: token } = await getToken(request, secret)
  const uploaded = await request.post('/cgi-bin/media/upload', {
    params: { access_token: token!, type: 'image' },
    multipart: { media: { name: 'logo.png', mimeType: 'image/png', buffer: PNG } },
  })
  const media = (await uploaded.json()) as { errcode: number; media_id: string }
  expect(media.errcode, JSON.stringify(media)).toBe(0)
  const set = await request.post('/cgi-bin/agent/set', {
    params: { access_token: token! },
    data: { agentid, logo_mediaid: media.media_id },
  })
  expect(((await set.json()) as { errcode: number }).errcode).toBe(0)
}

/** The console's API with a session of its own in this request context (PUT included). */
async function consoleApi(request: APIRequestContext) {
  const csrf = await adminLogin(request)
  return async <T>(method: 'GET' | 'PUT' | 'PATCH' | 'DELETE', url: string, data?: unknown): Promise<T> => {
    const response = await request.fetch(`/admin/api${url}`, {
      method,
      data,
      headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf },
    })
    expect(response.ok(), `${method} /admin/api${url}: ${response.status()} ${await response.text()}`).toBe(true)
    return (await response.json()) as T
  }
}

/** Calls made from a cookie jar of their own, thrown away afterwards. */
async function withRequest<T>(browser: Browser, use: (request: APIRequestContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL })
  try {
    return await use(context.request)
  } finally {
    await context.close()
  }
}

/** A group with this app right and a scoped administrator in it, who has set their password. */
async function scopedAdmin(
  api: AdminApi,
  browser: Browser,
  group: { name: string; departments: number[]; apps: { agentid: number; right: 'send' | 'manage' }[] },
): Promise<{ username: string; password: string }> {
  const { id: groupId } = await api.json<{ id: number }>('POST', '/admin-groups', { ...group, contacts: 'read' })
  const username = `menu-${unique()}`
  const made = await api.json<{ password: string }>('POST', '/admins', { username, role: 'scoped', groups: [groupId] })
  const password = `own-${unique()}-password`
  await withRequest(browser, async (request) => {
    const own = await AdminApi.login(request, { username, password: made.password })
    await own.json('POST', '/account/password', { current_password: made.password, new_password: password })
  })
  return { username, password }
}

// ---- The page ---------------------------------------------------------------------------------

function detailOf(page: Page, agentid: number): Locator {
  return page.locator(`[data-testid="app-detail"][data-agentid="${agentid}"]`)
}

function toast(page: Page, text: string): Locator {
  return page.getByTestId('success-message').filter({ hasText: text })
}

/** Picks a leaf's type in its select (the options are teleported to the body). */
async function pickType(page: Page, scope: Locator, label: string): Promise<void> {
  await scope.getByTestId('menu-leaf-type').click()
  const options = page.locator('.el-select__popper.app-menu-type-options').filter({ visible: true })
  await options.getByRole('option', { name: label, exact: true }).click()
  await expect(options).toBeHidden()
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`app settings and menu (${lang})`, () => {
    test.use({ lang })

    test('edits the settings, kept after a reload; a bad description is said in words', async ({ page, isMobile }) => {
      const sfx = unique()
      const app = createApp(`设置${sfx}`)
      await setLogo(page.request, app.agentid, app.secret)
      const api = await consoleApi(page.request)

      await page.goto(`/admin/apps?app=${app.agentid}`)
      const detail = detailOf(page, app.agentid)
      await expect(detail).toBeVisible()
      // The logo, served by the server.
      const logo = detail.getByTestId('app-detail-logo')
      await expect(logo).toBeVisible()
      expect(await logo.getAttribute('src')).toMatch(/^\/media\/img\/\w+/)
      await expect.poll(() => logo.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1)
      // Nothing set yet.
      const settings = detail.getByTestId('app-settings')
      await expect(settings.getByTestId('app-settings-home-url-value')).toHaveText(tx.notSet)
      await expect(settings.getByTestId('app-settings-redirect-domain-value')).toHaveText(tx.notSet)
      await expect(settings.getByTestId('app-settings-report-location-value')).toHaveText(tx.no)

      await settings.getByTestId('app-settings-edit').click()
      const dialog = page.getByTestId('app-settings-dialog')
      await expect(dialog).toBeVisible()
      await expect(dialog.getByTestId('app-settings-name')).toHaveValue(app.name)
      if (isMobile) await expectNoHorizontalOverflow(page)

      // Too short a description is said under the field; nothing is sent.
      let patches = 0
      page.on('request', (r) => {
        if (r.method() === 'PATCH') patches += 1
      })
      await dialog.getByTestId('app-settings-description').fill('短述')
      await dialog.getByTestId('app-settings-save').click()
      await expect(dialog.getByTestId('app-settings-description-item').locator('.el-form-item__error')).toHaveText(
        tx.descriptionLength(2),
      )
      await expect(dialog).toBeVisible()
      expect(patches).toBe(0)

      // What the server refuses anyway (here a description changed on the way) is said with the
      // server's own message, and nothing changes.
      await page.route(`**/admin/api/apps/${app.agentid}`, async (route) => {
        const request = route.request()
        if (request.method() !== 'PATCH') return route.continue()
        const body = JSON.parse(request.postData() ?? '{}') as Record<string, unknown>
        await route.continue({ postData: JSON.stringify({ ...body, description: 'xy' }) })
      })
      await dialog.getByTestId('app-settings-description').fill('一个足够长的应用介绍')
      await dialog.getByTestId('app-settings-save').click()
      const error = dialog.getByTestId('app-settings-error')
      await expect(error).toHaveAttribute('data-code', 'invalid_parameter')
      await expect(error).toContainText(tx.settingsFailed)
      await expect(error.getByTestId('app-settings-error-text')).toHaveText(tx.serverDescription)
      await expect(error.getByTestId('app-settings-error-detail')).toHaveText('invalid description: it takes 4 to 120 characters')
      await expect(dialog).toBeVisible()
      expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).description).toBe('')
      await page.unroute(`**/admin/api/apps/${app.agentid}`)

      // Every setting changed, and saved.
      const name = `新名字${sfx}`
      const description = `用于${sfx}的通知`
      await dialog.getByTestId('app-settings-name').fill(name)
      await expect(dialog.getByTestId('app-settings-name-item')).toContainText(tx.chars([...name].length, 32))
      await dialog.getByTestId('app-settings-description').fill(description)
      await dialog.getByTestId('app-settings-home-url').fill('https://oa.example.com/home')
      await dialog.getByTestId('app-settings-redirect-domain').fill('oa.example.com:8443')
      await dialog.getByTestId('app-settings-report-location').click()
      await dialog.getByTestId('app-settings-report-enter').click()
      await dialog.getByTestId('app-settings-save').click()
      await expect(toast(page, tx.settingsSaved(name))).toBeVisible()
      await expect(dialog).toBeHidden()

      const expectShown = async () => {
        const shown = detailOf(page, app.agentid)
        await expect(shown.getByTestId('app-detail-name')).toHaveText(name)
        await expect(shown.getByTestId('app-detail-description')).toHaveText(description)
        await expect(shown.getByTestId('app-settings-home-url-value')).toHaveText('https://oa.example.com/home')
        await expect(shown.getByTestId('app-settings-home-url-value').locator('a')).toHaveAttribute(
          'href',
          'https://oa.example.com/home',
        )
        await expect(shown.getByTestId('app-settings-redirect-domain-value')).toHaveText('oa.example.com:8443')
        await expect(shown.getByTestId('app-settings-report-location-value')).toHaveText(tx.yes)
        await expect(shown.getByTestId('app-settings-report-enter-value')).toHaveText(tx.yes)
        await expect(shown.getByTestId('app-settings-report-user-value')).toHaveText(tx.no)
      }
      await expectShown()
      expect(await api<ApiApp>('GET', `/apps/${app.agentid}`)).toMatchObject({
        name,
        description,
        home_url: 'https://oa.example.com/home',
        redirect_domain: 'oa.example.com:8443',
        report_location_flag: 1,
        isreportenter: true,
        isreportuser: false,
        closed: false,
      })
      await page.reload()
      await expectShown()
      if (isMobile) await expectNoHorizontalOverflow(page)

      // The dialog opens on what is saved; emptying the optional fields is allowed.
      await detailOf(page, app.agentid).getByTestId('app-settings-edit').click()
      await expect(dialog.getByTestId('app-settings-home-url')).toHaveValue('https://oa.example.com/home')
      await expect(dialog.getByTestId('app-settings-report-location')).toHaveClass(/is-checked/)
      await dialog.getByTestId('app-settings-home-url').fill('')
      await dialog.getByTestId('app-settings-save').click()
      await expect(dialog).toBeHidden()
      await expect(detailOf(page, app.agentid).getByTestId('app-settings-home-url-value')).toHaveText(tx.notSet)
      expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).home_url).toBe('')
    })

    test.describe('on a 375×667 screen', () => {
      test.use({ viewport: { width: 375, height: 667 } })

      test('builds a menu, kept after a reload and stored exactly; a long name is refused; deletes it', async ({
        page,
      }) => {
        const sfx = unique()
        const app = createApp(`菜单${sfx}`)
        const api = await consoleApi(page.request)
        const puts: string[] = []
        page.on('request', (r) => {
          if (r.method() === 'PUT' && r.url().endsWith('/menu')) puts.push(r.url())
        })

        await page.goto(`/admin/apps?app=${app.agentid}`)
        const detail = detailOf(page, app.agentid)
        const section = detail.getByTestId('app-menu')
        await expect(section.getByTestId('app-menu-empty')).toHaveText(tx.menuEmpty)
        await expect(section.getByTestId('app-menu-delete')).toHaveCount(0)
        await expectNoHorizontalOverflow(page)

        await section.getByTestId('app-menu-edit').click()
        const dialog = page.getByTestId('app-menu-dialog')
        await expect(dialog).toBeVisible()
        await expectNoHorizontalOverflow(page)

        // A click button: a new menu starts with one, of that type.
        const first = dialog.locator('[data-testid="menu-button"][data-index="1"]')
        await first.getByTestId('menu-button-name').fill('签到')
        await expect(first.getByTestId('menu-button-name-count')).toHaveText(tx.bytes(6, 16))
        await first.getByTestId('menu-leaf-key').fill('checkin')

        // A submenu holding a view button.
        await dialog.getByTestId('menu-button-add').click()
        const second = dialog.locator('[data-testid="menu-button"][data-index="2"]')
        await second.getByTestId('menu-button-name').fill('更多')
        await second.getByTestId('menu-kind-submenu').click()
        const leaf = second.locator('[data-testid="menu-leaf"][data-index="2.1"]')
        await expect(leaf).toBeVisible()
        await leaf.getByTestId('menu-leaf-name').fill('帮助中心')
        await expect(leaf.getByTestId('menu-leaf-name-count')).toHaveText(tx.bytes(12, 40))
        await pickType(page, leaf, tx.view)
        await expect(leaf.getByTestId('menu-leaf-key')).toHaveCount(0)
        await leaf.getByTestId('menu-leaf-url').fill('https://help.example.com/start?from=menu')
        await expectNoHorizontalOverflow(page)

        await dialog.getByTestId('app-menu-save').click()
        await expect(toast(page, tx.menuSaved(app.name))).toBeVisible()
        await expect(dialog).toBeHidden()

        const expected = {
          button: [
            { type: 'click', name: '签到', key: 'checkin' },
            { name: '更多', sub_button: [{ type: 'view', name: '帮助中心', url: 'https://help.example.com/start?from=menu' }] },
          ],
        }
        const expectShown = async () => {
          const shown = detailOf(page, app.agentid).getByTestId('app-menu')
          await expect(shown.getByTestId('app-menu-empty')).toHaveCount(0)
          await expect(shown.getByTestId('app-menu-button')).toHaveCount(2)
          const one = shown.locator('[data-testid="app-menu-button"][data-index="1"]')
          await expect(one.getByTestId('app-menu-button-name')).toHaveText('签到')
          await expect(one.getByTestId('app-menu-button-type')).toHaveText(tx.click)
          await expect(one.getByTestId('app-menu-button-target')).toHaveText('checkin')
          const two = shown.locator('[data-testid="app-menu-button"][data-index="2"]')
          await expect(two.getByTestId('app-menu-button-name')).toHaveText('更多')
          await expect(two.getByTestId('app-menu-button-type')).toHaveText(tx.submenu)
          await expect(two.getByTestId('app-menu-leaf')).toHaveCount(1)
          await expect(two.getByTestId('app-menu-leaf-name')).toHaveText('帮助中心')
          await expect(two.getByTestId('app-menu-leaf-type')).toHaveText(tx.view)
          await expect(two.getByTestId('app-menu-leaf-target')).toHaveText('https://help.example.com/start?from=menu')
          await expect(shown.getByTestId('app-menu-edit')).toHaveText(tx.menuEdit)
        }
        await expectShown()
        await page.reload()
        await expectShown()
        await expectNoHorizontalOverflow(page)

        // Stored exactly as WeCom's menu JSON: the console's API and menu/get with the app's token.
        expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).menu).toEqual(expected)
        const { access_token: token } = await getToken(page.request, app.secret)
        const got = await cgiGet<{ errcode: number; button: unknown }>(page.request, token!, 'menu/get', {
          agentid: app.agentid,
        })
        expect(got.errcode).toBe(0)
        expect(got.button).toEqual(expected.button)
        expect(puts).toHaveLength(1)

        // The editor opens on the saved menu. A top name over 16 bytes is refused before sending.
        await detailOf(page, app.agentid).getByTestId('app-menu-edit').click()
        await expect(dialog).toBeVisible()
        await expect(first.getByTestId('menu-button-name')).toHaveValue('签到')
        await expect(leaf.getByTestId('menu-leaf-url')).toHaveValue('https://help.example.com/start?from=menu')
        await first.getByTestId('menu-button-name').fill('签到签到签到')
        const count = first.getByTestId('menu-button-name-count')
        await expect(count).toHaveText(tx.bytes(18, 16))
        await expect(count).toHaveClass(/over/)
        await dialog.getByTestId('app-menu-save').click()
        await expect(first.getByTestId('menu-button-name-item').locator('.el-form-item__error')).toHaveText(
          tx.nameTooLong(18),
        )
        await expect(dialog.getByTestId('app-menu-problem')).toHaveText(tx.problemCount(1))
        await expect(dialog).toBeVisible()
        expect(puts).toHaveLength(1)

        // What the server refuses anyway (here a submenu name made too long on the way) is said
        // with the button it names and the server's own message; the saved menu stays.
        await first.getByTestId('menu-button-name').fill('签到')
        await page.route(`**/admin/api/apps/${app.agentid}/menu`, async (route) => {
          const body = JSON.parse(route.request().postData() ?? '{}') as typeof expected
          ;(body.button[1] as { sub_button: { name: string }[] }).sub_button[0]!.name = 'x'.repeat(41)
          await route.continue({ postData: JSON.stringify(body) })
        })
        await dialog.getByTestId('app-menu-save').click()
        const error = dialog.getByTestId('app-menu-error')
        await expect(error).toHaveAttribute('data-code', 'menu_name_length')
        await expect(error).toContainText(tx.menuFailed)
        await expect(error.getByTestId('app-menu-error-text')).toHaveText(tx.serverName)
        await expect(error.getByTestId('app-menu-error-detail')).toHaveText('button 2.1: a name takes 1 to 40 bytes')
        await expect(dialog).toBeVisible()
        await page.unroute(`**/admin/api/apps/${app.agentid}/menu`)
        expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).menu).toEqual(expected)
        await dialog.getByTestId('app-menu-cancel').click()
        await expect(dialog).toBeHidden()

        // Deleted, asked first.
        await detailOf(page, app.agentid).getByTestId('app-menu-delete').click()
        const confirm = page.locator('.confirm-box')
        await expect(confirm).toContainText(app.name)
        await expectNoHorizontalOverflow(page)
        await confirm.getByRole('button', { name: tx.cancel, exact: true }).click()
        await expect(confirm).toBeHidden()
        expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).menu).toEqual(expected)

        await detailOf(page, app.agentid).getByTestId('app-menu-delete').click()
        await confirm.getByRole('button', { name: tx.deleteMenu, exact: true }).click()
        await expect(toast(page, tx.menuDeleted(app.name))).toBeVisible()
        await expect(detailOf(page, app.agentid).getByTestId('app-menu-empty')).toHaveText(tx.menuEmpty)
        await expect(detailOf(page, app.agentid).getByTestId('app-menu-edit')).toHaveText(tx.menuCreate)
        expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).menu).toBeNull()
        const gone = await cgiGet(page.request, token!, 'menu/get', { agentid: app.agentid })
        expect(gone.errcode).toBe(46003)
      })
    })

    test("closes the app (its token answers 50003) and reopens it", async ({ page, isMobile }) => {
      const app = createApp(`停用${unique()}`)
      const api = await consoleApi(page.request)
      const got = await getToken(page.request, app.secret)
      expect(got.errcode).toBe(0)
      const token = got.access_token!
      const agentGet = () => cgiGet(page.request, token, 'agent/get', { agentid: app.agentid }).then((b) => b.errcode)
      expect(await agentGet()).toBe(0)

      await page.goto(`/admin/apps?app=${app.agentid}`)
      const detail = detailOf(page, app.agentid)
      const toggle = detail.getByTestId('app-close-toggle')
      await expect(toggle).toHaveText(tx.close)
      await expect(detail.getByTestId('app-detail-status')).toHaveText(tx.open)
      await expect(detail.getByTestId('app-closed-note')).toHaveCount(0)

      // Asked first, saying what closing does; cancelled, nothing changes.
      await toggle.click()
      const confirm = page.locator('.confirm-box')
      await expect(confirm).toContainText(app.name)
      await expect(confirm).toContainText(tx.closeConfirm)
      if (isMobile) await expectNoHorizontalOverflow(page)
      await confirm.getByRole('button', { name: tx.cancel, exact: true }).click()
      await expect(confirm).toBeHidden()
      expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).closed).toBe(false)

      await toggle.click()
      await confirm.getByRole('button', { name: tx.close, exact: true }).click()
      await expect(toast(page, tx.closedDone(app.name))).toBeVisible()
      const expectClosed = async () => {
        const shown = detailOf(page, app.agentid)
        await expect(shown.getByTestId('app-detail-status')).toHaveText(tx.closed)
        await expect(shown.getByTestId('app-detail-closed')).toHaveText(tx.closed)
        await expect(shown.getByTestId('app-closed-note')).toHaveText(tx.closedNote)
        await expect(shown.getByTestId('app-close-toggle')).toHaveText(tx.reopen)
      }
      await expectClosed()
      expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).closed).toBe(true)
      expect(await agentGet()).toBe(50003)
      expect((await getToken(page.request, app.secret)).errcode).toBe(50003)
      await page.reload()
      await expectClosed()
      if (!isMobile) {
        await expect(page.locator(`[data-testid="app-item"][data-agentid="${app.agentid}"]`).getByTestId('app-item-closed')).toHaveText(
          tx.closed,
        )
      }

      await detailOf(page, app.agentid).getByTestId('app-close-toggle').click()
      await confirm.getByRole('button', { name: tx.reopen, exact: true }).click()
      await expect(toast(page, tx.reopenedDone(app.name))).toBeVisible()
      await expect(detail.getByTestId('app-detail-status')).toHaveText(tx.open)
      await expect(detail.getByTestId('app-closed-note')).toHaveCount(0)
      await expect(detail.getByTestId('app-close-toggle')).toHaveText(tx.close)
      expect((await api<ApiApp>('GET', `/apps/${app.agentid}`)).closed).toBe(false)
      expect(await agentGet()).toBe(0)
    })

    test('an administrator with the send right sees the settings and the menu read-only', async ({
      page,
      browser,
      isMobile,
    }) => {
      const sfx = unique()
      const app = createApp(`只读菜单${sfx}`)
      const api = await consoleApi(page.request)
      const menu = { button: [{ type: 'view', name: '主页', url: 'https://oa.example.com/' }] }
      await api('PUT', `/apps/${app.agentid}/menu`, menu)
      await api('PATCH', `/apps/${app.agentid}`, { redirect_domain: 'oa.example.com', isreportuser: true })
      const admin = await AdminApi.login(page.request)
      const wecom = await WeCom.connect(page.request)
      const dept = await wecom.createDepartment(`菜单只读${sfx}`, 1)
      const who = await scopedAdmin(admin, browser, {
        name: `菜单发消息${sfx}`,
        departments: [dept],
        apps: [{ agentid: app.agentid, right: 'send' }],
      })

      const theirs = await newConsoleContext(browser, lang)
      try {
        const p = await theirs.newPage()
        await p.goto('/admin/login')
        await p.getByTestId('login-username').fill(who.username)
        await p.getByTestId('login-password').fill(who.password)
        await p.getByTestId('login-submit').click()
        await expect(p.getByTestId('admin-name')).toHaveText(who.username)
        await p.goto(`/admin/apps?app=${app.agentid}`)
        const detail = detailOf(p, app.agentid)
        await expect(detail).toHaveAttribute('data-right', 'send')
        await expect(detail.getByTestId('app-read-only')).toContainText(tx.readOnly)

        // Shown, and nothing to change.
        await expect(detail.getByTestId('app-settings-redirect-domain-value')).toHaveText('oa.example.com')
        await expect(detail.getByTestId('app-settings-report-user-value')).toHaveText(tx.yes)
        await expect(detail.getByTestId('app-menu-button-name')).toHaveText(['主页'])
        await expect(detail.getByTestId('app-menu-button-type')).toHaveText([tx.view])
        await expect(detail.getByTestId('app-menu-button-target')).toHaveText(['https://oa.example.com/'])
        for (const id of ['app-settings-edit', 'app-close-toggle', 'app-menu-edit', 'app-menu-delete']) {
          await expect(p.getByTestId(id)).toHaveCount(0)
        }
        if (isMobile) await expectNoHorizontalOverflow(p)

        // The server says the same.
        const csrf = ((await (await p.request.get('/admin/api/session')).json()) as { csrf_token: string }).csrf_token
        const headers = { 'X-CSRF-Token': csrf }
        const patched = await p.request.patch(`/admin/api/apps/${app.agentid}`, { headers, data: { closed: true } })
        expect(patched.status()).toBe(403)
        const deleted = await p.request.delete(`/admin/api/apps/${app.agentid}/menu`, { headers })
        expect(deleted.status()).toBe(403)
        expect(await api<ApiApp>('GET', `/apps/${app.agentid}`)).toMatchObject({ closed: false, menu })
      } finally {
        await theirs.close()
      }
    })
  })
}
