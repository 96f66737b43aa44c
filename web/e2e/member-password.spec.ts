// The member's password and the other ways to sign in, in each language and on a phone and a
// desktop: a member signed in with a code sets a password on "Devices and security", signs out,
// signs in with the password (a wrong one says so), changes it (the old one stops working) and
// removes it; five wrong passwords lock password sign-in; the account-service way is hidden on
// this server (it has no account service), and its screen is checked against a faked server.
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
import { ENV_TEMP_DIR } from './server-paths'

const WORDS = {
  'zh-CN': {
    title: '设备与安全',
    open: '设备与安全',
    notSet: '未设置',
    isSet: '已设置',
    setPassword: '设置密码',
    saved: '密码已设置',
    changed: '密码已修改',
    removed: '密码已删除',
    tooShort: '密码至少需要 8 个字符。',
    mismatch: '两次输入的新密码不一致。',
    currentRequired: '请输入当前密码。',
    wrongCurrent: '当前密码不正确。',
    confirm: '确认',
    wayPassword: '密码登录',
    wayCode: '验证码登录',
    wayAccount: (label: string) => `使用${label}登录`,
    genericAccount: '使用组织账号登录',
    signedIn: '登录成功',
    wrongPassword: '手机号、邮箱或密码不正确。还没有设置密码的话，请用验证码登录。',
    locked: '密码错误次数过多，已暂时锁定。请稍后再试，或改用验证码登录。',
    accountMissing: '请输入账号和密码。',
    noMatch: '这个账号还没有关联到组织里的成员，请联系管理员，或改用验证码登录。',
    wrongAccount: '账号或密码不正确。',
    accountDown: (label: string) => `${label}暂时无法使用，请稍后再试，或改用验证码登录。`,
    pendingTitle: '等待管理员确认',
  },
  en: {
    title: 'Devices and security',
    open: 'Devices and security',
    notSet: 'Not set',
    isSet: 'Set',
    setPassword: 'Set password',
    saved: 'Password set',
    changed: 'Password changed',
    removed: 'Password removed',
    tooShort: 'A password needs at least 8 characters.',
    mismatch: 'The two new passwords are not the same.',
    currentRequired: 'Enter your current password.',
    wrongCurrent: 'The current password is wrong.',
    confirm: 'Confirm',
    wayPassword: 'Sign in with password',
    wayCode: 'Sign in with a code',
    wayAccount: (label: string) => `Sign in with ${label}`,
    genericAccount: 'Sign in with your organisation account',
    signedIn: 'Signed in',
    wrongPassword: 'Wrong mobile, e-mail or password. If you have not set a password, sign in with a code.',
    locked:
      'Too many wrong passwords: signing in with a password is locked for a while. Try again later, or sign in with a code.',
    accountMissing: 'Enter your account and your password.',
    noMatch:
      'This account is not linked to a member of your organisation. Ask your administrator, or sign in with a code.',
    wrongAccount: 'Wrong account or password.',
    accountDown: (label: string) =>
      `Signing in with ${label} is not possible right now. Try again later, or sign in with a code.`,
    pendingTitle: 'Waiting for an administrator',
  },
} as const

/** The newest code the server wrote to its outbox for `to` (a mobile, in sms.log). */
async function codeFor(to: string): Promise<string> {
  const log = path.join(process.env[ENV_TEMP_DIR] ?? '', 'data', 'outbox', 'sms.log')
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
      { message: `a code for ${to} in sms.log` },
    )
    .not.toBe('')
  return found
}

/** Signs in through the page with an SMS code (this activates the member), taking the second
 * verification turn (fixtures.ts) so that the activation goes through at once. */
async function signInWithCode(page: Page, mobile: string): Promise<void> {
  await page.goto('/signin')
  await page.getByTestId('signin-identifier').locator('input').fill(mobile)
  await page.getByTestId('signin-send').click()
  await expect(page.getByTestId('signin-code')).toBeVisible()
  await page.getByTestId('signin-code').locator('input').fill(await codeFor(mobile))
  const release = await secondVerificationTurn()
  try {
    await page.getByTestId('signin-verify').click()
    await expect(page.getByTestId('signin')).toHaveCount(0)
  } finally {
    release()
  }
  await expect(page.getByTestId('conversations')).toBeVisible()
}

/** POST /api/v1/auth/password from outside the browser: the status and the answer. */
async function passwordSignIn(
  request: APIRequestContext,
  identifier: string,
  password: string,
): Promise<{ status: number; body: { code?: string; result?: string; userid?: string } }> {
  const r = await request.post('/api/v1/auth/password', { data: { identifier, password } })
  return { status: r.status(), body: (await r.json()) as { code?: string; result?: string; userid?: string } }
}

function field(page: Page, testId: string) {
  return page.getByTestId(testId).locator('input')
}

for (const lang of LANGS) {
  const w = WORDS[lang]

  test.describe(`member password (${lang})`, () => {
    test.use({ lang })

    test('sets a password, signs in with it, changes and removes it', async ({ page, request }) => {
      const contacts = await WeCom.connect(request)
      const userid = `pw-${unique()}`
      const mobile = uniqueMobile()
      const email = `${userid}@example.com`
      await contacts.createMember({ userid, name: '密码成员', department: [1], mobile, email })
      const first = `first-${unique()}`
      const second = `second-${unique()}`

      await signInWithCode(page, mobile)
      await expect(page.getByTestId('open-devices')).toContainText(w.open)
      await page.getByTestId('open-devices').click()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.title)
      await expect(page.getByTestId('password-state')).toHaveText(w.notSet)

      // Set: too short, then two different ones, then for real.
      await page.getByRole('button', { name: w.setPassword }).click()
      await field(page, 'password-new').fill('short7!')
      await field(page, 'password-confirm').fill('short7!')
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-error')).toHaveText(w.tooShort)
      await field(page, 'password-new').fill(first)
      await field(page, 'password-confirm').fill(`${first}x`)
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-error')).toHaveText(w.mismatch)
      await field(page, 'password-confirm').fill(first)
      await page.getByTestId('password-submit').click()
      await expect(page.getByText(w.saved, { exact: true })).toBeVisible()
      await expect(page.getByTestId('password-state')).toHaveText(w.isSet)
      await expect(page.getByTestId('password-form')).toHaveCount(0)
      expect(await (await page.request.get('/api/v1/password')).json()).toEqual({ set: true })
      await expectNoHorizontalOverflow(page)

      // Sign out, then in again with the e-mail and the password.
      await page.getByTestId('devices-logout').click()
      await page.getByRole('button', { name: w.confirm }).click()
      await expect(page.getByTestId('go-signin')).toBeVisible()
      await page.getByTestId('go-signin').click()
      await page.getByRole('button', { name: w.wayPassword }).click()
      await field(page, 'signin-password-identifier').fill(email)
      await field(page, 'signin-password').fill(second)
      await page.getByTestId('signin-password-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.wrongPassword)
      await expectNoHorizontalOverflow(page)
      await field(page, 'signin-password').fill(first)
      await page.getByTestId('signin-password-submit').click()
      await expect(page.getByText(w.signedIn, { exact: true })).toBeVisible()
      await expect(page.getByTestId('conversations')).toBeVisible()
      const me = (await (await page.request.get('/api/v1/me')).json()) as { userid: string }
      expect(me.userid).toBe(userid)

      // Change: the current one is asked for and checked.
      await page.getByTestId('open-devices').click()
      await page.getByTestId('password-change').click()
      await field(page, 'password-current').fill(second)
      await field(page, 'password-new').fill(second)
      await field(page, 'password-confirm').fill(second)
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-error')).toHaveText(w.wrongCurrent)
      await field(page, 'password-current').fill(first)
      await page.getByTestId('password-submit').click()
      await expect(page.getByText(w.changed, { exact: true })).toBeVisible()
      await expect(page.getByTestId('password-state')).toHaveText(w.isSet)
      // The old one no longer works; the new one does (by mobile this time).
      expect(await passwordSignIn(request, mobile, first)).toEqual({
        status: 401,
        body: expect.objectContaining({ code: 'invalid_credentials' }),
      })
      expect(await passwordSignIn(request, mobile, second)).toEqual({
        status: 200,
        body: expect.objectContaining({ result: 'signed_in', userid }),
      })

      // Remove: asks for the current one.
      await page.getByTestId('password-remove').click()
      await expect(page.getByTestId('password-new')).toHaveCount(0)
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-error')).toHaveText(w.currentRequired)
      await field(page, 'password-current').fill(first)
      await page.getByTestId('password-submit').click()
      await expect(page.getByTestId('password-error')).toHaveText(w.wrongCurrent)
      await expect(page.getByTestId('password-state')).toHaveText(w.isSet)
      await field(page, 'password-current').fill(second)
      await page.getByTestId('password-submit').click()
      await expect(page.getByText(w.removed, { exact: true })).toBeVisible()
      await expect(page.getByTestId('password-state')).toHaveText(w.notSet)
      await expect(page.getByTestId('password-set')).toBeVisible()
      expect((await passwordSignIn(request, mobile, second)).status).toBe(401)
      expect(await (await page.request.get('/api/v1/password')).json()).toEqual({ set: false })
    })

    test('five wrong passwords lock password sign-in', async ({ page, request }) => {
      const contacts = await WeCom.connect(request)
      const userid = `pwlock-${unique()}`
      const mobile = uniqueMobile()
      await contacts.createMember({ userid, name: '锁定成员', department: [1], mobile })
      const password = `right-${unique()}`

      // The password through the API, from a test session.
      const opened = await request.post('/testing/member-session', { data: { userid } })
      expect(opened.status(), await opened.text()).toBe(200)
      const { csrf_token } = (await opened.json()) as { csrf_token: string }
      const headers = { 'X-CSRF-Token': csrf_token }
      const short = await request.put('/api/v1/password', { headers, data: { password: 'seven77' } })
      expect(short.status()).toBe(400)
      expect(((await short.json()) as { code: string }).code).toBe('invalid_argument')
      const set = await request.put('/api/v1/password', { headers, data: { password } })
      expect(set.status(), await set.text()).toBe(200)
      expect(await set.json()).toEqual({ set: true })
      const noCurrent = await request.put('/api/v1/password', { headers, data: { password: `${password}2` } })
      expect(noCurrent.status()).toBe(401)
      expect(((await noCurrent.json()) as { code: string }).code).toBe('invalid_credentials')

      // ?id= fills the mobile in, for the password too.
      await page.goto(`/signin?id=${mobile}`)
      await page.getByTestId('signin-way-password').click()
      await expect(field(page, 'signin-password-identifier')).toHaveValue(mobile)
      // The missing current password above was the first wrong guess: three more, then the lock.
      for (let i = 1; i <= 3; i++) {
        await field(page, 'signin-password').fill(`wrong-${i}-${unique()}`)
        await page.getByTestId('signin-password-submit').click()
        await expect(page.getByTestId('signin-error')).toHaveText(w.wrongPassword)
        // Each answer replaces the last: wait for the button to be ready again.
        await expect(page.getByTestId('signin-password-submit')).toBeEnabled()
      }
      await field(page, 'signin-password').fill(`wrong-4-${unique()}`)
      await page.getByTestId('signin-password-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.locked)
      // Locked: even the right password is refused now.
      await field(page, 'signin-password').fill(password)
      await page.getByTestId('signin-password-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.locked)
      expect((await passwordSignIn(request, mobile, password)).body.code).toBe('login_locked')
      await expect(page.getByTestId('signin')).toBeVisible()
    })

    test('the account way is hidden: this server has no account service', async ({ page, request }) => {
      const methods = await request.get('/api/v1/auth/methods')
      expect(methods.status()).toBe(200)
      expect(await methods.json()).toEqual({ code: true, password: true, account: false, account_label: '' })
      const account = await request.post('/api/v1/auth/account', {
        data: { account: `nobody-${unique()}`, password: 'whatever-123' },
      })
      expect(account.status()).toBe(503)
      expect(((await account.json()) as { code: string }).code).toBe('channel_unavailable')

      await page.goto('/signin')
      // The code stays the default; the password is offered once the server said so.
      await expect(page.getByTestId('signin-identifier')).toBeVisible()
      await expect(page.getByTestId('signin-way-password')).toHaveText(w.wayPassword)
      await expect(page.getByTestId('signin-way-account')).toHaveCount(0)
      await page.getByTestId('signin-way-password').click()
      await expect(page.getByTestId('signin-way-code')).toHaveText(w.wayCode)
      await expect(page.getByTestId('signin-way-account')).toHaveCount(0)
      await page.getByTestId('signin-way-code').click()
      await expect(page.getByTestId('signin-identifier')).toBeVisible()
    })

    // UI-only: the e2e server has no account service, so these answers are faked in the
    // browser (page.route); the server's own account sign-in is tested on the C++ side.
    test('UI only: the account way against a faked account service', async ({ page }) => {
      let label = ''
      await page.route('**/api/v1/auth/methods', (route) =>
        route.fulfill({ json: { code: true, password: true, account: true, account_label: label } }),
      )
      const answers = [
        { status: 404, json: { code: 'no_match', message: 'this account is not linked to a member here' } },
        { status: 401, json: { code: 'invalid_credentials', message: 'wrong account or password' } },
        { status: 503, json: { code: 'unavailable', message: 'the account service did not answer' } },
        { status: 202, json: { result: 'pending_approval', userid: 'someone' } },
      ]
      const sent: unknown[] = []
      await page.route('**/api/v1/auth/account', (route) => {
        sent.push(route.request().postDataJSON())
        return route.fulfill(answers.shift() ?? { status: 500, json: { code: 'internal', message: 'no more' } })
      })

      // Without a label: the generic name.
      await page.goto('/signin')
      await expect(page.getByTestId('signin-way-account')).toHaveText(w.genericAccount)

      label = '统一身份认证'
      await page.reload()
      await page.getByRole('button', { name: w.wayAccount(label) }).click()
      await expect(page.getByTestId('signin-account')).toBeVisible()
      await page.getByTestId('signin-account-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.accountMissing)
      expect(sent).toHaveLength(0)

      await field(page, 'signin-account').fill(' S2024001 ')
      await field(page, 'signin-account-password').fill('campus-pass')
      await page.getByTestId('signin-account-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.noMatch)
      expect(sent).toEqual([{ account: 'S2024001', password: 'campus-pass' }])
      await expectNoHorizontalOverflow(page)

      await page.getByTestId('signin-account-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.wrongAccount)
      await page.getByTestId('signin-account-submit').click()
      await expect(page.getByTestId('signin-error')).toHaveText(w.accountDown(label))
      await page.getByTestId('signin-account-submit').click()
      await expect(page.getByTestId('signin-pending')).toBeVisible()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.pendingTitle)
      expect(sent).toHaveLength(4)
    })
  })
}
