// Freezing members (暂停使用) and imports by scoped administrators in the admin console, in each
// language, on a phone and a desktop, against the real server: a super admin freezes a member
// from their details (asked first) — the member's own session stops working — and unfreezes
// them; an administrator with only the read right and the device right selects members and
// freezes them in bulk, and is offered nothing else; an administrator with the edit right imports
// a file whose rows go into and outside their scope, and the report says which row was refused
// and why. Every test makes its own departments, members, groups and administrators.
import type { APIRequestContext, Browser, BrowserContext, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  newConsoleContext,
  test,
  unique,
  uniqueMobile,
  type Lang,
} from './fixtures'

const WORDS = {
  'zh-CN': {
    disabled: '已禁用',
    status: { 1: '已激活', 2: '已禁用', 4: '未激活', 5: '已离职' } as Record<number, string>,
    freeze: '暂停使用',
    unfreeze: '恢复使用',
    cancel: '取消',
    confirmOne: (name: string) =>
      `确定暂停使用 ${name} 吗？该成员会在所有设备上立即退出登录，恢复使用之前无法再登录。`,
    confirmMany: (n: number) =>
      `确定暂停使用选中的 ${n} 名成员吗？他们会在所有设备上立即退出登录，恢复使用之前无法再登录。`,
    confirmButton: (n: number) => `暂停使用 ${n} 名成员`,
    frozenOne: (name: string) => `已暂停使用 ${name}`,
    unfrozenOne: (name: string) => `已恢复使用 ${name}`,
    frozenMany: (n: number) => `已暂停使用 ${n} 名成员`,
    selected: (n: number) => `已选 ${n} 人`,
    importButton: '批量导入',
    importTitle: '批量导入成员',
    scopedHint: '你是分级管理员：只能导入到你有编辑权限的部门，新成员须放入这些部门；超出范围的行不会导入。',
    header: ['账号', '姓名', '手机', '部门'],
    check: '检查',
    import: '开始导入',
    create: '新建',
    failed: '失败',
    outsideScope: '超出你的管理范围，此行未导入。',
  },
  en: {
    disabled: 'Disabled',
    status: { 1: 'Active', 2: 'Disabled', 4: 'Not activated', 5: 'Left' } as Record<number, string>,
    freeze: 'Freeze',
    unfreeze: 'Unfreeze',
    cancel: 'Cancel',
    confirmOne: (name: string) =>
      `Freeze ${name}? They will be signed out on every device at once and cannot sign in until unfrozen.`,
    confirmMany: (n: number) =>
      `Freeze the ${n} selected members? They will be signed out on every device at once and cannot sign in until unfrozen.`,
    confirmButton: (n: number) => `Freeze ${n} members`,
    frozenOne: (name: string) => `${name} frozen`,
    unfrozenOne: (name: string) => `${name} unfrozen`,
    frozenMany: (n: number) => `${n} members frozen`,
    selected: (n: number) => `${n} selected`,
    importButton: 'Import',
    importTitle: 'Import members',
    scopedHint:
      'As a scoped administrator you import only into the departments you may edit, and new members must go into one of them; rows outside that are not imported.',
    header: ['Account', 'Name', 'Mobile', 'Departments'],
    check: 'Check',
    import: 'Import',
    create: 'New',
    failed: 'Failed',
    outsideScope: 'Outside your scope: this row was not imported.',
  },
} as const

// ---- Data and administrators made through the APIs ------------------------------------------

interface Dept {
  id: number
  name: string
}

/** A department under the root with members (userid → name). */
async function seedDepartment(request: APIRequestContext, prefix: string, people: Record<string, string>): Promise<Dept> {
  const wecom = await WeCom.connect(request)
  const name = `${prefix}${unique()}`
  const id = await wecom.createDepartment(name, 1)
  for (const [userid, memberName] of Object.entries(people)) {
    await wecom.createMember({ userid, name: memberName, department: [id] })
  }
  return { id, name }
}

async function memberStatus(api: AdminApi, userid: string): Promise<number> {
  const found = (await api.members({ q: userid })).members.find((m) => m.userid === userid)
  expect(found, `member ${userid}`).toBeDefined()
  return found!.status
}

/**
 * A group and a scoped administrator in it, and a browser of their own logged in as them (their
 * generated password already changed, as the console would have them do first).
 */
async function scopedConsole(
  api: AdminApi,
  browser: Browser,
  lang: Lang,
  group: { departments: number[]; contacts: 'read' | 'edit'; devices?: boolean },
): Promise<BrowserContext> {
  const { id: groupId } = await api.json<{ id: number }>('POST', '/admin-groups', {
    name: `冻结导入${unique()}`,
    ...group,
  })
  const username = `frz-${unique()}`
  const made = await api.json<{ password: string }>('POST', '/admins', { username, role: 'scoped', groups: [groupId] })
  const context = await newConsoleContext(browser, lang)
  // The context's cookie jar is its pages' too: they start logged in.
  const own = await AdminApi.login(context.request, { username, password: made.password })
  await own.json('POST', '/account/password', {
    current_password: made.password,
    new_password: `own-${unique()}-password`,
  })
  return context
}

// ---- The page ---------------------------------------------------------------------------------

async function selectDepartment(page: Page, isMobile: boolean, name: string) {
  let scope: Locator = page.getByTestId('directory')
  if (isMobile) {
    await page.getByTestId('dept-picker').click()
    scope = page.locator('.dept-drawer')
    await expect(scope).toBeVisible()
  }
  await scope.locator(`[data-testid="dept-node"][data-dept-name="${name}"]`).getByTestId('dept-name').click()
  if (isMobile) {
    await expect(page.locator('.dept-drawer')).toBeHidden()
    await expect(page.getByTestId('dept-picker-name')).toHaveText(name)
  } else {
    await expect(page.getByTestId('selected-department')).toHaveText(name)
  }
}

function row(page: Page, userid: string): Locator {
  return page
    .getByTestId('member-table')
    .locator('tbody tr.el-table__row')
    .filter({ has: page.getByTestId('cell-userid').getByText(userid, { exact: true }) })
}

/** The toast of that kind saying `text` (earlier ones may still be showing). */
function toast(page: Page, kind: 'success' | 'error', text: string): Locator {
  return page.getByTestId(kind === 'success' ? 'success-message' : 'error-message').filter({ hasText: text })
}

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n'

function stat(scope: Locator, which: 'created' | 'updated' | 'failed') {
  return scope.getByTestId(`report-${which}`).locator('.stat-value')
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`admin freeze and scoped import (${lang})`, () => {
    test.use({ lang })

    test("a super admin freezes a member from their details: the member's session stops working; unfreezing lets them back", async ({
      page,
      request,
      playwright,
      isMobile,
    }) => {
      const sfx = unique()
      const userid = `frz_${sfx}`
      const name = `冯${sfx.slice(-4)}`
      const dept = await seedDepartment(request, '冻结', { [userid]: name })
      const api = await AdminApi.login(request)
      const before = await memberStatus(api, userid)
      expect(before).not.toBe(2)

      // The member's own session, in a cookie jar of its own.
      const member = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL })
      try {
        const opened = await member.post('/testing/member-session', { data: { userid } })
        expect(opened.status(), await opened.text()).toBe(200)
        expect(((await opened.json()) as { token: string }).token).toBeTruthy()
        expect((await member.get('/api/v1/conversations')).status()).toBe(200)

        await page.goto('/admin/directory')
        await selectDepartment(page, isMobile, dept.name)
        await row(page, userid).getByTestId('member-open').click()
        const drawer = page.getByTestId('member-drawer')
        await expect(drawer).toBeVisible()
        await expect(drawer.getByTestId('detail-userid')).toContainText(userid)
        await expect(drawer.getByTestId('detail-departments')).toContainText(dept.name)
        await expect(drawer.getByTestId('detail-status')).toHaveText(tx.status[before]!)
        await expect(drawer.getByTestId('member-unfreeze')).toHaveCount(0)
        if (isMobile) await expectNoHorizontalOverflow(page)

        // Asked first, saying what it does; cancelling changes nothing.
        await drawer.getByTestId('member-freeze').click()
        const box = page.locator('.el-message-box')
        await expect(box).toContainText(tx.confirmOne(name))
        await box.getByRole('button', { name: tx.cancel }).click()
        await expect(box).toBeHidden()
        expect(await memberStatus(api, userid)).toBe(before)

        await drawer.getByTestId('member-freeze').click()
        const frozen = toast(page, 'success', tx.frozenOne(name)).waitFor({ state: 'visible' })
        await box.getByRole('button', { name: tx.freeze, exact: true }).click()
        await frozen
        await expect(drawer.getByTestId('detail-status')).toHaveText(tx.disabled)
        await expect(drawer.getByTestId('member-freeze')).toHaveCount(0)
        await expect(drawer.getByTestId('member-unfreeze')).toHaveText(tx.unfreeze)
        expect(await memberStatus(api, userid)).toBe(2)
        // Their session no longer works.
        expect((await member.get('/api/v1/conversations')).status()).toBe(401)
        if (isMobile) await expectNoHorizontalOverflow(page)

        // Unfreezing needs no question.
        const unfrozen = toast(page, 'success', tx.unfrozenOne(name)).waitFor({ state: 'visible' })
        await drawer.getByTestId('member-unfreeze').click()
        await unfrozen
        await expect(drawer.getByTestId('detail-status')).toHaveText(tx.status[before]!)
        await expect(drawer.getByTestId('member-freeze')).toHaveText(tx.freeze)
        expect(await memberStatus(api, userid)).toBe(before)

        // The list says it too, once the drawer is closed.
        await page.keyboard.press('Escape')
        await expect(drawer).toBeHidden()
        await expect(row(page, userid).getByTestId('cell-status')).toHaveText(tx.status[before]!)
      } finally {
        await member.dispose()
      }
    })

    test('with the read right and the device right, members are selected and frozen in bulk; nothing else is offered', async ({
      request,
      browser,
      isMobile,
    }) => {
      const sfx = unique()
      const a = `frz_a_${sfx}`
      const b = `frz_b_${sfx}`
      const dept = await seedDepartment(request, '设备权', { [a]: '甲一', [b]: '乙二' })
      const api = await AdminApi.login(request)
      const theirs = await scopedConsole(api, browser, lang, { departments: [dept.id], contacts: 'read', devices: true })
      try {
        const p = await theirs.newPage()
        await p.goto('/admin/directory')
        await expect(p.getByTestId('cell-userid')).toHaveText([a, b])
        await expect(p.getByTestId('go-import')).toHaveCount(0)
        await expect(p.getByTestId('dept-create')).toHaveCount(0)

        for (const u of [a, b]) await row(p, u).locator('.el-checkbox').click()
        const bar = p.getByTestId('bulk-bar')
        await expect(bar.getByTestId('selected-count')).toHaveText(tx.selected(2))
        await expect(bar.getByTestId('bulk-freeze')).toHaveText(tx.freeze)
        await expect(bar.getByTestId('bulk-unfreeze')).toHaveText(tx.unfreeze)
        for (const id of ['bulk-move', 'bulk-add-tag', 'bulk-remove-tag', 'bulk-delete']) {
          await expect(bar.getByTestId(id)).toHaveCount(0)
        }
        if (isMobile) await expectNoHorizontalOverflow(p)

        await bar.getByTestId('bulk-freeze').click()
        const box = p.locator('.el-message-box')
        await expect(box).toContainText(tx.confirmMany(2))
        const frozen = toast(p, 'success', tx.frozenMany(2)).waitFor({ state: 'visible' })
        await box.getByRole('button', { name: tx.confirmButton(2) }).click()
        await frozen
        for (const u of [a, b]) {
          await expect(row(p, u).getByTestId('cell-status')).toHaveText(tx.disabled)
          expect(await memberStatus(api, u)).toBe(2)
        }
        await expect(p.getByTestId('bulk-bar')).toHaveCount(0)

        // Their details offer unfreezing now.
        await row(p, a).getByTestId('member-open').click()
        const drawer = p.getByTestId('member-drawer')
        await expect(drawer.getByTestId('detail-status')).toHaveText(tx.disabled)
        await expect(drawer.getByTestId('member-unfreeze')).toBeVisible()
      } finally {
        await theirs.close()
      }
    })

    test('with the edit right, the import creates the row inside the scope and refuses the one outside it, in words', async ({
      request,
      browser,
    }) => {
      test.setTimeout(60_000)
      const sfx = unique()
      const inside = await seedDepartment(request, '可导入', {})
      const outside = await seedDepartment(request, '不可导入', {})
      const api = await AdminApi.login(request)
      const theirs = await scopedConsole(api, browser, lang, { departments: [inside.id], contacts: 'edit' })
      const inUser = `imp_in_${sfx}`
      const outUser = `imp_out_${sfx}`
      const sub = `新组${sfx}`
      try {
        const p = await theirs.newPage()
        await p.goto('/admin/directory')
        await p.getByTestId('directory').getByRole('link', { name: tx.importButton }).click()
        await expect(p).toHaveURL(/\/admin\/directory\/import$/)
        await expect(p.getByRole('heading', { level: 1 })).toHaveText(tx.importTitle)
        await expect(p.getByTestId('import-scoped-hint')).toHaveText(tx.scopedHint)

        const file = csv([
          [...tx.header],
          [inUser, '内一', uniqueMobile(), `${inside.name}/${sub}`],
          [outUser, '外二', uniqueMobile(), outside.name],
        ])
        await p.getByTestId('import-file').setInputFiles({
          name: `scoped-${sfx}.csv`,
          mimeType: 'text/csv',
          buffer: Buffer.from(file, 'utf8'),
        })
        await expect(p.getByTestId('file-name')).toHaveText(`scoped-${sfx}.csv`)
        await p.getByRole('button', { name: tx.check, exact: true }).click()
        const dry = p.getByTestId('dry-run')
        await expect(stat(dry, 'created')).toHaveText('1')
        await expect(stat(dry, 'failed')).toHaveText('1')

        await p.getByRole('button', { name: tx.import, exact: true }).click()
        await expect(p.getByTestId('import-progress')).toHaveAttribute('data-status', 'finished', { timeout: 30_000 })
        const result = p.getByTestId('import-result')
        await expect(stat(result, 'created')).toHaveText('1')
        await expect(stat(result, 'failed')).toHaveText('1')
        const rows = result.getByTestId('report-rows').locator('tbody tr')
        await expect(rows).toHaveCount(2)
        const created = rows.filter({ hasText: inUser })
        await expect(created.getByTestId('row-outcome')).toHaveText(tx.create)
        const refused = rows.filter({ hasText: outUser })
        await expect(refused.getByTestId('row-outcome')).toHaveText(tx.failed)
        const message = refused.getByTestId('row-message')
        await expect(message).toHaveAttribute('data-code', 'permission_denied')
        await expect(message).toContainText(tx.outsideScope)
        // The server's detail names the department.
        await expect(message).toContainText(outside.name)

        // Only the row inside the scope is there.
        const made = (await api.members({ q: inUser })).members.find((m) => m.userid === inUser)
        expect(made?.departments.map((d) => d.name)).toEqual([sub])
        expect((await api.members({ q: outUser })).total).toBe(0)
        expect((await api.members({ department_id: outside.id })).total).toBe(0)
      } finally {
        await theirs.close()
      }
    })
  })
}
