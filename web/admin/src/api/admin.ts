// The console's side of the admin API (docs/admin-api.md): typed calls over one client that
// adds X-CSRF-Token to every call that is not GET and ends the session on a 401 `unauthenticated`.
import { ApiError, createApiClient, type HttpMethod } from '@shared/api/client'
import { csrfToken, isAdminSession, readRights, session, sessionEnded, setSession, type AdminSession } from './session'

export const API_BASE = '/admin/api'
const SESSION_PATH = `${API_BASE}/session`

/** Whether a 401 means the session is gone (`unauthenticated`, or no code at all). */
function endsSession(error: ApiError): boolean {
  const code = error.code
  return code === undefined || code === 'unauthenticated'
}

export const adminClient = createApiClient({
  headers: (method: HttpMethod) => {
    const token = csrfToken()
    return method !== 'GET' && token ? { 'X-CSRF-Token': token } : undefined
  },
  onHttpError: (error, path) => {
    // The session calls deal with their own 401s (a wrong password is one too). Elsewhere a 401
    // ends the session only when it says so: a wrong password or code asked for by an account
    // call (invalid_credentials, totp_invalid) is an answer to show, not a logout.
    if (error.status === 401 && path !== SESSION_PATH && endsSession(error)) sessionEnded()
    // A 403 is an answer to show where it happened, never a logout. The administrator's rights
    // may have changed meanwhile (a super admin edited their groups): read them again, so that
    // the menu and the pages offer what is allowed now.
    if (error.status === 403 && error.code === 'permission_denied' && path !== SESSION_PATH) {
      void refreshRights()
    }
  },
})

let refreshing: Promise<void> | undefined
function refreshRights(): Promise<void> {
  refreshing ??= peekSession()
    .then((value) => {
      // Only while still logged in as the same administrator (a 401 is dealt with elsewhere).
      if (value && session.value?.admin.username === value.admin.username) setSession(value)
    })
    .catch(() => undefined)
    .finally(() => (refreshing = undefined))
  return refreshing
}

// ---- Session ---------------------------------------------------------------------------

function checkedSession(value: unknown, method: string): AdminSession {
  if (!isAdminSession(value)) {
    throw new ApiError({
      kind: 'parse',
      method,
      url: SESSION_PATH,
      status: 200,
      message: 'the session answer did not have the expected fields',
    })
  }
  return { ...value, rights: readRights((value as { rights?: unknown }).rights) }
}

/**
 * Logs in. With two-step login on, the first try (no `code`) answers 401 `totp_required`; the
 * same call again with the authenticator's code (or a recovery code) logs in.
 */
export async function login(username: string, password: string, code?: string): Promise<AdminSession> {
  const body: Record<string, string> = { username, password }
  if (code !== undefined) body.code = code
  const answer = await adminClient.post<unknown>(SESSION_PATH, body)
  const value = checkedSession(answer, 'POST')
  setSession(value)
  return value
}

/** The server's session for this browser, or null when there is none (401); changes nothing. */
export async function peekSession(): Promise<AdminSession | null> {
  try {
    return checkedSession(await adminClient.get<unknown>(SESSION_PATH), 'GET')
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null
    throw err
  }
}

/**
 * The current session, now in force; or null when the server says there is none (401), which
 * ends a session the console thought it had (and so goes to the login page).
 */
export async function loadSession(): Promise<AdminSession | null> {
  const value = await peekSession()
  if (value) setSession(value)
  else sessionEnded()
  return value
}

export async function logout(): Promise<void> {
  try {
    await adminClient.delete<void>(SESSION_PATH)
  } catch (err) {
    // Already over on the server: as good as logged out.
    if (!(err instanceof ApiError && err.status === 401)) throw err
  }
  setSession(null)
}

// ---- Departments -----------------------------------------------------------------------

export interface Department {
  id: number
  name: string
  name_en: string
  parentid: number
  order: number
  /** Members directly in the department. */
  member_count: number
  /** Members in its subtree, each once. */
  total_count: number
}

export async function listDepartments(signal?: AbortSignal): Promise<Department[]> {
  const answer = await adminClient.get<{ departments: Department[] }>(`${API_BASE}/departments`, {
    signal,
  })
  return answer.departments ?? []
}

export interface DepartmentInput {
  name: string
  name_en?: string
  parentid: number
  order?: number
}

export async function createDepartment(input: DepartmentInput): Promise<number> {
  const answer = await adminClient.post<{ id: number }>(`${API_BASE}/departments`, input)
  return answer.id
}

export async function updateDepartment(id: number, changes: Partial<DepartmentInput>): Promise<void> {
  await adminClient.patch<unknown>(`${API_BASE}/departments/${id}`, changes)
}

export async function deleteDepartment(id: number): Promise<void> {
  await adminClient.delete<void>(`${API_BASE}/departments/${id}`)
}

// ---- Members ---------------------------------------------------------------------------

/** 1 active, 2 disabled, 4 not activated, 5 left. */
export const MEMBER_STATUSES = [1, 2, 4, 5] as const
export type MemberStatus = (typeof MEMBER_STATUSES)[number]

export interface NamedRef {
  id: number
  name: string
}

export interface Member {
  userid: string
  name: string
  alias: string
  mobile: string
  email: string
  external_id: string
  position: string
  status: number
  main_department: number
  departments: NamedRef[]
  tags: NamedRef[]
}

/** The member list's filters (also the export's). */
export interface MemberFilters {
  q?: string
  department_id?: number
  recursive?: boolean
  status?: MemberStatus
  tag_id?: number
}

export interface MemberPage {
  total: number
  members: Member[]
}

function filterParams(filters: MemberFilters): URLSearchParams {
  const params = new URLSearchParams()
  const q = filters.q?.trim()
  if (q) params.set('q', q)
  if (filters.department_id !== undefined) params.set('department_id', String(filters.department_id))
  if (filters.recursive) params.set('recursive', '1')
  if (filters.status !== undefined) params.set('status', String(filters.status))
  if (filters.tag_id !== undefined) params.set('tag_id', String(filters.tag_id))
  return params
}

export async function listMembers(
  filters: MemberFilters & { offset?: number; limit?: number },
  signal?: AbortSignal,
): Promise<MemberPage> {
  const params = filterParams(filters)
  if (filters.offset) params.set('offset', String(filters.offset))
  if (filters.limit) params.set('limit', String(filters.limit))
  const answer = await adminClient.get<MemberPage>(`${API_BASE}/members?${params}`, { signal })
  return { total: answer.total ?? 0, members: answer.members ?? [] }
}

export type BulkAction = 'move' | 'add_tag' | 'remove_tag' | 'delete'

export interface BulkRequest {
  action: BulkAction
  userids: string[]
  department_id?: number
  tag_id?: number
}

/** At most this many userids per bulk call (the server's limit). */
export const BULK_LIMIT = 1000

export async function bulkMembers(request: BulkRequest): Promise<number> {
  const answer = await adminClient.post<{ changed: number }>(`${API_BASE}/members/bulk`, request, {
    timeoutMs: 60_000,
  })
  return answer.changed
}

/**
 * Freezes members (暂停使用: status 2, their sessions stop working) or unfreezes them. Needs the
 * device right over every one of them; all or nothing, at most BULK_LIMIT. → how many changed.
 */
export async function freezeMembers(userids: string[], frozen: boolean): Promise<number> {
  const answer = await adminClient.post<{ changed: number }>(
    `${API_BASE}/members/freeze`,
    { userids, frozen },
    { timeoutMs: 60_000 },
  )
  return answer.changed
}

export type ExportFormat = 'csv' | 'xlsx'

/** A download link: the session cookie goes along with a plain navigation. */
export function exportUrl(format: ExportFormat, lang: string, filters: MemberFilters): string {
  const params = filterParams(filters)
  params.set('format', format)
  params.set('lang', lang)
  return `${API_BASE}/members/export?${params}`
}

// ---- Tags ------------------------------------------------------------------------------

export interface Tag {
  id: number
  name: string
  member_count: number
}

export async function listTags(): Promise<Tag[]> {
  const answer = await adminClient.get<{ tags: Tag[] }>(`${API_BASE}/tags`)
  return answer.tags ?? []
}

// ---- Import ----------------------------------------------------------------------------

export type ImportAction = 'create' | 'update' | 'error'

export interface ImportRow {
  line: number
  userid: string
  name: string
  action: ImportAction
  code?: string
  message?: string
}

export interface ImportReport {
  total: number
  created: number
  updated: number
  failed: number
  departments_created: string[]
  rows: ImportRow[]
}

export type ImportJobStatus = 'queued' | 'running' | 'finished' | 'failed'

export interface ImportJob {
  job_id: string
  status: ImportJobStatus
  total: number
  done: number
  percentage: number
  error?: string
  report?: ImportReport
}

export function templateUrl(format: ExportFormat, lang: string): string {
  return `${API_BASE}/imports/template?${new URLSearchParams({ format, lang })}`
}

function fileForm(file: File): FormData {
  const form = new FormData()
  form.append('file', file, file.name)
  return form
}

// A check of a large file reads and validates every row: give it time.
const IMPORT_TIMEOUT_MS = 300_000

export async function checkImport(file: File): Promise<ImportReport> {
  const report = await adminClient.post<ImportReport>(`${API_BASE}/imports?dry_run=1`, fileForm(file), {
    timeoutMs: IMPORT_TIMEOUT_MS,
  })
  return normaliseReport(report)
}

export async function startImport(file: File): Promise<{ job_id: string; total: number }> {
  const answer = await adminClient.post<{ job_id: string | number; total: number }>(
    `${API_BASE}/imports`,
    fileForm(file),
    { timeoutMs: IMPORT_TIMEOUT_MS },
  )
  return { job_id: String(answer.job_id), total: answer.total }
}

export async function getImportJob(jobId: string, signal?: AbortSignal): Promise<ImportJob> {
  const job = await adminClient.get<ImportJob>(
    `${API_BASE}/imports/${encodeURIComponent(jobId)}`,
    { signal },
  )
  return { ...job, job_id: String(job.job_id), report: job.report && normaliseReport(job.report) }
}

function normaliseReport(report: ImportReport): ImportReport {
  return {
    ...report,
    departments_created: report.departments_created ?? [],
    rows: report.rows ?? [],
  }
}

// ---- Apps and read statistics ----------------------------------------------------------

export interface App {
  agentid: number
  name: string
  description: string
  retention_days: number
  closed: boolean
  created_at: number
  /** The caller's right over it (`manage` for a super admin). */
  right?: 'send' | 'manage'
}

export async function listApps(): Promise<App[]> {
  return (await adminClient.get<{ apps: App[] }>(`${API_BASE}/apps`)).apps
}

export interface SentMessage {
  msgid: string
  agentid: number
  chatid: string
  msgtype: string
  content: Record<string, unknown>
  preview: string
  sender: string
  created_at: number
  expires_at: number | null
  recalled_at: number | null
  recipients: number
  read: number
  unread: number
}

export async function listSentMessages(
  agentid: number,
  before = 0,
  limit = 20,
): Promise<{ messages: SentMessage[]; next_before: number }> {
  const q = new URLSearchParams({ limit: String(limit) })
  if (before > 0) q.set('before', String(before))
  return adminClient.get(`${API_BASE}/apps/${agentid}/messages?${q}`)
}

export type ReceiptStatus = 'all' | 'read' | 'unread'

export interface Receipt {
  userid: string
  name: string
  read_at: number | null
}

export async function listReceipts(
  msgid: string,
  status: ReceiptStatus,
  after = 0,
  limit = 50,
): Promise<{ message: SentMessage; receipts: Receipt[]; next_after: number }> {
  const q = new URLSearchParams({ status, limit: String(limit) })
  if (after > 0) q.set('after', String(after))
  return adminClient.get(`${API_BASE}/messages/${encodeURIComponent(msgid)}/receipts?${q}`)
}

// ---- Sign-in and activation ------------------------------------------------------------

export interface IdentitySettings {
  /** A member who proved their mobile or e-mail waits for an administrator to activate them. */
  second_verification: boolean
  /** People not in the directory may apply to join (the member client's /register). */
  open_registration: boolean
  /** Whether this server can send codes by e-mail / by SMS. */
  mail_enabled: boolean
  sms_enabled: boolean
}

export async function getIdentitySettings(): Promise<IdentitySettings> {
  return adminClient.get<IdentitySettings>(`${API_BASE}/identity/settings`)
}

/** Turns second verification on or off; what the server now holds. */
export async function setSecondVerification(on: boolean): Promise<boolean> {
  const answer = await adminClient.request<{ second_verification: boolean }>(`${API_BASE}/identity/settings`, {
    method: 'PUT',
    body: { second_verification: on },
  })
  return answer.second_verification
}

/** Opens or closes applications to join; both settings as the server now holds them. */
export async function setOpenRegistration(
  on: boolean,
): Promise<Pick<IdentitySettings, 'second_verification' | 'open_registration'>> {
  return adminClient.request(`${API_BASE}/identity/settings`, {
    method: 'PUT',
    body: { open_registration: on },
  })
}

export type VerificationChannel = 'sms' | 'email'

export interface PendingActivation {
  userid: string
  name: string
  channel: VerificationChannel
  /** Where the verification came from (the client's network address). */
  address: string
  verified_at: number
}

/** Members who verified and wait for an administrator, oldest first. */
export async function listPendingActivations(): Promise<PendingActivation[]> {
  const answer = await adminClient.get<{ pending: PendingActivation[] }>(`${API_BASE}/identity/pending`)
  return answer.pending ?? []
}

export async function approveActivation(userid: string): Promise<void> {
  await adminClient.post<unknown>(`${API_BASE}/identity/pending/${encodeURIComponent(userid)}/approve`)
}

export async function rejectActivation(userid: string): Promise<void> {
  await adminClient.post<unknown>(`${API_BASE}/identity/pending/${encodeURIComponent(userid)}/reject`)
}

// ---- Applications (open registration) --------------------------------------------------

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected'] as const
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number]
export type RegistrationFilter = RegistrationStatus | 'all'

export interface Registration {
  id: string
  status: RegistrationStatus
  name: string
  /** The department id applied to, and its name. */
  department: number
  department_name: string
  position: string
  /** The userid the applicant wished for; may be empty. */
  userid: string
  mobile: string
  email: string
  note: string
  /** Where the application came from (the client's network address). */
  address: string
  submitted_at: number
  /** Unix seconds; 0 while pending. */
  decided_at: number
  /** Who decided: `admin:<username>`; empty while pending. */
  decided_by: string
  /** The rejection's reason, if one was given. */
  reason: string
  /** The member an approval created. */
  member_userid: string
  /** The rejection notice's delivery: '' (none, or not yet), 'sent' or 'failed'. */
  notice: string
  /** What approving without a userid would use (pending only). */
  suggested_userid: string
}

/** The applications with that status (pending by default), newest first, at most 500. */
export async function listRegistrations(
  status: RegistrationFilter = 'pending',
  signal?: AbortSignal,
): Promise<Registration[]> {
  const answer = await adminClient.get<{ registrations: Registration[] }>(
    `${API_BASE}/registrations?${new URLSearchParams({ status })}`,
    { signal },
  )
  return answer.registrations ?? []
}

/** What the approval may change: anything left out stays as the applicant gave it. */
export interface ApprovalEdits {
  userid?: string
  name?: string
  department?: number
  position?: string
}

/** Creates the member (not activated yet) and queues their invitation. */
export async function approveRegistration(
  id: string,
  edits: ApprovalEdits,
): Promise<{ userid: string; jobid: string }> {
  return adminClient.post(`${API_BASE}/registrations/${encodeURIComponent(id)}/approve`, edits)
}

/** The applicant is told by e-mail (else SMS), with the reason when there is one. */
export async function rejectRegistration(id: string, reason: string): Promise<{ notice_jobid: string }> {
  return adminClient.post(`${API_BASE}/registrations/${encodeURIComponent(id)}/reject`, { reason })
}

/** The longest rejection reason the server takes (characters). */
export const REJECT_REASON_MAX = 200

// ---- Two-step login (TOTP) for the administrator logged in ---------------------------------

export interface TotpState {
  enabled: boolean
  /** Set up, but not confirmed with a code yet. */
  pending: boolean
  recovery_codes_left: number
}

export async function getTotp(): Promise<TotpState> {
  return adminClient.get<TotpState>(`${API_BASE}/account/totp`)
}

/** A new secret, not in force until `enableTotp` confirms it. 401 invalid_credentials. */
export async function setupTotp(password: string): Promise<{ secret: string; otpauth_uri: string }> {
  return adminClient.post(`${API_BASE}/account/totp/setup`, { password })
}

/** Confirms the setup with the app's current code; the ten recovery codes (shown once). */
export async function enableTotp(code: string): Promise<string[]> {
  const answer = await adminClient.post<{ enabled: boolean; recovery_codes: string[] }>(
    `${API_BASE}/account/totp/enable`,
    { code },
  )
  return answer.recovery_codes ?? []
}

export async function disableTotp(password: string): Promise<void> {
  await adminClient.post<unknown>(`${API_BASE}/account/totp/disable`, { password })
}

// ---- Audit log -------------------------------------------------------------------------

export interface AuditEntry {
  id: number
  /** Unix seconds. */
  at: number
  /** Who: `admin:<username>`, `contacts`, `app:<agentid>`, `member:<userid>`, `applicant`, `cli`. */
  actor: string
  /** The remote address; empty for the command line. */
  address: string
  /** `user.create`, `department.delete`, `tag.add_targets`, ... */
  action: string
  /** What it was done to: a userid, a department or tag id; empty for settings. */
  target: string
  /** The particulars (the fields changed, counts): usually a JSON object. */
  detail: unknown
}

/**
 * The audit log's filters; empty ones filter nothing. `action` is exact, or a prefix ending in
 * '.' (`user.`). since/until are unix seconds (from, before); they and `limit` go to the server
 * as given, which answers 400 `invalid_argument` for anything but a non-negative integer.
 */
export interface AuditFilters {
  actor?: string
  action?: string
  target?: string
  since?: number | string
  until?: number | string
  /** 1–200 (the server's default 50). */
  limit?: number | string
}

export interface AuditPage {
  entries: AuditEntry[]
  /** Pass back as `before` for the next (older) page; 0 on the last. */
  next_before: number
}

export async function listAudit(filters: AuditFilters, before = 0, signal?: AbortSignal): Promise<AuditPage> {
  const params = new URLSearchParams()
  for (const key of ['actor', 'action', 'target', 'since', 'until', 'limit'] as const) {
    const value = filters[key]
    const text = value === undefined ? '' : String(value).trim()
    if (text) params.set(key, text)
  }
  if (before > 0) params.set('before', String(before))
  const query = params.toString()
  const answer = await adminClient.get<AuditPage>(`${API_BASE}/audit${query ? `?${query}` : ''}`, { signal })
  return { entries: answer.entries ?? [], next_before: answer.next_before ?? 0 }
}
