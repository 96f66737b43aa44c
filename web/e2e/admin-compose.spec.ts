// Sending a notice through an app from the console's Messages page, in each language, on a phone
// and a desktop, against the real server: a super admin composes a text to a department and a
// member (the form's own checks first: no recipient, no content, too long; then one send while the
// button is held down), sees how many it reached and which target was gone, and finds it listed
// with its recipient count; a text card, after the server's refusal of a department nobody is in;
// a scoped administrator (分级管理) is offered only their send scope — not the departments and
// members another group of theirs lets them see — sends to it, and the server refuses anything
// outside it; the member receives the message in the member client. Each test makes its own
// departments, members, tags, groups and administrators under unique names.
import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  TEXT,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  memberLogin,
  newConsoleContext,
  test,
  unique,
} from './fixtures'
import { E2E_APP_NAME, ENV_APP_AGENTID } from './global-setup'

const WORDS = {
  'zh-CN': {
    open: '发送消息',
    title: `通过「${E2E_APP_NAME}」发送消息`,
    all: '全部成员（@all）',
    scopeHint: '只能发给你管理范围内的部门、标签和成员。',
    recipientsRequired: '请至少选择一个部门、标签或成员',
    contentRequired: '请输入内容',
    contentTooLong: (n: number) => `内容过长：最多 2048 字节，现在是 ${n} 字节（一个汉字占 3 字节）`,
    bytes: (n: number, max: number) => `${n} / ${max} 字节`,
    previewTo: (to: string) => `发给：${to}`,
    sep: '、',
    sending: '正在发送…',
    sentTitle: '消息已发送',
    reached: (n: number) => `已发给 ${n} 人`,
    invalidUsers: (list: string) => `成员：${list}`,
    failed: '消息没有发出',
    noValidRecipient: '没有可以收到这条消息的成员：请选择应用可见范围内的部门、标签或在职成员。',
    membersNone: '你的管理范围内没有找到这个成员',
  },
  en: {
    open: 'Send a message',
    title: `Send a message through ${E2E_APP_NAME}`,
    all: 'All members (@all)',
    scopeHint: 'You can send only to the departments, tags and members you administer.',
    recipientsRequired: 'Choose at least one department, tag or member',
    contentRequired: 'Enter the content',
    contentTooLong: (n: number) => `Too long: at most 2048 bytes, this is ${n} (a Chinese character takes 3)`,
    bytes: (n: number, max: number) => `${n} / ${max} bytes`,
    previewTo: (to: string) => `To: ${to}`,
    sep: ', ',
    sending: 'Sending…',
    sentTitle: 'Message sent',
    reached: (n: number) => `Members reached: ${n}`,
    invalidUsers: (list: string) => `Members: ${list}`,
    failed: 'The message was not sent',
    noValidRecipient:
      "Nobody can receive this message: choose departments, tags or active members in the app's visible scope.",
    membersNone: 'No member you administer matches',
  },
} as const
type Words = (typeof WORDS)[keyof typeof WORDS]

const agentid = () => Number(process.env[ENV_APP_AGENTID])

interface ApiMessage {
  msgid: string
  msgtype: string
  preview: string
  sender: string
  recipients: number
  content: Record<string, unknown>
}

async function sentMessages(api: AdminApi): Promise<ApiMessage[]> {
  return (await api.json<{ messages: ApiMessage[] }>('GET', `/apps/${agentid()}/messages?limit=100`)).messages
}

// ---- The composer ------------------------------------------------------------------------------

/** Opens the composer for the e2e app; returns the dialog once whom to send to has loaded. */
async function openComposer(page: Page, tx: Words, isMobile: boolean): Promise<Locator> {
  await expect(page.getByTestId('app-select')).toContainText(E2E_APP_NAME)
  await page.getByTestId('compose-open').click()
  const dialog = page.getByTestId('compose-dialog')
  await expect(dialog).toBeVisible()
  await expect(dialog.locator('.el-dialog__title')).toHaveText(tx.title)
  await expect(dialog.getByTestId('compose-recipients')).toBeVisible()
  if (isMobile) {
    await expect(dialog).toHaveClass(/is-fullscreen/)
    await expectNoHorizontalOverflow(page)
  }
  return dialog
}

async function pickDepartment(dialog: Locator, name: string): Promise<void> {
  await dialog.getByTestId('scope-filter').fill(name)
  await dialog.locator(`[data-testid="scope-node"][data-dept-name="${name}"]`).click()
  await expect(dialog.getByTestId('scope-picked-item').filter({ hasText: name })).toHaveCount(1)
  await dialog.getByTestId('scope-filter').fill('')
}

/** Searches members by `query`; the dropdown stays open. */
async function searchMember(page: Page, dialog: Locator, query: string): Promise<Locator> {
  await dialog.getByTestId('compose-members').click()
  await dialog.getByTestId('compose-members').locator('input').fill(query)
  const dropdown = page.locator('.el-select__popper.compose-member-options')
  await expect(dropdown).toBeVisible()
  return dropdown
}
async function closeDropdown(dialog: Locator, dropdown: Locator): Promise<void> {
  await dialog.locator('.el-dialog__title').click()
  await expect(dropdown).toBeHidden()
}
async function pickMember(page: Page, dialog: Locator, userid: string): Promise<void> {
  const dropdown = await searchMember(page, dialog, userid)
  await dropdown.locator(`[data-testid="compose-member-option"][data-userid="${userid}"]`).click()
  await closeDropdown(dialog, dropdown)
}

function fieldError(dialog: Locator, item: string): Locator {
  return dialog.getByTestId(item).locator('.el-form-item__error')
}

/** Counts the sends the page makes. */
function countSends(page: Page): () => number {
  let n = 0
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/admin\/api\/apps\/\d+\/messages$/.test(r.url())) n += 1
  })
  return () => n
}

// ---- A scoped administrator --------------------------------------------------------------------

async function withRequest<T>(browser: Browser, use: (request: APIRequestContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL })
  try {
    return await use(context.request)
  } finally {
    await context.close()
  }
}

/** A scoped administrator in these groups, made through the API, with a password of their own. */
async function scopedAdmin(api: AdminApi, browser: Browser, groups: number[]): Promise<{ username: string; password: string }> {
  const username = `sender-${unique()}`
  const made = await api.json<{ password: string }>('POST', '/admins', { username, role: 'scoped', groups })
  const password = `own-${unique()}-password`
  await withRequest(browser, async (request) => {
    const own = await AdminApi.login(request, { username, password: made.password })
    await own.json('POST', '/account/password', { current_password: made.password, new_password: password })
  })
  return { username, password }
}

async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/admin/login')
  await page.getByTestId('login-username').fill(username)
  await page.getByTestId('login-password').fill(password)
  await page.getByTestId('login-submit').click()
  await expect(page.getByTestId('admin-name')).toHaveText(username)
}

for (const lang of LANGS) {
  const tx = WORDS[lang]
  const shared = TEXT[lang]

  test.describe(`composing a message in the console (${lang})`, () => {
    test.use({ lang })

    test('a super admin sends a text and a text card, after the form and the server said what was wrong', async ({
      page,
      request,
      isMobile,
    }) => {
      test.setTimeout(120_000)
      const sfx = unique()
      const wecom = await WeCom.connect(request)
      const api = await AdminApi.login(request)
      const deptName = `通知部${sfx}`
      const otherName = `后勤部${sfx}`
      const emptyName = `空部门${sfx}`
      const dept = await wecom.createDepartment(deptName)
      const other = await wecom.createDepartment(otherName)
      await wecom.createDepartment(emptyName)
      const [a, b, c, gone] = ['a', 'b', 'c', 'gone'].map((x) => `cmp_${sfx}_${x}`) as [string, string, string, string]
      await wecom.createMember({ userid: a, name: `甲${sfx}`, department: [dept] })
      await wecom.createMember({ userid: b, name: `乙${sfx}`, department: [dept] })
      await wecom.createMember({ userid: c, name: `丙${sfx}`, department: [other] })
      await wecom.createMember({ userid: gone, name: `走${sfx}`, department: [other] })
      const sends = countSends(page)

      await page.goto('/admin/messages')
      await expect(page.getByTestId('compose-open')).toHaveText(tx.open)
      let dialog = await openComposer(page, tx, isMobile)
      // A super admin may send to everyone.
      await expect(dialog.getByTestId('compose-recipients')).toContainText(tx.all)
      await expect(dialog.getByTestId('compose-all')).toBeVisible()
      await expect(dialog.getByTestId('compose-scope-hint')).toHaveCount(0)

      // Nothing chosen, nothing written: the form says so and sends nothing.
      await dialog.getByTestId('compose-send').click()
      await expect(fieldError(dialog, 'compose-recipients-item')).toHaveText(tx.recipientsRequired)
      await expect(fieldError(dialog, 'compose-text-item')).toHaveText(tx.contentRequired)

      await pickDepartment(dialog, deptName)
      await expect(fieldError(dialog, 'compose-recipients-item')).toHaveCount(0)
      await pickMember(page, dialog, c)
      await pickMember(page, dialog, gone)

      // Too long: 683 Chinese characters are 2049 bytes.
      await dialog.getByTestId('compose-text').fill('通'.repeat(683))
      await expect(dialog.getByTestId('compose-text-count')).toHaveText(tx.bytes(2049, 2048))
      await dialog.getByTestId('compose-send').click()
      await expect(fieldError(dialog, 'compose-text-item')).toHaveText(tx.contentTooLong(2049))
      expect(sends()).toBe(0)

      const text = `年会通知 ${sfx}`
      await dialog.getByTestId('compose-text').fill(text)
      await expect(fieldError(dialog, 'compose-text-item')).toHaveCount(0)
      await expect(dialog.getByTestId('compose-preview-to')).toHaveText(
        tx.previewTo([deptName, `丙${sfx}`, `走${sfx}`].join(tx.sep)),
      )
      await expect(dialog.getByTestId('compose-preview-line')).toContainText(text)
      if (isMobile) await expectNoHorizontalOverflow(page)

      // One of the members leaves before the send: the send reaches the others and names them.
      await api.json('POST', '/members/bulk', { action: 'delete', userids: [gone] })

      // The server is slow to answer: the button stays held down, a second click sends nothing.
      let release: () => void = () => undefined
      const held = new Promise<void>((resolve) => (release = resolve))
      await page.route(/\/admin\/api\/apps\/\d+\/messages$/, async (route) => {
        if (route.request().method() === 'POST') await held
        await route.continue()
      })
      const send = dialog.getByTestId('compose-send')
      await send.click()
      await expect(send).toBeDisabled()
      await expect(send).toHaveText(tx.sending)
      await send.click({ force: true }).catch(() => undefined)
      release()
      const result = dialog.getByTestId('compose-result')
      await expect(result).toContainText(tx.sentTitle)
      await expect(result.getByTestId('compose-result-reached')).toHaveText(tx.reached(3))
      await expect(result.getByTestId('compose-invalid-users')).toHaveText(tx.invalidUsers(`走${sfx} (${gone})`))
      await expect(result.getByTestId('compose-result-capped')).toHaveCount(0)
      expect(sends()).toBe(1)
      await page.unroute(/\/admin\/api\/apps\/\d+\/messages$/)
      await dialog.getByTestId('compose-done').click()
      await expect(dialog).toBeHidden()

      // Listed at once, with its recipients; the server has it as the console's.
      const row = page.getByTestId('sent-table').locator('tr', { hasText: text })
      await expect(row).toHaveCount(1)
      await expect(row.getByTestId('sent-read')).toContainText(shared.readOf(0, 3))
      const stored = (await sentMessages(api)).find((m) => m.preview === text)
      expect(stored).toMatchObject({ msgtype: 'text', recipients: 3, content: { content: text } })

      // ---- A text card: a department nobody is in is refused by the server, said in words ----
      dialog = await openComposer(page, tx, isMobile)
      await expect(dialog.getByTestId('scope-picked-item')).toHaveCount(0) // a new form
      await dialog.getByTestId('compose-type-textcard').click()
      await pickDepartment(dialog, emptyName)
      const title = `体检安排 ${sfx}`
      await dialog.getByTestId('compose-card-title').fill(title)
      await dialog.getByTestId('compose-card-description').fill('请于本周五前到校医院体检')
      await dialog.getByTestId('compose-card-url').fill('https://oa.example.com/health')
      await dialog.getByTestId('compose-card-btntxt').fill('查看')
      await dialog.getByTestId('compose-safe').click()
      await expect(dialog.getByTestId('compose-preview-line')).toContainText(title)
      await dialog.getByTestId('compose-send').click()
      const error = dialog.getByTestId('compose-error')
      await expect(error).toHaveAttribute('data-code', 'no_valid_recipient')
      await expect(error).toContainText(tx.failed)
      await expect(error.getByTestId('compose-error-text')).toHaveText(tx.noValidRecipient)
      // The form stays as typed; another department goes.
      await expect(dialog.getByTestId('compose-card-title')).toHaveValue(title)
      await dialog.getByTestId('scope-picked-item').filter({ hasText: emptyName }).locator('.el-tag__close').click()
      await pickDepartment(dialog, deptName)
      await dialog.getByTestId('compose-send').click()
      await expect(dialog.getByTestId('compose-result-reached')).toHaveText(tx.reached(2))
      await expect(dialog.getByTestId('compose-result-invalid')).toHaveCount(0)
      await dialog.getByTestId('compose-done').click()
      const card = page.getByTestId('sent-table').locator('tr', { hasText: title })
      await expect(card.getByTestId('sent-read')).toContainText(shared.readOf(0, 2))
      expect((await sentMessages(api)).find((m) => m.preview === title)).toMatchObject({
        msgtype: 'textcard',
        recipients: 2,
        content: { title, description: '请于本周五前到校医院体检', url: 'https://oa.example.com/health', btntxt: '查看' },
      })
      if (isMobile) await expectNoHorizontalOverflow(page)
    })

    test("a scoped administrator is offered only their send scope, sends to it, and the member gets it", async ({
      page,
      request,
      browser,
      isMobile,
    }) => {
      test.setTimeout(120_000)
      const sfx = unique()
      const wecom = await WeCom.connect(request)
      const api = await AdminApi.login(request)
      const top = { name: `学院${sfx}`, id: 0 }
      const child = { name: `学院系${sfx}`, id: 0 }
      const seen = { name: `只可见${sfx}`, id: 0 }
      top.id = await wecom.createDepartment(top.name)
      child.id = await wecom.createDepartment(child.name, top.id)
      seen.id = await wecom.createDepartment(seen.name)
      const inside = `fac_${sfx}_in`
      const outside = `fac_${sfx}_out`
      await wecom.createMember({ userid: inside, name: `院内${sfx}`, department: [child.id] })
      await wecom.createMember({ userid: outside, name: `院外${sfx}`, department: [seen.id] })
      const tagIn = { name: `院标签${sfx}`, id: await wecom.createTag(`院标签${sfx}`) }
      const tagSeen = { name: `可见标签${sfx}`, id: await wecom.createTag(`可见标签${sfx}`) }

      // Sends through the app in the faculty (and its tag); sees another department, without the app.
      const { id: sender } = await api.json<{ id: number }>('POST', '/admin-groups', {
        name: `发送组${sfx}`,
        departments: [top.id],
        tags: [tagIn.id],
        contacts: 'read',
        apps: [{ agentid: agentid(), right: 'send' }],
      })
      const { id: viewer } = await api.json<{ id: number }>('POST', '/admin-groups', {
        name: `查看组${sfx}`,
        departments: [seen.id],
        tags: [tagSeen.id],
        contacts: 'read',
      })
      const who = await scopedAdmin(api, browser, [sender, viewer])
      const text = `学院通知 ${sfx}`

      const theirs = await newConsoleContext(browser, lang)
      try {
        const p = await theirs.newPage()
        await login(p, who.username, who.password)
        await p.goto('/admin/messages')
        const dialog = await openComposer(p, tx, isMobile)
        await expect(dialog.getByTestId('compose-scope-hint')).toHaveText(tx.scopeHint)
        await expect(dialog.getByTestId('compose-all')).toHaveCount(0)

        // Departments: the faculty and its subtree, not what the other group lets them see.
        await expect(dialog.getByTestId('scope-node')).toHaveText([top.name, child.name])
        await expect(dialog.locator(`[data-dept-name="${seen.name}"]`)).toHaveCount(0)
        await expect(dialog.locator('[data-testid="scope-node"][data-dept-id="1"]')).toHaveCount(0)

        // Tags: the faculty's.
        await dialog.getByTestId('compose-tags').click()
        const tagOptions = p.locator('.el-select__popper.compose-tag-options')
        await expect(tagOptions.getByRole('option')).toHaveText([tagIn.name])
        await closeDropdown(dialog, tagOptions)

        // Members: found only inside the faculty.
        const dropdown = await searchMember(p, dialog, outside)
        await expect(dropdown).toContainText(tx.membersNone)
        await expect(dropdown.getByTestId('compose-member-option')).toHaveCount(0)
        await closeDropdown(dialog, dropdown)
        await pickMember(p, dialog, inside)

        await pickDepartment(dialog, top.name)
        await dialog.getByTestId('compose-text').fill(text)
        if (isMobile) await expectNoHorizontalOverflow(p)
        await dialog.getByTestId('compose-send').click()
        await expect(dialog.getByTestId('compose-result-reached')).toHaveText(tx.reached(1))
        await dialog.getByTestId('compose-done').click()
        const row = p.getByTestId('sent-table').locator('tr', { hasText: text })
        await expect(row.getByTestId('sent-read')).toContainText(shared.readOf(0, 1))

        // The server refuses what is outside the send scope, whatever the page offers.
        const { csrf_token } = (await (await p.request.get('/admin/api/session')).json()) as { csrf_token: string }
        const attempt = (data: object) =>
          p.request.post(`/admin/api/apps/${agentid()}/messages`, {
            data: { msgtype: 'text', text: { content: `越权 ${sfx}` }, ...data },
            headers: { 'X-CSRF-Token': csrf_token },
          })
        for (const [data, named] of [
          [{ toparty: [seen.id] }, `department ${seen.id}`],
          [{ totag: [tagSeen.id] }, `tag ${tagSeen.id}`],
          [{ touser: [outside] }, `member ${outside}`],
          [{ touser: '@all' }, '@all'],
        ] as const) {
          const answer = await attempt(data)
          expect(answer.status(), JSON.stringify(data)).toBe(403)
          const body = (await answer.json()) as { code: string; message: string }
          expect(body.code).toBe('permission_denied')
          expect(body.message).toContain(named)
        }
        expect((await sentMessages(api)).some((m) => m.preview === `越权 ${sfx}`)).toBe(false)
      } finally {
        await theirs.close()
      }

      // The member in the faculty has it in the member client.
      await memberLogin(page.request, inside)
      await page.goto('/')
      const conversation = page.getByTestId('conversation').filter({ hasText: E2E_APP_NAME })
      await expect(conversation.getByTestId('conversation-preview')).toHaveText(text)
      await conversation.click()
      await expect(page.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
      if (isMobile) await expectNoHorizontalOverflow(page)
    })
  })
}
