import { describe, expect, it } from 'vitest';
import type { PlaceholderKind } from './kinds';
import { findMasks, isMaskText } from './masks';

/** The masks of `text` as [matched text, kind] pairs, checking offsets on the way. */
function masksOf(text: string): [string, PlaceholderKind][] {
  return findMasks(text).map((m) => {
    expect(text.slice(m.from, m.to)).toBe(m.text);
    return [m.text, m.kind];
  });
}

describe('findMasks', () => {
  const cases: readonly (readonly [text: string, expected: [string, PlaceholderKind][]])[] = [
    // the basic forms
    ['主持局委会*次', [['*', 'count']]],
    ['研究审议**局发展纲要', [['**', 'org']]],
    ['组织**名优秀党员', [['**', 'count']]],
    ['邀请中央党校***教授来局', [['***', 'name']]],
    ['交流发言**余人次', [['**', 'count']]],
    ['落实市委*书记指示', [['*', 'name']]],
    ['扎实做好**安全保障工作', [['**', 'text']]],
    // full-width and alternative mask characters
    ['完成投资＊＊亿元', [['＊＊', 'amount']]],
    ['建成××个示范点', [['××', 'count']]],
    ['XX局', [['XX', 'org']]],
    ['xx同志', [['xx', 'name']]],
    ['ＸＸ处', [['ＸＸ', 'org']]],
    ['○○同志', [['○○', 'name']]],
    ['**○○公司', [['**○○', 'org']]],
    ['X书记', [['X', 'name']]],
    ['共X次', [['X', 'count']]],
    ['共x次', [['x', 'count']]],
    // digits and dots fused into the mask
    ['全年1**名', [['1**', 'count']]],
    ['增长*.*%', [['*.*', 'percent']]],
    ['增长**.*％', [['**.*', 'percent']]],
    ['增长1*.5%', [['1*.5', 'percent']]],
    ['投入1*万元', [['1*', 'amount']]],
    ['共*.', [['*', 'text']]],
    ['完成**。', [['**', 'text']]],
    // dates: one placeholder including the units
    ['于*月*日召开', [['*月*日', 'date']]],
    ['*月*号召开', [['*月*号', 'date']]],
    ['20**年', [['20**年', 'date']]],
    ['20XX年度', [['20XX年', 'date']]],
    ['20**年*月*日', [['20**年*月*日', 'date']]],
    ['2022年*月*日', [['*月*日', 'date']]],
    ['*年12月*日', [['*年12月*日', 'date']]],
    ['*月1日', [['*月', 'date']]],
    ['*月份', [['*月', 'date']]],
    ['*日*月', [['*日', 'date'], ['*月', 'date']]],
    ['**月**年', [['**月', 'date'], ['**年', 'date']]],
    ['*号楼', [['*', 'text']]],
    ['*个月', [['*', 'count']]],
    // ordinals: the preceding 第 wins, even over a date unit
    ['第*次', [['*', 'ordinal']]],
    ['第**名', [['**', 'ordinal']]],
    ['第*', [['*', 'ordinal']]],
    ['第*年', [['*', 'ordinal']]],
    // several masks keep document order
    ['分别为*名、**名和*.*%', [['*', 'count'], ['**', 'count'], ['*.*', 'percent']]],
    ['*个方面*条问题', [['*', 'count'], ['*', 'count']]],
    // styles of issue 14: boxes, underscores, 某某, blank brackets
    ['调研□□天', [['□□', 'count']]],
    ['新建中心□个', [['□', 'count']]],
    ['接待____人次', [['____', 'count']]],
    ['谈话＿＿人次', [['＿＿', 'count']]],
    ['___街道', [['___', 'org']]],
    ['向某某同志汇报', [['某某', 'name']]],
    ['某某局与某某局联合执法', [['某某', 'org'], ['某某', 'org']]],
    ['办结事项（  ）件', [['（  ）', 'count']]],
    ['排名第（ ）名', [['（ ）', 'ordinal']]],
    ['ＸＸＸ书记', [['ＸＸＸ', 'name']]],
    // kinds read from the words around
    ['排查隐患***处', [['***', 'count']]],
    ['分管的**处', [['**', 'org']]],
    ['提升*成', [['*', 'percent']]],
    ['进入全省前*名', [['*', 'ordinal']]],
    ['排名后*位', [['*', 'ordinal']]],
    ['用*年时间', [['*', 'count']]],
    ['投入资金**万，', [['**', 'amount']]],
    ['注册用户突破**万，', [['**', 'count']]],
    ['全市***万人民群众', [['***', 'count']]],
    ['XX月XX日XX时许', [['XX月XX日XX时', 'date']]],
    ['经核查，XXX反映的问题', [['XXX', 'name']]],
    ['走访XXX、XXX等单位', [['XXX', 'org'], ['XXX', 'org']]],
  ];

  it.each(cases)('%j', (text, expected) => {
    expect(masksOf(text)).toEqual(expected);
  });

  const notMasks: readonly string[] = [
    '二○二二年',
    '二○○八年北京奥运会',
    '一○○人',
    'XML文件',
    'Xi Jinping',
    'eXtra',
    'XXL号',
    'X光检查',
    'X射线',
    'x轴',
    '3×4',
    '3 × 4米',
    '1920×1080分辨率',
    'a×b',
    '3x4',
    '1920X1080',
    '数值为20x',
    '7*24小时服务',
    '7 * 24小时',
    '已全部完成。*',
    '已全部完成。*\n下一行',
    '* 条目一',
    '  * 条目二',
    '2022年12月31日',
    '组织6支应急分队“5+2”“白+黑”全日制值守',
    '1.5亿元',
    '某些单位',
    '某某',
    'project_id',
    'https://example.gov.cn/2022_12/t1.html',
    '同意□ 不同意□',
    '□是 □否',
    '带*的为约束性指标',
    '不合格的打×',
    '÷上年同期数×100%',
    '“三×三”工作法',
    '长×宽',
    '○ 加强组织领导',
    '',
  ];

  it.each(notMasks)('%j has no mask', (text) => {
    expect(findMasks(text)).toEqual([]);
  });

  it('keeps a lone star mid-line, even after punctuation', () => {
    expect(masksOf('共。*次')).toEqual([['*', 'count']]);
    expect(masksOf('*条目')).toEqual([['*', 'count']]);
    expect(masksOf('完成*\n')).toEqual([['*', 'text']]);
  });

  it('treats Markdown bold markers as masks', () => {
    expect(masksOf('**重点**').map(([text]) => text)).toEqual(['**', '**']);
  });

  it('reports UTF-16 offsets, also after astral characters', () => {
    const text = '𠮷𠮷**局';
    expect(findMasks(text)).toEqual([{ from: 4, to: 6, text: '**', kind: 'org' }]);
  });

  it('reads X next to an astral Han character as a mask', () => {
    expect(masksOf('𠮷X')).toEqual([['X', 'text']]);
  });

  it('finds masks on every line of a multi-line text', () => {
    const text = '全年*次\r\n　　组织**名\n第*批';
    expect(masksOf(text)).toEqual([
      ['*', 'count'],
      ['**', 'count'],
      ['*', 'ordinal'],
    ]);
  });
});

describe('isMaskText', () => {
  it.each(['*', '**', '＊＊', '××', 'XX', 'x', '○○', '1**', '20**', '*.*', '**.*', '*月*日', '20**年', '*月5日', ' ** '])(
    '%j is unfilled',
    (text) => {
      expect(isMaskText(text)).toBe(true);
    },
  );

  it.each(['', '  ', '12', '3.5', '3月5日', '2022年', '3×4', '1920x1080', '7*24', 'XML', '二○二二', '**局', '张三', '*次'])(
    '%j is not a mask',
    (text) => {
      expect(isMaskText(text)).toBe(false);
    },
  );

  it('agrees with findMasks on every placeholder it finds', () => {
    const text = '于20**年*月*日召开，到会**人，增长*.*%，第*名，XX局，○○同志，××个';
    for (const mask of findMasks(text)) expect(isMaskText(mask.text)).toBe(true);
  });
});
