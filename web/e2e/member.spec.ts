// The member client at /, in each language, against the real server.
import {
  LANGS,
  TEXT,
  expect,
  expectNoHorizontalOverflow,
  other,
  serverHealth,
  switchLanguage,
  test,
} from './fixtures'

for (const lang of LANGS) {
  const tx = TEXT[lang]

  test.describe(`member client (${lang})`, () => {
    test.use({ lang })

    test('home shows the localised title, welcome and live server status', async ({
      page,
      request,
    }) => {
      const health = await serverHealth(request)
      await page.goto('/')

      await expect(page).toHaveTitle(tx.memberTitle)
      await expect(page.locator('html')).toHaveAttribute('lang', lang)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.memberTitle)
      await expect(page.getByText(tx.memberWelcome)).toBeVisible()

      const card = page.getByTestId('server-status')
      await expect(card.getByRole('heading', { name: tx.statusTitle })).toBeVisible()
      await expect(card.getByTestId('status-state')).toHaveText(tx.operational)
      await expect(card.getByTestId('status-version')).toHaveText(health.version)
      await expect(card.getByTestId('status-storage')).toContainText(
        health.storage.backend === 'postgres' ? 'PostgreSQL' : 'SQLite',
      )
      await expect(card.getByTestId('status-storage')).toContainText(tx.storageOk)
      await expect(card.getByTestId('status-uptime')).toHaveText(tx.uptime)
    })

    test('deep link /some/route still loads the app, with a way home', async ({ page }) => {
      const response = await page.goto('/some/route')
      expect(response?.status()).toBe(200)
      await expect(page).toHaveTitle(tx.memberTitle)
      await expect(page.getByTestId('not-found')).toContainText(tx.notFound)
      await expect(page.getByTestId('not-found')).toContainText('/some/route')

      await page.getByRole('button', { name: tx.home }).click()
      await expect(page).toHaveURL(/\/$/)
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)
    })

    test('shows a localised error when /healthz cannot be reached, and recovers', async ({
      page,
    }) => {
      // A network failure seen by the browser: the request never reaches the server.
      await page.route('**/healthz', (route) => route.abort('failed'))
      await page.goto('/')

      const error = page.getByTestId('status-error')
      await expect(error).toContainText(tx.errorTitle)
      await expect(error).toContainText(tx.networkError)
      await expect(page.getByTestId('status-state')).toHaveCount(0)

      await page.unroute('**/healthz')
      await error.getByRole('button', { name: tx.retry }).click()
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)
      await expect(page.getByTestId('status-error')).toHaveCount(0)
    })

    test('shows "unavailable" when the server answers 503 with a storage failure', async ({
      page,
    }) => {
      // The 503 branch of the /healthz contract, rendered client-side (the real server
      // is healthy for the whole run, so this one response is supplied by the test).
      await page.route('**/healthz', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({
            status: 'unavailable',
            version: '9.9.9-test',
            storage: { backend: 'postgres', ok: false },
            uptime_seconds: 4000,
          }),
        }),
      )
      await page.goto('/')
      await expect(page.getByTestId('status-state')).toHaveText(tx.unavailable)
      await expect(page.getByTestId('status-version')).toHaveText('9.9.9-test')
      await expect(page.getByTestId('status-storage')).toContainText('PostgreSQL')
      await expect(page.getByTestId('status-storage')).toContainText(tx.storageDown)
    })

    test('has no horizontal overflow', async ({ page }) => {
      await page.goto('/')
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)
      await expectNoHorizontalOverflow(page)
    })
  })

  test.describe(`member client language switch (browser in ${lang})`, () => {
    // No stored choice: the browser's language decides first.
    test.use({ locale: lang === 'zh-CN' ? 'zh-CN' : 'en-GB' })

    test('follows the browser, switches, and keeps the choice across reloads', async ({
      page,
    }) => {
      const to = other(lang)
      await page.goto('/')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.memberTitle)
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)

      await switchLanguage(page, to)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[to].memberTitle)
      await expect(page.getByTestId('status-state')).toHaveText(TEXT[to].operational)
      await expect(page.getByText(TEXT[to].memberWelcome)).toBeVisible()
      await expect(page).toHaveTitle(TEXT[to].memberTitle)
      await expect(page.locator('html')).toHaveAttribute('lang', to)

      await page.reload()
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[to].memberTitle)
      await expect(page.getByTestId('status-state')).toHaveText(TEXT[to].operational)
      await expect(page.locator('html')).toHaveAttribute('lang', to)
      expect(await page.evaluate(() => localStorage.getItem('corphub.lang'))).toBe(to)
    })
  })
}
