// Logging in to the admin console, in each language, against the real server: errors,
// the route guard (deep links come back after login), the header's name and logout.
import type { Page } from '@playwright/test'
import {
  LANGS,
  TEXT,
  createAdmin,
  e2eAdmin,
  expect,
  expectNoHorizontalOverflow,
  test,
  unique,
  type AdminCredentials,
} from './fixtures'

const LOGIN = {
  'zh-CN': {
    heading: '登录管理后台',
    submit: '登录',
    invalid: '用户名或密码不正确。',
    locked: '登录失败次数过多，该账号已暂时锁定，请 15 分钟后再试。',
    network: '无法连接到服务器，请检查网络后重试。',
    required: '请输入用户名',
    logout: '退出登录',
    loggedOut: '你已退出登录。',
  },
  en: {
    heading: 'Log in to the admin console',
    submit: 'Log in',
    invalid: 'Wrong username or password.',
    locked: 'Too many failed logins: this account is locked for now. Try again in 15 minutes.',
    network: 'Could not reach the server. Check your connection and try again.',
    required: 'Enter your username',
    logout: 'Log out',
    loggedOut: 'You have logged out.',
  },
} as const

async function fillLogin(page: Page, who: { username: string; password: string }) {
  await page.getByTestId('login-username').fill(who.username)
  await page.getByTestId('login-password').fill(who.password)
}

for (const lang of LANGS) {
  const tx = LOGIN[lang]

  test.describe(`admin login (${lang})`, () => {
    test.use({ lang, loggedIn: false })

    test('a wrong password is refused in words, the right one logs in, logout logs out', async ({
      page,
      isMobile,
    }) => {
      const who: AdminCredentials = createAdmin(`login-${unique()}`)

      // Logged out, the console's home sends to the login page.
      await page.goto('/admin/')
      await expect(page).toHaveURL(/\/admin\/login$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.heading)
      await expect(page.getByTestId('account-menu')).toHaveCount(0)

      // Nothing typed: the form says what is missing and asks nothing of the server.
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page.getByText(tx.required)).toBeVisible()

      await fillLogin(page, { username: who.username, password: 'not-the-password' })
      const refused = page.waitForResponse(
        (r) => r.url().endsWith('/admin/api/session') && r.request().method() === 'POST',
      )
      await page.getByRole('button', { name: tx.submit }).click()
      expect((await refused).status()).toBe(401)
      const error = page.getByTestId('login-error')
      await expect(error).toContainText(tx.invalid)
      await expect(error).toHaveAttribute('data-code', 'invalid_credentials')
      await expect(page).toHaveURL(/\/admin\/login$/)

      await fillLogin(page, who)
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page).toHaveURL(/\/admin\/$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[lang].overview)
      await expect(page.getByTestId('admin-name')).toHaveText(who.username)
      // The server agrees about who is logged in.
      const session = await page.request.get('/admin/api/session')
      expect(session.status()).toBe(200)
      expect(((await session.json()) as { admin: { username: string } }).admin.username).toBe(who.username)

      if (isMobile) await expect(page.getByTestId('admin-name')).toBeInViewport()
      await page.getByTestId('account-menu').click()
      await page.getByRole('menuitem', { name: tx.logout }).click()
      await expect(page).toHaveURL(/\/admin\/login\?reason=logged-out$/)
      await expect(page.getByTestId('login-notice')).toContainText(tx.loggedOut)
      // The session is over on the server too, not only forgotten by the page.
      expect((await page.request.get('/admin/api/session')).status()).toBe(401)

      await page.goto('/admin/')
      await expect(page).toHaveURL(/\/admin\/login$/)
    })

    test('a deep link while logged out goes to login, and back there after it', async ({ page }) => {
      await page.goto('/admin/directory')
      await expect(page).toHaveURL(/\/admin\/login\?redirect=(%2F|\/)directory$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.heading)

      await fillLogin(page, e2eAdmin())
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page).toHaveURL(/\/admin\/directory$/)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[lang].directory)
      await expect(page.getByTestId('admin-name')).toHaveText(e2eAdmin().username)

      // A reload keeps the session (and reads its CSRF token again).
      await page.reload()
      await expect(page).toHaveURL(/\/admin\/directory$/)
      await expect(page.getByTestId('member-total')).toBeVisible()

      // The login page, opened with a session running, goes on to where it was asked to.
      await page.goto('/admin/login?redirect=%2Fdirectory%2Fimport')
      await expect(page).toHaveURL(/\/admin\/directory\/import$/)
    })

    test('after five failures the account is locked, and the page says so', async ({ page, request }) => {
      const who = createAdmin(`locked-${unique()}`)
      for (let i = 0; i < 5; i++) {
        const r = await request.post('/admin/api/session', {
          data: { username: who.username, password: `wrong-${i}` },
        })
        // The fifth failure may already answer "locked" (the server does) or only lock the next.
        if (i < 4) expect(r.status(), `failed try ${i + 1}`).toBe(401)
        else expect([401, 429], `failed try ${i + 1}`).toContain(r.status())
      }
      await page.goto('/admin/login')
      // Even the right password is refused now.
      await fillLogin(page, who)
      await page.getByRole('button', { name: tx.submit }).click()
      const error = page.getByTestId('login-error')
      await expect(error).toContainText(tx.locked)
      await expect(error).toHaveAttribute('data-code', 'login_locked')
      await expect(page).toHaveURL(/\/admin\/login$/)
    })

    test('a network failure while logging in is shown in words', async ({ page }) => {
      await page.route('**/admin/api/session', (route) =>
        route.request().method() === 'POST' ? route.abort('failed') : route.continue(),
      )
      await page.goto('/admin/login')
      await fillLogin(page, e2eAdmin())
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page.getByTestId('login-error')).toContainText(tx.network)
      await expect(page).toHaveURL(/\/admin\/login$/)

      // Back online, the same form logs in.
      await page.unroute('**/admin/api/session')
      await fillLogin(page, e2eAdmin())
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page).toHaveURL(/\/admin\/$/)
    })

    test('an ended session anywhere sends back to login, and back after it', async ({ page, context }) => {
      const who = createAdmin(`expire-${unique()}`)
      await page.goto('/admin/login?redirect=%2Fdirectory')
      await fillLogin(page, who)
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page).toHaveURL(/\/admin\/directory$/)
      await expect(page.getByTestId('member-total')).toBeVisible()

      // The session ends behind the page's back (logged out elsewhere).
      const other = await context.request.fetch('/admin/api/session', {
        method: 'GET',
      })
      const csrf = ((await other.json()) as { csrf_token: string }).csrf_token
      expect((await context.request.delete('/admin/api/session', { headers: { 'X-CSRF-Token': csrf } })).status()).toBe(204)

      // The next call the page makes gets a 401: back to login, then back here.
      await page.getByTestId('recursive').click()
      await expect(page).toHaveURL(/\/admin\/login\?redirect=(%2F|\/)directory&reason=expired$/)
      await fillLogin(page, who)
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page).toHaveURL(/\/admin\/directory$/)
    })

    test('the login page has no horizontal overflow', async ({ page }) => {
      await page.goto('/admin/login')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.heading)
      await page.getByRole('button', { name: tx.submit }).click()
      await expect(page.getByText(tx.required)).toBeVisible()
      await expectNoHorizontalOverflow(page)
    })
  })
}
