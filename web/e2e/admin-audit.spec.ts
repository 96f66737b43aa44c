// The console's Audit log, in each language, on a phone and a desktop: changes made now through
// /cgi-bin (the contacts secret) and the admin API show up as records — who, from where, what,
// to what, the particulars — newest first; the filters (action or its kind, actor, target,
// dates) narrow them, older records come a page at a time, and a filter the server refuses or
// a lost connection is explained. Other specs write to the same log at the same time, so every
// check is on a target (a userid or tag id) made here.
import type { APIRequestContext, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  e2eAdmin,
  expect,
  expectNoHorizontalOverflow,
  other,
  switchLanguage,
  test,
  unique,
  type Lang,
} from './fixtures'
import { ENV_CONTACTS_SECRET, ENV_CORPID } from './global-setup'

const AU = {
  'zh-CN': {
    title: '审计日志',
    menu: '审计日志',
    menuOrder: ['概览', '通讯录', '应用', '消息', '登录与激活', '审计日志', '管理员'],
    columns: ['时间', '操作者', '来源地址', '操作', '对象', '详情'],
    userCreate: '新建成员',
    userUpdate: '修改成员',
    userDelete: '删除成员',
    tagCreate: '新建标签',
    tagAdd: '添加标签成员',
    kindTag: '标签（全部）',
    kindUser: '成员（全部）',
    from: '开始日期',
    to: '结束日期',
    contacts: '通讯录同步',
    admin: (name: string) => `管理员 ${name}`,
    shown: (n: number) => `已显示 ${n} 条`,
    end: '没有更早的记录了',
    more: '加载更多',
    empty: '没有符合条件的记录',
    perPage: (n: number) => `${n} 条`,
    expand: '展开',
    collapse: '收起',
    invalidFilter: '筛选条件不正确',
    invalidArgument: '提交的内容不正确。',
    loadFailed: '无法加载审计日志',
    network: '无法连接到服务器，请检查网络后重试。',
    retry: '重试',
    reset: '重置',
  },
  en: {
    title: 'Audit log',
    menu: 'Audit log',
    menuOrder: ['Overview', 'Directory', 'Apps', 'Messages', 'Sign-in', 'Audit log', 'Administrators'],
    columns: ['Time', 'Actor', 'From address', 'Action', 'Target', 'Detail'],
    userCreate: 'Member created',
    userUpdate: 'Member updated',
    userDelete: 'Member deleted',
    tagCreate: 'Tag created',
    tagAdd: 'Added to tag',
    kindTag: 'Tags (all)',
    kindUser: 'Members (all)',
    from: 'From',
    to: 'To',
    contacts: 'Directory sync',
    admin: (name: string) => `Administrator ${name}`,
    shown: (n: number) => `${n} shown`,
    end: 'No earlier records',
    more: 'Load more',
    empty: 'No records match',
    perPage: (n: number) => `${n} per page`,
    expand: 'Expand',
    collapse: 'Collapse',
    invalidFilter: 'The filters are not valid',
    invalidArgument: 'Some of what was sent is not valid.',
    loadFailed: 'Could not load the audit log',
    network: 'Could not reach the server. Check your connection and try again.',
    retry: 'Retry',
    reset: 'Reset',
  },
} as const

interface Entry {
  id: number
  at: number
  actor: string
  address: string
  action: string
  target: string
  detail: unknown
}

// ---- Records made through the real server ----------------------------------------------------

/** A /cgi-bin call with the contacts secret's token; fails the test unless errcode is 0. */
class Contacts {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly token: string,
  ) {}

  static async connect(request: APIRequestContext): Promise<Contacts> {
    const response = await request.get('/cgi-bin/gettoken', {
      params: { corpid: process.env[ENV_CORPID] ?? '', corpsecret: process.env[ENV_CONTACTS_SECRET] ?? '' },
    })
    const body = (await response.json()) as { errcode: number; access_token: string }
    expect(body.errcode, JSON.stringify(body)).toBe(0)
    return new Contacts(request, body.access_token)
  }

  async post(api: string, data: unknown): Promise<void> {
    const response = await this.request.post(`/cgi-bin/${api}`, { params: { access_token: this.token }, data })
    const body = (await response.json()) as { errcode: number }
    expect(body.errcode, `${api} ${JSON.stringify(data)}: ${JSON.stringify(body)}`).toBe(0)
  }
}

/** The log as a script reads it (the request context is logged in as the e2e admin). */
async function auditNow(request: APIRequestContext, query: Record<string, string>): Promise<Entry[]> {
  const response = await request.get('/admin/api/audit', { params: query })
  expect(response.status(), await response.text()).toBe(200)
  return ((await response.json()) as { entries: Entry[] }).entries
}

// ---- The page ----------------------------------------------------------------------------

async function openMenu(page: Page, isMobile: boolean): Promise<Locator> {
  if (!isMobile) return page.getByTestId('side-menu')
  await page.getByTestId('menu-toggle').click()
  const drawer = page.getByTestId('drawer-menu')
  await expect(drawer).toBeVisible()
  return drawer
}

/** The records shown: table rows on a desktop, cards on a phone. */
function list(page: Page, isMobile: boolean): Locator {
  return page.getByTestId(isMobile ? 'audit-cards' : 'audit-table')
}
function records(page: Page, isMobile: boolean): Locator {
  return isMobile
    ? list(page, true).getByTestId('audit-item')
    : list(page, false).locator('tbody tr.el-table__row')
}
function actions(page: Page, isMobile: boolean): Locator {
  return list(page, isMobile).getByTestId('audit-action')
}

async function pickAction(page: Page, option: string): Promise<void> {
  await page.getByTestId('filter-action').click()
  await page.locator('.audit-action-options').getByRole('option', { name: option }).click()
}

async function apply(page: Page): Promise<void> {
  await page.getByTestId('filter-apply').click()
}

/** Unix seconds of the browser's local midnight, `days` from today. */
function localMidnight(page: Page, days = 0): Promise<number> {
  return page.evaluate((plus) => {
    const now = new Date()
    return Math.floor(new Date(now.getFullYear(), now.getMonth(), now.getDate() + plus).getTime() / 1000)
  }, days)
}

/** Picks today in one of the two date pickers, by clicking as a person would. */
async function pickToday(page: Page, which: 'from' | 'to', label: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click()
  const panel = page.locator(`.audit-${which}-panel`)
  await expect(panel).toBeVisible()
  await panel.locator('td.today').click()
  await expect(panel).toBeHidden()
}

function query(page: Page): URLSearchParams {
  return new URL(page.url()).searchParams
}

for (const lang of LANGS) {
  const tx = AU[lang]

  test.describe(`console audit log (${lang})`, () => {
    test.use({ lang })

    test('shows who changed a member and a tag, newest first, and narrows by action, actor, target and dates', async ({
      page,
      request,
      isMobile,
    }) => {
      test.setTimeout(120_000)
      const admin = await AdminApi.login(request)
      const wecom = await WeCom.connect(request)
      const contacts = await Contacts.connect(request)
      const sfx = unique()
      const userid = `audit_${sfx}`
      const name = `审计${sfx}`
      await wecom.createMember({ userid, name, department: [1] }) // user.create, contacts
      await contacts.post('user/update', { userid, position: `审计员${sfx}` }) // user.update, contacts
      const tagid = await wecom.createTag(`审计${sfx}`) // tag.create
      await contacts.post('tag/addtagusers', { tagid, userlist: [userid] }) // tag.add_targets
      await admin.json('POST', '/members/bulk', { action: 'delete', userids: [userid] }) // user.delete, admin
      const server = await auditNow(request, { target: userid })
      expect(server.map((e) => e.action)).toEqual(['user.delete', 'user.update', 'user.create'])

      // The live entry sits after Sign-in and before the future Administrators.
      await page.goto('/admin/')
      const menu = await openMenu(page, isMobile)
      await expect(menu.getByRole('menuitem')).toContainText([...tx.menuOrder])
      await menu.getByRole('menuitem', { name: tx.menu, exact: true }).click()
      await expect(page).toHaveURL(/\/admin\/audit$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      if (!isMobile) {
        await expect(menu.getByRole('menuitem', { name: tx.menu, exact: true })).toHaveAttribute('aria-current', 'page')
      }
      // Everything at first: newest first, whoever wrote it.
      await expect(records(page, isMobile).first()).toBeVisible()

      // A member's history: its three records and nothing else.
      await page.getByTestId('filter-target').fill(userid)
      await apply(page)
      await expect(page).toHaveURL(new RegExp(`[?&]target=${userid}(&|$)`))
      await expect(actions(page, isMobile)).toHaveText([tx.userDelete, tx.userUpdate, tx.userCreate])
      await expect(list(page, isMobile).getByTestId('audit-actor')).toHaveText([
        tx.admin(e2eAdmin().username),
        tx.contacts,
        tx.contacts,
      ])
      await expect(list(page, isMobile).getByTestId('audit-target')).toHaveText([userid, userid, userid])
      await expect(list(page, isMobile).getByTestId('audit-address')).toHaveText(server.map((e) => e.address))
      expect(server[0]!.address, 'a change over HTTP records where it came from').not.toBe('')
      const times = list(page, isMobile).getByTestId('audit-time')
      for (const [i, e] of server.entries()) {
        await expect(times.nth(i)).toHaveAttribute('datetime', new Date(e.at * 1000).toISOString())
        await expect(times.nth(i)).toHaveAttribute('data-id', String(e.id))
        await expect(times.nth(i)).toContainText(String(new Date(e.at * 1000).getFullYear()))
      }
      if (!isMobile) {
        await expect(list(page, false).locator('thead th')).toHaveText([...tx.columns])
      }
      const [deleted, updated] = [records(page, isMobile).nth(0), records(page, isMobile).nth(1)]
      await expect(deleted.getByTestId('audit-detail')).toHaveText(`name: ${name}`)
      await expect(updated.getByTestId('audit-detail')).toHaveText('fields: position')
      // The particulars open as JSON, and close again.
      await updated.getByRole('button', { name: tx.expand }).click()
      const json = updated.getByTestId('audit-detail-json')
      await expect(json).toBeVisible()
      expect(JSON.parse(await json.innerText())).toEqual({ fields: ['position'] })
      await updated.getByRole('button', { name: tx.collapse }).click()
      await expect(json).toHaveCount(0)
      await expect(page.getByTestId('audit-end')).toHaveText(tx.end)
      await expect(page.getByTestId('audit-shown')).toHaveText(tx.shown(3))
      if (isMobile) await expectNoHorizontalOverflow(page)

      // One action exactly, then a whole kind that this member has none of.
      await pickAction(page, tx.userCreate)
      await apply(page)
      expect(query(page).get('action')).toBe('user.create')
      await expect(actions(page, isMobile)).toHaveText([tx.userCreate])
      await pickAction(page, tx.kindTag)
      await apply(page)
      expect(query(page).get('action')).toBe('tag.')
      await expect(page.getByTestId('audit-empty')).toContainText(tx.empty)
      await expect(records(page, isMobile)).toHaveCount(0)

      // The tag's own records, under the same kind: its creation and the member added to it.
      await page.getByTestId('filter-target').fill(String(tagid))
      await apply(page)
      await expect(actions(page, isMobile)).toHaveText([tx.tagAdd, tx.tagCreate])
      await expect(records(page, isMobile).nth(0).getByTestId('audit-detail')).toHaveText(
        `userids: ${userid}; departments: []`,
      )
      // An action typed by its name.
      await page.getByTestId('filter-action').click()
      await page.keyboard.type('tag.add_targets')
      await page.keyboard.press('Enter')
      await apply(page)
      expect(query(page).get('action')).toBe('tag.add_targets')
      await expect(actions(page, isMobile)).toHaveText([tx.tagAdd])

      // Reset empties every filter and the address.
      await page.getByTestId('filter-reset').click()
      await expect(page).toHaveURL(/\/admin\/audit$/)
      await expect(page.getByTestId('filter-target')).toHaveValue('')
      await expect(page.getByTestId('filter-actor')).toHaveValue('')
      await expect(page.getByTestId('filter-action')).not.toContainText('tag.add_targets')

      // Who: the administrator alone, then (one click on an actor) the sync's records.
      await page.getByTestId('filter-actor').fill(`admin:${e2eAdmin().username}`)
      await page.getByTestId('filter-target').fill(userid)
      await page.getByTestId('filter-target').press('Enter')
      await expect(actions(page, isMobile)).toHaveText([tx.userDelete])
      await page.getByTestId('filter-actor').fill('')
      await apply(page)
      await expect(actions(page, isMobile)).toHaveCount(3)
      await records(page, isMobile).nth(2).getByTestId('audit-actor').click()
      expect(query(page).get('actor')).toBe('contacts')
      await expect(page.getByTestId('filter-actor')).toHaveValue('contacts')
      await expect(actions(page, isMobile)).toHaveText([tx.userUpdate, tx.userCreate])

      // When: today, from its first second up to tomorrow's.
      await pickToday(page, 'from', tx.from)
      await pickToday(page, 'to', tx.to)
      await apply(page)
      await expect.poll(() => query(page).get('since')).toBe(String(await localMidnight(page)))
      expect(query(page).get('until')).toBe(String(await localMidnight(page, 1)))
      await expect(actions(page, isMobile)).toHaveText([tx.userUpdate, tx.userCreate])
      // Up to today (not included): nothing; the form shows the last day let in, yesterday.
      const today = await localMidnight(page)
      await page.goto(`/admin/audit?target=${userid}&until=${today}`)
      await expect(page.getByTestId('audit-empty')).toContainText(tx.empty)
      const yesterday = await page.evaluate((t) => {
        const d = new Date((t - 1) * 1000)
        return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
      }, today)
      await expect(page.getByRole('combobox', { name: tx.to, exact: true })).toHaveValue(yesterday)
      await expect(page.getByRole('combobox', { name: tx.from, exact: true })).toHaveValue('')
      if (isMobile) await expectNoHorizontalOverflow(page)
    })

    test('pages through a long history with load more', async ({ page, request, isMobile }) => {
      test.setTimeout(120_000)
      await AdminApi.login(request)
      const wecom = await WeCom.connect(request)
      const contacts = await Contacts.connect(request)
      const userid = `audit_page_${unique()}`
      await wecom.createMember({ userid, name: '翻页', department: [1] })
      for (let i = 1; i <= 22; i += 1) await contacts.post('user/update', { userid, position: `岗位${i}` })
      await contacts.post('user/delete', { userid })
      const server = await auditNow(request, { target: userid, limit: '200' })
      expect(server).toHaveLength(24)

      // A link with the filter shows it in the form; the default page holds them all.
      await page.goto(`/admin/audit?target=${userid}`)
      await expect(page.getByTestId('filter-target')).toHaveValue(userid)
      await expect(records(page, isMobile)).toHaveCount(24)
      await expect(page.getByTestId('audit-more')).toHaveCount(0)

      // 20 a page: the newest 20, then the 4 before them.
      await page.getByTestId('filter-limit').click()
      await page.getByRole('option', { name: tx.perPage(20), exact: true }).click()
      await expect(page).toHaveURL(/[?&]limit=20(&|$)/)
      await expect(records(page, isMobile)).toHaveCount(20)
      await expect(page.getByTestId('audit-shown')).toHaveText(tx.shown(20))
      await expect(actions(page, isMobile).first()).toHaveText(tx.userDelete)
      const more = page.getByRole('button', { name: tx.more })
      await more.click()
      await expect(records(page, isMobile)).toHaveCount(24)
      await expect(page.getByTestId('audit-shown')).toHaveText(tx.shown(24))
      await expect(page.getByTestId('audit-end')).toHaveText(tx.end)
      await expect(more).toHaveCount(0)
      await expect(actions(page, isMobile).last()).toHaveText(tx.userCreate)
      // Every record once, newest first, as the server holds them.
      const ids = await list(page, isMobile)
        .getByTestId('audit-time')
        .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-id'))))
      expect(ids).toEqual(server.map((e) => e.id))
      await expect(actions(page, isMobile).nth(5)).toHaveText(tx.userUpdate)
      await expect(records(page, isMobile).nth(5).getByTestId('audit-detail')).toHaveText('fields: position')
      if (isMobile) await expectNoHorizontalOverflow(page)
    })

    test('explains a filter the server refuses and a lost connection, and recovers', async ({
      page,
      request,
      isMobile,
    }) => {
      await AdminApi.login(request)
      const wecom = await WeCom.connect(request)
      const userid = `audit_err_${unique()}`
      await wecom.createMember({ userid, name: '出错', department: [1] })

      // A hand-edited address: the server answers 400, the page says what is wrong.
      await page.goto(`/admin/audit?target=${userid}&since=yesterday`)
      const error = page.getByTestId('audit-error')
      await expect(error).toContainText(tx.invalidFilter)
      await expect(error.getByTestId('audit-error-text')).toContainText(tx.invalidArgument)
      await expect(error.getByTestId('audit-error-detail')).toHaveText('since must be a non-negative integer')
      await expect(error).toHaveAttribute('data-code', 'invalid_argument')
      await expect(records(page, isMobile)).toHaveCount(0)
      await error.getByRole('button', { name: tx.reset }).click()
      await expect(page).toHaveURL(/\/admin\/audit$/)
      await expect(error).toHaveCount(0)
      await expect(records(page, isMobile).first()).toBeVisible()

      // The server out of reach: the page says so, and Retry brings the records back.
      await page.getByTestId('filter-target').fill(userid)
      await page.route(/\/admin\/api\/audit(\?|$)/, (route) => route.abort('failed'))
      await apply(page)
      await expect(error).toContainText(tx.loadFailed)
      await expect(error.getByTestId('audit-error-text')).toHaveText(tx.network)
      await page.unroute(/\/admin\/api\/audit(\?|$)/)
      await error.getByRole('button', { name: tx.retry }).click()
      await expect(error).toHaveCount(0)
      await expect(actions(page, isMobile)).toHaveText([tx.userCreate])
      if (isMobile) await expectNoHorizontalOverflow(page)
    })

    test('switches language on the audit log', async ({ page, request, isMobile }) => {
      await AdminApi.login(request)
      const wecom = await WeCom.connect(request)
      const contacts = await Contacts.connect(request)
      const userid = `audit_lang_${unique()}`
      await wecom.createMember({ userid, name: '语言', department: [1] })
      await contacts.post('user/update', { userid, position: '翻译' })

      const to: Lang = other(lang)
      const tt = AU[to]
      await page.goto(`/admin/audit?target=${userid}`)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      await expect(actions(page, isMobile)).toHaveText([tx.userUpdate, tx.userCreate])
      await expect(list(page, isMobile).getByTestId('audit-actor')).toHaveText([tx.contacts, tx.contacts])

      await switchLanguage(page, to)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tt.title)
      await expect(actions(page, isMobile)).toHaveText([tt.userUpdate, tt.userCreate])
      await expect(list(page, isMobile).getByTestId('audit-actor')).toHaveText([tt.contacts, tt.contacts])
      await expect(page.getByTestId('audit-shown')).toHaveText(tt.shown(2))
      if (!isMobile) await expect(list(page, false).locator('thead th')).toHaveText([...tt.columns])
      // The filter stays, and so does the choice of language after a reload.
      await page.reload()
      await expect(page.getByTestId('filter-target')).toHaveValue(userid)
      await expect(actions(page, isMobile)).toHaveText([tt.userUpdate, tt.userCreate])
    })
  })
}
