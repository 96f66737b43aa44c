// Delegated administration (分级管理) in the console, in each language, on a phone and a desktop,
// against the real server: a super admin makes an admin group (a scope, the contacts right, an
// app) and a scoped administrator in it on the Administrators page, and hands over the generated
// password; that administrator, in a browser of their own, must change it first, then sees only
// their scope and what their rights allow; a read-only group's administrator changes nothing; a
// password is reset and an administrator deleted from the page; and a 403 (rights taken away
// meanwhile) is said where it happened without logging anybody out. Every test makes its own
// departments, groups and administrators under unique names.
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
import { E2E_ADMIN_USERNAME, E2E_APP_NAME, ENV_APP_AGENTID } from './global-setup'

const WORDS = {
  'zh-CN': {
    menu: { overview: '概览', directory: '通讯录', apps: '应用', messages: '消息', identity: '登录与激活', audit: '审计日志', administrators: '管理员' },
    title: '管理员',
    groupCreated: (name: string) => `已创建管理组 ${name}`,
    contactsEdit: '查看和编辑',
    contactsRead: '只读',
    appWithSend: (app: string) => `${app}（发消息）`,
    yes: '是',
    no: '否',
    scoped: '分级管理员',
    createdTitle: '管理员已创建',
    resetTitle: '密码已重置',
    warning: '这个密码只显示这一次，关闭后无法再查看。',
    copied: '密码已复制',
    forcedTitle: '请设置新密码',
    wrongCurrent: '当前密码不正确。',
    tooShort: '新密码至少需要 10 个字符',
    changed: '密码已修改',
    noPermission: '没有权限',
    auditHint: '你是分级管理员：这里只显示你自己操作的记录。',
    readOnly: '只有超级管理员可以修改这两项设置，这里显示的是当前的状态。',
    resetPassword: '重置密码',
    delete: '删除',
    adminDeleted: (name: string) => `已删除管理员 ${name}`,
    adminSaved: (name: string) => `已保存管理员 ${name}`,
    denied: '没有权限执行此操作。',
    saveDeptFailed: '无法保存部门',
  },
  en: {
    menu: {
      overview: 'Overview',
      directory: 'Directory',
      apps: 'Apps',
      messages: 'Messages',
      identity: 'Sign-in',
      audit: 'Audit log',
      administrators: 'Administrators',
    },
    title: 'Administrators',
    groupCreated: (name: string) => `Admin group ${name} created`,
    contactsEdit: 'Read and edit',
    contactsRead: 'Read only',
    appWithSend: (app: string) => `${app} (Send)`,
    yes: 'Yes',
    no: 'No',
    scoped: 'Scoped admin',
    createdTitle: 'Administrator created',
    resetTitle: 'Password reset',
    warning: 'This password is shown only this once: it cannot be seen again once you close this.',
    copied: 'Password copied',
    forcedTitle: 'Choose a new password',
    wrongCurrent: 'The current password is wrong.',
    tooShort: 'The new password needs at least 10 characters',
    changed: 'Password changed',
    noPermission: 'No permission',
    auditHint: 'As a scoped administrator you see only the records of your own actions here.',
    readOnly: 'Only a super admin may change these two settings; this is how they are now.',
    resetPassword: 'Reset password',
    delete: 'Delete',
    adminDeleted: (name: string) => `Administrator ${name} deleted`,
    adminSaved: (name: string) => `Administrator ${name} saved`,
    denied: 'You are not allowed to do this.',
    saveDeptFailed: 'Could not save the department',
  },
} as const
type Words = (typeof WORDS)[keyof typeof WORDS]

interface ApiGroup {
  id: number
  name: string
  departments: number[]
  tags: number[]
  contacts: string
  devices: boolean
  apps: { agentid: number; right: string }[]
  admins: number[]
}
interface ApiAdmin {
  id: number
  username: string
  role: string
  groups: number[]
  must_change_password: boolean
}

const agentid = () => Number(process.env[ENV_APP_AGENTID])

// ---- Data made through the APIs -----------------------------------------------------------

interface Scope {
  sfx: string
  top: { id: number; name: string }
  child: { id: number; name: string }
  outside: { id: number; name: string }
  member: string
}

/** A department with a sub-department and a member, and one beside it (outside the scope). */
async function seed(request: APIRequestContext): Promise<Scope> {
  const sfx = unique()
  const wecom = await WeCom.connect(request)
  const topName = `分管${sfx}`
  const childName = `分管子${sfx}`
  const outsideName = `范围外${sfx}`
  const top = await wecom.createDepartment(topName, 1)
  const child = await wecom.createDepartment(childName, top)
  const outside = await wecom.createDepartment(outsideName, 1)
  const member = `deleg_${sfx}`
  await wecom.createMember({ userid: member, name: `成员${sfx}`, department: [child] })
  return {
    sfx,
    top: { id: top, name: topName },
    child: { id: child, name: childName },
    outside: { id: outside, name: outsideName },
    member,
  }
}

async function groups(api: AdminApi): Promise<ApiGroup[]> {
  return (await api.json<{ groups: ApiGroup[] }>('GET', '/admin-groups')).groups
}
async function admins(api: AdminApi): Promise<ApiAdmin[]> {
  return (await api.json<{ admins: ApiAdmin[] }>('GET', '/admins')).admins
}

/** A group and a scoped administrator in it, made through the API; they set their own password. */
async function scopedAdmin(
  api: AdminApi,
  browser: Browser,
  group: { name: string; departments: number[]; contacts: 'read' | 'edit'; apps?: { agentid: number; right: string }[] },
): Promise<{ groupId: number; id: number; username: string; password: string }> {
  const { id: groupId } = await api.json<{ id: number }>('POST', '/admin-groups', group)
  const username = `scoped-${unique()}`
  const made = await api.json<{ id: number; password: string }>('POST', '/admins', {
    username,
    role: 'scoped',
    groups: [groupId],
  })
  const password = `own-${unique()}-password`
  // Their own cookie jar: logging in here must not replace the test page's super admin session.
  await withRequest(browser, async (request) => {
    const own = await AdminApi.login(request, { username, password: made.password })
    await own.json('POST', '/account/password', { current_password: made.password, new_password: password })
  })
  return { groupId, id: made.id, username, password }
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

// ---- The page ---------------------------------------------------------------------------------

/** The navigation the user can see: the side menu on a desktop, the drawer on a phone. */
async function openMenu(page: Page, isMobile: boolean): Promise<Locator> {
  if (!isMobile) return page.getByTestId('side-menu')
  await page.getByTestId('menu-toggle').click()
  const drawer = page.getByTestId('drawer-menu')
  await expect(drawer).toBeVisible()
  return drawer
}
async function closeMenu(page: Page, isMobile: boolean): Promise<void> {
  if (!isMobile) return
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('drawer-menu')).toBeHidden()
}

async function expectMenu(page: Page, isMobile: boolean, tx: Words, shown: (keyof Words['menu'])[]) {
  const menu = await openMenu(page, isMobile)
  for (const key of Object.keys(tx.menu) as (keyof Words['menu'])[]) {
    const item = menu.getByTestId(`menu-${key}`)
    if (shown.includes(key)) await expect(item).toHaveText(tx.menu[key])
    else await expect(item).toHaveCount(0)
  }
  await closeMenu(page, isMobile)
}

/** The department tree the user can see: beside the list, or in the drawer on a phone. */
async function openTree(page: Page, isMobile: boolean): Promise<Locator> {
  if (!isMobile) return page.getByTestId('directory').getByTestId('dept-tree')
  await page.getByTestId('dept-picker').click()
  const drawer = page.locator('.dept-drawer')
  await expect(drawer).toBeVisible()
  return drawer
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/admin/login')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
}

function toast(page: Page, text: string): Locator {
  return page.getByTestId('success-message').filter({ hasText: text })
}

/** Picks an option of a dialog's multiple select whose dropdown has this class, then closes it. */
async function pick(page: Page, dialog: Locator, select: string, popper: string, option: string): Promise<void> {
  await dialog.getByTestId(select).click()
  const dropdown = page.locator(`.el-select__popper.${popper}`)
  await dropdown.getByRole('option', { name: option, exact: true }).click()
  await dialog.locator('.el-dialog__title').click()
  await expect(dropdown).toBeHidden()
}

function row(page: Page, testId: string, attr: string, value: string): Locator {
  // A card (phone) that is the item, or the table row (desktop) holding it.
  const item = `[data-testid="${testId}"][${attr}="${value}"]`
  return page.locator(`li${item}, tr.el-table__row:has(${item})`)
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`delegated administration (${lang})`, () => {
    test.use({ lang })

    test('a super admin makes a group and a scoped admin, who changes the password and sees only the scope', async ({
      page,
      context,
      browser,
      baseURL,
      isMobile,
    }) => {
      test.setTimeout(120_000)
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
      const s = await seed(page.request)
      const api = await AdminApi.login(page.request)
      const groupName = `组${s.sfx}`
      const username = `scoped-${s.sfx}`

      // ---- The group, through the page ----
      await page.goto('/admin/administrators')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      await page.getByTestId('group-create').click()
      const dialog = page.getByTestId('group-dialog')
      await expect(dialog).toBeVisible()
      await dialog.getByTestId('group-name').fill(groupName)
      await dialog.getByTestId('scope-filter').fill(s.top.name)
      await dialog.locator(`[data-testid="scope-node"][data-dept-name="${s.top.name}"]`).click()
      await expect(dialog.getByTestId('scope-picked-item')).toHaveText([s.top.name])
      await dialog.getByTestId('group-contacts-edit').click()
      await pick(page, dialog, 'group-apps', 'group-app-options', E2E_APP_NAME)
      await expect(dialog.getByTestId('group-app')).toHaveCount(1)
      await expect(dialog.getByTestId('group-app').locator('.is-active')).toHaveAttribute('data-testid', 'group-app-send')
      if (isMobile) await expectNoHorizontalOverflow(page)
      await dialog.getByTestId('group-save').click()
      await expect(toast(page, tx.groupCreated(groupName))).toBeVisible()
      await expect(dialog).toBeHidden()

      const listed = row(page, 'group-item', 'data-group-name', groupName)
      await expect(listed.getByTestId('group-item-departments')).toHaveText(s.top.name)
      await expect(listed.getByTestId('group-item-contacts')).toHaveText(tx.contactsEdit)
      await expect(listed.getByTestId('group-item-apps')).toHaveText(tx.appWithSend(E2E_APP_NAME))
      const group = (await groups(api)).find((g) => g.name === groupName)
      expect(group).toMatchObject({
        departments: [s.top.id],
        tags: [],
        contacts: 'edit',
        devices: false,
        apps: [{ agentid: agentid(), right: 'send' }],
        admins: [],
      })

      // ---- The administrator, through the page; the password shown once ----
      await page.getByRole('tab', { name: tx.menu.administrators }).click()
      await expect(page).toHaveURL(/\/admin\/administrators\?tab=admins$/)
      await page.getByTestId('admin-create').click()
      const adminDialog = page.getByTestId('admin-dialog')
      await adminDialog.getByTestId('admin-username').fill(username)
      await pick(page, adminDialog, 'admin-groups', 'admin-group-options', groupName)
      await adminDialog.getByTestId('admin-save').click()
      const secret = page.getByTestId('secret-dialog')
      await expect(secret).toBeVisible()
      await expect(secret.getByRole('heading')).toHaveText(tx.createdTitle)
      await expect(secret.getByTestId('secret-username')).toHaveText(username)
      await expect(secret.getByTestId('secret-warning')).toContainText(tx.warning)
      const generated = (await secret.getByTestId('secret-password').innerText()).trim()
      expect(generated.length).toBeGreaterThanOrEqual(10)
      await secret.getByTestId('secret-copy').click()
      await expect(toast(page, tx.copied)).toBeVisible()
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(generated)
      await secret.getByTestId('secret-done').click()
      await expect(secret).toBeHidden()
      await expect(page.getByTestId('secret-password')).toHaveCount(0)

      const adminRow = row(page, 'admin-item', 'data-username', username)
      await expect(adminRow.getByTestId('admin-item-role')).toHaveText(tx.scoped)
      await expect(adminRow.getByTestId('admin-item-groups')).toHaveText(groupName)
      await expect(adminRow.getByTestId('admin-item-must-change')).toHaveText(tx.yes)
      // Your own account is not changed here.
      const mine = row(page, 'admin-item', 'data-username', E2E_ADMIN_USERNAME)
      await expect(mine.getByTestId('admin-edit')).toBeDisabled()
      await expect(mine.getByTestId('admin-delete')).toBeDisabled()
      expect((await admins(api)).find((a) => a.username === username)).toMatchObject({
        role: 'scoped',
        groups: [group!.id],
        must_change_password: true,
      })

      // ---- The scoped administrator's own browser ----
      const theirs = await newConsoleContext(browser, lang)
      try {
        const p = await theirs.newPage()
        await login(p, username, generated)
        const pw = p.getByTestId('password-dialog')
        await expect(pw).toBeVisible()
        await expect(pw).toHaveAttribute('data-forced', 'true')
        await expect(pw.getByRole('heading')).toHaveText(tx.forcedTitle)
        // It cannot be put aside.
        await p.keyboard.press('Escape')
        await expect(pw).toBeVisible()
        await expect(pw.locator('.el-dialog__headerbtn')).toHaveCount(0)
        // Too short: said by the form. A wrong current password: said by the server, no logout.
        await pw.getByTestId('password-current').fill(generated)
        await pw.getByTestId('password-new').fill('short')
        await pw.getByTestId('password-repeat').fill('short')
        await pw.getByTestId('password-submit').click()
        await expect(pw.getByText(tx.tooShort, { exact: true })).toBeVisible()
        const own = `mine-${s.sfx}-secret`
        await pw.getByTestId('password-current').fill('not-the-password')
        await pw.getByTestId('password-new').fill(own)
        await pw.getByTestId('password-repeat').fill(own)
        await pw.getByTestId('password-submit').click()
        await expect(pw.getByTestId('password-error')).toContainText(tx.wrongCurrent)
        await expect(pw.getByTestId('password-error')).toHaveAttribute('data-code', 'invalid_credentials')
        await pw.getByTestId('password-current').fill(generated)
        await pw.getByTestId('password-submit').click()
        await expect(toast(p, tx.changed)).toBeVisible()
        await expect(pw).toBeHidden()
        const session = await (await p.request.get('/admin/api/session')).json()
        expect(session.admin).toMatchObject({ username, role: 'scoped', must_change_password: false })
        expect(session.rights).toMatchObject({ super: false, contacts: 'edit', scope: { departments: [s.top.id] } })

        // The menu: what the group allows, no Administrators.
        await expectMenu(p, isMobile, tx, ['overview', 'directory', 'apps', 'messages', 'identity', 'audit'])

        // The directory: their departments only, the scope's top at the top; with the edit
        // right, the import (into their scope) too.
        await p.goto('/admin/directory')
        await expect(p.getByTestId('directory')).toBeVisible()
        await expect(p.getByTestId('go-import')).toHaveCount(1)
        const tree = await openTree(p, isMobile)
        await expect(tree.getByTestId('dept-name')).toHaveText([s.top.name, s.child.name])
        await expect(tree.locator(`[data-dept-name="${s.outside.name}"]`)).toHaveCount(0)
        await expect(tree.locator('[data-dept-id="1"]')).toHaveCount(0)
        if (isMobile) await p.keyboard.press('Escape')
        await expect(p.getByTestId('cell-userid')).toHaveText([s.member])
        if (isMobile) await expectNoHorizontalOverflow(p)

        // Sign-in settings: to see, not to change.
        await p.goto('/admin/identity')
        const settings = p.getByTestId('identity-settings')
        await expect(settings.getByTestId('settings-read-only')).toHaveText(tx.readOnly)
        await expect(settings.getByTestId('second-verification-state')).toBeVisible()
        await expect(settings.getByTestId('open-registration-state')).toBeVisible()
        await expect(settings.getByRole('switch')).toHaveCount(0)

        // Pages for super admins say so, also when typed in.
        for (const path of ['/admin/administrators']) {
          await p.goto(path)
          await expect(p.getByTestId('no-permission')).toContainText(tx.noPermission)
          await expect(p.getByTestId('administrators-page')).toHaveCount(0)
        }

        // The audit log: their own records only.
        await p.goto('/admin/audit')
        await expect(p.getByTestId('audit-scope-hint')).toHaveText(tx.auditHint)
        const actors = p.getByTestId('audit-actor')
        await expect(actors.first()).toBeVisible()
        for (const actor of await actors.evaluateAll((els) => els.map((el) => el.getAttribute('data-actor')))) {
          expect(actor).toBe(`admin:${username}`)
        }
        await expect(p.locator('[data-action="admin.password"]')).toHaveCount(1)
      } finally {
        await theirs.close()
      }
    })

    test("a read-only group's administrator sees no create, edit or bulk controls", async ({ page, browser, isMobile }) => {
      const s = await seed(page.request)
      const api = await AdminApi.login(page.request)
      const who = await scopedAdmin(api, browser, { name: `只读${s.sfx}`, departments: [s.top.id], contacts: 'read' })

      const theirs = await newConsoleContext(browser, lang)
      try {
        const p = await theirs.newPage()
        await login(p, who.username, who.password)
        await expect(p.getByTestId('admin-name')).toHaveText(who.username)
        await expect(p.getByTestId('password-dialog')).toBeHidden()
        await expectMenu(p, isMobile, tx, ['overview', 'directory', 'audit'])

        await p.goto('/admin/directory')
        await expect(p.getByTestId('cell-userid')).toHaveText([s.member])
        await expect(p.getByTestId('dept-create')).toHaveCount(0)
        await expect(p.getByTestId('go-import')).toHaveCount(0)
        await expect(p.getByTestId('export')).toBeVisible()
        await expect(p.getByTestId('member-table').locator('.el-checkbox')).toHaveCount(0)
        await expect(p.getByTestId('bulk-bar')).toHaveCount(0)
        const tree = await openTree(p, isMobile)
        await expect(tree.getByTestId('dept-name')).toHaveText([s.top.name, s.child.name])
        await expect(tree.getByTestId('dept-actions')).toHaveCount(0)
        if (isMobile) await expect(p.locator('.dept-drawer').getByTestId('dept-create')).toHaveCount(0)

        for (const path of ['/admin/identity', '/admin/messages']) {
          await p.goto(path)
          await expect(p.getByTestId('no-permission')).toContainText(tx.noPermission)
        }
      } finally {
        await theirs.close()
      }
    })

    test('resets a password and deletes an administrator from the Administrators tab', async ({
      page,
      browser,
      isMobile,
    }) => {
      const s = await seed(page.request)
      const api = await AdminApi.login(page.request)
      const who = await scopedAdmin(api, browser, { name: `重置${s.sfx}`, departments: [s.top.id], contacts: 'edit' })
      const { id: otherGroup } = await api.json<{ id: number }>('POST', '/admin-groups', {
        name: `另一组${s.sfx}`,
        departments: [s.outside.id],
      })

      await page.goto('/admin/administrators?tab=admins')
      const item = row(page, 'admin-item', 'data-username', who.username)
      await expect(item.getByTestId('admin-item-must-change')).toHaveText(tx.no)

      // Edit: a second group.
      await item.getByTestId('admin-edit').click()
      const adminDialog = page.getByTestId('admin-dialog')
      await expect(adminDialog.getByTestId('admin-username')).toBeDisabled()
      await pick(page, adminDialog, 'admin-groups', 'admin-group-options', `另一组${s.sfx}`)
      await adminDialog.getByTestId('admin-save').click()
      await expect(toast(page, tx.adminSaved(who.username))).toBeVisible()
      expect((await admins(api)).find((a) => a.id === who.id)?.groups.sort()).toEqual([who.groupId, otherGroup].sort())

      // Reset: confirmed, the new password shown once; the old one stops working.
      await item.getByTestId('admin-reset').click()
      await page.locator('.confirm-box').getByRole('button', { name: tx.resetPassword }).click()
      const secret = page.getByTestId('secret-dialog')
      await expect(secret.getByRole('heading')).toHaveText(tx.resetTitle)
      const fresh = (await secret.getByTestId('secret-password').innerText()).trim()
      await secret.getByTestId('secret-done').click()
      await expect(secret).toBeHidden()
      await expect(item.getByTestId('admin-item-must-change')).toHaveText(tx.yes)
      expect((await admins(api)).find((a) => a.id === who.id)?.must_change_password).toBe(true)
      await withRequest(browser, async (request) => {
        const tryLogin = (password: string) =>
          request.post('/admin/api/session', { data: { username: who.username, password } })
        expect((await tryLogin(who.password)).status()).toBe(401)
        const answer = await tryLogin(fresh)
        expect(answer.status(), await answer.text()).toBe(200)
        expect((await answer.json()).admin.must_change_password).toBe(true)
      })

      // Delete: confirmed, gone from the list and from the server.
      await item.getByTestId('admin-delete').click()
      await page.locator('.confirm-box').getByRole('button', { name: tx.delete, exact: true }).click()
      await expect(toast(page, tx.adminDeleted(who.username))).toBeVisible()
      await expect(page.locator(`[data-testid="admin-item"][data-username="${who.username}"]`)).toHaveCount(0)
      expect((await admins(api)).some((a) => a.username === who.username)).toBe(false)
      if (isMobile) await expectNoHorizontalOverflow(page)
    })

    test('a 403 from the server is said where it happened and does not log out', async ({ page, browser, isMobile }) => {
      const s = await seed(page.request)
      const api = await AdminApi.login(page.request)
      const who = await scopedAdmin(api, browser, { name: `收回${s.sfx}`, departments: [s.top.id], contacts: 'edit' })

      const theirs = await newConsoleContext(browser, lang)
      try {
        const p = await theirs.newPage()
        await login(p, who.username, who.password)
        await expect(p.getByTestId('admin-name')).toHaveText(who.username)
        await p.goto(`/admin/directory?dept=${s.top.id}`)
        await expect(p.getByTestId('cell-userid')).toHaveText([s.member])

        // Meanwhile a super admin takes the group away.
        await api.json('DELETE', `/admin-groups/${who.groupId}`)

        if (isMobile) await p.getByTestId('dept-picker').click()
        await p.getByTestId('dept-create').click()
        const dialog = p.getByTestId('dept-dialog')
        await dialog.getByTestId('dept-dialog-name').fill(`新部门${s.sfx}`)
        await dialog.getByTestId('dept-dialog-submit').click()
        const error = p.getByTestId('error-message').filter({ hasText: tx.denied })
        await expect(error).toBeVisible()
        await expect(error).toHaveAttribute('data-code', 'permission_denied')
        await expect(error).toContainText(tx.saveDeptFailed)
        // Still logged in; the console now knows the rights are gone.
        await expect(p).toHaveURL(/\/admin\/directory/)
        await expect(p.getByTestId('admin-name')).toHaveText(who.username)
        expect((await p.request.get('/admin/api/session')).status()).toBe(200)
        await expect(p.getByTestId('no-permission')).toContainText(tx.noPermission)
        expect((await api.departments()).some((d) => d.name === `新部门${s.sfx}`)).toBe(false)
      } finally {
        await theirs.close()
      }
    })
  })
}
