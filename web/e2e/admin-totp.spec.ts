// Two-step login (TOTP) for an administrator, in each language, on a phone and a desktop,
// against the real server: turned on from the account menu (the password, the QR code and the
// secret, the app's code, the ten recovery codes to keep), then every login asks for a code —
// a wrong one is refused in words, the app's next one logs in, so does a recovery code — and
// turned off again with the password. The codes are computed here as an authenticator app would
// (RFC 6238: HMAC-SHA1, 30-second steps, six digits). Each test has an administrator of its own:
// the shared e2e one must keep logging in with just its password.
import crypto from 'node:crypto'
import fs from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import {
  LANGS,
  TEXT,
  createAdmin,
  expect,
  expectNoHorizontalOverflow,
  expectQrCodeOf,
  test,
  unique,
  type AdminCredentials,
} from './fixtures'

const WORDS = {
  'zh-CN': {
    menu: '两步验证',
    title: '两步验证',
    on: '已开启',
    off: '未开启',
    wrongPassword: '密码不正确。',
    wrongCode: '验证码不正确。请输入应用当前显示的验证码，并确认手机时间准确。',
    codesLeft: (n: number) => `剩余恢复码：${n} 个`,
    warning:
      '请立即保存下面的恢复码，它们只显示这一次。手机丢失或无法使用身份验证器时，可以用一个恢复码代替验证码登录，每个只能用一次。',
    copied: '已复制',
    turnedOff: '两步验证已关闭',
    codeHeading: '两步验证',
    codeIntro: '请输入身份验证器应用中显示的 6 位验证码。',
    recoveryIntro: '请输入一个恢复码（形如 xxxxx-xxxxx）。每个恢复码只能使用一次。',
    loginTotpInvalid: '验证码不正确或已经用过，请输入应用中新的验证码。',
    codeRequired: '请输入 6 位数字验证码',
    logout: '退出登录',
  },
  en: {
    menu: 'Two-step login',
    title: 'Two-step login',
    on: 'On',
    off: 'Off',
    wrongPassword: 'Wrong password.',
    wrongCode: "Wrong code. Enter the code the app shows now, and check that the phone's clock is right.",
    codesLeft: (n: number) => `Recovery codes left: ${n}`,
    warning:
      'Save these recovery codes now: they are shown only this once. If you lose your phone or cannot use the app, log in with one of them instead of a code; each works once.',
    copied: 'Copied',
    turnedOff: 'Two-step login is off',
    codeHeading: 'Two-step login',
    codeIntro: 'Enter the 6-digit code your authenticator app shows.',
    recoveryIntro: 'Enter one of your recovery codes (like xxxxx-xxxxx). Each one works once.',
    loginTotpInvalid: 'Wrong code, or one used already. Enter the code the app shows now.',
    codeRequired: 'Enter the 6-digit code',
    logout: 'Log out',
  },
} as const

// ---- An authenticator app, in a few lines -----------------------------------------------------

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

function base32Decode(text: string): Buffer {
  const bytes: number[] = []
  let value = 0
  let bits = 0
  for (const ch of text.replace(/[\s=]/g, '').toUpperCase()) {
    const digit = BASE32.indexOf(ch)
    if (digit < 0) throw new Error(`not base32: ${text}`)
    value = ((value << 5) | digit) & 0xfff
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** The code for one 30-second step (RFC 6238 over RFC 4226's dynamic truncation). */
function totp(secret: string, step: number): string {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const binary =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!
  return String(binary % 1_000_000).padStart(6, '0')
}

const stepNow = () => Math.floor(Date.now() / 1000 / 30)

// ---- The page ----------------------------------------------------------------------------

async function fillLogin(page: Page, who: AdminCredentials): Promise<void> {
  await page.getByTestId('login-username').fill(who.username)
  await page.getByTestId('login-password').fill(who.password)
  await page.getByTestId('login-submit').click()
}

/** Opens the account menu in the header, unless it is open already. */
async function accountMenu(page: Page): Promise<void> {
  if (!(await page.getByTestId('account-totp').isVisible())) await page.getByTestId('account-menu').click()
  await expect(page.getByTestId('account-totp')).toBeVisible()
}

async function openTotp(page: Page): Promise<Locator> {
  await accountMenu(page)
  await page.getByTestId('account-totp').click()
  const dialog = page.getByTestId('totp-dialog')
  await expect(dialog).toBeVisible()
  return dialog
}

async function logout(page: Page, tx: (typeof WORDS)[keyof typeof WORDS]): Promise<void> {
  await accountMenu(page)
  await page.getByRole('menuitem', { name: tx.logout }).click()
  await expect(page).toHaveURL(/\/admin\/login\?reason=logged-out$/)
}

function toast(page: Page, text: string): Locator {
  return page.getByTestId('success-message').filter({ hasText: text })
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`console two-step login (${lang})`, () => {
    test.use({ lang, loggedIn: false })

    test('turned on with the app, every login asks for a code or a recovery code, turned off with the password', async ({
      page,
      context,
      baseURL,
      isMobile,
    }) => {
      test.setTimeout(120_000)
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
      const who = createAdmin(`totp-${unique()}`)
      const state = async () => {
        const response = await page.request.get('/admin/api/account/totp')
        expect(response.status(), await response.text()).toBe(200)
        return (await response.json()) as { enabled: boolean; pending: boolean; recovery_codes_left: number }
      }

      await page.goto('/admin/login')
      await fillLogin(page, who)
      await expect(page).toHaveURL(/\/admin\/$/)

      // ---- Turning it on ----
      await accountMenu(page)
      await expect(page.getByTestId('account-totp-state')).toHaveText(tx.off)
      let dialog = await openTotp(page)
      await expect(page.getByRole('dialog', { name: tx.title, exact: true })).toBeVisible()
      await expect(dialog.getByTestId('totp-state-tag')).toHaveText(tx.off)
      await dialog.getByTestId('totp-turn-on').click()

      // A wrong password is said here: it is not a logout.
      await dialog.getByTestId('totp-password').fill('not-the-password')
      await dialog.getByTestId('totp-password-submit').click()
      const error = dialog.getByTestId('totp-error')
      await expect(error).toHaveText(tx.wrongPassword)
      await expect(error).toHaveAttribute('data-code', 'invalid_credentials')
      await expect(page).toHaveURL(/\/admin\/$/)
      expect((await page.request.get('/admin/api/session')).status()).toBe(200)

      await dialog.getByTestId('totp-password').fill(who.password)
      const setupAnswer = page.waitForResponse((r) => r.url().endsWith('/admin/api/account/totp/setup'))
      await dialog.getByTestId('totp-password-submit').click()
      const setup = (await (await setupAnswer).json()) as { secret: string; otpauth_uri: string }
      expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/)
      expect(setup.otpauth_uri).toContain(`otpauth://totp/corphub:${who.username}?`)
      expect(setup.otpauth_uri).toContain(`secret=${setup.secret}`)
      await expect(dialog).toHaveAttribute('data-step', 'scan')
      await expect(dialog.getByTestId('totp-secret')).toHaveText(setup.secret.match(/.{4}/g)!.join(' '))
      await expectQrCodeOf(dialog.getByTestId('qr-code'), setup.otpauth_uri)
      expect(await state()).toMatchObject({ enabled: false, pending: true })
      if (isMobile) await expectNoHorizontalOverflow(page)

      // A wrong code (none of the steps around now) is refused; still logged in.
      const enrolStep = stepNow()
      const near = [enrolStep - 1, enrolStep, enrolStep + 1, enrolStep + 2].map((s) => totp(setup.secret, s))
      let wrong = '000000'
      for (let n = 0; near.includes(wrong); n++) wrong = String(n * 7919).padStart(6, '0').slice(-6)
      await dialog.getByTestId('totp-code').fill(wrong)
      await dialog.getByTestId('totp-code-submit').click()
      await expect(error).toHaveText(tx.wrongCode)
      await expect(error).toHaveAttribute('data-code', 'totp_invalid')
      await expect(page).toHaveURL(/\/admin\/$/)

      await dialog.getByTestId('totp-code').fill(totp(setup.secret, enrolStep))
      await dialog.getByTestId('totp-code-submit').click()
      await expect(dialog).toHaveAttribute('data-step', 'codes')
      await expect(dialog.getByTestId('totp-codes-warning')).toContainText(tx.warning)
      const shown = dialog.getByTestId('totp-recovery-code')
      await expect(shown).toHaveCount(10)
      const codes = await shown.allInnerTexts()
      for (const c of codes) expect(c).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/)
      expect(new Set(codes).size).toBe(10)
      expect(await state()).toMatchObject({ enabled: true, pending: false, recovery_codes_left: 10 })

      const copied = toast(page, tx.copied).waitFor({ state: 'visible' })
      await dialog.getByTestId('totp-copy-codes').click()
      await copied
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(codes.join('\n'))

      const downloading = page.waitForEvent('download')
      await dialog.getByTestId('totp-download-codes').click()
      const download = await downloading
      expect(download.suggestedFilename()).toBe(`corphub-recovery-codes-${who.username}.txt`)
      const file = fs.readFileSync(await download.path(), 'utf8')
      expect(file).toContain(who.username)
      for (const c of codes) expect(file).toContain(c)

      await dialog.getByTestId('totp-done').click()
      await expect(dialog.getByTestId('totp-state-tag')).toHaveText(tx.on)
      await expect(dialog.getByTestId('totp-codes-left')).toHaveText(tx.codesLeft(10))
      await page.keyboard.press('Escape')
      await expect(dialog).toBeHidden()
      await accountMenu(page)
      await expect(page.getByTestId('account-totp-state')).toHaveText(tx.on)

      // ---- Logging in with the app's code ----
      await logout(page, tx)
      await fillLogin(page, who)
      const codeForm = page.getByTestId('login-code-form')
      await expect(codeForm).toBeVisible()
      await expect(codeForm.getByRole('heading', { name: tx.codeHeading })).toBeVisible()
      await expect(page.getByTestId('login-code-intro')).toHaveText(tx.codeIntro)
      await expect(page).toHaveURL(/\/admin\/login\?reason=logged-out$/)
      expect((await page.request.get('/admin/api/session')).status()).toBe(401)
      // Not six digits: the form says so and asks nothing of the server.
      await page.getByTestId('login-code').fill('12345')
      await page.getByTestId('login-code-submit').click()
      await expect(codeForm.getByText(tx.codeRequired, { exact: true })).toBeVisible()

      await page.getByTestId('login-code').fill(wrong)
      await page.getByTestId('login-code-submit').click()
      const loginError = page.getByTestId('login-error')
      await expect(loginError).toContainText(tx.loginTotpInvalid)
      await expect(loginError).toHaveAttribute('data-code', 'totp_invalid')
      await expect(codeForm).toBeVisible()

      // The enrolment spent its step: the app's next code logs in.
      await page.getByTestId('login-code').fill(totp(setup.secret, enrolStep + 1))
      await page.getByTestId('login-code-submit').click()
      await expect(page).toHaveURL(/\/admin\/$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[lang].overview)
      await expect(page.getByTestId('admin-name')).toHaveText(who.username)

      // ---- Logging in with a recovery code (its case and dash do not matter) ----
      await logout(page, tx)
      await fillLogin(page, who)
      await expect(codeForm).toBeVisible()
      await page.getByTestId('login-code-kind').click()
      await expect(page.getByTestId('login-code-intro')).toHaveText(tx.recoveryIntro)
      await page.getByTestId('login-code').fill(codes[0]!.toUpperCase())
      await page.getByTestId('login-code-submit').click()
      await expect(page).toHaveURL(/\/admin\/$/)
      expect((await state()).recovery_codes_left).toBe(9)

      // ---- Turning it off ----
      dialog = await openTotp(page)
      await expect(dialog.getByTestId('totp-state-tag')).toHaveText(tx.on)
      await expect(dialog.getByTestId('totp-codes-left')).toHaveText(tx.codesLeft(9))
      await dialog.getByTestId('totp-turn-off').click()
      await dialog.getByTestId('totp-password').fill('still-not-the-password')
      await dialog.getByTestId('totp-password-submit').click()
      await expect(error).toHaveText(tx.wrongPassword)
      await expect(page).toHaveURL(/\/admin\/$/)
      expect((await state()).enabled).toBe(true)
      await dialog.getByTestId('totp-password').fill(who.password)
      const off = toast(page, tx.turnedOff).waitFor({ state: 'visible' })
      await dialog.getByTestId('totp-password-submit').click()
      await off
      await expect(dialog.getByTestId('totp-state-tag')).toHaveText(tx.off)
      expect(await state()).toMatchObject({ enabled: false, recovery_codes_left: 0 })
      await page.keyboard.press('Escape')
      await expect(dialog).toBeHidden()

      // ---- Just the password again ----
      await logout(page, tx)
      await fillLogin(page, who)
      await expect(page).toHaveURL(/\/admin\/$/)
      await expect(page.getByTestId('login-code-form')).toHaveCount(0)
    })
  })
}
