/** bench/pages/bareEditor.ts as one minified script (built with the project's Vite, in memory), for `page.addScriptTag`. */
import path from 'node:path'
import { build } from 'vite'
import { PROJECT_ROOT } from '../servers/process'

let bundled: Promise<string> | null = null

export function bareEditorScript(): Promise<string> {
  bundled ??= (async () => {
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      root: PROJECT_ROOT,
      build: {
        write: false,
        minify: true,
        lib: { entry: path.join(PROJECT_ROOT, 'bench/pages/bareEditor.ts'), formats: ['iife'], name: 'BareEditor' },
      },
    })
    const outputs = (Array.isArray(result) ? result : [result]) as Array<{ output: Array<{ type: string; code?: string }> }>
    const chunk = outputs[0].output.find((each) => each.type === 'chunk')
    if (!chunk?.code) throw new Error('the bare editor did not bundle')
    return chunk.code
  })()
  return bundled
}
