import { test as base, type Browser } from '@playwright/test'
import { openAs, waitConnected, type Person } from './people'
import { TestServer } from './server'

type Role = 'drafter' | 'reviewer' | 'viewer'

export interface Fixtures {
  /** A fresh server with its own data directory, for this test only. */
  server: TestServer
  /** Signs a person in (creating their account) and opens `path`; closed after the test. */
  open: (name: string, path?: string) => Promise<Person>
  /** Shares document `id` with a person in `role` (the owner is the administrator) and opens it, connected. */
  join: (name: string, id: string, role?: Role | 'owner') => Promise<Person>
}

export const test = base.extend<Fixtures>({
  server: async ({}, use, testInfo) => {
    const server = await TestServer.start()
    await use(server)
    // The server's own output explains most failures; keep it with the test's report.
    if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server.log', { body: server.log, contentType: 'text/plain' })
    await server.dispose()
  },
  open: async ({ browser, server }, use) => {
    const people: Person[] = []
    await use(async (name, path = '/') => {
      const person = await openAs(browser as Browser, server, name, path)
      people.push(person)
      return person
    })
    await Promise.all(people.map((person) => person.context.close().catch(() => undefined)))
  },
  join: async ({ server, open }, use) => {
    await use(async (name, id, role = 'drafter') => {
      if (role !== 'owner') await server.share(id, name, role)
      const person = await open(name, `/d/${id}`)
      await waitConnected(person.page)
      return person
    })
  },
})

export { expect } from '@playwright/test'
