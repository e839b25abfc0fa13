/** The newest modification time under `target` (a file or folder), skipping paths `keep` refuses. */
export function newestMtime(target: string, keep?: (path: string) => boolean): number
/** Whether client/dist is missing or older than a source it is built from. */
export function clientIsStale(): boolean
/** Builds the client when stale (or `force`). */
export function buildClient(options?: { force?: boolean }): void
