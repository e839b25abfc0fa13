import { describe, expect, it } from 'vitest';
import { inferKind, isPlaceholderKind, PLACEHOLDER_KINDS, type PlaceholderKind } from './kinds';

describe('PLACEHOLDER_KINDS', () => {
  it('lists every kind once', () => {
    expect([...PLACEHOLDER_KINDS].sort()).toEqual(
      ['amount', 'count', 'date', 'name', 'ordinal', 'org', 'percent', 'text'],
    );
  });

  it('guards unknown values', () => {
    expect(isPlaceholderKind('count')).toBe(true);
    expect(isPlaceholderKind('Count')).toBe(false);
    expect(isPlaceholderKind(3)).toBe(false);
    expect(isPlaceholderKind(undefined)).toBe(false);
  });
});

describe('inferKind', () => {
  const cases: readonly (readonly [before: string, after: string, expected: PlaceholderKind])[] = [
    // counts
    ['主持局委会', '次，研究', 'count'],
    ['组织', '名优秀党员', 'count'],
    ['交流发言', '人次，班子', 'count'],
    ['交流发言', '余人次，班子', 'count'],
    ['参加', '余人', 'count'],
    ['制度规定', '项，修订', 'count'],
    ['查找', '条问题', 'count'],
    ['围绕六个方面', '个表现', 'count'],
    ['走访企业', '家', 'count'],
    ['办结案件', '件', 'count'],
    ['组建', '支队伍', 'count'],
    ['组建', '支应急分队', 'count'],
    ['举办', '场讲座', 'count'],
    ['发表', '篇文章', 'count'],
    ['举办', '期培训班', 'count'],
    ['分', '批次', 'count'],
    ['覆盖', '所学校', 'count'],
    ['培训', '人', 'count'],
    ['走访', '多家企业', 'count'],
    ['服务群众', '万人次', 'count'],
    // amounts
    ['投入资金', '万元', 'amount'],
    ['完成投资', '亿元', 'amount'],
    ['节约', '元', 'amount'],
    ['筹集', '余万元', 'amount'],
    ['金额', '万人民币', 'amount'],
    ['合计￥', '', 'amount'],
    // percents
    ['同比增长', '%', 'percent'],
    ['同比增长', '％', 'percent'],
    ['提高', '个百分点', 'percent'],
    // dates
    ['于', '年', 'date'],
    ['', '月', 'date'],
    ['', '日召开', 'date'],
    // ordinals: a preceding 第 beats any following unit
    ['第', '次', 'ordinal'],
    ['荣获第', '名', 'ordinal'],
    ['第 ', '届', 'ordinal'],
    // names: titles out-rank the org they contain (局长 vs 局)
    ['市委', '书记', 'name'],
    ['邀请中央党校', '教授来局', 'name'],
    ['', '同志', 'name'],
    ['', '局长', 'name'],
    ['', '副局长', 'name'],
    ['', '主任', 'name'],
    ['', '处长', 'name'],
    ['', '部长', 'name'],
    ['', '老师', 'name'],
    ['', '委员', 'name'],
    // orgs
    ['研究审议', '局发展纲要', 'org'],
    ['', '处', 'org'],
    ['', '委', 'org'],
    ['', '委员会', 'org'],
    ['', '党支部', 'org'],
    ['', '支部', 'org'],
    ['', '厅', 'org'],
    ['', '办', 'org'],
    ['', '科', 'org'],
    ['', '院', 'org'],
    ['', '部', 'org'],
    ['', '中心', 'org'],
    ['', '公司', 'org'],
    ['', '人民医院', 'org'],
    // plain text
    ['做好党的二十大期间', '安全保障工作', 'text'],
    ['确保会议期间', '工作安全平稳', 'text'],
    ['重点保障赛事', '通道安全稳定', 'text'],
    ['', '', 'text'],
    ['', '，', 'text'],
  ];

  it.each(cases)('%s[mask]%s → %s', (before, after, expected) => {
    expect(inferKind(before, after)).toBe(expected);
  });

  it('ignores spaces between the mask and its unit', () => {
    expect(inferKind('', ' 次')).toBe('count');
  });
});
