import { findMasks } from './masks';
import type { Inline } from './model';

/** Splits text into plain runs and placeholders; empty text yields no inlines. */
export function toInlines(text: string): Inline[] {
  const inlines: Inline[] = [];
  let cursor = 0;
  for (const mask of findMasks(text)) {
    if (mask.from > cursor) inlines.push({ type: 'text', text: text.slice(cursor, mask.from) });
    inlines.push({ type: 'placeholder', text: mask.text, kind: mask.kind });
    cursor = mask.to;
  }
  if (cursor < text.length) inlines.push({ type: 'text', text: text.slice(cursor) });
  return inlines;
}

/** The text as displayed, placeholders included verbatim. */
export function inlineText(inlines: readonly Inline[]): string {
  return inlines.map((inline) => inline.text).join('');
}
