// @vitest-environment happy-dom
import { test } from 'vitest'
import * as Y from 'yjs'
import { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { documentExtensions } from './extensions'
import { plainTextToDocJSON } from './lib/plainText'
import { docJSONToUpdate, yDocToNode } from './lib/ydoc'
import { SAMPLE_TEXT } from './testing/reportFixtures'
test('x', () => {
  const ya = new Y.Doc(); Y.applyUpdate(ya, docJSONToUpdate(plainTextToDocJSON(SAMPLE_TEXT)))
  const ed = new Editor({ extensions: [...documentExtensions(), Collaboration.configure({ document: ya })] })
  const x = JSON.stringify(ed.state.doc.toJSON()), y = JSON.stringify(yDocToNode(ya).toJSON())
  let i = 0; while (x[i] === y[i]) i++
  console.log(x === y, i, x.slice(i - 100, i + 100), '\n---\n', y.slice(i - 100, i + 100))
  console.log(ed.schema === (yDocToNode(ya).type.schema), ed.state.doc.eq(yDocToNode(ya)))
})
