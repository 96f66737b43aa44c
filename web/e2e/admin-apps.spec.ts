// The Apps page (应用) in each language, on a phone and a desktop, against the real server: the
// apps listed with the caller's right; one app's settings (visible scope, IP allowlist, secret);
// a super admin changes the visible scope (kept after a reload), has a bad allowlist entry named
// with nothing changed and saves a good allowlist, resets the secret (shown once; the old secret
// gets no token any more, the new one does); an administrator with only the send right sees the
// app read-only. Every test makes its own app (`corphub app create` on the server's data), so the
// app global setup made keeps its secret and scope for the other specs.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  newConsoleContext,
  test,
  unique,
} from './fixtures'
import { E2E_APP_NAME, ENV_CORPID } from './global-setup'
import { ENV_TEMP_DIR, serverBinary } from './server-paths'

const WORDS = {
  'zh-CN': {
    menu: '应用',
    title: '应用',
    manage: '管理',
    send: '发消息',
    open: '正常',
    retention: '5 天',
    anywhere: '未设置：任何地址都可以调用',
    readOnly: '你对这个应用只有“发消息”权限：这里只能查看它的设置，修改需要“管理”权限。',
    scopeSaved: (name: string) => `已保存「${name}」的可见范围`,
    scopeRequired: '可见范围不能为空：请至少选择一个部门、标签或成员。',
    allowlistSaved: (name: string) => `已保存「${name}」的 IP 白名单`,
    badEntry: (entry: string) => `“${entry}”不是有效的 IP 地址或 CIDR 网段，白名单没有修改。`,
    resetSecret: '重置 Secret',
    cancel: '取消',
    secretTitle: 'Secret 已重置',
    secretWarning: '这个 Secret 只显示这一次，关闭后无法再查看。',
    secretCopied: 'Secret 已复制',
    back: '返回应用列表',
  },
  en: {
    menu: 'Apps',
    title: 'Apps',
    manage: 'Manage',
    send: 'Send',
    open: 'Open',
    retention: '5 days',
    anywhere: 'None: any address may call',
    readOnly: 'You have the Send right over this app: you may see its settings here; changing them needs the Manage right.',
    scopeSaved: (name: string) => `Visible scope of ${name} saved`,
    scopeRequired: 'The visible scope cannot be empty: pick at least one department, tag or member.',
    allowlistSaved: (name: string) => `IP allowlist of ${name} saved`,
    badEntry: (entry: string) => `“${entry}” is not an IP address or CIDR range; the allowlist was not changed.`,
    resetSecret: 'Reset the secret',
    cancel: 'Cancel',
    secretTitle: 'Secret reset',
    secretWarning: 'This secret is shown only this once: it cannot be seen again once you close this.',
    secretCopied: 'Secret copied',
    back: 'Back to the apps',
  },
} as const

interface ApiApp {
  agentid: number
  name: string
  right: string
  ip_allowlist: string[]
  scope: { users: string[]; departments: number[]; tags: number[] }
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
  expect(typeof app.secret).toBe('string')
  return { ...app, name }
}

/** /cgi-bin/gettoken with the app's secret: WeCom's errcode (0: a token). */
async function tokenErrcode(request: APIRequestContext, secret: string): Promise<number> {
  const response = await request.get('/cgi-bin/gettoken', { params: { corpid: process.env[ENV_CORPID] ?? '', corpsecret: secret } })
  return ((await response.json()) as { errcode: number }).errcode
}

async function getApp(api: AdminApi, agentid: number): Promise<ApiApp> {
  return api.json<ApiApp>('GET', `/apps/${agentid}`)
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

/** A group with these app rights and a scoped administrator in it, who has set their password. */
async function scopedAdmin(
  api: AdminApi,
  browser: Browser,
  group: { name: string; departments: number[]; apps: { agentid: number; right: 'send' | 'manage' }[] },
): Promise<{ username: string; password: string }> {
  const { id: groupId } = await api.json<{ id: number }>('POST', '/admin-groups', { ...group, contacts: 'read' })
  const username = `apps-${unique()}`
  const made = await api.json<{ password: string }>('POST', '/admins', { username, role: 'scoped', groups: [groupId] })
  const password = `own-${unique()}-password`
  await withRequest(browser, async (request) => {
    const own = await AdminApi.login(request, { username, password: made.password })
    await own.json('POST', '/account/password', { current_password: made.password, new_password: password })
  })
  return { username, password }
}

// ---- The page ---------------------------------------------------------------------------------

async function openMenu(page: Page, isMobile: boolean): Promise<Locator> {
  if (!isMobile) return page.getByTestId('side-menu')
  await page.getByTestId('menu-toggle').click()
  const drawer = page.getByTestId('drawer-menu')
  await expect(drawer).toBeVisible()
  return drawer
}

function appItem(page: Page, agentid: number): Locator {
  return page.locator(`[data-testid="app-item"][data-agentid="${agentid}"]`)
}

/** Opens the app's settings from the list. */
async function openApp(page: Page, agentid: number): Promise<Locator> {
  await appItem(page, agentid).click()
  await expect(page).toHaveURL(new RegExp(`/admin/apps\\?app=${agentid}$`))
  const detail = page.locator(`[data-testid="app-detail"][data-agentid="${agentid}"]`)
  await expect(detail).toBeVisible()
  return detail
}

function toast(page: Page, text: string): Locator {
  return page.getByTestId('success-message').filter({ hasText: text })
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`apps (${lang})`, () => {
    test.use({ lang })

    test("lists the apps with the caller's right and shows one app's settings", async ({ page, isMobile }) => {
      const app = createApp(`列表${unique()}`)
      const api = await AdminApi.login(page.request)
      const root = (await api.departments()).find((d) => d.id === 1)!

      await page.goto('/admin/')
      const menu = await openMenu(page, isMobile)
      await menu.getByTestId('menu-apps').click()
      await expect(page).toHaveURL(/\/admin\/apps/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      await expect((await openMenu(page, isMobile)).getByTestId('menu-apps')).toHaveAttribute('aria-current', 'page')
      if (isMobile) {
        await page.keyboard.press('Escape')
        await expect(page.getByTestId('drawer-menu')).toBeHidden()
      }

      // The app global setup made and this test's: a super admin manages every app.
      const listed = appItem(page, app.agentid)
      await expect(listed.getByTestId('app-item-name')).toHaveText(app.name)
      await expect(listed.getByTestId('app-item-agentid')).toContainText(String(app.agentid))
      await expect(listed.getByTestId('app-item-right')).toHaveText(tx.manage)
      await expect(listed.getByTestId('app-item-closed')).toHaveCount(0)
      await expect(page.getByTestId('app-item-name').filter({ hasText: E2E_APP_NAME })).toHaveCount(1)

      const detail = await openApp(page, app.agentid)
      await expect(detail.getByTestId('app-detail-name')).toHaveText(app.name)
      await expect(detail.getByTestId('app-detail-agentid')).toHaveText(String(app.agentid))
      await expect(detail.getByTestId('app-detail-right')).toHaveText(tx.manage)
      await expect(detail.getByTestId('app-detail-status')).toHaveText(tx.open)
      await expect(detail.getByTestId('app-detail-retention')).toHaveText(tx.retention)
      // A new app is visible to the whole organisation, from anywhere.
      await expect(detail.getByTestId('app-scope-department')).toHaveCount(1)
      await expect(detail.getByTestId('app-scope-department-name')).toHaveText(root.name)
      await expect(detail.getByTestId('app-scope-tag')).toHaveCount(0)
      await expect(detail.getByTestId('app-scope-member')).toHaveCount(0)
      await expect(detail.getByTestId('app-allowlist-anywhere')).toHaveText(tx.anywhere)
      await expect(detail.getByTestId('app-read-only')).toHaveCount(0)
      for (const id of ['app-scope-edit', 'app-allowlist-edit', 'app-secret-reset']) {
        await expect(detail.getByTestId(id)).toBeVisible()
      }
      // The address names the app: a reload comes back to it.
      await page.reload()
      await expect(page.locator(`[data-testid="app-detail"][data-agentid="${app.agentid}"]`)).toBeVisible()
      if (isMobile) await expectNoHorizontalOverflow(page)
    })

    test('changes the visible scope, and the change is kept', async ({ page }) => {
      const sfx = unique()
      const app = createApp(`范围${sfx}`)
      const api = await AdminApi.login(page.request)
      const wecom = await WeCom.connect(page.request)
      const root = (await api.departments()).find((d) => d.id === 1)!
      const topName = `应用部门${sfx}`
      const childName = `应用子部门${sfx}`
      const top = await wecom.createDepartment(topName, 1)
      const child = await wecom.createDepartment(childName, top)
      const tagName = `应用标签${sfx}`
      const tag = await wecom.createTag(tagName)
      const userid = `appscope_${sfx}`
      const memberName = `可见${sfx}`
      await wecom.createMember({ userid, name: memberName, department: [top] })

      await page.goto(`/admin/apps?app=${app.agentid}`)
      const detail = page.locator(`[data-testid="app-detail"][data-agentid="${app.agentid}"]`)
      await detail.getByTestId('app-scope-edit').click()
      const dialog = page.getByTestId('app-scope-dialog')
      await expect(dialog).toBeVisible()
      await expect(dialog.getByTestId('scope-picked-item')).toHaveText([root.name])

      // Nothing at all is refused before it is sent.
      await dialog.locator('[data-testid="scope-picked-item"][data-dept-id="1"] .el-tag__close').click()
      await expect(dialog.getByTestId('scope-picked-item')).toHaveCount(0)
      await dialog.getByTestId('app-scope-save').click()
      await expect(dialog.getByTestId('app-scope-problem')).toHaveText(tx.scopeRequired)
      await expect(dialog).toBeVisible()

      // A department from the tree, a tag, a member found by search.
      await dialog.getByTestId('scope-filter').fill(childName)
      await dialog.locator(`[data-testid="scope-node"][data-dept-name="${childName}"]`).click()
      await expect(dialog.getByTestId('scope-picked-item')).toHaveText([childName])
      await expect(dialog.getByTestId('app-scope-problem')).toHaveCount(0)

      await dialog.getByTestId('app-scope-tags').click()
      const tags = page.locator('.el-select__popper.app-scope-tag-options')
      await tags.getByRole('option', { name: tagName, exact: true }).click()
      await dialog.locator('.el-dialog__title').click()
      await expect(tags).toBeHidden()

      await dialog.getByTestId('app-scope-members').locator('input').fill(userid)
      const members = page.locator('.el-select__popper.app-scope-member-options')
      await members.locator(`[data-testid="app-scope-member-option"][data-userid="${userid}"]`).click()
      await dialog.locator('.el-dialog__title').click()
      await expect(members).toBeHidden()
      await expect(dialog.getByTestId('app-scope-members')).toContainText(memberName)

      await dialog.getByTestId('app-scope-save').click()
      await expect(toast(page, tx.scopeSaved(app.name))).toBeVisible()
      await expect(dialog).toBeHidden()

      const expectShown = async () => {
        const shown = page.locator(`[data-testid="app-detail"][data-agentid="${app.agentid}"]`)
        await expect(shown.getByTestId('app-scope-department')).toHaveCount(1)
        await expect(shown.getByTestId('app-scope-department-name')).toHaveText(childName)
        await expect(shown.getByTestId('app-scope-department-parents')).toHaveText(`${root.name} / ${topName}`)
        await expect(shown.getByTestId('app-scope-tag-name')).toHaveText([tagName])
        await expect(shown.getByTestId('app-scope-member')).toHaveAttribute('data-userid', userid)
        await expect(shown.getByTestId('app-scope-member-name')).toHaveText(memberName)
      }
      await expectShown()
      expect((await getApp(api, app.agentid)).scope).toEqual({ users: [userid], departments: [child], tags: [tag] })
      await page.reload()
      await expectShown()
    })

    test('a bad allowlist entry is named and changes nothing; a good allowlist is saved', async ({ page, isMobile }) => {
      const app = createApp(`白名单${unique()}`)
      const api = await AdminApi.login(page.request)

      await page.goto(`/admin/apps?app=${app.agentid}`)
      const detail = page.locator(`[data-testid="app-detail"][data-agentid="${app.agentid}"]`)
      await detail.getByTestId('app-allowlist-edit').click()
      const dialog = page.getByTestId('app-allowlist-dialog')
      await expect(dialog).toBeVisible()
      const text = dialog.getByTestId('app-allowlist-text')
      await expect(text).toHaveValue('')

      await text.fill('10.0.0.0/8\n10.0.0.300')
      await dialog.getByTestId('app-allowlist-save').click()
      const error = dialog.getByTestId('app-allowlist-error')
      await expect(error).toContainText(tx.badEntry('10.0.0.300'))
      await expect(error).toHaveAttribute('data-code', 'invalid_argument')
      await expect(dialog).toBeVisible()
      await expect(text).toHaveValue('10.0.0.0/8\n10.0.0.300')
      if (isMobile) await expectNoHorizontalOverflow(page)
      expect((await getApp(api, app.agentid)).ip_allowlist).toEqual([])

      // Entries as typed (a range with host bits, a comma, upper case), kept canonical.
      await text.fill('10.1.2.3/8\n192.168.1.5, 2001:DB8::/32\n')
      await dialog.getByTestId('app-allowlist-save').click()
      await expect(toast(page, tx.allowlistSaved(app.name))).toBeVisible()
      await expect(dialog).toBeHidden()
      const canonical = ['10.0.0.0/8', '192.168.1.5', '2001:db8::/32']
      await expect(detail.getByTestId('app-allowlist-entry')).toHaveText(canonical)
      await expect(detail.getByTestId('app-allowlist-anywhere')).toHaveCount(0)
      expect((await getApp(api, app.agentid)).ip_allowlist).toEqual(canonical)
      await page.reload()
      await expect(detail.getByTestId('app-allowlist-entry')).toHaveText(canonical)

      // The dialog opens on what is saved.
      await detail.getByTestId('app-allowlist-edit').click()
      await expect(text).toHaveValue(canonical.join('\n'))
    })

    test('resets the secret: shown once, the old one gets no token, the new one does', async ({
      page,
      context,
      baseURL,
    }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
      const app = createApp(`密钥${unique()}`)
      expect(await tokenErrcode(page.request, app.secret)).toBe(0)

      await page.goto(`/admin/apps?app=${app.agentid}`)
      const detail = page.locator(`[data-testid="app-detail"][data-agentid="${app.agentid}"]`)

      // Asked first; cancelled, nothing changes.
      await detail.getByTestId('app-secret-reset').click()
      const confirm = page.locator('.confirm-box')
      await expect(confirm).toContainText(app.name)
      await confirm.getByRole('button', { name: tx.cancel }).click()
      await expect(confirm).toBeHidden()
      await expect(page.getByTestId('secret-dialog')).toHaveCount(0)
      expect(await tokenErrcode(page.request, app.secret)).toBe(0)

      await detail.getByTestId('app-secret-reset').click()
      await confirm.getByRole('button', { name: tx.resetSecret }).click()
      const secret = page.getByTestId('secret-dialog')
      await expect(secret).toBeVisible()
      await expect(secret.getByRole('heading')).toHaveText(tx.secretTitle)
      await expect(secret.getByTestId('secret-username')).toHaveText(app.name)
      await expect(secret.getByTestId('secret-warning')).toContainText(tx.secretWarning)
      const fresh = (await secret.getByTestId('secret-password').innerText()).trim()
      expect(fresh.length).toBeGreaterThanOrEqual(32)
      expect(fresh).not.toBe(app.secret)
      await secret.getByTestId('secret-copy').click()
      await expect(toast(page, tx.secretCopied)).toBeVisible()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(fresh)
      await secret.getByTestId('secret-done').click()
      await expect(secret).toBeHidden()
      // Shown once: gone from the page, and not shown again on a reload.
      await expect(page.getByTestId('secret-password')).toHaveCount(0)
      await page.reload()
      await expect(detail).toBeVisible()
      await expect(page.getByTestId('secret-password')).toHaveCount(0)
      await expect(page.getByText(fresh)).toHaveCount(0)

      expect(await tokenErrcode(page.request, app.secret)).toBe(40001)
      expect(await tokenErrcode(page.request, fresh)).toBe(0)
    })

    test('an administrator with the send right sees the app read-only', async ({ page, browser, isMobile }) => {
      const sfx = unique()
      const app = createApp(`只读${sfx}`)
      const api = await AdminApi.login(page.request)
      const wecom = await WeCom.connect(page.request)
      const dept = await wecom.createDepartment(`应用只读${sfx}`, 1)
      const who = await scopedAdmin(api, browser, {
        name: `发消息${sfx}`,
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

        const menu = await openMenu(p, isMobile)
        await expect(menu.getByTestId('menu-apps')).toHaveText(tx.menu)
        await menu.getByTestId('menu-apps').click()
        await expect(p).toHaveURL(/\/admin\/apps/)

        // Only the app their group names, with their right.
        await expect(p.getByTestId('app-item')).toHaveCount(1)
        await expect(appItem(p, app.agentid).getByTestId('app-item-right')).toHaveText(tx.send)
        const detail = await openApp(p, app.agentid)
        await expect(detail.getByTestId('app-detail-right')).toHaveText(tx.send)
        await expect(detail.getByTestId('app-read-only')).toContainText(tx.readOnly)
        // Everything shown, nothing to change.
        await expect(detail.getByTestId('app-scope-department')).toHaveAttribute('data-dept-id', '1')
        await expect(detail.getByTestId('app-allowlist-anywhere')).toHaveText(tx.anywhere)
        for (const id of ['app-scope-edit', 'app-allowlist-edit', 'app-secret-reset']) {
          await expect(p.getByTestId(id)).toHaveCount(0)
        }
        if (isMobile) await expectNoHorizontalOverflow(p)

        // The server says the same.
        const csrf = ((await (await p.request.get('/admin/api/session')).json()) as { csrf_token: string }).csrf_token
        const refused = await p.request.post(`/admin/api/apps/${app.agentid}/secret`, { headers: { 'X-CSRF-Token': csrf } })
        expect(refused.status()).toBe(403)
        expect(await tokenErrcode(p.request, app.secret)).toBe(0)
      } finally {
        await theirs.close()
      }
    })

    test('fits a phone: the list gives way to the app, with a way back; side by side on a desktop', async ({
      page,
      isMobile,
    }) => {
      const app = createApp(`手机${unique()}`)
      await page.goto('/admin/apps')
      await expect(page.getByTestId('app-list')).toBeVisible()
      if (!isMobile) {
        // A desktop shows the first app beside the list at once, and the one picked.
        await expect(page).toHaveURL(/\/admin\/apps\?app=\d+$/)
        await expect(page.getByTestId('app-detail')).toBeVisible()
        await openApp(page, app.agentid)
        await expect(page.getByTestId('app-list')).toBeVisible()
        await expect(page.getByTestId('app-back')).toHaveCount(0)
        return
      }
      await expect(page.getByTestId('app-panel')).toHaveCount(0)
      await expectNoHorizontalOverflow(page)

      const detail = await openApp(page, app.agentid)
      await expect(page.getByTestId('app-list')).toHaveCount(0)
      await expectNoHorizontalOverflow(page)
      // The actions take the width.
      const button = await detail.getByTestId('app-scope-edit').boundingBox()
      expect(button!.width).toBeGreaterThan(250)

      await detail.getByTestId('app-scope-edit').click()
      await expect(page.getByTestId('app-scope-dialog')).toBeVisible()
      await expectNoHorizontalOverflow(page)
      await page.getByTestId('app-scope-dialog').getByRole('button', { name: tx.cancel }).click()
      await expect(page.getByTestId('app-scope-dialog')).toBeHidden()

      await detail.getByTestId('app-allowlist-edit').click()
      await expect(page.getByTestId('app-allowlist-dialog')).toBeVisible()
      await expectNoHorizontalOverflow(page)
      await page.getByTestId('app-allowlist-dialog').getByRole('button', { name: tx.cancel }).click()
      await expect(page.getByTestId('app-allowlist-dialog')).toBeHidden()

      await page.getByTestId('app-back').click()
      await expect(page.getByTestId('app-back')).toHaveCount(0)
      await expect(page).toHaveURL(/\/admin\/apps$/)
      await expect(appItem(page, app.agentid)).toBeVisible()

      // The browser's back also leads from the app to the list.
      await openApp(page, app.agentid)
      await page.goBack()
      await expect(page).toHaveURL(/\/admin\/apps$/)
      await expect(page.getByTestId('app-panel')).toHaveCount(0)
      await expect(appItem(page, app.agentid)).toBeVisible()
    })
  })
}
