// Entry of the compaction worker thread. A worker does not inherit the TypeScript loader of every
// setup (tsx's register() in `npm start`, Vite's module runner under Vitest), so the TypeScript
// module is loaded through tsx's scoped ESM import, which works the same in all of them. (Not tsx's
// CommonJS require: Yjs then runs from its CommonJS build, measured ~50 % slower at applying updates.)
import { tsImport } from 'tsx/esm/api'

await tsImport('./compactionWorkerMain.ts', import.meta.url)
