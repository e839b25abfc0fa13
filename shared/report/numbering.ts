/**
 * Section numbering of Chinese official documents (党政机关公文格式):
 * `一、` → `（一）` → `1.` → `（1）`. Ordinals are always derived from the
 * outline, never stored, so reordering sections can never leave stale numbers.
 */

export type HeadingLevel = 1 | 2 | 3 | 4;

export const HEADING_LEVELS: readonly HeadingLevel[] = [1, 2, 3, 4];

const DIGIT_CHARS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const SMALL_UNITS = ['', '十', '百', '千'] as const;

/** Beyond 亿 the grouping rules change; no outline gets anywhere near that. */
export const MAX_CHINESE_NUMERAL = 99_999_999;

/** 1..9999 with inner zeros spoken once (`一千零一`), no leading zero. */
function groupNumeral(group: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const digit = Math.floor(group / 10 ** pos) % 10;
    if (digit === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) {
      out += '零';
      pendingZero = false;
    }
    out += (DIGIT_CHARS[digit] ?? '') + (SMALL_UNITS[pos] ?? '');
  }
  return out;
}

/** Integer → Chinese numeral as used in ordinals: 10 → 十, 101 → 一百零一. */
export function chineseNumeral(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_CHINESE_NUMERAL) {
    throw new RangeError(`chineseNumeral: expected an integer in 0..${MAX_CHINESE_NUMERAL}, got ${n}`);
  }
  if (n === 0) return '零';
  const high = Math.floor(n / 10_000);
  const low = n % 10_000;
  let out = '';
  if (high > 0) out += `${groupNumeral(high)}万`;
  if (low > 0) {
    if (high > 0 && low < 1000) out += '零';
    out += groupNumeral(low);
  }
  // Convention drops the leading 一 of 一十 (十一, 十万) but keeps it inside (一百一十).
  return out.startsWith('一十') ? out.slice(1) : out;
}

const NUMERAL_VALUES: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNIT_VALUES: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Chinese numeral → integer, or null. Only canonical spellings are accepted
 * (the ones `chineseNumeral` produces, with 〇 allowed for 零) so that prose
 * such as `二〇` or `一十` is not mistaken for an ordinal.
 */
export function parseChineseNumeral(text: string): number | null {
  if (text === '') return null;
  let total = 0;
  let group = 0;
  let digit = 0;
  let hasDigit = false;
  for (const ch of text) {
    const value = NUMERAL_VALUES[ch];
    const unit = UNIT_VALUES[ch];
    if (value !== undefined) {
      digit = value;
      hasDigit = true;
    } else if (unit !== undefined) {
      group += (hasDigit ? digit : 1) * unit;
      digit = 0;
      hasDigit = false;
    } else if (ch === '万') {
      total += (group + digit) * 10_000;
      group = 0;
      digit = 0;
      hasDigit = false;
    } else {
      return null;
    }
  }
  const n = total + group + digit;
  if (n > MAX_CHINESE_NUMERAL) return null;
  return chineseNumeral(n) === text.replaceAll('〇', '零') ? n : null;
}

/** The printed ordinal for the `index`-th (1-based) section of a level. */
export function sectionOrdinal(level: HeadingLevel, index: number): string {
  if (!Number.isSafeInteger(index) || index < 1) {
    throw new RangeError(`sectionOrdinal: index must be a positive integer, got ${index}`);
  }
  switch (level) {
    case 1:
      return `${chineseNumeral(index)}、`;
    case 2:
      return `（${chineseNumeral(index)}）`;
    case 3:
      return `${index}.`;
    case 4:
      return `（${index}）`;
  }
}

/**
 * Counts siblings per level. Siblings normally share one level, but a parent
 * may hold e.g. `1.` items before its first `（一）` (a skipped level), and
 * each level keeps its own sequence.
 */
export function createSiblingCounter(): (level: HeadingLevel) => number {
  const counts: Record<HeadingLevel, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  return (level) => ++counts[level];
}

export interface OutlineNode<T> {
  level: HeadingLevel;
  children: readonly T[];
}

export interface NumberedSection<T> {
  node: T;
  level: HeadingLevel;
  /** 1-based position among same-level siblings. */
  index: number;
  ordinal: string;
  /** Ordinals from the outermost ancestor down to this node, inclusive. */
  path: readonly string[];
  children: NumberedSection<T>[];
}

export function numberSections<T extends OutlineNode<T>>(
  nodes: readonly T[],
  parentPath: readonly string[] = [],
): NumberedSection<T>[] {
  const next = createSiblingCounter();
  return nodes.map((node) => {
    const index = next(node.level);
    const ordinal = sectionOrdinal(node.level, index);
    const path = [...parentPath, ordinal];
    return { node, level: node.level, index, ordinal, path, children: numberSections(node.children, path) };
  });
}

export interface ParsedHeading {
  level: HeadingLevel;
  /** The numeric value of the ordinal, e.g. 11 for `十一、`. */
  index: number;
  /** The ordinal prefix exactly as written, e.g. `(一)` or `1．`. */
  ordinal: string;
  /** The line after the ordinal, trimmed. */
  rest: string;
}

const CN = '[零〇一二三四五六七八九十百千]+';
const AR = '[0-9０-９]{1,2}';
const HEADING_PATTERNS: readonly (readonly [HeadingLevel, RegExp])[] = [
  [1, new RegExp(`^(${CN})、`, 'u')],
  [2, new RegExp(`^[（(](${CN})[）)]`, 'u')],
  // A digit right after the separator means a decimal (`1.5亿元`) or a list
  // of numbers (`1、2号楼`), not a heading.
  [3, new RegExp(`^(${AR})[.．、](?![0-9０-９])`, 'u')],
  [4, new RegExp(`^[（(](${AR})[）)]`, 'u')],
];

/** `三、四月份…` lists months, it does not open section 三. */
const ENUMERATED_FIGURE = /^[零〇一二三四五六七八九十]+[年月日号季个]/u;

function parseArabic(text: string): number | null {
  const ascii = text.replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  return /^[1-9][0-9]*$/.test(ascii) ? Number(ascii) : null;
}

/** Recognises a heading line by its ordinal prefix, or returns null. */
export function parseHeading(line: string): ParsedHeading | null {
  const text = line.trimStart();
  for (const [level, pattern] of HEADING_PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const digits = match[1] ?? '';
    const index = level === 1 || level === 2 ? parseChineseNumeral(digits) : parseArabic(digits);
    if (index === null || index < 1) return null;
    const rest = text.slice(match[0].length).trim();
    if (level === 1 && ENUMERATED_FIGURE.test(rest)) return null;
    return { level, index, ordinal: match[0], rest };
  }
  return null;
}

/**
 * Where in the report a section path (its labels from level 1 down, each ordinal and title) is, in
 * the way a report refers to it: the ordinals of the sections above, then the section's own label —
 * `一（二）完成重大政治任务`. The last label alone (`（二）…`) is ambiguous: every chapter has a （二）.
 */
export function sectionPlace(path: readonly string[]): string {
  if (path.length === 0) return '';
  const above = path.slice(0, -1).map((label) => {
    const heading = parseHeading(label);
    if (!heading) return label;
    // 一、 stands as 一 before what follows it (一（二）), as in 一（二）1.
    return heading.level === 1 ? heading.ordinal.slice(0, -1) : heading.ordinal;
  });
  return above.join('') + path[path.length - 1];
}
