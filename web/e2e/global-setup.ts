// Starts the real corphub binary for the whole run:
//   corphub serve --listen 127.0.0.1:0 --data <tmp>/data --port-file <tmp>/port
// with CORPHUB_WEB_DIR=web/dist, waits (bounded) until it has written its port and
// answers /healthz, and publishes the base URL to the tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import {
  distDir,
  ENV_BASE_URL,
  ENV_SERVER_PID,
  ENV_TEMP_DIR,
  serverBinary,
} from './server-paths'

// What global setup hands the tests besides the base URL (see fixtures.ts).
export const ENV_ADMIN_USER = 'CORPHUB_E2E_ADMIN_USER'
export const ENV_ADMIN_PASSWORD = 'CORPHUB_E2E_ADMIN_PASSWORD'
export const ENV_CORPID = 'CORPHUB_E2E_CORPID'
export const ENV_CONTACTS_SECRET = 'CORPHUB_E2E_CONTACTS_SECRET'
export const ENV_APP_AGENTID = 'CORPHUB_E2E_APP_AGENTID'
export const ENV_APP_SECRET = 'CORPHUB_E2E_APP_SECRET'
export const E2E_ADMIN_USERNAME = 'e2e'
export const E2E_APP_NAME = '通知中心'

const STARTUP_TIMEOUT_MS = 20_000
const POLL_MS = 100

function tail(file: string, bytes = 8_000): string {
  try {
    const text = fs.readFileSync(file, 'utf8')
    return text.length > bytes ? `…${text.slice(-bytes)}` : text || '(empty)'
  } catch {
    return '(no log)'
  }
}

function checkPrerequisites(bin: string): void {
  if (!fs.existsSync(bin)) {
    throw new Error(
      `corphub e2e: server binary not found at ${bin}.\n` +
        'Build the server first (it lands in <repo>/build/corphub), or set CORPHUB_BIN to its path.',
    )
  }
  try {
    fs.accessSync(bin, fs.constants.X_OK)
  } catch {
    throw new Error(`corphub e2e: ${bin} exists but is not executable.`)
  }
  for (const app of ['member', 'admin']) {
    const index = path.join(distDir, app, 'index.html')
    if (!fs.existsSync(index)) {
      throw new Error(`corphub e2e: ${index} is missing. Run \`npm run build\` in web/ first.`)
    }
  }
}

/** The port, once the port file holds a whole number (it may still be being written). */
function readPort(portFile: string): number | undefined {
  let text: string
  try {
    text = fs.readFileSync(portFile, 'utf8').trim()
  } catch {
    return undefined
  }
  if (!/^\d+$/.test(text)) return undefined
  const port = Number(text)
  return port > 0 && port < 65_536 ? port : undefined
}

/** True once the server answers /healthz at all (any HTTP status). */
async function answers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) })
    return true
  } catch {
    return false
  }
}

async function waitUntilServing(
  child: ChildProcess,
  portFile: string,
  exited: () => string | undefined,
): Promise<string> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (Date.now() < deadline) {
    const why = exited()
    if (why) throw new Error(`the server exited during startup (${why})`)
    const port = readPort(portFile)
    if (port !== undefined) {
      const baseUrl = `http://127.0.0.1:${port}`
      if (await answers(baseUrl)) return baseUrl
    }
    await delay(POLL_MS)
  }
  throw new Error(
    `the server (pid ${child.pid}) did not write a port to ${portFile} and answer /healthz ` +
      `within ${STARTUP_TIMEOUT_MS / 1000} s`,
  )
}

/**
 * Before the server starts: a super admin for the tests to log in as (`admin create`, the
 * password on stdin) and the organisation's corpid and contacts secret (`corp show`), for
 * making test data through /cgi-bin. A binary without these commands only warns: the tests
 * that need them fail on their own.
 */
function prepareData(bin: string, dataDir: string): void {
  const password = `e2e-${crypto.randomBytes(12).toString('hex')}`
  const created = spawnSync(
    bin,
    ['admin', 'create', '--username', E2E_ADMIN_USERNAME, '--password-stdin', '--data', dataDir],
    { input: `${password}\n`, encoding: 'utf8', timeout: 15_000 },
  )
  if (created.status === 0) {
    process.env[ENV_ADMIN_USER] = E2E_ADMIN_USERNAME
    process.env[ENV_ADMIN_PASSWORD] = password
  } else {
    console.warn(
      `corphub e2e: \`${bin} admin create\` failed (${created.error?.message ?? `exit ${created.status}`}); ` +
        `tests that log in to the console will fail.\n${created.stderr ?? ''}`,
    )
  }

  const shown = spawnSync(bin, ['corp', 'show', '--json', '--data', dataDir], {
    encoding: 'utf8',
    timeout: 15_000,
  })
  const line = (shown.stdout ?? '').split('\n').find((l) => l.trim().startsWith('{'))
  try {
    const corp = JSON.parse(line ?? '') as { corpid?: unknown; contacts_secret?: unknown }
    if (typeof corp.corpid !== 'string' || typeof corp.contacts_secret !== 'string') throw new Error('fields')
    process.env[ENV_CORPID] = corp.corpid
    process.env[ENV_CONTACTS_SECRET] = corp.contacts_secret
  } catch {
    console.warn(
      `corphub e2e: \`${bin} corp show --json\` did not print {"corpid","contacts_secret"}; ` +
        `tests that make data through /cgi-bin will fail.\n${shown.stdout ?? ''}${shown.stderr ?? ''}`,
    )
  }
}

/** An app to send messages through (`app create --json`), for the member client's tests. */
function prepareApp(bin: string, dataDir: string): void {
  const made = spawnSync(bin, ['app', 'create', '--name', E2E_APP_NAME, '--json', '--data', dataDir], {
    encoding: 'utf8',
    timeout: 15_000,
  })
  const line = (made.stdout ?? '').split('\n').find((l) => l.trim().startsWith('{'))
  try {
    const app = JSON.parse(line ?? '') as { agentid?: unknown; secret?: unknown }
    if (typeof app.agentid !== 'number' || typeof app.secret !== 'string') throw new Error('fields')
    process.env[ENV_APP_AGENTID] = String(app.agentid)
    process.env[ENV_APP_SECRET] = app.secret
  } catch {
    console.warn(
      `corphub e2e: \`${bin} app create --json\` did not print {"agentid","secret"}; ` +
        `the member client's message tests will fail.\n${made.stdout ?? ''}${made.stderr ?? ''}`,
    )
  }
}

export default async function globalSetup(): Promise<void> {
  const bin = serverBinary()
  checkPrerequisites(bin)

  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corphub-e2e-'))
  const dataDir = path.join(tempDir, 'data')
  const portFile = path.join(tempDir, 'port')
  const logFile = path.join(tempDir, 'server.log')
  fs.mkdirSync(dataDir)
  prepareData(bin, dataDir)
  prepareApp(bin, dataDir)

  const logFd = fs.openSync(logFile, 'a')
  const args = ['serve', '--listen', '127.0.0.1:0', '--data', dataDir, '--port-file', portFile]
  const child = spawn(bin, args, {
    // testing.enabled opens member sessions through POST /testing/member-session for the
    // specs that do not sign in themselves. Every browser signs in from 127.0.0.1, so the
    // per-address limit on sign-in codes is lifted; codes go to <data>/outbox/ (the file drivers).
    env: {
      ...process.env,
      CORPHUB_WEB_DIR: distDir,
      CORPHUB_TESTING_ENABLED: 'true',
      CORPHUB_IDENTITY_REQUESTS_PER_HOUR: '100000',
      CORPHUB_IDENTITY_APPLICATIONS_PER_HOUR: '100000',
      CORPHUB_IDENTITY_CODE_INTERVAL_S: '0',
      CORPHUB_MAIL_DRIVER: 'file',
      CORPHUB_SMS_DRIVER: 'file',
      // A callback refused by the test receiver fails after two quick tries, so the delivery
      // log's "retry now" is reached in moments.
      CORPHUB_CALLBACK_RETRY_BASE_MS: '50',
      CORPHUB_CALLBACK_RETRY_MAX_MS: '200',
      CORPHUB_CALLBACK_MAX_ATTEMPTS: '2',
      // The specs send more than WeCom's 30 messages a minute to one member, and often.
      CORPHUB_API_MEMBER_MESSAGES_PER_MINUTE: '1000000',
      CORPHUB_API_MEMBER_MESSAGES_PER_HOUR: '100000000',
      CORPHUB_API_CORP_CALLS_PER_MINUTE: '1000000000',
      CORPHUB_API_IP_CALLS_PER_MINUTE: '1000000000',
    },
    stdio: ['ignore', logFd, logFd],
  })
  fs.closeSync(logFd) // the child holds its own copy
  child.unref()

  let exitReason: string | undefined
  let spawnError: Error | undefined
  child.once('error', (err) => {
    spawnError = err
    exitReason = `could not start: ${err.message}`
  })
  child.once('exit', (code, signal) => {
    exitReason ??= signal ? `killed by ${signal}` : `exit code ${code}`
  })
  // If the runner dies without running teardown, do not leave the server behind.
  process.once('exit', () => {
    if (exitReason === undefined) child.kill('SIGKILL')
  })

  try {
    const baseUrl = await waitUntilServing(child, portFile, () => exitReason)
    process.env[ENV_BASE_URL] = baseUrl
    process.env[ENV_SERVER_PID] = String(child.pid)
    process.env[ENV_TEMP_DIR] = tempDir
    console.log(`corphub e2e: server ${bin} (pid ${child.pid}) at ${baseUrl}`)
  } catch (err) {
    if (exitReason === undefined) child.kill('SIGKILL')
    const log = tail(logFile)
    fs.rmSync(tempDir, { recursive: true, force: true })
    const message = err instanceof Error ? err.message : String(err)
    throw new Error(
      `corphub e2e: ${message}.\ncommand: ${bin} ${args.join(' ')}\nserver output:\n${log}`,
      { cause: spawnError ?? err },
    )
  }
}
