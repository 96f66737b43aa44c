// Sign-in and activation in the member client, in each language and on a phone and a desktop:
// a member enters their registered mobile or e-mail, types the code the server sent (read from
// the server's outbox files: the e2e server uses the file drivers), and lands on their
// conversations with the account active; a wrong code and an unknown number say so; the
// devices screen lists and ends sessions; a freeze signs the open page out.
import fs from 'node:fs'
import path from 'node:path'
import type { APIRequestContext, Page } from '@playwright/test'
import {
  LANGS,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  secondVerificationTurn,
  test,
  unique,
  uniqueMobile,
} from './fixtures'
import { ENV_CONTACTS_SECRET, ENV_CORPID } from './global-setup'
import { ENV_TEMP_DIR } from './server-paths'

const WORDS = {
  'zh-CN': {
    action: '登录 / 激活',
    send: '获取验证码',
    verify: '登录',
    sentTo: (to: string) => `验证码已发送到 ${to}`,
    noMatch: '没有成员登记这个手机号或邮箱。请检查后重试，或联系管理员。',
    wrongCode: '验证码不正确。',
    activated: '激活成功，欢迎加入！',
    devices: '登录设备',
    current: '本机',
    endOthers: '退出其他所有设备',
    logout: '退出登录',
    confirm: '确认',
  },
  en: {
    action: 'Sign in / activate',
    send: 'Send code',
    verify: 'Sign in',
    sentTo: (to: string) => `Code sent to ${to}`,
    noMatch: 'No member is registered with this mobile number or e-mail. Check it, or ask your administrator.',
    wrongCode: 'That code is not right.',
    activated: 'Your account is active. Welcome!',
    devices: 'Devices',
    current: 'This device',
    endOthers: 'Sign out all other devices',
    logout: 'Sign out',
    confirm: 'Confirm',
  },
} as const

/** The newest code the server wrote to its outbox for `to` (a mobile in sms.log, an e-mail in
 * mail.log), waiting for it to appear. */
async function codeFor(to: string, file: 'sms.log' | 'mail.log'): Promise<string> {
  const log = path.join(process.env[ENV_TEMP_DIR] ?? '', 'data', 'outbox', file)
  let found = ''
  await expect
    .poll(
      () => {
        if (!fs.existsSync(log)) return ''
        const lines = fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean)
        for (const line of lines.reverse()) {
          const entry = JSON.parse(line) as { mobile?: string; to?: string; text: string }
          if ((entry.mobile ?? entry.to) !== to) continue
          found = /(?<!\d)(\d{6})(?!\d)/.exec(entry.text)?.[1] ?? ''
          break
        }
        return found
      },
      { message: `a code for ${to} in ${file}` },
    )
    .not.toBe('')
  return found
}

/** The member's status through /cgi-bin user/get (1 active, 4 not activated). */
async function statusOf(request: APIRequestContext, userid: string): Promise<number> {
  const token = await contactsToken(request)
  const r = await request.get('/cgi-bin/user/get', { params: { access_token: token, userid } })
  return ((await r.json()) as { status: number }).status
}

async function contactsToken(request: APIRequestContext): Promise<string> {
  const r = await request.get('/cgi-bin/gettoken', {
    params: { corpid: process.env[ENV_CORPID]!, corpsecret: process.env[ENV_CONTACTS_SECRET]! },
  })
  return ((await r.json()) as { access_token: string }).access_token
}

async function setEnabled(request: APIRequestContext, userid: string, enable: 0 | 1): Promise<void> {
  const token = await contactsToken(request)
  const r = await request.post('/cgi-bin/user/update', {
    params: { access_token: token },
    data: { userid, enable },
  })
  expect(((await r.json()) as { errcode: number }).errcode).toBe(0)
}

/** Signs in through the page: identifier, then the code from the outbox. */
async function signIn(
  page: Page,
  identifier: string,
  file: 'sms.log' | 'mail.log' = 'sms.log'): Promise<void> {
  await page.goto('/signin')
  await page.getByTestId('signin-identifier').locator('input').fill(identifier)
  await page.getByTestId('signin-send').click()
  await expect(page.getByTestId('signin-code')).toBeVisible()
  const code = await codeFor(identifier, file)
  await page.getByTestId('signin-code').locator('input').fill(code)
  await verifyInTurn(page)
  await expect(page.getByTestId('conversations')).toBeVisible()
}

/** Clicks "sign in" while no other test has second verification on (see
 * secondVerificationTurn), and waits for the page to leave the code step. */
async function verifyInTurn(page: Page): Promise<void> {
  const release = await secondVerificationTurn()
  try {
    await page.getByTestId('signin-verify').click()
    await expect(page.getByTestId('signin')).toHaveCount(0)
  } finally {
    release()
  }
}

for (const lang of LANGS) {
  const w = WORDS[lang]

  test.describe(`member sign-in (${lang})`, () => {
    test.use({ lang })

    test('activates with an SMS code after a wrong one, from the home page', async ({ page, request }) => {
      const contacts = await WeCom.connect(request)
      const userid = `signin-${unique()}`
      const mobile = uniqueMobile()
      await contacts.createMember({ userid, name: '新成员', department: [1], mobile })

      await page.goto('/')
      await page.getByTestId('go-signin').click()
      await expect(page).toHaveURL(/\/signin$/)
      await expectNoHorizontalOverflow(page)

      // An unknown number says so.
      await page.getByTestId('signin-identifier').locator('input').fill(uniqueMobile())
      await page.getByRole('button', { name: w.send }).click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.noMatch)

      await page.getByTestId('signin-identifier').locator('input').fill(mobile)
      await page.getByRole('button', { name: w.send }).click()
      const masked = `${mobile.slice(0, 3)}****${mobile.slice(-4)}`
      await expect(page.getByTestId('signin-sent-to')).toContainText(w.sentTo(masked))
      const code = await codeFor(mobile, 'sms.log')

      const wrong = code === '000000' ? '111111' : '000000'
      await page.getByTestId('signin-code').locator('input').fill(wrong)
      await page.getByRole('button', { name: w.verify, exact: true }).click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.wrongCode)
      expect(await statusOf(request, userid)).toBe(4)

      await page.getByTestId('signin-code').locator('input').fill(code)
      await verifyInTurn(page)
      await expect(page.getByText(w.activated)).toBeVisible()
      await expect(page.getByTestId('conversations')).toBeVisible()
      expect(await statusOf(request, userid)).toBe(1)
      await expectNoHorizontalOverflow(page)
    })

    test('signs in by e-mail, lists devices and signs the others out', async ({ page, browser, request }) => {
      const contacts = await WeCom.connect(request)
      const userid = `mail-${unique()}`
      const email = `${userid}@example.com`
      await contacts.createMember({ userid, name: '邮箱成员', department: [1], email })

      // A second browser signs in first: it is the "other device".
      const other = await browser.newContext({ baseURL: test.info().project.use.baseURL })
      const otherPage = await other.newPage()
      await signIn(otherPage, email, 'mail.log')

      await signIn(page, email, 'mail.log')
      await page.getByTestId('open-devices').click()
      await expect(page.getByTestId('device')).toHaveCount(2)
      await expect(page.getByTestId('device').first()).toContainText(w.current)
      await expectNoHorizontalOverflow(page)

      await page.getByRole('button', { name: w.endOthers }).click()
      await page.getByRole('button', { name: w.confirm }).click()
      await expect(page.getByTestId('device')).toHaveCount(1)
      // The other browser's session is gone.
      const gone = await other.request.get('/api/v1/me')
      expect(gone.status()).toBe(401)
      await other.close()

      await page.getByTestId('devices-logout').click()
      await page.getByRole('button', { name: w.confirm }).click()
      await expect(page.getByTestId('go-signin')).toBeVisible()
      expect((await page.request.get('/api/v1/me')).status()).toBe(401)
    })

    test('a freeze signs the open page out, live', async ({ page, request }) => {
      const contacts = await WeCom.connect(request)
      const userid = `frozen-${unique()}`
      const mobile = uniqueMobile()
      await contacts.createMember({ userid, name: '冻结成员', department: [1], mobile })
      await signIn(page, mobile)
      await setEnabled(request, userid, 0)
      await expect(page.getByTestId('go-signin')).toBeVisible({ timeout: 5_000 })
      await setEnabled(request, userid, 1)
    })
  })
}
