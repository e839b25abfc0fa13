/**
 * Detection of masked figures (placeholders) in report text: drafts are
 * circulated with unknown or sensitive values blanked out as `*次`, `**局`,
 * `××个`, `20**年`, `*.*%`, … and the editor turns each into a fillable slot.
 *
 * Span choice (offsets are UTF-16 code units into the searched text):
 * - A placeholder covers the masked characters plus any digits and dots fused
 *   with them (`1**`, `*.*`, `20**`), because that whole run is what the author
 *   replaces. Units stay outside (`*.*` before `%`, `*` before `次`) since the
 *   author keeps them; they only serve to infer the kind.
 * - Dates are the exception: `*月*日` and `20**年` are single placeholders
 *   that include their 年/月/日 units, because one value fills the whole date
 *   and splitting it into per-unit slots would make the editor ask three times.
 *   Fully known leading/trailing parts (`2022年` in `2022年*月*日`) stay outside.
 *   An hour may end the chain (`XX月XX日XX时`).
 * - Other styles (issue 14): `□` runs, underscore runs (`____`, `＿＿`), `某某`
 *   where a title or unit follows (`某某同志`, `某某局`), and blank brackets
 *   (`（  ）件`, whose placeholder covers the brackets, as the author replaces
 *   them too).
 */

import { DURATION_BEFORE, followingWord, inferKind, type PlaceholderKind } from './kinds';

export interface MaskMatch {
  from: number;
  to: number;
  text: string;
  kind: PlaceholderKind;
}

const STARS = '*＊';
const CROSS = '×';
const CIRCLE = '○';
const LATIN_XS = 'XxＸｘ';
const BOX = '□';
const UNDERSCORES = '_＿';
const MASK_CHARS = STARS + CROSS + CIRCLE + LATIN_XS + BOX + UNDERSCORES;

const isDigit = (c: string): boolean => /^[0-9０-９]$/u.test(c);
const isDot = (c: string): boolean => c === '.' || c === '．';
const isHan = (c: string): boolean => /^\p{Script=Han}$/u.test(c);
const isLatinLetter = (c: string): boolean => /^[A-Za-zＡ-Ｚａ-ｚ]$/u.test(c);
const isMaskLike = (c: string): boolean => c !== '' && (STARS + CROSS + CIRCLE + BOX).includes(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\u3000';
/** Where a lone mark is a list bullet or a check box rather than a figure: a line edge or a space. */
const isEdge = (c: string): boolean => c === '' || c === '\n' || c === '\r' || isSpace(c) || c === '：' || c === ':';

/** CJK numerals that make `○` read as a zero (`二○二二年`). 万/亿 are excluded: `○○万元` is a mask. */
const CJK_NUMERALS = '〇零一二三四五六七八九十';
/** Punctuation after which a lone end-of-line `*` is a footnote marker. */
const CLOSING_PUNCTUATION = '。，、；：！？”’」』）】》.,;:!?)';
/** `X光`, `X射线`, `x轴` are terms, not masks. */
const X_TERMS = ['光', '射线', '线', '轴'];

/** Character before `index`, surrogate-pair aware; '' at the start. */
function charBefore(text: string, index: number): string {
  if (index <= 0) return '';
  const code = text.charCodeAt(index - 1);
  if (code >= 0xdc00 && code <= 0xdfff && index >= 2) return text.slice(index - 2, index);
  return text.charAt(index - 1);
}

/** Character at `index`, surrogate-pair aware; '' at the end. */
function charFrom(text: string, index: number): string {
  if (index >= text.length) return '';
  return String.fromCodePoint(text.codePointAt(index) ?? 0);
}

function nonSpaceBefore(text: string, index: number): string {
  let i = index;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return charBefore(text, i);
}

function nonSpaceAfter(text: string, index: number): string {
  let i = index;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return charFrom(text, i);
}

function onlySpaceUntilLineEnd(text: string, index: number): boolean {
  for (let i = index; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t' && c !== '\u3000') return false;
  }
  return true;
}

function onlySpaceSinceLineStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '\n' || c === '\r') return true;
    if (c !== ' ' && c !== '\t' && c !== '\u3000') return false;
  }
  return true;
}

/** Maximal runs [from, to) of characters satisfying `test`. */
function runsOf(text: string, test: (c: string) => boolean): [number, number][] {
  const runs: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    if (!test(text.charAt(i))) {
      i++;
      continue;
    }
    const from = i;
    while (i < text.length && test(text.charAt(i))) i++;
    runs.push([from, i]);
  }
  return runs;
}

function flagStars(text: string, flags: Uint8Array): void {
  for (const [from, to] of runsOf(text, (c) => STARS.includes(c))) {
    if (to - from === 1) {
      const before = charBefore(text, from);
      const after = charFrom(text, to);
      // `7*24小时` is a product, not a masked figure.
      if (isDigit(nonSpaceBefore(text, from)) && isDigit(nonSpaceAfter(text, to))) continue;
      // `…完成。*` at a line end marks a footnote.
      if (before !== '' && CLOSING_PUNCTUATION.includes(before) && onlySpaceUntilLineEnd(text, to)) continue;
      // `带*的为约束性指标` explains a footnote marker.
      if ('带标加有'.includes(before) && before !== '' && after === '的') continue;
      // `* 条目` is a Markdown-style bullet.
      if ((after === ' ' || after === '\t') && onlySpaceSinceLineStart(text, from)) continue;
    }
    flags.fill(1, from, to);
  }
}

function flagCrosses(text: string, flags: Uint8Array): void {
  const operand = (c: string): boolean => isDigit(c) || isLatinLetter(c) || c === ')' || c === '）';
  for (const [from, to] of runsOf(text, (c) => c === CROSS)) {
    // A single × between operands is multiplication (`3×4`, `1920×1080`).
    if (to - from === 1 && operand(nonSpaceBefore(text, from)) && operand(nonSpaceAfter(text, to))) continue;
    if (to - from === 1) {
      const before = nonSpaceBefore(text, from);
      const after = nonSpaceAfter(text, to);
      // `×100%` multiplies, `打×` is a check mark, `三×三` and `长×宽` are products.
      if (isDigit(after) || before === '打') continue;
      if (CJK_NUMERALS.includes(before) && CJK_NUMERALS.includes(after) && before !== '' && after !== '') continue;
      if ('长宽高'.includes(before) && '长宽高'.includes(after) && before !== '' && after !== '') continue;
    }
    flags.fill(1, from, to);
  }
}

function flagCircles(text: string, flags: Uint8Array): void {
  for (const [from, to] of runsOf(text, (c) => c === CIRCLE)) {
    const before = charBefore(text, from);
    const after = charFrom(text, to);
    // Next to CJK numerals ○ is a (mistyped) 〇: `二○二二年`, `一○○`.
    if ((before !== '' && CJK_NUMERALS.includes(before)) || (after !== '' && CJK_NUMERALS.includes(after))) continue;
    // `○ 加强组织领导` is a list bullet.
    if (to - from === 1 && isSpace(after) && onlySpaceSinceLineStart(text, from)) continue;
    flags.fill(1, from, to);
  }
}

/** `□□天`; a single box next to a space or a line edge is a check box (`□是 □否`, `同意□`). */
function flagBoxes(text: string, flags: Uint8Array): void {
  for (const [from, to] of runsOf(text, (c) => c === BOX)) {
    if (to - from === 1 && (isEdge(charBefore(text, from)) || isEdge(charFrom(text, to)))) continue;
    flags.fill(1, from, to);
  }
}

/** `____` and `＿＿` are blanks; underscores touching Latin letters, digits or paths are identifiers (`app_error.log`). */
function flagUnderscores(text: string, flags: Uint8Array): void {
  const identifier = (c: string): boolean => /^[A-Za-z0-9./@:-]$/u.test(c);
  for (const [from, to] of runsOf(text, (c) => UNDERSCORES.includes(c))) {
    if (to - from < 2 && text.charAt(from) === '_') continue;
    if (identifier(charBefore(text, from)) || identifier(charFrom(text, to))) continue;
    flags.fill(1, from, to);
  }
}

/** `某某同志`, `某某局`: only with a title or a unit after it (`某某` alone may be anonymising on purpose). */
function flagSomebody(text: string, flags: Uint8Array): void {
  for (const [from, to] of runsOf(text, (c) => c === '某')) {
    if (to - from < 2 || to - from > 3) continue;
    const word = followingWord(text.slice(to, to + CONTEXT_WINDOW));
    if (word && (word[1] === 'name' || word[1] === 'org')) flags.fill(1, from, to);
  }
}

/** `（  ）件`, `第（ ）名`: brackets holding only spaces are a blank to fill, brackets included. */
function flagBlankBrackets(text: string, flags: Uint8Array): void {
  for (const match of text.matchAll(/[（(][ \u3000]+[）)]/gu)) flags.fill(1, match.index, match.index + match[0].length);
}

/**
 * X/x masks are only accepted where no Latin word could be meant: the letter
 * run must consist solely of X's (so `XML`, `Xi` never match), and a single X
 * must touch CJK text or another mask char. A single lowercase x must also not
 * touch a digit (`3x4`, `20x`), as it is too often a multiplication sign.
 */
function flagLatinXs(text: string, flags: Uint8Array): void {
  for (const [from, to] of runsOf(text, isLatinLetter)) {
    const run = text.slice(from, to);
    if (![...run].every((c) => LATIN_XS.includes(c))) continue;
    if (run.length >= 2) {
      flags.fill(1, from, to);
      continue;
    }
    const before = charBefore(text, from);
    const after = charFrom(text, to);
    const rest = text.slice(to);
    if (X_TERMS.some((term) => rest.startsWith(term))) continue;
    const touchesCjk = isHan(before) || isHan(after) || isMaskLike(before) || isMaskLike(after);
    if (!touchesCjk) continue;
    const lower = run === 'x' || run === 'ｘ';
    if (lower ? isDigit(before) || isDigit(after) : isDigit(before) && isDigit(after)) continue;
    flags.fill(1, from, to);
  }
}

interface Span {
  from: number;
  to: number;
}

/** Runs of mask chars fused with digits and dots; edge dots are punctuation. */
function baseSpans(text: string, flags: Uint8Array): Span[] {
  const spans: Span[] = [];
  const inRun = (i: number): boolean => flags[i] === 1 || isDigit(text.charAt(i)) || isDot(text.charAt(i));
  let i = 0;
  while (i < text.length) {
    if (!inRun(i)) {
      i++;
      continue;
    }
    let from = i;
    let hasMask = false;
    while (i < text.length && inRun(i)) {
      if (flags[i] === 1) hasMask = true;
      i++;
    }
    let to = i;
    if (!hasMask) continue;
    while (isDot(text.charAt(from))) from++;
    while (isDot(text.charAt(to - 1))) to--;
    spans.push({ from, to });
  }
  return spans;
}

const DATE_UNIT_RANK: Readonly<Record<string, number>> = { 年: 0, 月: 1, 日: 2, 号: 2, 时: 3 };
/** `用*年时间`, `*年来`: a number of years, not a year. */
const DURATION_AFTER_YEAR = /^年(?:时间|来|间|多|内|半|左右|以上)/u;

function dateRank(text: string, index: number, previousRank: number): number | undefined {
  const unit = text.charAt(index);
  const rank = DATE_UNIT_RANK[unit];
  if (rank === undefined || rank <= previousRank) return undefined;
  // 号 only means "day" right after a month (`*月*号`); `*号` alone is a number; 时 only follows a day.
  if (unit === '号' && previousRank !== 1) return undefined;
  if (unit === '时' && previousRank !== 2) return undefined;
  return rank;
}

interface DateChain {
  from: number;
  to: number;
  /** Number of base spans consumed. */
  spans: number;
}

/**
 * Grows a date placeholder from the masked span `spans[start]`: each component
 * is a masked span or plain digits followed by a later unit (年 < 月 < 日).
 * Known trailing components are dropped so the slot ends at the last mask.
 */
function dateChain(text: string, spans: readonly Span[], start: number): DateChain | null {
  const first = spans[start];
  if (!first || charBefore(text, first.from) === '第') return null;
  const pureMask = !/[0-9０-９]/u.test(text.slice(first.from, first.to));
  if (pureMask && (DURATION_AFTER_YEAR.test(text.slice(first.to)) || (text.charAt(first.to) === '年' && DURATION_BEFORE.test(text.slice(0, first.from))))) return null;
  let rank = dateRank(text, first.to, -1);
  if (rank === undefined) return null;
  let end = first.to + 1;
  let maskedEnd = end;
  let consumed = 1;
  for (;;) {
    const span = spans[start + consumed];
    if (span && span.from === end) {
      const next = dateRank(text, span.to, rank);
      if (next === undefined) break;
      rank = next;
      end = span.to + 1;
      maskedEnd = end;
      consumed++;
      continue;
    }
    let digitsEnd = end;
    while (digitsEnd < text.length && isDigit(text.charAt(digitsEnd))) digitsEnd++;
    if (digitsEnd === end || digitsEnd - end > 4) break;
    const next = dateRank(text, digitsEnd, rank);
    if (next === undefined) break;
    rank = next;
    end = digitsEnd + 1;
  }
  return { from: first.from, to: maskedEnd, spans: consumed };
}

/** How far either side of a mask `inferKind` needs to look. */
const CONTEXT_WINDOW = 12;

/** All placeholders in `text`, in order, non-overlapping. */
/** `带“*”的指标`, `打“×”`, `“□”处`: a lone mask character in quotes is being talked about, not masked. */
function unflagQuoted(text: string, flags: Uint8Array): void {
  for (const match of text.matchAll(/[“「‘"']([*＊×○□Xx])[”」’"']/gu)) flags[match.index + 1] = 0;
}

export function findMasks(text: string): MaskMatch[] {
  const flags = new Uint8Array(text.length);
  flagStars(text, flags);
  flagCrosses(text, flags);
  flagCircles(text, flags);
  flagLatinXs(text, flags);
  flagBoxes(text, flags);
  flagUnderscores(text, flags);
  flagSomebody(text, flags);
  flagBlankBrackets(text, flags);
  unflagQuoted(text, flags);

  const spans = baseSpans(text, flags);
  const matches: MaskMatch[] = [];
  for (let i = 0; i < spans.length; ) {
    const chain = dateChain(text, spans, i);
    if (chain) {
      matches.push({ from: chain.from, to: chain.to, text: text.slice(chain.from, chain.to), kind: 'date' });
      i += chain.spans;
      continue;
    }
    const { from, to } = spans[i] as Span;
    const kind = inferKind(text.slice(Math.max(0, from - CONTEXT_WINDOW), from), text.slice(to, to + CONTEXT_WINDOW), text.slice(from, to));
    matches.push({ from, to, text: text.slice(from, to), kind });
    i++;
  }
  return matches;
}

const MASK_TEXT = new RegExp(`^(?:[${MASK_CHARS}0-9０-９.．年月日号时]+|某{2,3}|[（(][ \u3000]+[）)])$`, 'u');
const HAS_MASK_CHAR = new RegExp(`[${MASK_CHARS}某（(]`, 'u');
const PRODUCT = /^[0-9０-９.．]+[*＊×Xxｘ][0-9０-９.．]+$/u;

/**
 * Whether a placeholder's current text is still an unfilled mask. Date units
 * are allowed because date placeholders include them (`*月*日`); a value
 * without any mask char (`3月5日`) counts as filled, and so does a product
 * such as `3×4`. Unlike `findMasks` no context is available, so a lone `x`
 * counts as a mask here.
 */
export function isMaskText(text: string): boolean {
  const trimmed = text.trim();
  return MASK_TEXT.test(trimmed) && HAS_MASK_CHAR.test(trimmed) && !PRODUCT.test(trimmed);
}
