/**
 * Placeholder kinds: what sort of value a masked figure (`*次`, `**局`, …)
 * stands for. The kind drives how the editor prompts for and validates the
 * value, so it is inferred once at import time from the surrounding words.
 */

export const PLACEHOLDER_KINDS = [
  'count',
  'amount',
  'percent',
  'date',
  'ordinal',
  'name',
  'org',
  'text',
] as const;

export type PlaceholderKind = (typeof PLACEHOLDER_KINDS)[number];

export function isPlaceholderKind(value: unknown): value is PlaceholderKind {
  return typeof value === 'string' && (PLACEHOLDER_KINDS as readonly string[]).includes(value);
}

/**
 * Words that may directly follow a mask, mapped to the kind they imply.
 * Beyond the core lists, a few frequent titles/organisations are added mainly
 * to out-rank a shorter, misleading prefix under longest-match
 * (`委员会` must not read as the title `委员`, `人民医院` not as the unit `人`,
 * `人民币` not as the organisation prefix `人民`).
 */
const FOLLOWING_WORDS: Readonly<Record<Exclude<PlaceholderKind, 'ordinal' | 'text'>, readonly string[]>> = {
  count: [
    '次', '名', '人次', '人', '项', '条', '个', '家', '件', '支', '场', '篇', '期', '批', '所',
    '位', '户', '台', '套', '起', '份', '种', '轮', '天',
  ],
  amount: ['万元', '亿元', '元', '人民币', '美元'],
  percent: ['%', '％', '‰', '个百分点', '百分点'],
  date: ['年', '月', '日'],
  name: [
    '同志', '书记', '教授', '局长', '主任', '处长', '部长', '老师',
    '副书记', '副教授', '副局长', '副主任', '副处长', '副部长',
    '委员', '主席', '厅长', '科长', '院长', '所长', '校长', '队长', '秘书长',
    '院士', '研究员', '董事长', '经理',
  ],
  org: [
    '局', '处', '委', '党支部', '厅', '办', '科', '院', '部', '中心', '公司', '支部',
    '委员会', '党委', '党组', '大队', '医院', '大学', '学院', '学校', '集团',
    '银行', '协会', '研究所', '政府', '人民', '检察院',
  ],
};

// Longest first so `局长` beats `局`, `人次` beats `人`, `支部` beats `支`.
const FOLLOWING_TABLE: readonly (readonly [string, PlaceholderKind])[] = Object.entries(FOLLOWING_WORDS)
  .flatMap(([kind, words]) => words.map((word) => [word, kind as PlaceholderKind] as const))
  .sort((a, b) => b[0].length - a[0].length);

/**
 * Approximators and magnitudes that sit between a mask and its unit
 * (`**余人次`, `*多家`, `*万人`, `*余万元`); they never change the kind, so they
 * are skipped when the unit alone does not match.
 */
const UNIT_PREFIX = /^[余多万亿千百]+/u;

function matchFollowing(after: string): PlaceholderKind | undefined {
  for (const [word, kind] of FOLLOWING_TABLE) {
    if (after.startsWith(word)) return kind;
  }
  return undefined;
}

/**
 * Infers a placeholder's kind from the text right before and right after it.
 * A preceding `第` wins over everything (`第*次` is a rank, not a count);
 * otherwise the longest known word that follows decides.
 */
export function inferKind(before: string, after: string): PlaceholderKind {
  const left = before.trimEnd();
  if (left.endsWith('第')) return 'ordinal';
  if (left.endsWith('￥') || left.endsWith('¥')) return 'amount';

  const right = after.trimStart();
  const direct = matchFollowing(right);
  if (direct) return direct;

  const stripped = right.replace(UNIT_PREFIX, '');
  if (stripped !== right) {
    const viaUnit = matchFollowing(stripped);
    if (viaUnit) return viaUnit;
  }
  return 'text';
}
