// The admin console at /admin/, in each language, against the real server.
import type { Page } from '@playwright/test'
import {
  LANGS,
  TEXT,
  expect,
  expectNoHorizontalOverflow,
  other,
  serverHealth,
  switchLanguage,
  test,
  type Lang,
} from './fixtures'

/** The navigation the user can see: the side menu on a desktop, the drawer on a phone. */
async function openMenu(page: Page, isMobile: boolean) {
  if (!isMobile) {
    await expect(page.getByTestId('menu-toggle')).toBeHidden()
    return page.getByTestId('side-menu')
  }
  // On a phone the side menu gives way to a drawer behind the header's menu button.
  await expect(page.getByTestId('side-menu')).toBeHidden()
  await page.getByTestId('menu-toggle').click()
  const drawer = page.getByTestId('drawer-menu')
  await expect(drawer).toBeVisible()
  return drawer
}

async function expectShell(page: Page, lang: Lang) {
  await expect(page).toHaveTitle(TEXT[lang].adminTitle)
  await expect(page.locator('html')).toHaveAttribute('lang', lang)
  await expect(page.getByRole('banner').getByTestId('product-name')).toHaveText(
    TEXT[lang].adminTitle,
  )
}

for (const lang of LANGS) {
  const tx = TEXT[lang]

  test.describe(`admin console (${lang})`, () => {
    test.use({ lang })

    test('shows the console shell, its sections and server status', async ({
      page,
      request,
      isMobile,
    }) => {
      const health = await serverHealth(request)
      await page.goto('/admin/')
      await expectShell(page, lang)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.overview)

      const status = page.getByTestId('server-status')
      await expect(status.getByRole('heading', { name: tx.statusTitle })).toBeVisible()
      await expect(status.getByTestId('status-state')).toHaveText(tx.operational)
      await expect(status.getByTestId('status-version')).toHaveText(health.version)
      await expect(status.getByTestId('status-storage')).toContainText(
        health.storage.backend === 'postgres' ? 'PostgreSQL' : 'SQLite',
      )
      await expect(status.getByTestId('status-uptime')).toHaveText(tx.uptime)

      const menu = await openMenu(page, isMobile)
      const current = menu.getByRole('menuitem', { name: tx.overview })
      await expect(current).toHaveAttribute('aria-current', 'page')
      // Every section a super admin has, in order; those not there yet are shown disabled.
      await expect(menu.locator('[role="menuitem"]:not([aria-disabled="true"])')).toHaveText([...tx.sections])
      await expect(menu.locator('[role="menuitem"][aria-disabled="true"]')).toHaveCount(tx.futureMenu.length)
      for (const name of tx.futureMenu) {
        const item = menu.getByRole('menuitem', { name })
        await expect(item).toBeVisible()
        await expect(item).toHaveAttribute('aria-disabled', 'true')
        await expect(item).toContainText(tx.comingSoon)
        // A disabled section goes nowhere.
        await item.click({ force: true })
        await expect(page).toHaveURL(/\/admin\/$/)
      }
    })

    test('deep link /admin/some/route still loads the console', async ({ page }) => {
      const response = await page.goto('/admin/some/route')
      expect(response?.status()).toBe(200)
      await expectShell(page, lang)
      await expect(page.getByTestId('not-found')).toContainText(tx.notFound)
      await expect(page.getByTestId('not-found')).toContainText('/some/route')

      await page.getByRole('button', { name: tx.home }).click()
      await expect(page).toHaveURL(/\/admin\/$/)
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)
    })

    test('shows a localised error when /healthz cannot be reached, and recovers', async ({
      page,
    }) => {
      await page.route('**/healthz', (route) => route.abort('failed'))
      await page.goto('/admin/')

      const error = page.getByTestId('status-error')
      await expect(error).toContainText(tx.errorTitle)
      await expect(error).toContainText(tx.networkError)
      await expect(page.getByTestId('status-state')).toHaveCount(0)

      await page.unroute('**/healthz')
      await page.getByTestId('server-status').getByRole('button', { name: tx.refresh }).click()
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)
      await expect(page.getByTestId('status-error')).toHaveCount(0)
    })

    test('has no horizontal overflow', async ({ page }) => {
      await page.goto('/admin/')
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)
      await expectNoHorizontalOverflow(page)
    })
  })

  test.describe(`admin console language switch (browser in ${lang})`, () => {
    test.use({ locale: lang === 'zh-CN' ? 'zh-CN' : 'en-US' })

    test('follows the browser, switches, and keeps the choice across reloads', async ({
      page,
    }) => {
      const to = other(lang)
      await page.goto('/admin/')
      await expectShell(page, lang)
      await expect(page.getByTestId('status-state')).toHaveText(tx.operational)

      await switchLanguage(page, to)
      await expectShell(page, to)
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(TEXT[to].overview)
      await expect(page.getByTestId('status-state')).toHaveText(TEXT[to].operational)

      await page.reload()
      await expectShell(page, to)
      await expect(page.getByTestId('status-state')).toHaveText(TEXT[to].operational)
      expect(await page.evaluate(() => localStorage.getItem('corphub.lang'))).toBe(to)
    })
  })
}
