/**
 * Plain-text draft → ReportModel.
 *
 * Placement rule: every non-heading line becomes a paragraph in the body of
 * the innermost open section (top level only before the first heading). Plain
 * text has no way to close a section, so a concluding paragraph after the last
 * subsection (`一年来，我能够坚持……`) lands in that subsection; guessing from
 * closing phrases would misplace ordinary body text that starts the same way
 * (`一年来，我认真履行……`), and the editor lets the user outdent it.
 */

import { toInlines } from './inlines';
import type { Block, Inline, ReportModel, SectionBlock } from './model';
import { parseHeading, type ParsedHeading } from './numbering';
import { authorLine, trailingSignature } from './titleBlock';

export type { Block, Inline, ParagraphBlock, PlaceholderInline, ReportModel, SectionBlock, TextInline } from './model';
export { listPlaceholders, modelStats, type ModelStats } from './stats';

const MAX_TITLE_LENGTH = 40;
const TITLE_BREAKERS = /[。；！？;!?]/u;

const SENTENCE_ENDERS = '。！？!?';
const OPENERS = '“‘《（(「『【〈';
const CLOSERS = '”’》）)」』】〉';

/** Trimming also drops the official two-character indent `　　` and stray BOMs. */
function normaliseLines(text: string): string[] {
  return text
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function isTitleLine(line: string): boolean {
  return parseHeading(line) === null && [...line].length <= MAX_TITLE_LENGTH && !TITLE_BREAKERS.test(line);
}

/** Where the first sentence ends (after its run of enders), or -1; and how many brackets are still open at the end of `text`. */
function sentenceEnd(text: string, respectBrackets: boolean): { end: number; open: number } {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (respectBrackets && OPENERS.includes(c)) depth++;
    else if (respectBrackets && CLOSERS.includes(c)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && SENTENCE_ENDERS.includes(c)) {
      let end = i + 1;
      while (end < text.length && SENTENCE_ENDERS.includes(text.charAt(end))) end++;
      return { end, open: depth };
    }
  }
  return { end: -1, open: depth };
}

/**
 * Splits off the first sentence, ignoring enders inside quotes or book titles
 * (`开展“学习。”活动。`). An unbalanced bracket would hide every ender, so
 * then the first ender anywhere is used. A text whose brackets all close and
 * that has no ender outside them is one sentence: a heading such as
 * `（一）开展“不忘初心。”主题教育` is not split at the quoted 。.
 */
export function splitFirstSentence(text: string): [head: string, tail: string] {
  const outside = sentenceEnd(text, true);
  const end = outside.end < 0 && outside.open > 0 ? sentenceEnd(text, false).end : outside.end;
  if (end < 0) return [text, ''];
  return [text.slice(0, end), text.slice(end).trim()];
}

/**
 * What the placement rules need from a line: its text, a part of it, and its inlines. Plain text uses
 * strings; the .docx import uses lines that also carry tracked changes and comment anchors.
 */
export interface LineOps<L> {
  text(line: L): string;
  slice(line: L, from: number, to: number): L;
  inlines(line: L): Inline[];
  /** Set when the title may carry more than its text (suggestions, comments). */
  richTitle?: boolean;
}

const STRING_LINES: LineOps<string> = { text: (line) => line, slice: (line, from, to) => line.slice(from, to), inlines: toInlines };

/** `from..to` of `text` without the whitespace at either end. */
function trimmedRange(text: string, from: number, to: number): [number, number] {
  while (from < to && /\s/u.test(text.charAt(from))) from++;
  while (to > from && /\s/u.test(text.charAt(to - 1))) to--;
  return [from, to];
}

function section<L>(heading: ParsedHeading, line: L, ops: LineOps<L>): SectionBlock {
  const text = ops.text(line);
  const rest = ops.slice(line, ...trimmedRange(text, text.length - text.trimStart().length + heading.ordinal.length, text.length));
  // Level-1 headings are always standalone lines, whatever punctuation they hold.
  const head = heading.level === 1 ? heading.rest : splitFirstSentence(heading.rest)[0];
  const restText = ops.text(rest);
  const tail = ops.slice(rest, ...trimmedRange(restText, head.length, restText.length));
  const runIn = ops.text(tail) !== '';
  return {
    type: 'section',
    level: heading.level,
    title: ops.inlines(ops.slice(rest, 0, head.length)),
    runIn,
    body: runIn ? [{ type: 'paragraph', content: ops.inlines(tail) }] : [],
  };
}

/** Places trimmed, non-empty lines into a report: title, numbered sections, paragraphs. */
export function buildReport<L>(lines: readonly L[], ops: LineOps<L>): ReportModel {
  const first = lines[0];
  const hasTitle = first !== undefined && isTitleLine(ops.text(first));
  const blocks: Block[] = [];
  const open: SectionBlock[] = [];
  const container = (): Block[] => open.at(-1)?.body ?? blocks;

  let body = hasTitle ? lines.slice(1) : lines;
  // The 署名 only right under a title; the 落款 only after some body (a lone date is not a report).
  const authorLineOf = hasTitle && body.length > 1 ? body[0] : undefined;
  const author = authorLineOf !== undefined ? authorLine(ops.text(authorLineOf)) : null;
  if (author !== null) body = body.slice(1);
  const found = trailingSignature(body.map(ops.text));
  const trailing = found && body.length > found.lineCount ? found : null;
  const signatureLines = trailing ? body.slice(body.length - trailing.lineCount) : [];
  if (trailing) body = body.slice(0, body.length - trailing.lineCount);

  for (const line of body) {
    const heading = parseHeading(ops.text(line));
    if (!heading) {
      container().push({ type: 'paragraph', content: ops.inlines(line) });
      continue;
    }
    // A skipped level (`1.` right under `一、`) simply nests under what is open.
    while ((open.at(-1)?.level ?? 0) >= heading.level) open.pop();
    const block = section(heading, line, ops);
    container().push(block);
    open.push(block);
  }
  const title = hasTitle ? ops.text(first) : '';
  // With marks (a .docx with revisions or comments), the title block keeps them, where its lines were
  // taken as they are (a 成文日期 written another way is put in the standard form, without them).
  const rich = (line: L | undefined, value: string) => {
    const inlines = ops.richTitle && line !== undefined && ops.text(line) === value ? ops.inlines(line) : [];
    return inlines.some((inline) => (inline.marks?.length ?? 0) > 0) ? inlines : undefined;
  };
  const authorContent = author !== null ? rich(authorLineOf, author) : undefined;
  const unitContent = trailing && trailing.lineCount === 2 ? rich(signatureLines[0], trailing.signature.unit) : undefined;
  const dateContent = trailing ? rich(signatureLines.at(-1), trailing.signature.date) : undefined;
  return {
    title,
    ...(hasTitle && ops.richTitle ? { titleContent: ops.inlines(first) } : {}),
    ...(author !== null ? { author, ...(authorContent ? { authorContent } : {}) } : {}),
    blocks,
    ...(trailing ? { signature: { ...trailing.signature, ...(unitContent ? { unitContent } : {}), ...(dateContent ? { dateContent } : {}) } } : {}),
  };
}

export function importPlainText(text: string): ReportModel {
  return buildReport(normaliseLines(text), STRING_LINES);
}
