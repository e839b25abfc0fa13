// @vitest-environment happy-dom
import { resolve } from 'node:path'
import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import * as Y from 'yjs'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { documentExtensions } from './extensions'
import { plainTextToDocJSON } from './lib/plainText'
import { docJSONToUpdate, yDocToNode } from './lib/ydoc'
test('x', () => {
  const sample = readFileSync(resolve(import.meta.dirname, '../report/__fixtures__/2022-party-building-report.txt'), 'utf8')
  const update = docJSONToUpdate(plainTextToDocJSON(sample))
  const ya = new Y.Doc(); Y.applyUpdate(ya, update)
  const ed = new Editor({ extensions: [...documentExtensions(), Collaboration.configure({ document: ya })] })
  console.log(ed.state.doc.childCount, ed.state.doc.textContent.length, ed.isInitialized)
  ed.commands.setTextSelection(135)
  ed.commands.insertContent('甲')
  console.log(yDocToNode(ya).textContent.slice(0, 200))
  ed.destroy()
})
