import { describe, expect, it } from 'vitest'
import { applyAction, newWorkflow, serializeWorkflow } from '../../sections/workflow'
import { mayContainElement, mayContainText, markNameOf, TOP_NODE, validFormatting, validNodeAttribute } from './contentRules'

describe('content rules derived from the schema', () => {
  it('elements only where the parent node’s content allows them', () => {
    expect(TOP_NODE).toBe('doc')
    for (const child of ['reportTitle', 'paragraph', 'section']) expect(mayContainElement('doc', child), child).toBe(true)
    for (const child of ['sectionTitle', 'paragraph', 'section']) expect(mayContainElement('section', child), child).toBe(true)
    expect(mayContainElement('paragraph', 'hardBreak')).toBe(true)
    for (const [parent, child] of [['doc', 'script'], ['doc', 'sectionTitle'], ['paragraph', 'paragraph'], ['paragraph', 'iframe'], ['section', 'reportTitle'], ['doc', 'text'], ['hardBreak', 'text']]) {
      expect(mayContainElement(parent, child), `${child} in ${parent}`).toBe(false)
    }
    for (const textblock of ['paragraph', 'reportTitle', 'sectionTitle']) expect(mayContainText(textblock)).toBe(true)
    for (const container of ['doc', 'section', 'hardBreak', 'script']) expect(mayContainText(container)).toBe(false)
  })

  it('node attributes only of the node type, of their kind and range', () => {
    expect(validNodeAttribute('section', 'level', 2)).toBe(true)
    expect(validNodeAttribute('section', 'runIn', true)).toBe(true)
    for (const level of [0, 5, 1.5, '2', null]) expect(validNodeAttribute('section', 'level', level), String(level)).toBe(false)
    expect(validNodeAttribute('section', 'runIn', 'yes')).toBe(false)
    for (const key of ['onclick', 'style', 'data-x', 'class']) expect(validNodeAttribute('paragraph', key, 'x'), key).toBe(false)
    expect(validNodeAttribute('script', 'src', 'x')).toBe(false)
  })

  it('formatting only the schema’s marks with their attributes, bounded', () => {
    expect(markNameOf('comment--AbC12+/=')).toBe('comment')
    expect(markNameOf('insertion')).toBe('insertion')
    expect(validFormatting('comment--AbC12+/=', { threadId: 't1' })).toBe(true)
    expect(validFormatting('bold', {})).toBe(true)
    expect(validFormatting('bold', null)).toBe(true)
    expect(validFormatting('insertion', { id: 's', authorId: 'u', authorName: '名', createdAt: '2026-01-01T00:00:00.000Z' })).toBe(true)
    expect(validFormatting('placeholder', { id: 'p', kind: 'count', label: null })).toBe(true)
    expect(validFormatting('bold', true)).toBe(false)
    expect(validFormatting('onclick', {})).toBe(false)
    expect(validFormatting('link', { href: 'javascript:alert(1)' })).toBe(false)
    expect(validFormatting('insertion', { id: 's', style: 'color:red' })).toBe(false)
    expect(validFormatting('placeholder', { kind: 'bogus' })).toBe(false)
    expect(validFormatting('comment--AbC12+/=', { threadId: 'x'.repeat(501) })).toBe(false)
    expect(validFormatting('modification', { newValue: { big: 'x'.repeat(3_000) } })).toBe(false)
  })

  it('joint drafting’s nodes and section record (issue 15)', () => {
    for (const child of ['reportAuthor', 'reportSignature']) expect(mayContainElement('doc', child), child).toBe(true)
    for (const child of ['signatureUnit', 'signatureDate']) expect(mayContainElement('reportSignature', child), child).toBe(true)
    expect(mayContainElement('section', 'reportSignature')).toBe(false)
    for (const textblock of ['reportAuthor', 'signatureUnit', 'signatureDate']) expect(mayContainText(textblock)).toBe(true)
    const record = applyAction(newWorkflow('w1'), 'assign', { id: 'u1', name: '所有者' }, '2026-12-01T00:00:00.000Z', [{ id: 'u2', name: '张三' }])
    expect(validNodeAttribute('section', 'workflow', serializeWorkflow(record))).toBe(true)
    expect(validNodeAttribute('section', 'workflow', null)).toBe(true)
    expect(validNodeAttribute('section', 'structural', null)).toBe(true)
    for (const junk of ['x', '{}', 3, true, JSON.stringify({ ...record, status: 'bogus' }), JSON.stringify({ ...record, assignees: [{ id: 'u2', name: 'x'.repeat(9_000) }] })]) {
      expect(validNodeAttribute('section', 'workflow', junk), String(junk).slice(0, 30)).toBe(false)
    }
  })
})
