// Where the end-to-end run finds things, and how global setup hands them to teardown.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const repoDir = path.resolve(webDir, '..')
export const distDir = path.join(webDir, 'dist')

/** The server binary: $CORPHUB_BIN, else <repo>/build/corphub. */
export function serverBinary(): string {
  const fromEnv = process.env.CORPHUB_BIN
  return fromEnv ? path.resolve(fromEnv) : path.join(repoDir, 'build', 'corphub')
}

// Environment variables global setup sets for the workers and for teardown.
export const ENV_BASE_URL = 'CORPHUB_BASE_URL'
export const ENV_SERVER_PID = 'CORPHUB_E2E_SERVER_PID'
export const ENV_TEMP_DIR = 'CORPHUB_E2E_TEMP_DIR'
