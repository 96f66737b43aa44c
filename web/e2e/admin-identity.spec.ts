// The console's Sign-in and activation page, in each language, on a phone and a desktop:
// second verification turned on through the page holds members who proved their mobile (a
// real code, read from the server's SMS outbox) until an administrator activates or turns
// them down there.
import fs from 'node:fs'
import path from 'node:path'
import type { APIRequestContext, Locator, Page } from '@playwright/test'
import {
  LANGS,
  WeCom,
  adminLogin,
  expect,
  expectNoHorizontalOverflow,
  secondVerificationTurn,
  test,
  unique,
  uniqueMobile,
} from './fixtures'
import { ENV_CONTACTS_SECRET, ENV_CORPID } from './global-setup'
import { ENV_TEMP_DIR } from './server-paths'

const ID = {
  'zh-CN': {
    title: '登录与激活',
    menu: '登录与激活',
    menuOrder: ['概览', '通讯录', '应用', '消息', '登录与激活', '管理员'],
    settings: '激活设置',
    secondVerification: '二次验证',
    help: '开启后，成员验证手机号或邮箱后还需管理员确认（或由企业系统调用 user/authsucc）才能激活。',
    on: '已启用',
    notSetUp: '未配置',
    saved: '设置已保存',
    pending: '待确认的激活',
    empty: '没有待确认的激活',
    sms: '短信',
    mail: '邮件',
    approve: '确认激活',
    reject: '拒绝',
    cancel: '取消',
    refresh: '刷新',
    approved: (name: string) => `已激活 ${name}`,
    rejected: (name: string) => `已拒绝 ${name}`,
    rejectConfirm: (name: string) => `拒绝 ${name} 的激活申请？该成员仍可稍后重新验证。`,
    approveFailed: (name: string) => `无法激活 ${name}`,
    userNotFound: '成员不存在。',
  },
  en: {
    title: 'Sign-in and activation',
    menu: 'Sign-in',
    menuOrder: ['Overview', 'Directory', 'Apps', 'Messages', 'Sign-in', 'Administrators'],
    settings: 'Activation settings',
    secondVerification: 'Second verification',
    help:
      'When on, a member who proved their mobile or e-mail is activated only once an administrator ' +
      'confirms them (or your system calls user/authsucc).',
    on: 'On',
    notSetUp: 'Not set up',
    saved: 'Settings saved',
    pending: 'Activations to confirm',
    empty: 'No activations are waiting',
    sms: 'SMS',
    mail: 'E-mail',
    approve: 'Activate',
    reject: 'Reject',
    cancel: 'Cancel',
    refresh: 'Refresh',
    approved: (name: string) => `${name} is active`,
    rejected: (name: string) => `${name} was turned down`,
    rejectConfirm: (name: string) => `Turn down ${name}'s activation? They may verify again later.`,
    approveFailed: (name: string) => `Could not activate ${name}`,
    userNotFound: 'The member does not exist.',
  },
} as const

interface Settings {
  second_verification: boolean
  mail_enabled: boolean
  sms_enabled: boolean
}

interface Pending {
  userid: string
  name: string
  channel: string
  address: string
  verified_at: number
}

// ---- The server, as a script would use it ------------------------------------------------

async function settingsNow(request: APIRequestContext): Promise<Settings> {
  const response = await request.get('/admin/api/identity/settings')
  expect(response.status(), await response.text()).toBe(200)
  return (await response.json()) as Settings
}

async function setSecondVerification(request: APIRequestContext, csrf: string, on: boolean) {
  return request.put('/admin/api/identity/settings', {
    data: { second_verification: on },
    headers: { 'X-CSRF-Token': csrf },
  })
}

async function pendingNow(request: APIRequestContext): Promise<Pending[]> {
  const response = await request.get('/admin/api/identity/pending')
  expect(response.status(), await response.text()).toBe(200)
  return ((await response.json()) as { pending: Pending[] }).pending
}

/** A member's status through /cgi-bin user/get (1 active, 4 not activated). */
async function memberStatus(request: APIRequestContext, userid: string): Promise<number> {
  const token = await request.get('/cgi-bin/gettoken', {
    params: { corpid: process.env[ENV_CORPID] ?? '', corpsecret: process.env[ENV_CONTACTS_SECRET] ?? '' },
  })
  const { access_token } = (await token.json()) as { access_token: string }
  const response = await request.get('/cgi-bin/user/get', { params: { access_token, userid } })
  const body = (await response.json()) as { errcode: number; status: number }
  expect(body.errcode, JSON.stringify(body)).toBe(0)
  return body.status
}

function dataDir(): string {
  const tempDir = process.env[ENV_TEMP_DIR]
  if (!tempDir) throw new Error('corphub e2e: global setup did not publish the data directory')
  return path.join(tempDir, 'data')
}

/** The code in the last SMS the server's file driver wrote to this mobile, if any yet. */
function lastCodeTo(mobile: string): string | undefined {
  let text: string
  try {
    text = fs.readFileSync(path.join(dataDir(), 'outbox', 'sms.log'), 'utf8')
  } catch {
    return undefined
  }
  let code: string | undefined
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const sms = JSON.parse(line) as { mobile: string; text: string }
    if (sms.mobile.replace(/\D/g, '').endsWith(mobile)) code = /(?<!\d)\d{6}(?!\d)/.exec(sms.text)?.[0]
  }
  return code
}

/**
 * The member proves their mobile as the member client does: asks for a code, reads it from
 * the SMS, and sends it back; with second verification on, that leaves them waiting.
 */
async function verifyMobile(request: APIRequestContext, userid: string, mobile: string): Promise<void> {
  const headers = { 'Content-Type': 'application/json' }
  const sent = await request.post('/api/v1/auth/code', { data: { identifier: mobile }, headers })
  expect(sent.status(), await sent.text()).toBe(200)
  const { challenge, channel } = (await sent.json()) as { challenge: string; channel: string }
  expect(channel).toBe('sms')
  let code: string | undefined
  await expect.poll(() => (code = lastCodeTo(mobile)), { message: `an SMS to ${mobile}` }).toBeTruthy()
  const verified = await request.post('/api/v1/auth/verify', { data: { challenge, code }, headers })
  expect(verified.status(), await verified.text()).toBe(202)
  expect(await verified.json()).toMatchObject({ result: 'pending_approval', userid })
}

// ---- The page ----------------------------------------------------------------------------

/** The navigation the user can see: the side menu on a desktop, the drawer on a phone. */
async function openMenu(page: Page, isMobile: boolean): Promise<Locator> {
  if (!isMobile) return page.getByTestId('side-menu')
  await page.getByTestId('menu-toggle').click()
  const drawer = page.getByTestId('drawer-menu')
  await expect(drawer).toBeVisible()
  return drawer
}

/** One waiting member: a table row on a desktop, a card on a phone. */
function pendingItem(page: Page, isMobile: boolean, userid: string): Locator {
  const items = isMobile
    ? page.getByTestId('pending-cards').getByTestId('pending-item')
    : page.getByTestId('pending-table').locator('tbody tr.el-table__row')
  return items.filter({ has: page.getByTestId('pending-userid').getByText(userid, { exact: true }) })
}

/** The toast (ElMessage) of that kind saying `text` (earlier ones may still be showing). */
function toast(page: Page, kind: 'success' | 'error', text: string): Locator {
  return page.getByTestId(kind === 'success' ? 'success-message' : 'error-message').filter({ hasText: text })
}

for (const lang of LANGS) {
  const tx = ID[lang]

  test.describe(`console sign-in and activation (${lang})`, () => {
    test.use({ lang })

    test('second verification holds verified members until they are activated or turned down', async ({
      page,
      request,
      isMobile,
    }) => {
      // Waiting for the other project's turn comes on top of the test's own time.
      test.setTimeout(120_000)
      const csrf = await adminLogin(request)
      const wecom = await WeCom.connect(request)
      const sfx = unique()
      const passed = { userid: `pass_${sfx}`, name: `通过${sfx}`, mobile: uniqueMobile() }
      const refused = { userid: `refuse_${sfx}`, name: `拒绝${sfx}`, mobile: uniqueMobile() }
      for (const m of [passed, refused]) await wecom.createMember({ ...m, department: [1] })

      await page.goto('/admin/')
      const menu = await openMenu(page, isMobile)
      // The live entry sits after Messages and before the future Administrators.
      await expect(menu.getByRole('menuitem')).toContainText([...tx.menuOrder])
      await menu.getByRole('menuitem', { name: tx.menu, exact: true }).click()
      await expect(page).toHaveURL(/\/admin\/identity$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      if (!isMobile) {
        await expect(menu.getByRole('menuitem', { name: tx.menu, exact: true })).toHaveAttribute('aria-current', 'page')
      }

      const card = page.getByTestId('identity-settings')
      await expect(card.getByRole('heading', { name: tx.settings })).toBeVisible()
      await expect(card.getByTestId('second-verification-help')).toHaveText(tx.help)
      const server = await settingsNow(request)
      await expect(card.getByTestId('channel-sms')).toHaveText(server.sms_enabled ? tx.on : tx.notSetUp)
      await expect(card.getByTestId('channel-mail')).toHaveText(server.mail_enabled ? tx.on : tx.notSetUp)
      expect(server.sms_enabled, 'the e2e server sends SMS through its file driver').toBe(true)
      const toggle = card.getByRole('switch', { name: tx.secondVerification })

      const release = await secondVerificationTurn()
      try {
        // From off, whatever an earlier run left behind; the page reloads to show it.
        expect((await setSecondVerification(request, csrf, false)).status()).toBe(200)
        await page.reload()
        await expect(toggle).not.toBeChecked()

        let saved = toast(page, 'success', tx.saved).waitFor({ state: 'visible' })
        await card.getByTestId('second-verification').click()
        await saved
        await expect(toggle).toBeChecked()
        expect((await settingsNow(request)).second_verification).toBe(true)

        for (const m of [passed, refused]) await verifyMobile(request, m.userid, m.mobile)

        // Off again: who is already waiting keeps waiting.
        saved = toast(page, 'success', tx.saved).waitFor({ state: 'visible' })
        await card.getByTestId('second-verification').click()
        await saved
        await expect(toggle).not.toBeChecked()
        expect((await settingsNow(request)).second_verification).toBe(false)
      } finally {
        await setSecondVerification(request, csrf, false)
        release()
      }

      const list = page.getByTestId('identity-pending')
      await expect(list.getByRole('heading', { name: tx.pending })).toBeVisible()
      await list.getByRole('button', { name: tx.refresh }).click()
      await expect(page.getByTestId(isMobile ? 'pending-cards' : 'pending-table')).toBeVisible()
      await expect(page.getByTestId(isMobile ? 'pending-table' : 'pending-cards')).toHaveCount(0)
      const waiting = await pendingNow(request)
      for (const m of [passed, refused]) {
        const item = pendingItem(page, isMobile, m.userid)
        await expect(item).toHaveCount(1)
        await expect(item.getByTestId('pending-name')).toHaveText(m.name)
        await expect(item.getByTestId('pending-channel')).toHaveText(tx.sms)
        const listed = waiting.find((p) => p.userid === m.userid)
        expect(listed, `${m.userid} is waiting on the server`).toBeDefined()
        await expect(item.getByTestId('pending-address')).toHaveText(listed!.address)
        await expect(item.getByTestId('pending-verified-at')).toContainText(/\d/)
      }
      // Oldest first.
      const order = (await page.getByTestId('pending-userid').allInnerTexts()).filter((u) => u.endsWith(sfx))
      expect(order).toEqual([passed.userid, refused.userid])
      await expectNoHorizontalOverflow(page)

      const approved = toast(page, 'success', tx.approved(passed.name)).waitFor({ state: 'visible' })
      await pendingItem(page, isMobile, passed.userid).getByRole('button', { name: tx.approve }).click()
      await approved
      await expect(pendingItem(page, isMobile, passed.userid)).toHaveCount(0)
      expect(await memberStatus(request, passed.userid)).toBe(1)

      // Turning down asks first; cancelling leaves them waiting.
      const reject = pendingItem(page, isMobile, refused.userid).getByRole('button', { name: tx.reject })
      await reject.click()
      const box = page.locator('.el-message-box')
      await expect(box).toContainText(tx.rejectConfirm(refused.name))
      if (isMobile) await expectNoHorizontalOverflow(page)
      await box.getByRole('button', { name: tx.cancel }).click()
      await expect(box).toBeHidden()
      await expect(pendingItem(page, isMobile, refused.userid)).toHaveCount(1)

      await reject.click()
      await expect(box).toContainText(tx.rejectConfirm(refused.name))
      const rejected = toast(page, 'success', tx.rejected(refused.name)).waitFor({ state: 'visible' })
      await box.getByRole('button', { name: tx.reject, exact: true }).click()
      await rejected
      await expect(pendingItem(page, isMobile, refused.userid)).toHaveCount(0)
      expect(await memberStatus(request, refused.userid)).toBe(4)
      const left = (await pendingNow(request)).map((p) => p.userid)
      expect(left).not.toContain(passed.userid)
      expect(left).not.toContain(refused.userid)
    })

    test('says when nobody is waiting, and explains a refused action', async ({ page, isMobile }) => {
      // Someone listed who is not a member (deleted meanwhile): the list comes from here, the
      // approval goes to the real server, which does not know them.
      const ghost: Pending = {
        userid: `ghost_${unique()}`,
        name: '不存在',
        channel: 'email',
        address: '192.0.2.7',
        verified_at: Math.floor(Date.now() / 1000) - 60,
      }
      let listed: Pending[] = [ghost]
      await page.route('**/admin/api/identity/pending', (route) => route.fulfill({ json: { pending: listed } }))
      await page.goto('/admin/identity')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)

      const item = pendingItem(page, isMobile, ghost.userid)
      await expect(item.getByTestId('pending-channel')).toHaveText(tx.mail)
      await expect(item.getByTestId('pending-address')).toHaveText(ghost.address)
      const failed = toast(page, 'error', tx.approveFailed(ghost.name))
      await item.getByRole('button', { name: tx.approve }).click()
      await expect(failed).toBeVisible()
      await expect(failed).toContainText(tx.userNotFound)
      await expect(failed).toHaveAttribute('data-code', 'user_not_found')

      listed = []
      await page.getByTestId('identity-pending').getByRole('button', { name: tx.refresh }).click()
      await expect(page.getByTestId('pending-empty')).toContainText(tx.empty)
      await expect(item).toHaveCount(0)
      if (isMobile) await expectNoHorizontalOverflow(page)
    })
  })
}
