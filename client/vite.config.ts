import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = path.dirname(fileURLToPath(import.meta.url))
const backend = `http://localhost:${process.env.PORT ?? 3000}`

export default defineConfig({
  root,
  plugins: [react()],
  build: { outDir: path.join(root, 'dist'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    port: 5173,
    // In development the API and the sync endpoint come from `npm run dev:server`.
    proxy: {
      '/api': backend,
      '/collab': { target: backend.replace('http', 'ws'), ws: true },
    },
  },
})
