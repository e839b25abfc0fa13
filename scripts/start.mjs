// `npm start`: build the client if needed, then run the server (TypeScript, through tsx).
import { register } from 'tsx/esm/api'
import { buildClient } from './build-client.mjs'

buildClient()
register()
await import('../server/main.ts')
