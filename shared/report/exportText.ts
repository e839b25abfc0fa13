/**
 * ReportModel → plain text with derived ordinals; the inverse of
 * `importPlainText` for well-formed drafts (one paragraph per line).
 */

import { inlineText } from './inlines';
import type { Block, ReportModel } from './model';
import { createSiblingCounter, sectionOrdinal } from './numbering';

function blockLines(blocks: readonly Block[]): string[] {
  const next = createSiblingCounter();
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph') {
      lines.push(inlineText(block.content));
      continue;
    }
    const heading = sectionOrdinal(block.level, next(block.level)) + inlineText(block.title);
    const [lead, ...rest] = block.body;
    if (block.runIn && lead?.type === 'paragraph') {
      lines.push(heading + inlineText(lead.content), ...blockLines(rest));
    } else {
      lines.push(heading, ...blockLines(block.body));
    }
  }
  return lines;
}

/** One line per paragraph, the title followed by a blank line, trailing newline. */
export function exportPlainText(model: ReportModel): string {
  const head = model.title === '' ? [] : [model.title, ...(model.author !== undefined ? [model.author] : []), ''];
  const tail = model.signature ? ['', ...(model.signature.unit !== '' ? [model.signature.unit] : []), model.signature.date] : [];
  return [...head, ...blockLines(model.blocks), ...tail].join('\n') + '\n';
}
