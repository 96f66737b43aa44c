// Stops the server global setup started (by its pid), keeps its log next to the test
// results, and removes the temporary data directory.
import fs from 'node:fs'
import path from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { ENV_SERVER_PID, ENV_TEMP_DIR, webDir } from './server-paths'

const STOP_TIMEOUT_MS = 10_000

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function stop(pid: number): Promise<void> {
  if (!alive(pid)) return
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + STOP_TIMEOUT_MS
  while (alive(pid) && Date.now() < deadline) await delay(50)
  if (alive(pid)) {
    console.warn(`corphub e2e: server pid ${pid} ignored SIGTERM for ${STOP_TIMEOUT_MS / 1000} s; killing it`)
    process.kill(pid, 'SIGKILL')
  }
}

export default async function globalTeardown(): Promise<void> {
  const pid = Number(process.env[ENV_SERVER_PID])
  const tempDir = process.env[ENV_TEMP_DIR]
  if (Number.isInteger(pid) && pid > 0) await stop(pid)
  if (tempDir) {
    const log = path.join(tempDir, 'server.log')
    if (fs.existsSync(log)) {
      const keep = path.join(webDir, 'test-results', 'corphub-server.log')
      fs.mkdirSync(path.dirname(keep), { recursive: true })
      fs.copyFileSync(log, keep)
    }
    fs.rmSync(tempDir, { recursive: true, force: true })
  }
}
