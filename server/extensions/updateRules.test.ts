import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createThread, replyToThread, setThreadResolved } from '../../shared/comments/threads'
import { plainTextToDocJSON } from '../../shared/editor/lib/plainText'
import { docJSONToUpdate } from '../../shared/editor/lib/ydoc'
import { propertyRuns } from '../../shared/testing/propertyRuns'
import { setOption } from '../../shared/sections/options'
import { applyAction, newWorkflow, serializeWorkflow } from '../../shared/sections/workflow'
import { refusalOf } from './UpdateRules'

const writer = { id: 'u1', name: '起草人' }
const line = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\n'))

describe('UpdateRules on honest updates', () => {
  it('any report the importer builds passes, as one update into an empty document', () => {
    const headings = fc.constantFrom('一、总体情况', '（一）主要做法', '1. 具体措施', '（1）细节', '')
    fc.assert(
      fc.property(fc.array(fc.tuple(headings, line), { minLength: 1, maxLength: 20 }), (parts) => {
        const text = ['二〇二二年度工作总结', ...parts.flatMap(([heading, body]) => (heading ? [heading, body] : [body]))].join('\n')
        expect(refusalOf(new Y.Doc(), docJSONToUpdate(plainTextToDocJSON(text)), writer)).toBeNull()
      }),
      propertyRuns(100),
    )
  })

  it('comment threads written with the shared functions pass, in the writer’s name', () => {
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => updates.push(update))
    createThread(doc, { id: 't1', author: writer, text: '意见', quote: '原文', messageId: 'm1' })
    replyToThread(doc, 't1', writer, '回复', 'm2')
    setThreadResolved(doc, 't1', true, writer)
    setThreadResolved(doc, 't1', false, writer)
    const server = new Y.Doc()
    // Sent by someone else: the thread, the reply and the resolution name the writer; reopening names nobody.
    const bySomeoneElse = updates.map((update) => {
      const refused = refusalOf(server, update, { id: 'u2', name: '别人' }) !== null
      expect(refusalOf(server, update, writer)).toBeNull()
      Y.applyUpdate(server, update)
      return refused
    })
    expect(bySomeoneElse).toEqual([true, true, true, false])
  })

  it('issue 15: a report with 署名, 落款 and section records, and the options as booleans of known keys', () => {
    const json = plainTextToDocJSON('二〇二二年度工作总结\n青山市财政局\n一、总体情况\n全年完成任务。\n青山市财政局\n2023年1月15日')
    expect(json.content?.map((node) => node.type)).toEqual(['reportTitle', 'reportAuthor', 'section', 'reportSignature'])
    const record = applyAction(newWorkflow('w1'), 'assign', writer, '2026-12-01T00:00:00.000Z', [{ id: 'u2', name: '张三' }])
    json.content![2].attrs = { ...json.content![2].attrs, workflow: serializeWorkflow(record) }
    expect(refusalOf(new Y.Doc(), docJSONToUpdate(json), writer)).toBeNull()
    json.content![2].attrs = { ...json.content![2].attrs, workflow: '{"id":"w1"}' }
    expect(refusalOf(new Y.Doc(), docJSONToUpdate(json), writer)).toMatch(/attribute "workflow"/)

    const optionUpdate = (write: (doc: Y.Doc) => void) => {
      const doc = new Y.Doc()
      let update: Uint8Array | null = null
      doc.on('update', (u: Uint8Array) => (update = u))
      write(doc)
      return update!
    }
    expect(refusalOf(new Y.Doc(), optionUpdate((doc) => setOption(doc, 'byAssignment', true)), writer)).toBeNull()
    expect(refusalOf(new Y.Doc(), optionUpdate((doc) => setOption(doc, 'requireFinal', false)), writer)).toBeNull()
    expect(refusalOf(new Y.Doc(), optionUpdate((doc) => doc.getMap('options').set('byAssignment', 'yes')), writer)).toMatch(/option/)
    expect(refusalOf(new Y.Doc(), optionUpdate((doc) => doc.getMap('options').set('locked', true)), writer)).toMatch(/option/)
    expect(refusalOf(new Y.Doc(), optionUpdate((doc) => doc.getMap('options').set('byAssignment', new Y.Map())), writer)).toMatch(/option/)
    expect(refusalOf(new Y.Doc(), optionUpdate((doc) => doc.getMap('settings').set('locked', false)), writer)).toMatch(/root type/)
  })
})

describe('UpdateRules on titles', () => {
  const report = () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, docJSONToUpdate(plainTextToDocJSON('二〇二二年度工作总结\n一、总体情况\n全年完成任务。\n二、下一步打算\n继续努力。')))
    return doc
  }
  const change = (doc: Y.Doc, edit: (fragment: Y.XmlFragment) => void) => {
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(copy)
    copy.transact(() => edit(copy.getXmlFragment('default')))
    return Y.encodeStateAsUpdate(copy, before)
  }
  const section = (fragment: Y.XmlFragment, index: number) => fragment.get(index) as Y.XmlElement

  it('refuses removing the report title or a section title, for every role', () => {
    const doc = report()
    expect(section(doc.getXmlFragment('default'), 0).nodeName).toBe('reportTitle')
    expect(refusalOf(doc, change(doc, (fragment) => fragment.delete(0, 1)), writer)).toBe('removing the report title')
    expect(refusalOf(doc, change(doc, (fragment) => section(fragment, 1).delete(0, 1)), writer)).toBe('removing a section title')
  })

  it('allows replacing a title, and removing a whole section with its title', () => {
    const doc = report()
    const replaced = change(doc, (fragment) => {
      fragment.delete(0, 1)
      const title = new Y.XmlElement('reportTitle')
      title.insert(0, [new Y.XmlText('新标题')])
      fragment.insert(0, [title])
    })
    expect(refusalOf(doc, replaced, writer)).toBeNull()
    expect(refusalOf(doc, change(doc, (fragment) => fragment.delete(2, 1)), writer)).toBeNull()
  })
})
