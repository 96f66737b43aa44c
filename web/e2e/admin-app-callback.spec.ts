// An app's callback (接收消息) on the Apps page, in each language, against the real server and a
// real receiver: an HTTP server started here (node:http on 127.0.0.1, port 0) that checks every
// signature and decrypts every message with WeCom's official @wecom/crypto, as a WeCom receiver
// does. A super admin sets the callback up on a 375×667 screen (the server's rules checked in the
// browser first; a wrong Token is refused by the receiver and the console says what the URL
// answered, nothing kept; the right one verified and saved, the Token and key hidden until shown
// and copied), then removes it behind a confirm box. With the app's contact reports on, a new
// department reaches the receiver as WeCom's change_contact event, sealed and signed, and the
// delivery log shows it delivered; a receiver answering HTTP 500 leaves a delivery pending (or
// failed) with that status, and once it answers 200 "retry now" delivers it. An administrator
// with only the send right sees a note and nothing of the callback. Every test makes its own app
// (`corphub app create` on the server's data) and receiver.
import { spawnSync } from 'node:child_process'
import { randomInt } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { decrypt, getSignature } from '@wecom/crypto'
import type { APIRequestContext, Browser, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  adminLogin,
  expect,
  expectNoHorizontalOverflow,
  newConsoleContext,
  test,
  unique,
} from './fixtures'
import { ENV_CORPID } from './global-setup'
import { ENV_TEMP_DIR, serverBinary } from './server-paths'

const WORDS = {
  'zh-CN': {
    title: '接收消息',
    notSet: '未设置：应用的事件不会推送到任何地方',
    setUp: '设置接收消息',
    change: '修改接收消息',
    remove: '移除接收消息',
    cancel: '取消',
    show: '显示',
    hide: '隐藏',
    logEmpty: '还没有推送记录',
    verifyHelp: '接收方需要用 Token 验证签名，用 EncodingAESKey 解密 echostr，并在 5 秒内返回解密后的内容。',
    urlInvalid: 'URL 需要以 http:// 或 https:// 开头，最长 1024 字节',
    tokenInvalid: 'Token 需要 1 到 32 个英文字母或数字',
    keyInvalid: (n: number) => `EncodingAESKey 需要正好 43 个英文字母或数字（现在 ${n} 个）`,
    chars: (n: number, max: number) => `${n} / ${max} 个字符`,
    verifying: '正在验证 URL',
    failed: '接收消息的设置没有保存',
    answered403:
      '这个 URL 返回了 HTTP 403，而不是 200。请检查接收方的 Token 和 EncodingAESKey 是否与这里填写的一致（签名对不上时接收方通常会拒绝），以及它是否处理 GET 请求。',
    saved: (name: string) => `已保存「${name}」的接收消息设置`,
    removed: (name: string) => `已移除「${name}」的接收消息设置`,
    tokenCopied: 'Token 已复制',
    settingsSaved: (name: string) => `已保存「${name}」的设置`,
    yes: '是',
    createParty: '新增部门',
    sys: '通讯录（sys）',
    pending: '等待推送',
    delivered: '已送达',
    failedState: '失败',
    everyState: '全部状态',
    noneInState: '没有这个状态的推送记录',
    retried: '已安排立即重新推送',
    retry: '立即重试',
    manageOnly: '接收消息的 URL、Token、EncodingAESKey 和推送记录只对有这个应用“管理”权限的管理员显示。',
  },
  en: {
    title: 'Callback (receiving messages)',
    notSet: "Not set: the app's events go nowhere",
    setUp: 'Set up the callback',
    change: 'Change the callback',
    remove: 'Remove the callback',
    cancel: 'Cancel',
    show: 'Show',
    hide: 'Hide',
    logEmpty: 'Nothing delivered yet',
    verifyHelp:
      'The receiver checks the signature with the Token, decrypts echostr with the EncodingAESKey and answers what it decrypted, within 5 seconds.',
    urlInvalid: 'The URL starts with http:// or https:// and takes at most 1024 bytes',
    tokenInvalid: 'The Token takes 1 to 32 letters or digits',
    keyInvalid: (n: number) => `The EncodingAESKey takes exactly 43 letters or digits (now ${n})`,
    chars: (n: number, max: number) => `${n} of ${max} characters`,
    verifying: 'Verifying the URL',
    failed: 'The callback was not saved',
    answered403:
      "The URL answered HTTP 403, not 200. Check that the receiver's Token and EncodingAESKey are the ones entered here (a receiver usually refuses a signature that does not match) and that it answers GET requests.",
    saved: (name: string) => `Callback of ${name} saved`,
    removed: (name: string) => `Callback of ${name} removed`,
    tokenCopied: 'Token copied',
    settingsSaved: (name: string) => `Settings of ${name} saved`,
    yes: 'Yes',
    createParty: 'Department created',
    sys: 'Directory (sys)',
    pending: 'Pending',
    delivered: 'Delivered',
    failedState: 'Failed',
    everyState: 'Every state',
    noneInState: 'No delivery in this state',
    retried: 'Sending it again now',
    retry: 'Retry now',
    manageOnly:
      "The callback's URL, Token, EncodingAESKey and delivery log are shown only to administrators with this app's Manage right.",
  },
} as const

const MASK = '••••••••••••'

interface ApiCallback {
  agentid: number
  url: string
  token: string
  encoding_aes_key: string
}

interface ApiDelivery {
  id: number
  event_id: string
  kind: string
  member: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  next_attempt_at: number | null
  delivered_at: number | null
  last_status: number
}

// ---- A WeCom receiver, with @wecom/crypto ------------------------------------------------------

interface Received {
  /** X-Corphub-Event-Id and X-Corphub-Attempt. */
  eventId: string
  attempt: number
  /** What the receiver answered, and when (ms). */
  answered: number
  at: number
  /** The envelope's fields (ToUserName, AgentID, Encrypt) and the decrypted message's. */
  envelope: Record<string, string>
  fields: Record<string, string>
}

/** The fields of one level of WeCom's XML (CDATA or plain text). */
function xmlFields(xml: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of xml.matchAll(/<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g)) {
    out[m[1]!] = m[2] ?? m[3] ?? ''
  }
  return out
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * A receiver as a WeCom app's server is written: the GET of the URL's verification answered with
 * the decrypted echostr once its signature checks out, each event POST's <Encrypt> checked against
 * msg_signature, decrypted and kept; a wrong signature or receiveid is refused with 403.
 */
class Receiver {
  /** What event POSTs are answered with. */
  status = 200
  /** How long the verification GET waits before it answers. */
  verifyDelayMs = 0
  readonly received: Received[] = []
  readonly verified: boolean[] = []
  /** Requests refused: what was wrong. */
  readonly refused: string[] = []
  private server?: http.Server
  url = ''

  constructor(
    readonly token: string,
    readonly key: string,
    private readonly corpid: string,
  ) {}

  async start(): Promise<this> {
    const server = http.createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        this.refused.push(String(err))
        res.writeHead(500).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    this.server = server
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wecom/callback`
    return this
  }

  async close(): Promise<void> {
    const server = this.server
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  find(match: (r: Received) => boolean): Received | undefined {
    return this.received.find(match)
  }

  private refuse(res: http.ServerResponse, why: string): void {
    this.refused.push(why)
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end(why)
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const query = new URL(req.url ?? '/', 'http://receiver').searchParams
    const signature = query.get('msg_signature') ?? ''
    const timestamp = query.get('timestamp') ?? ''
    const nonce = query.get('nonce') ?? ''
    if (req.method === 'GET') {
      const echostr = query.get('echostr') ?? ''
      if (this.verifyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.verifyDelayMs))
      if (getSignature(this.token, timestamp, nonce, echostr) !== signature) {
        this.verified.push(false)
        return this.refuse(res, 'bad signature')
      }
      const { message, id } = decrypt(this.key, echostr)
      if (id !== this.corpid) return this.refuse(res, `receiveid ${id}`)
      this.verified.push(true)
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(message)
      return
    }
    const envelope = xmlFields(await readBody(req))
    const encrypted = envelope.Encrypt ?? ''
    if (getSignature(this.token, timestamp, nonce, encrypted) !== signature) return this.refuse(res, 'bad signature')
    const { message, id } = decrypt(this.key, encrypted)
    if (id !== this.corpid) return this.refuse(res, `receiveid ${id}`)
    const answered = this.status
    this.received.push({
      eventId: String(req.headers['x-corphub-event-id'] ?? ''),
      attempt: Number(req.headers['x-corphub-attempt'] ?? 0),
      answered,
      at: Date.now(),
      envelope,
      fields: xmlFields(message),
    })
    res.writeHead(answered, { 'Content-Type': 'text/plain' }).end(answered === 200 ? 'success' : 'error')
  }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
function alnum(n: number): string {
  return Array.from({ length: n }, () => ALNUM[randomInt(ALNUM.length)]).join('')
}

async function startReceiver(): Promise<Receiver> {
  const corpid = process.env[ENV_CORPID]
  if (!corpid) throw new Error('corphub e2e: no corpid from global setup')
  return new Receiver(alnum(32), alnum(43), corpid).start()
}

// ---- Data ---------------------------------------------------------------------------------------

/** A new app made on the running server's data, as an operator would; its agentid and secret. */
function createApp(name: string): { agentid: number; secret: string; name: string } {
  const tempDir = process.env[ENV_TEMP_DIR]
  if (!tempDir) throw new Error('corphub e2e: global setup did not publish the data directory')
  const made = spawnSync(serverBinary(), ['app', 'create', '--name', name, '--json', '--data', path.join(tempDir, 'data')], {
    encoding: 'utf8',
    timeout: 15_000,
  })
  expect(made.status, `corphub app create ${name}: ${made.stderr || made.error?.message}`).toBe(0)
  const line = (made.stdout ?? '').split('\n').find((l) => l.trim().startsWith('{'))
  const app = JSON.parse(line ?? '{}') as { agentid: number; secret: string }
  expect(typeof app.agentid).toBe('number')
  return { ...app, name }
}

/** The console's API with a session of its own in this request context (PUT included). */
async function consoleApi(request: APIRequestContext) {
  const csrf = await adminLogin(request)
  return async <T>(method: 'GET' | 'PUT' | 'PATCH' | 'DELETE', url: string, data?: unknown): Promise<T> => {
    const response = await request.fetch(`/admin/api${url}`, {
      method,
      data,
      headers: method === 'GET' ? {} : { 'X-CSRF-Token': csrf },
    })
    expect(response.ok(), `${method} /admin/api${url}: ${response.status()} ${await response.text()}`).toBe(true)
    return (await response.json()) as T
  }
}
type ConsoleApi = Awaited<ReturnType<typeof consoleApi>>

async function setCallback(api: ConsoleApi, agentid: number, receiver: Receiver): Promise<void> {
  await api('PUT', `/apps/${agentid}/callback`, { url: receiver.url, token: receiver.token, encoding_aes_key: receiver.key })
}

async function deliveries(api: ConsoleApi, agentid: number): Promise<ApiDelivery[]> {
  return (await api<{ deliveries: ApiDelivery[] }>('GET', `/apps/${agentid}/callback/deliveries?limit=200`)).deliveries
}

/** Polls until `find` gives something (or the time is up); what it gave. */
async function waitFor<T>(what: string, find: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = await find()
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs / 1000} s for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** Calls made from a cookie jar of their own, thrown away afterwards. */
async function withRequest<T>(browser: Browser, use: (request: APIRequestContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL })
  try {
    return await use(context.request)
  } finally {
    await context.close()
  }
}

/** A group with this app right and a scoped administrator in it, who has set their password. */
async function scopedAdmin(
  api: AdminApi,
  browser: Browser,
  group: { name: string; departments: number[]; apps: { agentid: number; right: 'send' | 'manage' }[] },
): Promise<{ username: string; password: string }> {
  const { id: groupId } = await api.json<{ id: number }>('POST', '/admin-groups', { ...group, contacts: 'read' })
  const username = `callback-${unique()}`
  const made = await api.json<{ password: string }>('POST', '/admins', { username, role: 'scoped', groups: [groupId] })
  const password = `own-${unique()}-password`
  await withRequest(browser, async (request) => {
    const own = await AdminApi.login(request, { username, password: made.password })
    await own.json('POST', '/account/password', { current_password: made.password, new_password: password })
  })
  return { username, password }
}

// ---- The page ---------------------------------------------------------------------------------

function sectionOf(page: Page, agentid: number): Locator {
  return page.locator(`[data-testid="app-detail"][data-agentid="${agentid}"]`).getByTestId('app-callback')
}

function toast(page: Page, text: string): Locator {
  return page.getByTestId('success-message').filter({ hasText: text })
}

/** The delivery of an event in the log: a card on a phone, a table row on a desktop. */
function deliveryRow(section: Locator, eventId: string): Locator {
  return section
    .locator('li[data-testid="callback-delivery"], tr.callback-delivery-row')
    .filter({ has: section.page().locator(`[data-testid="callback-delivery-kind"][data-event-id="${eventId}"]`) })
}

/** Reads the log again until the event's delivery is in this state. */
async function expectDeliveryState(section: Locator, eventId: string, state: ApiDelivery['state']): Promise<Locator> {
  const row = deliveryRow(section, eventId)
  await expect(async () => {
    await section.getByTestId('callback-log-refresh').click()
    await expect(row.getByTestId('callback-delivery-state')).toHaveAttribute('data-state', state, { timeout: 1_000 })
  }).toPass({ timeout: 20_000 })
  return row
}

/** Picks a state in the log's filter; returns once the log is read for it. */
async function pickState(page: Page, section: Locator, label: string, state: string): Promise<void> {
  await section.getByTestId('callback-log-state').click()
  const options = page.locator('.el-select__popper.callback-state-options').filter({ visible: true })
  const read = page.waitForResponse((r) => {
    const url = new URL(r.url())
    return url.pathname.endsWith('/callback/deliveries') && (url.searchParams.get('state') ?? '') === state
  })
  await options.getByRole('option', { name: label, exact: true }).click()
  await expect(options).toBeHidden()
  expect((await read).ok()).toBe(true)
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`app callback (${lang})`, () => {
    test.use({ lang })

    test.describe('on a 375×667 screen', () => {
      test.use({ viewport: { width: 375, height: 667 } })

      test('sets up the callback against a real receiver; a wrong Token is refused with what the URL answered; removes it', async ({
        page,
        context,
        baseURL,
      }) => {
        await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
        const app = createApp(`回调${unique()}`)
        const api = await consoleApi(page.request)
        const receiver = await startReceiver()
        const puts: string[] = []
        page.on('request', (r) => {
          if (r.method() === 'PUT' && r.url().endsWith('/callback')) puts.push(r.url())
        })
        try {
          await page.goto(`/admin/apps?app=${app.agentid}`)
          const section = sectionOf(page, app.agentid)
          await expect(section.getByRole('heading', { level: 3 })).toHaveText(tx.title)
          await expect(section.getByTestId('app-callback-empty')).toHaveText(tx.notSet)
          await expect(section.getByTestId('app-callback-remove')).toHaveCount(0)
          await expect(section.getByTestId('callback-log-empty')).toContainText(tx.logEmpty)
          await expectNoHorizontalOverflow(page)

          const edit = section.getByTestId('app-callback-edit')
          await expect(edit).toHaveText(tx.setUp)
          // The section's actions take the width.
          expect((await edit.boundingBox())!.width).toBeGreaterThan(250)
          await edit.click()
          const dialog = page.getByTestId('app-callback-dialog')
          await expect(dialog).toBeVisible()
          await expect(dialog.getByTestId('app-callback-help')).toContainText(tx.verifyHelp)
          await expectNoHorizontalOverflow(page)

          // The server's rules, checked before anything is sent.
          await dialog.getByTestId('app-callback-url-input').fill('ftp://example.com/hook')
          await dialog.getByTestId('app-callback-token-input').fill('not a token')
          await dialog.getByTestId('app-callback-key-input').fill(receiver.key.slice(0, 42))
          await expect(dialog.getByTestId('app-callback-key-count')).toHaveText(tx.chars(42, 43))
          await dialog.getByTestId('app-callback-save').click()
          const fieldError = (field: string) =>
            dialog.getByTestId(`app-callback-${field}-item`).locator('.el-form-item__error')
          await expect(fieldError('url')).toHaveText(tx.urlInvalid)
          await expect(fieldError('token')).toHaveText(tx.tokenInvalid)
          await expect(fieldError('key')).toHaveText(tx.keyInvalid(42))
          expect(puts).toHaveLength(0)

          // Random values from the browser: 32 and 43 letters and digits.
          await dialog.getByTestId('app-callback-token-generate').click()
          await expect(dialog.getByTestId('app-callback-token-input')).toHaveValue(/^[A-Za-z0-9]{32}$/)
          await dialog.getByTestId('app-callback-key-generate').click()
          await expect(dialog.getByTestId('app-callback-key-input')).toHaveValue(/^[A-Za-z0-9]{43}$/)
          await expect(dialog.getByTestId('app-callback-key-count')).toHaveText(tx.chars(43, 43))
          await expect(fieldError('token')).toHaveCount(0)
          await expect(fieldError('key')).toHaveCount(0)
          await expectNoHorizontalOverflow(page)

          // A Token the receiver does not have: it refuses the signature, and the console says what
          // the URL answered while the dialog stays as typed. The verification is shown while it lasts.
          const wrong = `${receiver.token.slice(0, 31)}${receiver.token.endsWith('x') ? 'y' : 'x'}`
          await dialog.getByTestId('app-callback-url-input').fill(receiver.url)
          await dialog.getByTestId('app-callback-token-input').fill(wrong)
          await dialog.getByTestId('app-callback-key-input').fill(receiver.key)
          receiver.verifyDelayMs = 1_500
          await dialog.getByTestId('app-callback-save').click()
          await expect(dialog.getByTestId('app-callback-verifying')).toContainText(tx.verifying)
          const error = dialog.getByTestId('app-callback-error')
          await expect(error).toHaveAttribute('data-code', 'callback_url_invalid')
          await expect(dialog.getByTestId('app-callback-verifying')).toHaveCount(0)
          await expect(error).toContainText(tx.failed)
          await expect(error.getByTestId('app-callback-error-text')).toHaveText(tx.answered403)
          await expect(error.getByTestId('app-callback-error-detail')).toHaveText('the callback URL answered HTTP 403')
          await expect(dialog.getByTestId('app-callback-token-input')).toHaveValue(wrong)
          await expectNoHorizontalOverflow(page)
          expect(receiver.verified).toEqual([false])
          expect((await api<ApiCallback>('GET', `/apps/${app.agentid}/callback`)).url).toBe('')

          // The receiver's Token: verified, saved.
          receiver.verifyDelayMs = 0
          await dialog.getByTestId('app-callback-token-input').fill(receiver.token)
          await dialog.getByTestId('app-callback-save').click()
          await expect(toast(page, tx.saved(app.name))).toBeVisible()
          await expect(dialog).toBeHidden()
          expect(receiver.verified).toEqual([false, true])
          expect(puts).toHaveLength(2)
          expect(await api<ApiCallback>('GET', `/apps/${app.agentid}/callback`)).toMatchObject({
            url: receiver.url,
            token: receiver.token,
            encoding_aes_key: receiver.key,
          })

          // Shown with the Token and key hidden, each shown on request and copied.
          const expectShown = async () => {
            const shown = sectionOf(page, app.agentid)
            await expect(shown).toHaveAttribute('data-set', 'true')
            await expect(shown.getByTestId('app-callback-url')).toHaveText(receiver.url)
            await expect(shown.getByTestId('app-callback-token')).toHaveText(MASK)
            await expect(shown.getByTestId('app-callback-key')).toHaveText(MASK)
            await expect(shown.getByTestId('app-callback-edit')).toHaveText(tx.change)
            await expect(shown.getByTestId('app-callback-remove')).toHaveText(tx.remove)
          }
          await expectShown()
          await expect(page.getByText(receiver.token)).toHaveCount(0)
          await section.getByTestId('app-callback-token-toggle').click()
          await expect(section.getByTestId('app-callback-token')).toHaveText(receiver.token)
          await expect(section.getByTestId('app-callback-token-toggle')).toHaveText(tx.hide)
          await expect(section.getByTestId('app-callback-key')).toHaveText(MASK)
          await section.getByTestId('app-callback-key-toggle').click()
          await expect(section.getByTestId('app-callback-key')).toHaveText(receiver.key)
          await expectNoHorizontalOverflow(page)
          await section.getByTestId('app-callback-token-toggle').click()
          await expect(section.getByTestId('app-callback-token')).toHaveText(MASK)
          await expect(section.getByTestId('app-callback-token-toggle')).toHaveText(tx.show)
          await section.getByTestId('app-callback-token-copy').click()
          await expect(toast(page, tx.tokenCopied)).toBeVisible()
          expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(receiver.token)
          await page.reload()
          await expectShown()

          // The dialog opens on what is saved.
          await sectionOf(page, app.agentid).getByTestId('app-callback-edit').click()
          await expect(dialog.getByTestId('app-callback-url-input')).toHaveValue(receiver.url)
          await expect(dialog.getByTestId('app-callback-key-input')).toHaveValue(receiver.key)
          await dialog.getByTestId('app-callback-cancel').click()
          await expect(dialog).toBeHidden()

          // Removed, asked first.
          await sectionOf(page, app.agentid).getByTestId('app-callback-remove').click()
          const confirm = page.locator('.confirm-box')
          await expect(confirm).toContainText(app.name)
          await expect(confirm).toContainText(receiver.url)
          await expectNoHorizontalOverflow(page)
          await confirm.getByRole('button', { name: tx.cancel, exact: true }).click()
          await expect(confirm).toBeHidden()
          expect((await api<ApiCallback>('GET', `/apps/${app.agentid}/callback`)).url).toBe(receiver.url)

          await sectionOf(page, app.agentid).getByTestId('app-callback-remove').click()
          await confirm.getByRole('button', { name: tx.remove, exact: true }).click()
          await expect(toast(page, tx.removed(app.name))).toBeVisible()
          await expect(sectionOf(page, app.agentid).getByTestId('app-callback-empty')).toHaveText(tx.notSet)
          await expect(sectionOf(page, app.agentid).getByTestId('app-callback-edit')).toHaveText(tx.setUp)
          expect((await api<ApiCallback>('GET', `/apps/${app.agentid}/callback`)).url).toBe('')
          expect(receiver.refused).toEqual(['bad signature'])
        } finally {
          await receiver.close()
        }
      })
    })

    test('a new department reaches the receiver as change_contact, and the log shows it delivered', async ({
      page,
      isMobile,
    }) => {
      const sfx = unique()
      const app = createApp(`通讯录回调${sfx}`)
      const api = await consoleApi(page.request)
      const receiver = await startReceiver()
      try {
        await setCallback(api, app.agentid, receiver)
        await page.goto(`/admin/apps?app=${app.agentid}`)
        const section = sectionOf(page, app.agentid)
        await expect(section.getByTestId('app-callback-url')).toHaveText(receiver.url)

        // The contact reports, turned on in the settings.
        const detail = page.locator(`[data-testid="app-detail"][data-agentid="${app.agentid}"]`)
        await detail.getByTestId('app-settings-edit').click()
        const settings = page.getByTestId('app-settings-dialog')
        await settings.getByTestId('app-settings-report-user').click()
        await settings.getByTestId('app-settings-save').click()
        await expect(toast(page, tx.settingsSaved(app.name))).toBeVisible()
        await expect(detail.getByTestId('app-settings-report-user-value')).toHaveText(tx.yes)

        const wecom = await WeCom.connect(page.request)
        const name = `回调部门${sfx}`
        const dept = await wecom.createDepartment(name, 1)

        // Sealed and signed as WeCom does: the receiver checked and decrypted it with @wecom/crypto.
        const isOurs = (r: Received) => r.fields.ChangeType === 'create_party' && r.fields.Id === String(dept)
        const got = await waitFor('the receiver to get the new department', () => receiver.find(isOurs))
        const corpid = process.env[ENV_CORPID]!
        expect(got.fields).toMatchObject({
          ToUserName: corpid,
          FromUserName: 'sys',
          MsgType: 'event',
          Event: 'change_contact',
          ChangeType: 'create_party',
          Id: String(dept),
          Name: name,
          ParentId: '1',
          AgentID: String(app.agentid),
        })
        expect(Number(got.fields.CreateTime)).toBeGreaterThan(0)
        expect(got.envelope).toMatchObject({ ToUserName: corpid, AgentID: String(app.agentid) })
        expect(got.eventId).toMatch(/^contact-\d+$/)
        expect(got.attempt).toBe(1)
        expect(got.answered).toBe(200)
        expect(receiver.refused).toEqual([])

        // The log shows it delivered, in the language's words.
        const row = await expectDeliveryState(section, got.eventId, 'delivered')
        await expect(row.getByTestId('callback-delivery-kind')).toHaveText(tx.createParty)
        await expect(row.getByTestId('callback-delivery-kind')).toHaveAttribute('data-kind', 'change_contact/create_party')
        await expect(row.getByTestId('callback-delivery-state')).toHaveText(tx.delivered)
        await expect(row.getByTestId('callback-delivery-member')).toContainText(tx.sys)
        await expect(row.getByTestId('callback-delivery-member')).toHaveAttribute('data-member', 'sys')
        await expect(row.getByTestId('callback-delivery-attempts')).toContainText('1')
        await expect(row.getByTestId('callback-delivery-status')).toHaveText('HTTP 200')
        await expect(row.getByTestId('callback-delivery-created')).not.toBeEmpty()
        await expect(row.getByTestId('callback-delivery-delivered')).not.toBeEmpty()
        await expect(row.getByTestId('callback-delivery-next')).toHaveCount(0)
        await expect(row.getByTestId('callback-delivery-retry')).toHaveCount(0)
        await expect(section.getByTestId(isMobile ? 'callback-log-cards' : 'callback-log-table')).toBeVisible()
        if (isMobile) await expectNoHorizontalOverflow(page)

        // The state filter: among the delivered, not among the failed.
        await pickState(page, section, tx.delivered, 'delivered')
        await expect(deliveryRow(section, got.eventId)).toBeVisible()
        await pickState(page, section, tx.failedState, 'failed')
        await expect(deliveryRow(section, got.eventId)).toHaveCount(0)
        await pickState(page, section, tx.everyState, '')
        await expect(deliveryRow(section, got.eventId)).toBeVisible()
      } finally {
        await api('DELETE', `/apps/${app.agentid}/callback`)
        await receiver.close()
      }
    })

    test('a receiver answering HTTP 500 leaves the delivery waiting with that status; "retry now" delivers it', async ({
      page,
      isMobile,
    }) => {
      const sfx = unique()
      const app = createApp(`重试回调${sfx}`)
      const api = await consoleApi(page.request)
      const receiver = await startReceiver()
      try {
        await setCallback(api, app.agentid, receiver)
        receiver.status = 500
        await api('PATCH', `/apps/${app.agentid}`, { isreportuser: true })
        const wecom = await WeCom.connect(page.request)
        const dept = await wecom.createDepartment(`重试部门${sfx}`, 1)
        const isOurs = (r: Received) => r.fields.ChangeType === 'create_party' && r.fields.Id === String(dept)
        await page.goto(`/admin/apps?app=${app.agentid}`)
        const section = sectionOf(page, app.agentid)
        await expect(section.getByTestId('app-callback-url')).toHaveText(receiver.url)

        // The directory's events go out in order: the one to retry is ours once it has failed, or
        // waits for its next try far enough ahead — or, while ours waits behind an earlier pending
        // one (another test's change), that one. With the server's default backoff (1 s, doubling)
        // that takes a few tries; with CORPHUB_CALLBACK_MAX_ATTEMPTS=2 ours fails at once.
        const ready = (d: ApiDelivery) =>
          d.member === 'sys' &&
          d.last_status === 500 &&
          (d.state === 'failed' || (d.state === 'pending' && (d.next_attempt_at ?? 0) - Date.now() / 1000 >= 5))
        const target = await waitFor('a delivery answered HTTP 500 to retry', async () => {
          const list = await deliveries(api, app.agentid)
          const ours = list.find((d) => d.kind === 'change_contact/create_party' && d.event_id === receiver.find(isOurs)?.eventId)
          if (ours && ready(ours)) return ours
          const head = list.filter((d) => d.member === 'sys' && d.state === 'pending').sort((a, b) => a.id - b.id)[0]
          return head && ready(head) ? head : undefined
        })

        await section.getByTestId('callback-log-refresh').click()
        const row = deliveryRow(section, target.event_id)
        await expect(row.getByTestId('callback-delivery-state')).toHaveAttribute('data-state', target.state)
        await expect(row.getByTestId('callback-delivery-state')).toHaveText(target.state === 'failed' ? tx.failedState : tx.pending)
        await expect(row.getByTestId('callback-delivery-status')).toHaveText('HTTP 500')
        await expect(row.getByTestId('callback-delivery-status')).toHaveAttribute('data-status', '500')
        await expect(row.getByTestId('callback-delivery-attempts')).toContainText(String(target.attempts))
        await expect(row.getByTestId('callback-delivery-next')).toHaveCount(target.state === 'pending' ? 1 : 0)
        if (isMobile) await expectNoHorizontalOverflow(page)

        // The receiver mends; "retry now" sends it at once, not at its next scheduled try.
        receiver.status = 200
        const retried = Date.now()
        await row.getByTestId('callback-delivery-retry').click()
        await expect(toast(page, tx.retried)).toBeVisible()
        const done = await expectDeliveryState(section, target.event_id, 'delivered')
        await expect(done.getByTestId('callback-delivery-state')).toHaveText(tx.delivered)
        await expect(done.getByTestId('callback-delivery-status')).toHaveText('HTTP 200')
        await expect(done.getByTestId('callback-delivery-retry')).toHaveCount(0)
        const again = receiver.find((r) => r.eventId === target.event_id && r.answered === 200)
        expect(again?.attempt).toBe(target.attempts + 1)
        expect(again!.at).toBeGreaterThanOrEqual(retried)
        if (target.next_attempt_at) expect(again!.at).toBeLessThan(target.next_attempt_at * 1000)

        // Ours went out too, once what was before it had (at once when it was the one retried).
        const ours = await waitFor('the new department delivered', () =>
          receiver.find((r) => isOurs(r) && r.answered === 200),
        )
        await expectDeliveryState(section, ours.eventId, 'delivered')
        expect(receiver.refused).toEqual([])
      } finally {
        await api('DELETE', `/apps/${app.agentid}/callback`)
        await receiver.close()
      }
    })

    test('an administrator with the send right sees only a note, and the server refuses them', async ({
      page,
      browser,
      isMobile,
    }) => {
      const sfx = unique()
      const app = createApp(`回调只读${sfx}`)
      const api = await consoleApi(page.request)
      const receiver = await startReceiver()
      try {
        await setCallback(api, app.agentid, receiver)
        const admin = await AdminApi.login(page.request)
        const wecom = await WeCom.connect(page.request)
        const dept = await wecom.createDepartment(`回调只读${sfx}`, 1)
        const who = await scopedAdmin(admin, browser, {
          name: `回调发消息${sfx}`,
          departments: [dept],
          apps: [{ agentid: app.agentid, right: 'send' }],
        })

        const theirs = await newConsoleContext(browser, lang)
        try {
          const p = await theirs.newPage()
          const calls: string[] = []
          p.on('request', (r) => {
            if (r.url().includes('/callback')) calls.push(r.url())
          })
          await p.goto('/admin/login')
          await p.getByTestId('login-username').fill(who.username)
          await p.getByTestId('login-password').fill(who.password)
          await p.getByTestId('login-submit').click()
          await expect(p.getByTestId('admin-name')).toHaveText(who.username)
          await p.goto(`/admin/apps?app=${app.agentid}`)
          const section = sectionOf(p, app.agentid)
          await expect(section.getByTestId('app-callback-manage-only')).toHaveText(tx.manageOnly)
          for (const id of ['app-callback-edit', 'app-callback-remove', 'app-callback-url', 'callback-log']) {
            await expect(section.getByTestId(id)).toHaveCount(0)
          }
          await expect(p.getByText(receiver.token)).toHaveCount(0)
          if (isMobile) await expectNoHorizontalOverflow(p)
          expect(calls).toEqual([])

          // The server says the same.
          const got = await p.request.get(`/admin/api/apps/${app.agentid}/callback`)
          expect(got.status()).toBe(403)
          const log = await p.request.get(`/admin/api/apps/${app.agentid}/callback/deliveries`)
          expect(log.status()).toBe(403)
        } finally {
          await theirs.close()
        }
      } finally {
        // AdminApi.login took this request context's session: a new one for the removal.
        await (await consoleApi(page.request))('DELETE', `/apps/${app.agentid}/callback`)
        await receiver.close()
      }
    })
  })
}
