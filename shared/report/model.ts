/**
 * The structured form of a report. Section ordinals are deliberately absent:
 * they are derived from nesting (see `numbering.ts`) so they cannot go stale.
 */

import type { PlaceholderKind } from './kinds';
import type { HeadingLevel } from './numbering';

/** A mark carried over from an imported file (suggestion or comment anchor), as ProseMirror mark JSON. */
export type InlineMark = { type: 'insertion' | 'deletion' | 'comment'; attrs: Record<string, unknown> };

export type TextInline = { type: 'text'; text: string; marks?: InlineMark[] };
/** `id` is set when one placeholder is split over several inlines (part of it suggested, say). */
export type PlaceholderInline = { type: 'placeholder'; text: string; kind: PlaceholderKind; marks?: InlineMark[]; id?: string };
export type Inline = TextInline | PlaceholderInline;

export type ParagraphBlock = { type: 'paragraph'; content: Inline[] };
export type SectionBlock = {
  type: 'section';
  level: HeadingLevel;
  title: Inline[];
  /**
   * Run-in heading: the title is the first sentence of a paragraph
   * (`（一）落实党建政治责任。一年来，…`) and is printed on the same line as
   * the first body paragraph.
   */
  runIn: boolean;
  body: Block[];
};
export type Block = ParagraphBlock | SectionBlock;

export interface ReportModel {
  title: string;
  /** The title with its marks, when it carries more than its text (an imported .docx with revisions). */
  titleContent?: Inline[];
  /** The 署名 line under the title (centred); absent when the draft has none. */
  author?: string;
  /** The 署名 with its marks, when it carries more than its text (as `titleContent`). */
  authorContent?: Inline[];
  blocks: Block[];
  /**
   * The 落款 at the end (issuing unit, 成文日期), right-aligned; absent when the draft has none. Each
   * line with its marks too (`unitContent`, `dateContent`) when it carries more than its text.
   */
  signature?: { unit: string; date: string; unitContent?: Inline[]; dateContent?: Inline[] };
}
