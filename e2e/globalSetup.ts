// Builds the client and the server once before any test starts a server process.
import { buildClient } from '../scripts/build-client.mjs'
import { buildServer } from '../scripts/build-server.mjs'

export default async function globalSetup(): Promise<void> {
  buildClient()
  await buildServer()
}
