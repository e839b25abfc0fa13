import { PLACEHOLDER_KINDS, type PlaceholderKind } from './kinds';
import type { Block, PlaceholderInline, ReportModel } from './model';
import type { HeadingLevel } from './numbering';

export interface ModelStats {
  sections: Record<HeadingLevel, number>;
  paragraphs: number;
  placeholders: Record<PlaceholderKind, number>;
  totalPlaceholders: number;
}

function* walkPlaceholders(blocks: readonly Block[]): Generator<PlaceholderInline> {
  for (const block of blocks) {
    const inlines = block.type === 'paragraph' ? block.content : block.title;
    for (const inline of inlines) if (inline.type === 'placeholder') yield inline;
    if (block.type === 'section') yield* walkPlaceholders(block.body);
  }
}

/** Placeholders in reading order (a section's title before its body). */
export function listPlaceholders(model: ReportModel): PlaceholderInline[] {
  return [...walkPlaceholders(model.blocks)];
}

export function modelStats(model: ReportModel): ModelStats {
  const stats: ModelStats = {
    sections: { 1: 0, 2: 0, 3: 0, 4: 0 },
    paragraphs: 0,
    placeholders: Object.fromEntries(PLACEHOLDER_KINDS.map((kind) => [kind, 0])) as Record<PlaceholderKind, number>,
    totalPlaceholders: 0,
  };
  const visit = (blocks: readonly Block[]): void => {
    for (const block of blocks) {
      if (block.type === 'paragraph') {
        stats.paragraphs++;
      } else {
        stats.sections[block.level]++;
        visit(block.body);
      }
    }
  };
  visit(model.blocks);
  for (const placeholder of listPlaceholders(model)) {
    stats.placeholders[placeholder.kind]++;
    stats.totalPlaceholders++;
  }
  return stats;
}
