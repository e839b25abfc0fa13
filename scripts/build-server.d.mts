/** The built server's entry (server/dist/main.mjs): what `npm start` and the tests' server processes run. */
export const SERVER_ENTRY: string
/** Whether server/dist is missing or older than a source it is built from. */
export function serverIsStale(): boolean
/** Builds the server when stale (or `force`); resolves to the entry to run. One build at a time per process. */
export function buildServer(options?: { force?: boolean }): Promise<string>
