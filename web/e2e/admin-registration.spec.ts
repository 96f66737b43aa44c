// The console's applications queue (open registration) on the Sign-in and activation page, in
// each language, on a phone and a desktop, against the real server: the switch opens and closes
// applications; real applications (sent through the public API, as the member client does)
// appear with what the applicant gave; approving one (with an edited userid and department)
// creates that member, rejecting one (with a reason) moves it to the rejected ones; a refused
// approval says why and leaves the application waiting; and the sign-in and application links
// with their QR codes, to copy and to print. Open registration is one setting for the whole
// organisation: every step that needs it in a known state runs in the org-wide settings turn
// (secondVerificationTurn), which gives it back as it found it.
import type { APIRequestContext, Locator, Page } from '@playwright/test'
import {
  LANGS,
  WeCom,
  adminLogin,
  expect,
  expectNoHorizontalOverflow,
  expectQrCodeOf,
  secondVerificationTurn,
  test,
  unique,
  uniqueMobile,
} from './fixtures'
import { ENV_CONTACTS_SECRET, ENV_CORPID } from './global-setup'

const WORDS = {
  'zh-CN': {
    title: '登录与激活',
    openRegistration: '开放申请加入',
    openHelp:
      '开启后，不在通讯录中的人可以在成员端的“申请加入”页面提交申请；管理员在下方“加入申请”中审核，通过后即创建成员并发送邀请。',
    saved: '设置已保存',
    applications: '加入申请',
    filters: { pending: '待审核', approved: '已通过', rejected: '已拒绝', all: '全部' },
    none: '—',
    approve: '通过',
    reject: '拒绝',
    approveTitle: (name: string) => `通过 ${name} 的申请`,
    approved: (userid: string) => `已创建成员 ${userid} 并发送邀请`,
    rejectTitle: (name: string) => `拒绝 ${name} 的申请`,
    rejected: (name: string) => `已拒绝 ${name} 的申请`,
    reasonTooLong: '原因最多 200 个字',
    noticeSent: '已发送',
    invalidUserid: '账号格式不正确（1–64 个字母、数字或 _ - . 符号）。',
    useridExists: '账号已被占用。',
    mobileExists: '手机号已被其他成员使用。',
    contactTaken: '申请人的手机号或邮箱已被通讯录中的成员使用，他可能已经在通讯录里了。可以拒绝此申请。',
    cancel: '取消',
    links: '登录与申请链接',
    signin: '成员登录',
    register: '申请加入',
    registerOff: '开启“开放申请加入”后，这里还会显示申请加入的链接和二维码。',
    qr: (name: string) => `${name}的二维码`,
    copied: '链接已复制',
  },
  en: {
    title: 'Sign-in and activation',
    openRegistration: 'Open registration',
    openHelp:
      "When on, people not in the directory can apply to join on the member client's application page. You decide on each one under Applications below: approving creates the member and sends them an invitation.",
    saved: 'Settings saved',
    applications: 'Applications',
    filters: { pending: 'Pending', approved: 'Approved', rejected: 'Rejected', all: 'All' },
    none: '—',
    approve: 'Approve',
    reject: 'Reject',
    approveTitle: (name: string) => `Approve ${name}'s application`,
    approved: (userid: string) => `Created ${userid} and sent the invitation`,
    rejectTitle: (name: string) => `Reject ${name}'s application`,
    rejected: (name: string) => `${name}'s application was rejected`,
    reasonTooLong: 'At most 200 characters',
    noticeSent: 'Sent',
    invalidUserid: 'The account is not valid (1–64 letters, digits or _ - . characters).',
    useridExists: 'That account is taken.',
    mobileExists: 'The mobile number belongs to another member.',
    contactTaken:
      "The applicant's mobile or e-mail belongs to a member of the directory already: they may be in it. You may reject this application.",
    cancel: 'Cancel',
    links: 'Sign-in and application links',
    signin: 'Member sign-in',
    register: 'Apply to join',
    registerOff: 'With open registration on, the application link and its QR code show here too.',
    qr: (name: string) => `QR code: ${name}`,
    copied: 'Link copied',
  },
} as const

interface Application {
  name: string
  department: number
  position?: string
  mobile?: string
  email?: string
  userid?: string
  note?: string
}

interface Listed {
  id: string
  status: string
  name: string
  department: number
  department_name: string
  position: string
  userid: string
  mobile: string
  email: string
  note: string
  address: string
  submitted_at: number
  decided_at: number
  decided_by: string
  reason: string
  member_userid: string
  notice: string
  suggested_userid: string
}

// ---- The server, as a script would use it ------------------------------------------------

async function openNow(request: APIRequestContext): Promise<boolean> {
  const response = await request.get('/admin/api/identity/settings')
  expect(response.status(), await response.text()).toBe(200)
  return ((await response.json()) as { open_registration: boolean }).open_registration
}

async function setOpen(request: APIRequestContext, csrf: string, open: boolean): Promise<void> {
  const response = await request.put('/admin/api/identity/settings', {
    data: { open_registration: open },
    headers: { 'X-CSRF-Token': csrf },
  })
  expect(response.status(), await response.text()).toBe(200)
}

/** Applies as the member client does (no session); the application's id. */
async function apply(request: APIRequestContext, application: Application): Promise<string> {
  const response = await request.post('/api/v1/registration', { data: application })
  expect(response.status(), `applying ${JSON.stringify(application)}: ${await response.text()}`).toBe(201)
  return ((await response.json()) as { id: string }).id
}

async function listed(request: APIRequestContext, status = 'all'): Promise<Listed[]> {
  const response = await request.get(`/admin/api/registrations?status=${status}`)
  expect(response.status(), await response.text()).toBe(200)
  return ((await response.json()) as { registrations: Listed[] }).registrations
}

async function one(request: APIRequestContext, id: string): Promise<Listed> {
  const found = (await listed(request)).find((r) => r.id === id)
  expect(found, `application ${id} is listed`).toBeDefined()
  return found!
}

interface CgiMember {
  errcode: number
  userid: string
  name: string
  department: number[]
  position: string
  mobile: string
  email: string
  status: number
}

/** /cgi-bin/user/get with the contacts token. */
async function cgiMember(request: APIRequestContext, userid: string): Promise<CgiMember> {
  const token = await request.get('/cgi-bin/gettoken', {
    params: { corpid: process.env[ENV_CORPID] ?? '', corpsecret: process.env[ENV_CONTACTS_SECRET] ?? '' },
  })
  const { access_token } = (await token.json()) as { access_token: string }
  const response = await request.get('/cgi-bin/user/get', { params: { access_token, userid } })
  return (await response.json()) as CgiMember
}

/**
 * Runs `steps` with open registration in a known state: inside the settings turn, set to `open`
 * first and given back as it was afterwards.
 */
async function withOpenRegistration<T>(
  request: APIRequestContext,
  csrf: string,
  open: boolean,
  steps: () => Promise<T>,
): Promise<T> {
  const release = await secondVerificationTurn()
  const before = await openNow(request).catch(() => undefined)
  try {
    await setOpen(request, csrf, open)
    return await steps()
  } finally {
    if (before !== undefined) await setOpen(request, csrf, before).catch(() => undefined)
    release()
  }
}

// ---- The page ----------------------------------------------------------------------------

/** One application: a table row on a desktop, a card on a phone. */
function applicationItem(page: Page, isMobile: boolean, name: string): Locator {
  const items = isMobile
    ? page.getByTestId('applications-cards').getByTestId('application')
    : page.getByTestId('applications-table').locator('tbody tr.el-table__row')
  return items.filter({ has: page.getByTestId('app-name').getByText(name, { exact: true }) })
}

function toast(page: Page, kind: 'success' | 'error', text: string): Locator {
  return page.getByTestId(kind === 'success' ? 'success-message' : 'error-message').filter({ hasText: text })
}

async function showFilter(page: Page, label: string): Promise<void> {
  const loaded = page.waitForResponse((r) => r.url().includes('/admin/api/registrations?'))
  await page.getByTestId('applications-filter').getByText(label, { exact: true }).click()
  await loaded
}

for (const lang of LANGS) {
  const tx = WORDS[lang]

  test.describe(`console applications to join (${lang})`, () => {
    test.use({ lang })

    test('the switch opens applications; one is approved with edits, another rejected with a reason', async ({
      page,
      request,
      isMobile,
    }) => {
      // Waiting for the other project's turn comes on top of the test's own time.
      test.setTimeout(150_000)
      const csrf = await adminLogin(request)
      const wecom = await WeCom.connect(request)
      const sfx = unique()
      const appliedTo = { id: 0, name: `申请部${sfx}` }
      const hiredInto = { id: 0, name: `入职部${sfx}` }
      appliedTo.id = await wecom.createDepartment(appliedTo.name)
      hiredInto.id = await wecom.createDepartment(hiredInto.name)
      const alice: Application = {
        name: `申请甲${sfx}`,
        department: appliedTo.id,
        position: '工程师',
        mobile: uniqueMobile(),
        email: `alice_${sfx}@example.com`,
        userid: `wish_${sfx}`,
        note: `朋友推荐 ${sfx}`,
      }
      const bob: Application = { name: `申请乙${sfx}`, department: appliedTo.id, email: `bob_${sfx}@example.com` }
      const ids: Record<string, string> = {}

      await page.goto('/admin/identity')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      const settings = page.getByTestId('identity-settings')
      const toggle = settings.getByRole('switch', { name: tx.openRegistration })
      await expect(settings.getByTestId('open-registration-help')).toHaveText(tx.openHelp)
      const links = page.getByTestId('identity-links')
      const registerLink = links.locator('[data-testid="link-card"][data-kind="register"]')

      await withOpenRegistration(request, csrf, false, async () => {
        // Closed: the page says so, and shows only the sign-in link.
        await page.reload()
        await expect(toggle).not.toBeChecked()
        await expect(registerLink).toHaveCount(0)
        await expect(links.getByTestId('register-link-off')).toHaveText(tx.registerOff)

        let saved = toast(page, 'success', tx.saved).waitFor({ state: 'visible' })
        await settings.getByTestId('open-registration').click()
        await saved
        await expect(toggle).toBeChecked()
        expect(await openNow(request)).toBe(true)
        await expect(registerLink).toHaveCount(1)
        await expect(links.getByTestId('register-link-off')).toHaveCount(0)

        ids.alice = await apply(request, alice)
        ids.bob = await apply(request, bob)

        saved = toast(page, 'success', tx.saved).waitFor({ state: 'visible' })
        await settings.getByTestId('open-registration').click()
        await saved
        await expect(toggle).not.toBeChecked()
        expect(await openNow(request)).toBe(false)
        await expect(registerLink).toHaveCount(0)
        // Closed again: nobody can apply.
        const refused = await request.post('/api/v1/registration', {
          data: { ...bob, name: `迟到${sfx}`, email: `late_${sfx}@example.com` },
        })
        expect(refused.status()).toBe(403)
        expect(((await refused.json()) as { code: string }).code).toBe('registration_closed')
      })

      // The queue: waiting ones first, with what the applicant sent.
      const queue = page.getByTestId('identity-applications')
      await expect(queue.getByRole('heading', { name: tx.applications })).toBeVisible()
      await queue.getByTestId('applications-refresh').click()
      await expect(page.getByTestId(isMobile ? 'applications-cards' : 'applications-table')).toBeVisible()
      await expect(page.getByTestId(isMobile ? 'applications-table' : 'applications-cards')).toHaveCount(0)
      const a = applicationItem(page, isMobile, alice.name)
      const b = applicationItem(page, isMobile, bob.name)
      await expect(a).toHaveCount(1)
      await expect(b).toHaveCount(1)
      const server = await one(request, ids.alice!)
      expect(server).toMatchObject({ status: 'pending', department_name: appliedTo.name, suggested_userid: alice.userid })
      await expect(a.getByTestId('app-department')).toHaveText(appliedTo.name)
      await expect(a.getByTestId('app-position')).toHaveText(alice.position!)
      await expect(a.getByTestId('app-mobile')).toHaveText(alice.mobile!)
      await expect(a.getByTestId('app-email')).toHaveText(alice.email!)
      await expect(a.getByTestId('app-userid')).toHaveText(alice.userid!)
      await expect(a.getByTestId('app-note')).toHaveText(alice.note!)
      await expect(a.getByTestId('app-address')).toHaveText(server.address)
      await expect(a.getByTestId('app-submitted-at')).toContainText(/\d/)
      // What bob left out shows as such.
      await expect(b.getByTestId('app-position')).toHaveText(tx.none)
      await expect(b.getByTestId('app-mobile')).toHaveText(tx.none)
      await expect(b.getByTestId('app-userid')).toHaveText(tx.none)
      // Newest first.
      const order = (await page.getByTestId('app-name').allInnerTexts()).filter((n) => n.endsWith(sfx))
      expect(order).toEqual([bob.name, alice.name])
      await expectNoHorizontalOverflow(page)

      // Approve alice under another userid, in another department, with another position.
      await a.getByRole('button', { name: tx.approve, exact: true }).click()
      const approve = page.getByTestId('approve-dialog')
      await expect(approve).toBeVisible()
      await expect(page.getByRole('dialog', { name: tx.approveTitle(alice.name), exact: true })).toBeVisible()
      await expect(approve.getByTestId('approve-userid')).toHaveValue(alice.userid!)
      await expect(approve.getByTestId('approve-name')).toHaveValue(alice.name)
      await expect(approve.getByTestId('approve-position')).toHaveValue(alice.position!)
      await expect(approve.getByTestId('approve-department')).toHaveText(appliedTo.name)
      await expect(approve.getByTestId('approve-contact')).toContainText(alice.email!)
      if (isMobile) await expectNoHorizontalOverflow(page)
      const hired = `hired_${sfx}`
      await approve.getByTestId('approve-userid').fill(hired)
      await approve.getByTestId('approve-position').fill('高级工程师')
      await approve.getByTestId('approve-tree').locator(`[data-dept-id="${hiredInto.id}"]`).click()
      await expect(approve.getByTestId('approve-department')).toHaveText(hiredInto.name)
      const created = toast(page, 'success', tx.approved(hired)).waitFor({ state: 'visible' })
      await approve.getByTestId('approve-confirm').click()
      await created
      await expect(approve).toBeHidden()
      await expect(a).toHaveCount(0)
      const member = await cgiMember(request, hired)
      expect(member, JSON.stringify(member)).toMatchObject({
        errcode: 0,
        userid: hired,
        name: alice.name,
        department: [hiredInto.id],
        position: '高级工程师',
        email: alice.email,
        status: 4,
      })
      expect((await cgiMember(request, alice.userid!)).errcode, 'the wished userid was not used').toBe(60111)

      // Reject bob, with a reason (the counter keeps it within 200 characters).
      await b.getByRole('button', { name: tx.reject, exact: true }).click()
      const reject = page.getByTestId('reject-dialog')
      await expect(page.getByRole('dialog', { name: tx.rejectTitle(bob.name), exact: true })).toBeVisible()
      await expect(reject.getByTestId('reject-counter')).toHaveText('0 / 200')
      await reject.getByTestId('reject-reason').fill('长'.repeat(201))
      await expect(reject.getByTestId('reject-counter')).toHaveText('201 / 200')
      await expect(reject.getByText(tx.reasonTooLong)).toBeVisible()
      await expect(reject.getByTestId('reject-confirm')).toBeDisabled()
      const reason = `请用公司邮箱重新申请 ${sfx}`
      await reject.getByTestId('reject-reason').fill(reason)
      await expect(reject.getByTestId('reject-counter')).toHaveText(`${Array.from(reason).length} / 200`)
      const turnedDown = toast(page, 'success', tx.rejected(bob.name)).waitFor({ state: 'visible' })
      await reject.getByTestId('reject-confirm').click()
      await turnedDown
      await expect(reject).toBeHidden()
      await expect(b).toHaveCount(0)

      // The rejected ones: bob, with the reason, who decided and the notice's delivery.
      await expect
        .poll(async () => (await one(request, ids.bob!)).notice, { message: 'the rejection notice goes out' })
        .toBe('sent')
      await showFilter(page, tx.filters.rejected)
      const rejected = applicationItem(page, isMobile, bob.name)
      await expect(rejected).toHaveCount(1)
      await expect(rejected.getByTestId('app-status')).toHaveText(tx.filters.rejected)
      await expect(rejected.getByTestId('app-reason')).toHaveText(reason)
      await expect(rejected.getByTestId('app-decided-by')).toHaveText('e2e')
      await expect(rejected.getByTestId('app-decided-at')).toContainText(/\d/)
      await expect(rejected.getByTestId('app-notice')).toHaveText(tx.noticeSent)
      await expect(rejected.getByRole('button', { name: tx.approve, exact: true })).toHaveCount(0)
      await expect(applicationItem(page, isMobile, alice.name)).toHaveCount(0)
      expect(await one(request, ids.bob!)).toMatchObject({ status: 'rejected', reason, decided_by: 'admin:e2e' })

      // The approved ones: alice, as the member she became.
      await showFilter(page, tx.filters.approved)
      const approved = applicationItem(page, isMobile, alice.name)
      await expect(approved.getByTestId('app-status')).toHaveText(tx.filters.approved)
      await expect(approved.getByTestId('app-member')).toHaveText(hired)
      await expect(applicationItem(page, isMobile, bob.name)).toHaveCount(0)

      // All of them.
      await showFilter(page, tx.filters.all)
      await expect(applicationItem(page, isMobile, alice.name)).toHaveCount(1)
      await expect(applicationItem(page, isMobile, bob.name)).toHaveCount(1)
      await expectNoHorizontalOverflow(page)
    })

    test('an approval the server refuses says why, and the application stays waiting', async ({
      page,
      request,
      isMobile,
    }) => {
      test.setTimeout(120_000)
      const csrf = await adminLogin(request)
      const wecom = await WeCom.connect(request)
      const sfx = unique()
      const taken = `taken_${sfx}`
      const carol: Application = {
        name: `申请丙${sfx}`,
        department: 1,
        mobile: uniqueMobile(),
        userid: taken,
      }
      const id = await withOpenRegistration(request, csrf, true, () => apply(request, carol))
      // Meanwhile someone else gets the userid carol wished for.
      await wecom.createMember({ userid: taken, name: `占用${sfx}`, department: [1] })

      await page.goto('/admin/identity')
      const item = applicationItem(page, isMobile, carol.name)
      await item.getByRole('button', { name: tx.approve, exact: true }).click()
      const dialog = page.getByTestId('approve-dialog')
      const userid = dialog.getByTestId('approve-userid')
      // The server suggests another userid now that the wished one is taken.
      const suggested = (await one(request, id)).suggested_userid
      expect(suggested).not.toBe('')
      expect(suggested).not.toBe(taken)
      await expect(userid).toHaveValue(suggested)

      const error = dialog.getByTestId('approve-error')
      await userid.fill('not a userid!')
      await dialog.getByTestId('approve-confirm').click()
      await expect(error).toContainText(tx.invalidUserid)
      await expect(error).toHaveAttribute('data-code', 'invalid_userid')
      // Said under the field too.
      await expect(dialog.locator('.el-form-item__error')).toHaveText(tx.invalidUserid)

      await userid.fill(taken)
      await dialog.getByTestId('approve-confirm').click()
      await expect(error).toHaveAttribute('data-code', 'userid_exists')
      await expect(error).toContainText(tx.useridExists)

      // Her mobile goes to a member too: a free userid does not help then.
      await wecom.createMember({ userid: `mobile_${sfx}`, name: `同号${sfx}`, department: [1], mobile: carol.mobile })
      await userid.fill(`carol_${sfx}`)
      await dialog.getByTestId('approve-confirm').click()
      await expect(error).toHaveAttribute('data-code', 'mobile_exists')
      await expect(error).toContainText(tx.mobileExists)
      await expect(error).toContainText(tx.contactTaken)
      if (isMobile) await expectNoHorizontalOverflow(page)

      await dialog.getByRole('button', { name: tx.cancel }).click()
      await expect(dialog).toBeHidden()
      await page.getByTestId('applications-refresh').click()
      await expect(item).toHaveCount(1)
      expect((await one(request, id)).status).toBe('pending')
      expect((await cgiMember(request, `carol_${sfx}`)).errcode, 'nothing was created').toBe(60111)

      // Tidy: the queue should not fill up with test applications.
      const done = await request.post(`/admin/api/registrations/${id}/reject`, {
        data: {},
        headers: { 'X-CSRF-Token': csrf },
      })
      expect(done.status(), await done.text()).toBe(200)
    })

    test('the sign-in and application links show as QR codes, to copy and to print', async ({
      page,
      request,
      context,
      baseURL,
    }) => {
      test.setTimeout(120_000)
      const csrf = await adminLogin(request)
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL })
      // window.print() waits here until the test lets it go, as a print dialog would.
      await page.addInitScript(() => {
        const w = window as unknown as { printed: string[]; printing: boolean }
        w.printed = []
        w.printing = false
        window.print = () => {
          w.printed.push(document.querySelector('.print-target')?.getAttribute('data-kind') ?? '')
          w.printing = true
        }
      })
      const origin = new URL(baseURL!).origin

      await withOpenRegistration(request, csrf, true, async () => {
        await page.goto('/admin/identity')
        const links = page.getByTestId('identity-links')
        await expect(links.getByRole('heading', { name: tx.links })).toBeVisible()
        const cards = links.getByTestId('link-card')
        await expect(cards).toHaveCount(2)
        const signin = cards.and(page.locator('[data-kind="signin"]'))
        const register = cards.and(page.locator('[data-kind="register"]'))
        await expect(signin.getByTestId('link-name')).toHaveText(tx.signin)
        await expect(register.getByTestId('link-name')).toHaveText(tx.register)
        await expect(signin.getByTestId('link-url')).toHaveText(`${origin}/signin`)
        await expect(register.getByTestId('link-url')).toHaveText(`${origin}/register`)
        await expect(signin.getByRole('img', { name: tx.qr(tx.signin) })).toBeVisible()
        await expectQrCodeOf(signin.getByRole('img', { name: tx.qr(tx.signin) }), `${origin}/signin`)
        await expectQrCodeOf(register.getByRole('img', { name: tx.qr(tx.register) }), `${origin}/register`)
        await expectNoHorizontalOverflow(page)

        const copied = toast(page, 'success', tx.copied).waitFor({ state: 'visible' })
        await register.getByTestId('link-copy').click()
        await copied
        expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${origin}/register`)

        // Printing the application link: only its card is on paper while the dialog is up.
        await register.getByTestId('link-print').click()
        expect(await page.evaluate(() => (window as unknown as { printed: string[] }).printed)).toEqual(['register'])
        await page.emulateMedia({ media: 'print' })
        await expect(register.getByRole('img', { name: tx.qr(tx.register) })).toBeVisible()
        await expect(register.getByTestId('link-url')).toBeVisible()
        await expect(register.getByTestId('link-print')).toBeHidden()
        await expect(signin).toBeHidden()
        await expect(page.getByRole('heading', { level: 1 })).toBeHidden()
        await expect(page.getByTestId('identity-settings')).toBeHidden()
        // The dialog closes: the screen prints whole again.
        await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
        await expect(signin).toBeVisible()
        await page.emulateMedia({ media: 'screen' })
        await expect(register.getByTestId('link-print')).toBeVisible()
      })
    })
  })
}
