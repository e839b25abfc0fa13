import { externalAuthor, type AuthorResolver } from '../../shared/report/importDocx'
import type { AccountStore } from '../accounts/AccountStore'

/**
 * Names in a Word file → people: the account whose display name it is (when exactly one active account
 * has it), otherwise a named external reviewer without an account (`word:<name>`).
 */
export async function accountAuthors(accounts: Pick<AccountStore, 'list'>): Promise<AuthorResolver> {
  const byName = new Map<string, { id: string; name: string } | null>()
  for (const user of await accounts.list()) {
    if (user.disabled) continue
    const name = user.displayName.trim()
    byName.set(name, byName.has(name) ? null : { id: user.id, name: user.displayName })
  }
  return (name) => byName.get(name.trim()) ?? externalAuthor(name)
}
