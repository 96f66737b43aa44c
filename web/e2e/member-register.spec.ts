// Applying to join in the member client, in each language and on a phone and a desktop: someone
// not in the directory fills in the form (the department picked from the tree), waits, and sees
// the administrator's approval or rejection (with the reason); the closed page, refusals next to
// their field and the client's own checks. Registration is one setting for the whole
// organisation, closed by default: every step that needs it open runs in the org-wide settings
// turn (secondVerificationTurn) after opening it, and is given back as it was; the closed-page
// test shuts it only inside that turn.
import fs from 'node:fs'
import path from 'node:path'
import type { APIRequestContext, Page } from '@playwright/test'
import {
  LANGS,
  WeCom,
  adminLogin,
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
    title: '申请加入',
    link: '还不在通讯录里？申请加入',
    closedTitle: '暂不接受申请',
    closedText: (org: string) => `${org} 目前不接受加入申请。如需加入，请联系组织的管理员。`,
    haveAccount: '已经在通讯录里？去登录',
    submit: '提交申请',
    itself: (name: string) => `${name}（本部门）`,
    pending: '申请已提交，等待审核',
    pendingText: '管理员审核后，会通过邮件或短信通知你结果。',
    approved: '申请已通过',
    approvedText: '登录邀请已通过邮件或短信发给你，请查收，然后用申请时填写的手机号或邮箱登录。',
    rejected: '申请未通过',
    rejectedText: '很抱歉，管理员没有通过你的申请。',
    reason: (why: string) => `原因：${why}`,
    department: '部门',
    account: '你的账号',
    refresh: '刷新状态',
    applyAgain: '重新申请',
    goSignIn: '去登录',
    sendCode: '获取验证码',
    nameRequired: '请填写姓名',
    departmentRequired: '请选择部门',
    contactRequired: '手机号和邮箱至少填写一项',
    emailInvalid: '邮箱格式不正确，例如 name@example.com',
    emailRegistered: '这个邮箱已经在通讯录里了，可以直接用它登录。',
    signInInstead: '去登录',
    useridTaken: '这个账号已被占用，请换一个，或者不填。',
    alreadyWaiting: '用这个手机号或邮箱提交的申请正在等待审核，请等待结果，不必重复申请。',
  },
  en: {
    title: 'Apply to join',
    link: 'Not in the directory yet? Apply to join',
    closedTitle: 'Applications are closed',
    closedText: (org: string) => `${org} does not take applications. To join, ask your administrator.`,
    haveAccount: 'Already in the directory? Sign in',
    submit: 'Send application',
    itself: (name: string) => `${name} (this department)`,
    pending: 'Application sent: waiting for approval',
    pendingText: 'An administrator will review it. You will get an e-mail or SMS with the decision.',
    approved: 'Application approved',
    approvedText:
      'Your invitation was sent by e-mail or SMS. Check it, then sign in with the mobile number or e-mail address you applied with.',
    rejected: 'Application not accepted',
    rejectedText: 'Sorry, an administrator did not accept your application.',
    reason: (why: string) => `Reason: ${why}`,
    department: 'Department',
    account: 'Your account',
    refresh: 'Refresh status',
    applyAgain: 'Apply again',
    goSignIn: 'Sign in',
    sendCode: 'Send code',
    nameRequired: 'Enter your name',
    departmentRequired: 'Choose a department',
    contactRequired: 'Give a mobile number or an e-mail address',
    emailInvalid: 'This is not a valid e-mail address (e.g. name@example.com)',
    emailRegistered: 'This e-mail address is already in the directory: you can sign in with it.',
    signInInstead: 'Sign in',
    useridTaken: 'This account is taken. Choose another, or leave it empty.',
    alreadyWaiting:
      'An application with this mobile number or e-mail address is already waiting for approval. Wait for its result; there is no need to apply again.',
  },
} as const

const STORAGE_KEY = 'corphub.registration'

// ---- the server, as a script would use it ------------------------------------------------

/** The console's side: the open_registration setting and the decisions. */
class Console {
  private constructor(
    private readonly request: APIRequestContext,
    private readonly csrf: string,
  ) {}

  static async login(request: APIRequestContext): Promise<Console> {
    return new Console(request, await adminLogin(request))
  }

  async isOpen(): Promise<boolean> {
    const r = await this.request.get('/admin/api/identity/settings')
    expect(r.status(), await r.text()).toBe(200)
    return ((await r.json()) as { open_registration: boolean }).open_registration
  }

  async setOpen(open: boolean): Promise<void> {
    const r = await this.request.put('/admin/api/identity/settings', {
      data: { open_registration: open },
      headers: { 'X-CSRF-Token': this.csrf },
    })
    expect(r.status(), await r.text()).toBe(200)
    expect(((await r.json()) as { open_registration: boolean }).open_registration).toBe(open)
  }

  async approve(id: string): Promise<string> {
    const r = await this.request.post(`/admin/api/registrations/${id}/approve`, {
      data: {},
      headers: { 'X-CSRF-Token': this.csrf },
    })
    expect(r.status(), await r.text()).toBe(200)
    return ((await r.json()) as { userid: string }).userid
  }

  async reject(id: string, reason: string): Promise<void> {
    const r = await this.request.post(`/admin/api/registrations/${id}/reject`, {
      data: { reason },
      headers: { 'X-CSRF-Token': this.csrf },
    })
    expect(r.status(), await r.text()).toBe(200)
  }
}

/**
 * Runs `steps` with registration surely open: in the org-wide settings turn (the closed-page
 * test shuts it for a moment inside the same turn), after opening it; given back as it was.
 */
async function whileOpen<T>(admin: Console, steps: () => Promise<T>): Promise<T> {
  const release = await secondVerificationTurn()
  const before = await admin.isOpen().catch(() => undefined)
  try {
    await admin.setOpen(true)
    return await steps()
  } finally {
    if (before === false) await admin.setOpen(false).catch(() => undefined)
    release()
  }
}

/** The newest outbox mail to `to` (the e2e server's file mailer), waiting for it. */
async function mailTo(to: string, containing: string): Promise<{ subject: string; text: string }> {
  const log = path.join(process.env[ENV_TEMP_DIR] ?? '', 'data', 'outbox', 'mail.log')
  let found: { subject: string; text: string } | undefined
  await expect
    .poll(
      () => {
        if (!fs.existsSync(log)) return false
        const lines = fs.readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).reverse()
        for (const line of lines) {
          const entry = JSON.parse(line) as { to?: string; subject: string; text: string }
          if (entry.to === to && entry.text.includes(containing)) {
            found = entry
            return true
          }
        }
        return false
      },
      { message: `a mail to ${to} with "${containing}"` },
    )
    .toBe(true)
  return found!
}

/** What this browser stored after applying. */
async function stored(page: Page): Promise<{ id: string; token: string } | null> {
  const raw = await page.evaluate((key) => window.localStorage.getItem(key), STORAGE_KEY)
  return raw ? (JSON.parse(raw) as { id: string; token: string }) : null
}

// ---- the page ------------------------------------------------------------------------------

const input = (page: Page, field: string) =>
  page
    .getByTestId(`register-${field}`)
    .locator(field === 'note' || field === 'department' ? 'textarea' : 'input')
const fieldError = (page: Page, field: string) =>
  page.getByTestId(`register-${field}`).locator('.van-field__error-message')

/** Picks a department by tapping through the tree, top level first. */
async function pickDepartment(page: Page, ...names: string[]): Promise<void> {
  await page.getByTestId('register-department').click()
  const picker = page.getByTestId('register-department-picker')
  await expect(picker).toBeVisible()
  for (const name of names) {
    await picker.getByRole('menuitemradio', { name, exact: true }).click()
  }
  await expect(picker).toBeHidden()
}

interface Applicant {
  name: string
  position?: string
  userid?: string
  mobile?: string
  email?: string
  note?: string
}

async function fill(page: Page, a: Applicant): Promise<void> {
  await input(page, 'name').fill(a.name)
  for (const key of ['position', 'userid', 'mobile', 'email', 'note'] as const) {
    if (a[key] !== undefined) await input(page, key).fill(a[key])
  }
}

for (const lang of LANGS) {
  const w = WORDS[lang]

  test.describe(`member apply to join (${lang})`, () => {
    // A step that hangs must not keep the org-wide turn (and the other specs) waiting for long.
    test.use({ lang, actionTimeout: 15_000 })
    // Waiting for the other project's turn comes on top of the test's own time.
    test.describe.configure({ timeout: 120_000 })

    test('says so while applications are closed, and the sign-in page links only while open', async ({
      page,
      request,
    }) => {
      const admin = await Console.login(request)
      const opened = await request.get('/api/v1/registration')
      const org = ((await opened.json()) as { org_name: string }).org_name
      expect(org).not.toBe('')

      const release = await secondVerificationTurn()
      const before = await admin.isOpen().catch(() => undefined)
      try {
        await admin.setOpen(false)
        const form = (await (await request.get('/api/v1/registration')).json()) as {
          open: boolean
          departments: unknown[]
        }
        expect(form).toMatchObject({ open: false, departments: [] })

        await page.goto('/register')
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'closed')
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.closedTitle)
        await expect(page.getByTestId('register-closed')).toHaveText(w.closedText(org))
        await expect(page.getByTestId('register-submit')).toHaveCount(0)
        await expectNoHorizontalOverflow(page)

        // Its way out is sign-in, which offers no application while closed.
        const asked = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/registration')
        await page.getByRole('button', { name: w.haveAccount }).click()
        await expect(page).toHaveURL(/\/signin$/)
        await asked
        await expect(page.getByRole('button', { name: w.sendCode })).toBeVisible()
        await expect(page.getByTestId('signin-apply')).toHaveCount(0)

        // Opened again: the sign-in page links to the form.
        await admin.setOpen(true)
        await page.reload()
        await page.getByRole('link', { name: w.link }).click()
        await expect(page).toHaveURL(/\/register$/)
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'form')
        await expect(page.getByRole('heading', { level: 1 })).toHaveText(w.title)
        await expect(page.getByTestId('register-intro')).toContainText(org)
      } finally {
        if (before !== undefined) await admin.setOpen(before).catch(() => undefined)
        release()
      }
    })

    test('applies for a sub-department, waits, and sees the approval', async ({ page, request }) => {
      const admin = await Console.login(request)
      const wecom = await WeCom.connect(request)
      const sfx = unique()
      const parent = `申请学院${sfx}`
      const child = `申请教研室${sfx}`
      const parentId = await wecom.createDepartment(parent)
      await wecom.createDepartment(child, parentId)
      const a = {
        name: `申请人${sfx}`,
        position: '讲师',
        userid: `wish-${sfx}`,
        mobile: uniqueMobile(),
        email: `ok-${sfx}@apply.example.com`,
        note: '下周一入职',
      }

      await whileOpen(admin, async () => {
        await page.goto('/register')
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'form')
        await fill(page, a)
        // The parent lists itself first, then its sub-department; the field shows the path.
        await page.getByTestId('register-department').click()
        const picker = page.getByTestId('register-department-picker')
        await picker.getByRole('menuitemradio', { name: parent, exact: true }).click()
        const options = picker.getByRole('menu').last().getByRole('menuitemradio')
        await expect(options).toHaveText([w.itself(parent), child])
        await options.filter({ hasText: child }).click()
        await expect(picker).toBeHidden()
        await expect(input(page, 'department')).toHaveValue(`${parent} / ${child}`)
        await expectNoHorizontalOverflow(page)

        await page.getByRole('button', { name: w.submit }).click()
        await expect(page.getByTestId('register-status')).toHaveAttribute('data-status', 'pending')
      })

      await expect(page.getByTestId('register-status-title')).toHaveText(w.pending)
      await expect(page.getByTestId('register-status-text')).toHaveText(w.pendingText)
      const status = page.getByTestId('register-status')
      await expect(status.getByText(a.name, { exact: true })).toBeVisible()
      await expect(status.getByText(child, { exact: true })).toBeVisible()
      await expect(page.getByRole('button', { name: w.refresh })).toBeVisible()
      await expect(page.getByTestId('register-go-signin')).toHaveCount(0)
      const mine = await stored(page)
      expect(mine?.id).toBeTruthy()
      expect(mine?.token).toHaveLength(43)

      // Coming back shows the same application.
      await page.reload()
      await expect(page.getByTestId('register-status')).toHaveAttribute('data-status', 'pending')
      await expect(page.getByTestId('register-status-title')).toHaveText(w.pending)

      const userid = await admin.approve(mine!.id)
      expect(userid).toBe(a.userid)
      expect(await wecom.memberExists(a.userid)).toBe(true)
      await mailTo(a.email, `/signin?id=${a.email}`)

      await page.getByRole('button', { name: w.refresh }).click()
      await expect(page.getByTestId('register-status')).toHaveAttribute('data-status', 'approved')
      await expect(page.getByTestId('register-status-title')).toHaveText(w.approved)
      await expect(page.getByTestId('register-status-text')).toHaveText(w.approvedText)
      await expect(page.getByTestId('register-account')).toContainText(w.account)
      await expect(page.getByTestId('register-account')).toContainText(a.userid)
      await expect(page.getByTestId('register-apply-again')).toHaveCount(0)
      await expectNoHorizontalOverflow(page)
      await page.getByRole('button', { name: w.goSignIn }).click()
      await expect(page).toHaveURL(/\/signin$/)
      await expect(page.getByRole('button', { name: w.sendCode })).toBeVisible()
    })

    test('a rejection shows the reason, and applying again starts afresh', async ({ page, request }) => {
      const admin = await Console.login(request)
      const wecom = await WeCom.connect(request)
      const sfx = unique()
      const dept = `申请后勤${sfx}`
      await wecom.createDepartment(dept)
      const email = `no-${sfx}@apply.example.com`
      const reason = `名额已满 ${sfx}`

      // An application the server no longer knows is forgotten: the form shows.
      await page.addInitScript(
        ([key, value]) => {
          if (!window.sessionStorage.getItem('seeded')) {
            window.sessionStorage.setItem('seeded', '1')
            window.localStorage.setItem(key, value)
          }
        },
        [STORAGE_KEY, JSON.stringify({ id: 'gone', token: 'x'.repeat(43) })] as const,
      )

      await whileOpen(admin, async () => {
        await page.goto('/register')
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'form')
        expect(await stored(page)).toBeNull()
        await fill(page, { name: `被拒${sfx}`, email })
        await pickDepartment(page, dept)
        await expect(input(page, 'department')).toHaveValue(dept)
        await page.getByRole('button', { name: w.submit }).click()
        await expect(page.getByTestId('register-status')).toHaveAttribute('data-status', 'pending')
      })
      const mine = await stored(page)
      expect(mine).not.toBeNull()

      await admin.reject(mine!.id, reason)
      await mailTo(email, reason)
      await page.reload()
      await expect(page.getByTestId('register-status')).toHaveAttribute('data-status', 'rejected')
      await expect(page.getByTestId('register-status-title')).toHaveText(w.rejected)
      await expect(page.getByTestId('register-status-text')).toHaveText(w.rejectedText)
      await expect(page.getByTestId('register-reason')).toHaveText(w.reason(reason))
      await expect(page.getByTestId('register-status').getByText(dept, { exact: true })).toBeVisible()
      await expect(page.getByTestId('register-go-signin')).toHaveCount(0)
      await expectNoHorizontalOverflow(page)

      await whileOpen(admin, async () => {
        await page.getByRole('button', { name: w.applyAgain }).click()
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'form')
      })
      expect(await stored(page)).toBeNull()
      await page.reload()
      await expect(page.getByTestId('register')).not.toHaveAttribute('data-state', 'status')
    })

    test('checks the form before sending, and shows the server refusals readably', async ({
      page,
      request,
    }) => {
      const admin = await Console.login(request)
      const wecom = await WeCom.connect(request)
      const sfx = unique()
      const dept = `申请校验${sfx}`
      await wecom.createDepartment(dept)
      const member = { userid: `member-${sfx}`, email: `member-${sfx}@apply.example.com` }
      await wecom.createMember({ ...member, name: `在册${sfx}`, department: [1] })
      const waitingMobile = uniqueMobile()
      let posts = 0
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/registration') posts += 1
      })

      await whileOpen(admin, async () => {
        // One application already waiting with this mobile (sent as a script would).
        const first = await request.post('/api/v1/registration', {
          data: { name: `先到${sfx}`, department: 1, mobile: waitingMobile },
        })
        expect(first.status(), await first.text()).toBe(201)

        await page.goto('/register')
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'form')

        // Empty: nothing is sent, and each missing field says so.
        await page.getByRole('button', { name: w.submit }).click()
        await expect(fieldError(page, 'name')).toHaveText(w.nameRequired)
        await expect(fieldError(page, 'department')).toHaveText(w.departmentRequired)
        await expect(fieldError(page, 'mobile')).toHaveText(w.contactRequired)
        await input(page, 'email').fill('not-an-address')
        await page.getByRole('button', { name: w.submit }).click()
        await expect(fieldError(page, 'email')).toHaveText(w.emailInvalid)
        await expect(fieldError(page, 'mobile')).toHaveCount(0)
        expect(posts).toBe(0)
        await expectNoHorizontalOverflow(page)

        // The e-mail of a member: already registered, with a way to sign in with it.
        await fill(page, { name: `重复${sfx}`, email: member.email })
        await pickDepartment(page, dept)
        await expect(fieldError(page, 'name')).toHaveCount(0)
        await page.getByRole('button', { name: w.submit }).click()
        await expect(fieldError(page, 'email')).toContainText(w.emailRegistered)
        expect(posts).toBe(1)

        // A taken account.
        const otherEmail = `other-${sfx}@apply.example.com`
        await fill(page, { name: `重复${sfx}`, userid: member.userid, email: otherEmail })
        await expect(fieldError(page, 'email')).toHaveCount(0)
        await page.getByRole('button', { name: w.submit }).click()
        await expect(fieldError(page, 'userid')).toHaveText(w.useridTaken)

        // A mobile whose application is still waiting.
        await fill(page, { name: `重复${sfx}`, userid: '', email: '', mobile: waitingMobile })
        await page.getByRole('button', { name: w.submit }).click()
        await expect(page.getByTestId('register-error')).toHaveText(w.alreadyWaiting)
        expect(posts).toBe(3)
        await expect(page.getByTestId('register')).toHaveAttribute('data-state', 'form')
        expect(await stored(page)).toBeNull()

        // Back to the member's e-mail: its link opens sign-in with the address filled in.
        await fill(page, { name: `重复${sfx}`, mobile: '', email: member.email })
        await page.getByRole('button', { name: w.submit }).click()
        await expect(fieldError(page, 'email')).toContainText(w.emailRegistered)
      })
      await fieldError(page, 'email').getByRole('link', { name: w.signInInstead }).click()
      await expect(page).toHaveURL(
        (url) => url.pathname === '/signin' && url.searchParams.get('id') === member.email,
      )
      await expect(page.getByTestId('signin-identifier').locator('input')).toHaveValue(member.email)
    })
  })
}
