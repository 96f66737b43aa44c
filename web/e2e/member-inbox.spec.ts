// The member client's inbox, in each language and on a phone and a desktop: conversations
// with unread counts, a thread that renders each kind of message, live delivery over the
// WebSocket while the page is open, read state reaching the server, and recall.
import {
  AppSender,
  LANGS,
  TEXT,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  memberLogin,
  test,
  unique,
} from './fixtures'
import type { APIRequestContext } from '@playwright/test'
import { E2E_APP_NAME } from './global-setup'

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

interface ApiConversation {
  agentid: number
  chatid: string
  unread: number
}

/** The unread count of the member's (only) conversation, as the server has it. */
async function serverUnread(request: APIRequestContext): Promise<number | undefined> {
  const r = await request.get('/api/v1/conversations')
  return ((await r.json()) as { conversations: ApiConversation[] }).conversations[0]?.unread
}

for (const lang of LANGS) {
  const tx = TEXT[lang]

  test.describe(`member inbox (${lang})`, () => {
    test.use({ lang })

    test('signed out, the home page says how to sign in', async ({ page }) => {
      await page.goto('/')
      await expect(page.getByTestId('signed-out')).toHaveText(tx.signedOut)
      await expect(page.getByTestId('conversations')).toHaveCount(0)
    })

    test('reads, receives live, follows recalls and reports read state', async ({ page, request }) => {
      const contacts = await WeCom.connect(request)
      const app = await AppSender.connect(request)
      const userid = `inbox-${unique()}`
      await contacts.createMember({ userid, name: '收件人', department: [1] })

      const image = await app.uploadImage('photo.png', PNG)
      await app.send(userid, 'image', { media_id: image })
      await app.send(userid, 'textcard', {
        title: '报销审批',
        description: '你有一笔报销待审批',
        url: 'https://oa.example.com/approve/1',
      })
      const text = await app.send(userid, 'text', {
        content: '周五例会 <a href="https://oa.example.com/m/7">查看议程</a>',
      })
      await memberLogin(page.request, userid)

      // The list: one conversation, three unread, the newest message as its preview.
      await page.goto('/')
      const item = page.getByTestId('conversation')
      await expect(item).toHaveCount(1)
      await expect(item.getByTestId('conversation-name')).toHaveText(E2E_APP_NAME)
      await expect(item.getByTestId('conversation-preview')).toHaveText('周五例会 <a href="https://oa.example.com/m/7">查看议程</a>')
      await expect(item.getByTestId('unread')).toHaveText(tx.unread(3))
      await expect(page.getByTestId('link-state')).toHaveCount(0) // the stream is live
      await expectNoHorizontalOverflow(page)

      // The thread: each kind rendered; opening it reads everything, on the server too.
      await item.click()
      await expect(page).toHaveURL(new RegExp(`/c/${app.agentid}$`))
      await expect(page.locator('.van-nav-bar__title')).toHaveText(E2E_APP_NAME)
      const messages = page.getByTestId('message')
      await expect(messages).toHaveCount(3)
      const img = messages.nth(0).locator('img')
      await expect(img).toBeVisible()
      expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(1)
      await expect(messages.nth(1)).toContainText('报销审批')
      await expect(messages.nth(1)).toContainText('你有一笔报销待审批')
      await expect(messages.nth(1).getByRole('link', { name: tx.details })).toHaveAttribute(
        'href',
        'https://oa.example.com/approve/1',
      )
      const link = messages.nth(2).getByRole('link', { name: '查看议程' })
      await expect(link).toHaveAttribute('href', 'https://oa.example.com/m/7')
      await expect(messages.nth(2)).toContainText('周五例会')
      await expect.poll(() => serverUnread(page.request)).toBe(0)
      await expectNoHorizontalOverflow(page)

      // Live: a message sent while the thread is open appears, and is read at once.
      await app.send(userid, 'text', { content: '临时通知：会议改到三楼' })
      await expect(messages).toHaveCount(4)
      await expect(messages.nth(3)).toContainText('临时通知：会议改到三楼')
      await expect.poll(() => serverUnread(page.request)).toBe(0)

      // A recall replaces the message where it stands.
      await app.recall(text)
      await expect(messages.nth(2).getByTestId('recalled')).toHaveText(tx.recalled)
      await expect(messages.nth(2).getByRole('link')).toHaveCount(0)

      // Back on the list, a new message counts as unread, live.
      await page.getByRole('button', { name: tx.back }).or(page.locator('.van-nav-bar__left')).first().click()
      await expect(page.getByTestId('conversation')).toHaveCount(1)
      await expect(item.getByTestId('unread')).toHaveCount(0)
      await app.send(userid, 'image', { media_id: image })
      await expect(item.getByTestId('unread')).toHaveText(tx.unread(1))
      await expect(item.getByTestId('conversation-preview')).toHaveText(tx.imageLabel)
    })

    test('pages back through a long conversation', async ({ page, request }) => {
      const contacts = await WeCom.connect(request)
      const app = await AppSender.connect(request)
      const userid = `long-${unique()}`
      await contacts.createMember({ userid, name: '老员工', department: [1] })
      for (let i = 1; i <= 35; i++) await app.send(userid, 'text', { content: `第 ${i} 条` })
      await memberLogin(page.request, userid)

      await page.goto(`/c/${app.agentid}`)
      const messages = page.getByTestId('message')
      await expect(messages).toHaveCount(30)
      await expect(messages.last()).toContainText('第 35 条')
      await page.getByTestId('load-earlier').click()
      await expect(messages).toHaveCount(35)
      await expect(messages.first()).toContainText('第 1 条')
      await expect(page.getByTestId('load-earlier')).toHaveCount(0)
    })
  })
}
