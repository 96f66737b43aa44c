// Test helpers: the expected texts per language (written out here, not imported from the
// app, so that a wrong or missing translation fails a test) and a `lang` option that
// chooses the language the way a returning user would have: through localStorage.
import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test'

export type Lang = 'zh-CN' | 'en'
export const LANGS: readonly Lang[] = ['zh-CN', 'en']
export const other = (lang: Lang): Lang => (lang === 'zh-CN' ? 'en' : 'zh-CN')

export const TEXT = {
  'zh-CN': {
    langName: '简体中文',
    memberTitle: '企业消息中心',
    memberWelcome: '欢迎！在这里接收组织的消息',
    adminTitle: 'corphub 管理后台',
    overview: '概览',
    futureMenu: ['通讯录', '应用', '消息', '管理员'],
    comingSoon: '即将推出',
    statusTitle: '服务器状态',
    operational: '正常',
    unavailable: '不可用',
    storageOk: '正常',
    storageDown: '异常',
    networkError: '无法连接到服务器，请检查网络后重试。',
    errorTitle: '无法获取服务器状态',
    retry: '重试',
    refresh: '刷新',
    notFound: '页面不存在',
    home: '返回首页',
    uptime: /^\d+ (秒|分 \d+ 秒|小时 \d+ 分|天 \d+ 小时)$/,
  },
  en: {
    langName: 'English',
    memberTitle: 'corphub',
    memberWelcome: "Welcome! Your organisation's messages",
    adminTitle: 'corphub Admin Console',
    overview: 'Overview',
    futureMenu: ['Directory', 'Apps', 'Messages', 'Administrators'],
    comingSoon: 'Coming soon',
    statusTitle: 'Server status',
    operational: 'Operational',
    unavailable: 'Unavailable',
    storageOk: 'OK',
    storageDown: 'Down',
    networkError: 'Could not reach the server. Check your connection and try again.',
    errorTitle: 'Could not get the server status',
    retry: 'Retry',
    refresh: 'Refresh',
    notFound: 'Page not found',
    home: 'Back to home',
    uptime: /^\d+ (s|min \d+ s|h \d+ min|d \d+ h)$/,
  },
} as const

export interface HealthReport {
  status: string
  version: string
  storage: { backend: string; ok: boolean }
  uptime_seconds: number
}

/** What the running server itself reports, to compare the page against. */
export async function serverHealth(request: APIRequestContext): Promise<HealthReport> {
  const response = await request.get('/healthz')
  expect(response.status(), 'the server should be healthy during the e2e run').toBe(200)
  return (await response.json()) as HealthReport
}

/** Opens the language switch and picks a language by its own name. */
export async function switchLanguage(page: Page, to: Lang): Promise<void> {
  await page.getByTestId('lang-switch').click()
  await page.getByRole('menuitem', { name: TEXT[to].langName }).click()
}

export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
  }))
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px viewport`).toBeLessThanOrEqual(
    innerWidth,
  )
}

export const test = base.extend<{ lang: Lang | undefined }>({
  lang: [undefined, { option: true }],
  page: async ({ page, lang }, use) => {
    if (lang) {
      // Only when nothing is stored yet: a choice made during the test must survive reloads.
      await page.addInitScript((value) => {
        if (!window.localStorage.getItem('corphub.lang')) {
          window.localStorage.setItem('corphub.lang', value)
        }
      }, lang)
    }
    await use(page)
  },
})

export { expect }
