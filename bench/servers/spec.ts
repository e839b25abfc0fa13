import type { Dialect } from '../lib/protocol'

export type ServerId = 'huigao' | 'huigao-pg' | 'yws' | 'hocuspocus'

/** How to start one of the compared servers and where its clients connect. */
export interface ServerSpec {
  id: ServerId
  label: string
  dialect: Dialect
  /** Stores documents across restarts. */
  persistent: boolean
  /** Unloads idle documents from memory. */
  unloads: boolean
  version: string
  /** Node arguments naming what to run (after the bench preload), relative to the project root. */
  nodeArgs: string[]
  env(port: number, dataDir: string): Record<string, string>
  socketUrl(port: number, docName: string): string
  providerUrl(port: number): string
  /** Runs after every (re)start; returns HTTP headers (a session cookie) for API calls and sockets. */
  signIn?(port: number): Promise<Record<string, string>>
  /** Runs once per server start (before its first launch; restarts keep it): more environment, e.g. a fresh database. */
  prepare?(): Promise<Record<string, string>>
  /** Creates a document and returns its name; only servers with a document API need this. */
  createDocument?(port: number, headers: Record<string, string>, title: string, text?: string): Promise<string>
}
