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

/**
 * The kinds' names as a report's reader knows them: shown in the editor and written into the
 * 统计数据征集表, so defined here once for both.
 */
export const PLACEHOLDER_KIND_NAMES: Readonly<Record<PlaceholderKind, string>> = {
  count: '数量',
  amount: '金额',
  percent: '百分比',
  date: '日期',
  ordinal: '序数',
  name: '人名',
  org: '单位',
  text: '其他',
};

export function isPlaceholderKind(value: unknown): value is PlaceholderKind {
  return typeof value === 'string' && (PLACEHOLDER_KINDS as readonly string[]).includes(value);
}

/**
 * Words that may directly follow a mask, mapped to the kind they imply.
 * Beyond the core lists, a few frequent titles/organisations are added mainly
 * to out-rank a shorter, misleading prefix under longest-match
 * (`委员会` must not read as the title `委员`, `人民医院` not as the unit `人`,
 * `人民币` not as the organisation prefix `人民`, `年时间` not as a date).
 */
const FOLLOWING_WORDS: Readonly<Record<Exclude<PlaceholderKind, 'ordinal' | 'text'>, readonly string[]>> = {
  count: [
    '次', '名', '人次', '人', '项', '条', '个', '家', '件', '支', '场', '篇', '期', '批', '所',
    '位', '户', '台', '套', '起', '份', '种', '轮', '天',
    // measures and units of quantity
    '张', '间', '辆', '座', '宗', '例', '点', '席', '岁', '小时', '剂次', '台次', '批次', '架次', '棵',
    '亩', '吨', '公里', '平方公里', '平方米', '立方米', '毫米', '千米', '公顷', '千瓦',
    // durations, not dates: `用*年时间`, `*年来`
    '年时间', '年来', '年间', '年多', '年内', '个月', '微克', '毫克',
  ],
  amount: ['万元', '亿元', '元', '人民币', '美元', '亿美元', '万美元'],
  percent: ['%', '％', '‰', '个百分点', '百分点', '成'],
  date: ['年', '月', '日'],
  name: [
    '同志', '书记', '教授', '局长', '主任', '处长', '部长', '老师',
    '副书记', '副教授', '副局长', '副主任', '副处长', '副部长',
    '委员', '主席', '厅长', '科长', '院长', '所长', '校长', '队长', '秘书长',
    '院士', '研究员', '董事长', '经理',
    '省长', '副省长', '市长', '副市长', '县长', '副县长', '区长', '副区长', '镇长', '乡长',
  ],
  org: [
    '局', '处', '委', '党支部', '厅', '办', '科', '院', '部', '中心', '公司', '支部',
    '委员会', '党委', '党组', '大队', '医院', '大学', '学院', '学校', '集团',
    '银行', '协会', '研究所', '政府', '人民', '检察院',
    // places and their offices stand for units in reports (`XX县`, `××街道`)
    '省', '市', '县', '区', '镇', '乡', '村', '街道', '社区', '开发区', '园区', '新区', '高速', '保险公司', '派出所', '研究院', '办公室',
  ],
};

/**
 * `成` is a tenth (`*成以上`) unless it starts a word (`成立`, `成效`).
 * The same character may be a measure word or an organisation suffix
 * (`隐患**处` vs `某某处`); see `measureOrOrg`.
 */
const NOT_TENTHS = /^成(?:立|果|效|为|员|本|功|绩|熟|交|品|都|长|就|型|套|批)/u;
const MEASURE_OR_ORG = new Set(['处', '所', '部', '室', '站', '院', '队', '科']);
/** Words before a mask that introduce an organisation, not a counted noun (`与**处`, `分管的**科`). */
const ORG_LEADERS = '的与和同向由及、对经据给被将把从至到或赴';
/** Magnitudes after a mask that leave the unit open: money if the sentence speaks of money (`资金**万`). */
const MONEY_WORDS = /(?:资金|经费|投资|投入|收入|金额|产值|营收|税收|利润|价款|支出|资产|预算|补贴|补助|奖金|罚款|GDP|总值)/u;
/** A title right before a mask names the person (`县委书记XXX、县长XXX`). */
const TITLE_BEFORE = /(?:书记|县长|市长|区长|镇长|乡长|省长|局长|主任|部长|处长|科长|厅长|院长|主席|委员|同志)$/u
/** `进入前*`, `排名前*`: a rank even without 名/位 after it. */
const RANK_BEFORE = /(?:进入|排名|排在|位列|跻身|位居)[前后]$/u
/** `连续*年`, `用*年时间`: years counted, not a year. */
export const DURATION_BEFORE = /(?:连续|近|用|历时|经过|花了|长达)$/u
/** A run like `XXX` followed by what a person does is a name (`XXX反映`, `***指出`). */
const PERSON_VERBS = /^(?:反映|指出|强调|表示|提出|介绍|汇报|主持|讲话|批示|签发)/u;
const ORG_LISTS = /^、?[^，。；]{0,12}?等(?:单位|部门|企业|地区)/u;

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

/** The known word right after a mask, and the kind it implies. */
export function followingWord(after: string): readonly [string, PlaceholderKind] | undefined {
  const right = after.trimStart();
  const direct = FOLLOWING_TABLE.find(([word]) => right.startsWith(word));
  if (direct) return direct;
  const prefix = UNIT_PREFIX.exec(right)?.[0];
  if (!prefix) return undefined;
  const viaUnit = FOLLOWING_TABLE.find(([word]) => right.startsWith(word, prefix.length));
  // `***万人民群众`: after a magnitude, 人民 is people counted, not an organisation.
  if (viaUnit && viaUnit[0] === '人民') return [prefix + '人', 'count']
  return viaUnit ? [prefix + viaUnit[0], viaUnit[1]] : undefined;
}

/** A measure word that is also an organisation suffix: counted after a noun (`隐患**处`), a unit otherwise. */
function measureOrOrg(left: string, rest: string): PlaceholderKind {
  // `**所乡村学校`: a measure word before the noun it counts.
  if (/^\p{Script=Han}/u.test(rest) && !/^[长的党领负机处科室局]/u.test(rest)) return 'count';
  const last = left.charAt(left.length - 1);
  return /^\p{Script=Han}$/u.test(last) && !ORG_LEADERS.includes(last) ? 'count' : 'org';
}

/**
 * Infers a placeholder's kind from the text right before and right after it
 * (and, when known, the masked text itself). A preceding `第` wins over
 * everything (`第*次` is a rank, not a count), as do ranks `前*名` / `后*位`;
 * otherwise the longest known word that follows decides, read in context
 * where it is ambiguous.
 */
export function inferKind(before: string, after: string, mask = ''): PlaceholderKind {
  const left = before.trimEnd();
  const right = after.trimStart();
  if (left.endsWith('第')) return 'ordinal';
  if (/[前后]$/u.test(left) && /^[名位]/u.test(right)) return 'ordinal';
  if (RANK_BEFORE.test(left)) return 'ordinal';
  if (DURATION_BEFORE.test(left) && right.startsWith('年')) return 'count';
  if (left.endsWith('￥') || left.endsWith('¥')) return 'amount';

  const word = followingWord(right);
  if (word) {
    const [unit, kind] = word;
    if (unit === '成' && NOT_TENTHS.test(right)) return 'text';
    if (unit.length === 1 && MEASURE_OR_ORG.has(unit)) return measureOrOrg(left, right.slice(1));
    return kind;
  }
  if (/^[万亿]/u.test(right)) return MONEY_WORDS.test(left) ? 'amount' : 'count';
  if (ORG_LISTS.test(right)) return 'org';
  if ([...mask].length === 3 && PERSON_VERBS.test(right)) return 'name';
  if (TITLE_BEFORE.test(left) && /^(?:[、，,。；]|$)/u.test(right)) return 'name';
  return 'text';
}
