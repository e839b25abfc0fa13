// @vitest-environment happy-dom
import { mergeAttributes, type Attributes } from '@tiptap/core'
import { DOMSerializer } from '@tiptap/pm/model'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { propertyRuns } from '../../testing/propertyRuns'
import { Deletion } from '../marks/Deletion'
import { Insertion } from '../marks/Insertion'
import { Placeholder } from '../marks/Placeholder'
import { Section } from '../nodes/Section'
import { schema } from '../schema'
import { renderAttributes, selfRendered } from './renderAttributes'

/** Tiptap's own rendering (getRenderedAttributes, then the extension's mergeAttributes with its base), for comparison. */
function tiptapRendering(attributes: Attributes, values: Record<string, unknown>, base: Record<string, unknown>) {
  const parts = Object.entries(attributes).map(([name, spec]) => (spec.renderHTML ? spec.renderHTML(values) || {} : { [name]: values[name] }))
  return mergeAttributes(base, parts.reduce((merged, part) => mergeAttributes(merged, part), {}))
}

const declared = (extension: { config: { addAttributes?: unknown } }) => (extension.config.addAttributes as () => Attributes)()

const value = fc.oneof(fc.constant(null), fc.constant(''), fc.string({ maxLength: 8 }), fc.integer({ min: -2, max: 5 }), fc.boolean())
const valuesFor = (attributes: Attributes) => fc.record(Object.fromEntries(Object.keys(attributes).map((name) => [name, value])))

/** Pending structural suggestions and a workflow record as the section stores them (JSON strings), or nothing. */
const sectionValues = fc.record({
  level: fc.integer({ min: 1, max: 4 }),
  runIn: fc.boolean(),
  structural: fc.oneof(fc.constant(null), fc.constant(JSON.stringify([{ id: 's1', op: 'promote', authorId: 'u1', authorName: '王', createdAt: '2026-12-03T00:00:00Z' }]))),
  workflow: fc.oneof(fc.constant(null), fc.constant(JSON.stringify({ assignees: [], status: 'drafting', log: [] }))),
})

describe('attributes rendered in one pass', () => {
  it('every extension using it declares all its attributes unrendered, so Tiptap adds none of them twice', () => {
    for (const extension of [Placeholder, Section, Insertion, Deletion]) {
      const attributes = declared(extension)
      expect(Object.keys(attributes).length).toBeGreaterThan(0)
      for (const spec of Object.values(attributes)) expect(spec.rendered).toBe(false)
    }
  })

  it('renders exactly what Tiptap renders, in the same order, for any values (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(Placeholder, Insertion, Deletion).chain((extension) => fc.tuple(fc.constant(declared(extension)), valuesFor(declared(extension)))),
        fc.constantFrom({}, { class: 'placeholder' }, { class: 'suggestion suggestion--insertion', 'data-x': '1' }),
        ([attributes, values], base) => {
          const ours = renderAttributes(attributes, values, base)
          const theirs = tiptapRendering(attributes, values, base)
          expect(Object.entries(ours)).toEqual(Object.entries(theirs))
        },
      ),
      propertyRuns(200),
    )
  })

  it('merges a class or style two attributes both render, as mergeAttributes does (property)', () => {
    const attributes: Attributes = {
      a: { default: null, renderHTML: (v) => (v.a ? { class: `a-${v.a}`, style: `--a: ${v.a}` } : {}) },
      b: { default: null, renderHTML: (v) => (v.b ? { class: `b ${v.a ? `a-${v.a}` : ''}`.trim(), style: `--a: 0; --b: ${v.b}`, 'data-b': v.b } : {}) },
      c: { default: null },
    }
    fc.assert(
      fc.property(fc.record({ a: value, b: value, c: value }), fc.constantFrom({}, { class: 'base a-1', style: 'color: red' }), (values, base) => {
        expect(Object.entries(renderAttributes(attributes, values, base))).toEqual(Object.entries(tiptapRendering(attributes, values, base)))
      }),
      propertyRuns(200),
    )
  })

  it('the editor draws a figure, a suggestion and a section with the same HTML attributes as before (property)', () => {
    const serializer = DOMSerializer.fromSchema(schema)
    const outer = (dom: Node) => (dom as Element).outerHTML.replace(/>.*$/s, '>')
    // As ProseMirror draws an element from these attributes (a style through cssText, null skipped).
    const drawn = (tag: string, attrs: Record<string, unknown>) => outer(DOMSerializer.renderSpec(document, [tag, attrs, 0]).dom)
    fc.assert(
      fc.property(valuesFor(declared(Placeholder)), valuesFor(declared(Insertion)), sectionValues, (figure, insertion, section) => {
        for (const [name, values] of [['placeholder', figure], ['insertion', insertion]] as const) {
          const mark = schema.marks[name].create(values)
          const base = name === 'placeholder' ? { class: 'placeholder' } : { class: 'suggestion suggestion--insertion' }
          const expected = drawn(name === 'placeholder' ? 'span' : 'ins', tiptapRendering(declared(name === 'placeholder' ? Placeholder : Insertion), mark.attrs, base))
          expect(outer(DOMSerializer.renderSpec(document, mark.type.spec.toDOM!(mark, true)).dom)).toBe(expected)
        }
        const node = schema.nodes.section.create(section, [schema.nodes.sectionTitle.create()])
        expect(outer(serializer.serializeNode(node))).toBe(drawn('section', tiptapRendering(declared(Section), node.attrs, { class: 'section' })))
      }),
      propertyRuns(100),
    )
  })

  it('selfRendered keeps every other part of the declaration', () => {
    const spec = { default: 3, keepOnSplit: false, parseHTML: () => 1, renderHTML: () => ({ x: 1 }) }
    expect(selfRendered({ n: spec }).n).toEqual({ ...spec, rendered: false })
  })
})
