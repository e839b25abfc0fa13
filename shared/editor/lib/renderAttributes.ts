import { mergeAttributes, type Attributes } from '@tiptap/core'

/**
 * Attributes an extension renders itself, in one pass.
 *
 * Tiptap renders a mark's or node's attributes by merging each one's HTML into the element's with
 * `mergeAttributes`, which copies the object built so far once per attribute. The figure mark has
 * fourteen attributes and a 100-page report a thousand figures: in a fresh tab (code not yet
 * optimised) those copies were ~60 ms of opening the report, a quarter of building its DOM (CPU
 * profile of `OPEN_COPIES=50 npx tsx bench/tools/profile-editor.ts`). An extension using this
 * declares its attributes through `selfRendered` (so Tiptap hands its renderHTML none of them) and
 * builds them with `renderAttributes`, with Tiptap's result: the same attributes in the same order,
 * merged as `mergeAttributes` merges them where two render the same one (class, style).
 */
export function selfRendered(attributes: Attributes): Attributes {
  return Object.fromEntries(Object.entries(attributes).map(([name, spec]) => [name, { ...spec, rendered: false }]))
}

/** The HTML attributes of `values` (a node's or mark's attrs) as Tiptap would render `attributes`, after `base`. */
export function renderAttributes(attributes: Attributes, values: Record<string, unknown>, base: Record<string, unknown> = {}): Record<string, unknown> {
  const html: Record<string, unknown> = { ...base }
  for (const name in attributes) {
    const spec = attributes[name]
    const part = spec.renderHTML ? spec.renderHTML(values) : { [name]: values[name] }
    if (!part) continue
    for (const key in part) {
      // Tiptap's rule: an attribute not yet set (or set to a falsy value) is taken as it is;
      // a second class or style is merged; anything else is replaced.
      if (!html[key]) html[key] = part[key]
      else html[key] = mergeAttributes({ [key]: html[key] }, { [key]: part[key] })[key]
    }
  }
  return html
}
