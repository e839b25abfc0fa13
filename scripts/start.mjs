// `npm start`: build the client and the server if needed, then run the built server.
import { pathToFileURL } from 'node:url'
import { buildClient } from './build-client.mjs'
import { buildServer } from './build-server.mjs'

buildClient()
const entry = await buildServer()
// Stack traces in the log name the TypeScript sources (server/dist has linked source maps).
process.setSourceMapsEnabled(true)
await import(pathToFileURL(entry).href)
