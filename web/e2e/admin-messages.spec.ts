// The console's Messages page: an app's sent messages with read counts, and one message's
// recipients filtered by read state, in each language, on a phone and a desktop.
import { AppSender, LANGS, TEXT, WeCom, expect, expectNoHorizontalOverflow, test, unique } from './fixtures'
import { E2E_APP_NAME } from './global-setup'
import type { APIRequestContext } from '@playwright/test'

/** The member reads their conversation with the app, as the member client does. */
async function readAsMember(request: APIRequestContext, userid: string, agentid: number) {
  const opened = await request.post('/testing/member-session', { data: { userid } })
  expect(opened.status()).toBe(200)
  const { csrf_token } = (await opened.json()) as { csrf_token: string }
  const read = await request.post(`/api/v1/conversations/${agentid}/read`, {
    data: {},
    headers: { 'X-CSRF-Token': csrf_token },
  })
  expect(read.status(), await read.text()).toBe(200)
}

for (const lang of LANGS) {
  const tx = TEXT[lang]

  test.describe(`console messages (${lang})`, () => {
    test.use({ lang })

    test('shows who has read a message, and filters its recipients', async ({ page, request, isMobile }) => {
      const contacts = await WeCom.connect(request)
      const app = await AppSender.connect(request)
      const reader = `reader-${unique()}`
      const other = `other-${unique()}`
      await contacts.createMember({ userid: reader, name: '已读者', department: [1] })
      await contacts.createMember({ userid: other, name: '未读者', department: [1] })
      const text = `年终总结提交提醒 ${unique()}`
      await app.send(`${reader}|${other}`, 'text', { content: text })
      await readAsMember(request, reader, app.agentid)
      const recalledText = `已撤回的通知 ${unique()}`
      await app.recall(await app.send(reader, 'text', { content: recalledText }))

      await page.goto('/admin/messages')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.messagesTitle)
      await expect(page.getByTestId('app-select')).toContainText(E2E_APP_NAME)
      const row = page.getByTestId('sent-table').locator('tr', { hasText: text })
      await expect(row).toHaveCount(1)
      await expect(row.getByTestId('sent-read')).toContainText(tx.readOf(1, 2))
      const recalled = page.getByTestId('sent-table').locator('tr', { hasText: recalledText })
      await expect(recalled).toContainText(tx.recalledTag)
      await expectNoHorizontalOverflow(page)

      await row.click()
      const drawer = page.getByTestId('receipts')
      await expect(drawer.getByTestId('receipts-preview')).toHaveText(text)
      await expect(drawer.getByTestId('receipts-counts')).toHaveText(tx.counts(2, 1, 1))
      await expect(drawer.getByTestId('receipt-name')).toHaveCount(2)

      await drawer.getByTestId('receipts-filter').getByText(tx.filterUnread, { exact: true }).click()
      await expect(drawer.getByTestId('receipt-name')).toHaveText(['未读者'])
      await expect(drawer.getByTestId('receipt-state')).toHaveText([tx.unreadTag])

      await drawer.getByTestId('receipts-filter').getByText(tx.filterRead, { exact: true }).click()
      await expect(drawer.getByTestId('receipt-name')).toHaveText(['已读者'])
      await expect(drawer.getByTestId('receipt-state')).not.toHaveText(tx.unreadTag)
      await expect(drawer.getByTestId('receipt-state')).toContainText(/\d/)
      if (isMobile) await expectNoHorizontalOverflow(page)
    })
  })
}
