// Builds the client once before any test starts a server that serves it.
// @ts-expect-error -- a plain .mjs build script without type declarations
import { buildClient } from '../scripts/build-client.mjs'

export default function globalSetup(): void {
  ;(buildClient as (options?: { force?: boolean }) => void)()
}
