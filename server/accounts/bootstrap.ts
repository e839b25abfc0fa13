import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { DuplicateUsernameError } from './AccountRepository'
import type { AccountStore } from './AccountStore'
import { componentLogger } from '../logger'

const log = componentLogger('accounts')

export const ADMIN_USERNAME = 'admin'

/**
 * The first start creates the administrator: with ADMIN_PASSWORD when set, otherwise a random password
 * printed once and written to DATA_DIR/initial-admin-password (readable by the server's user only).
 */
export async function ensureAdmin(accounts: AccountStore, dataDir: string, adminPassword: string | undefined): Promise<void> {
  if (!(await accounts.isEmpty())) return
  const password = adminPassword || randomBytes(12).toString('base64url')
  try {
    await accounts.create({ username: ADMIN_USERNAME, displayName: '管理员', password, isAdmin: true })
  } catch (error) {
    // Another process sharing the database created it at the same moment.
    if (error instanceof DuplicateUsernameError) return
    throw error
  }
  if (adminPassword) {
    log.info(`Created administrator "${ADMIN_USERNAME}" with the password from ADMIN_PASSWORD.`)
    return
  }
  const file = path.join(dataDir, 'initial-admin-password')
  await fs.writeFile(file, `${password}\n`, { mode: 0o600 })
  log.info(`Created administrator "${ADMIN_USERNAME}" with password: ${password}`)
  log.info(`(also written to ${file}; change it after signing in)`)
}
