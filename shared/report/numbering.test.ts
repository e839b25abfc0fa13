import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../testing/propertyRuns';
import {
  chineseNumeral,
  createSiblingCounter,
  HEADING_LEVELS,
  MAX_CHINESE_NUMERAL,
  numberSections,
  parseChineseNumeral,
  parseHeading,
  sectionOrdinal,
  sectionPlace,
  type HeadingLevel,
  type NumberedSection,
} from './numbering';

describe('chineseNumeral', () => {
  const cases: readonly (readonly [number, string])[] = [
    [0, '零'],
    [1, '一'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [19, '十九'],
    [20, '二十'],
    [21, '二十一'],
    [99, '九十九'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [111, '一百一十一'],
    [999, '九百九十九'],
    [1000, '一千'],
    [1001, '一千零一'],
    [1010, '一千零一十'],
    [1100, '一千一百'],
    [10000, '一万'],
    [10001, '一万零一'],
    [10010, '一万零一十'],
    [11000, '一万一千'],
    [100000, '十万'],
    [100010, '十万零一十'],
    [99999999, '九千九百九十九万九千九百九十九'],
  ];

  it.each(cases)('%i → %s', (n, expected) => {
    expect(chineseNumeral(n)).toBe(expected);
  });

  it.each([-1, 1.5, Number.NaN, 100_000_000])('rejects %s', (n) => {
    expect(() => chineseNumeral(n)).toThrow(RangeError);
  });
});

describe('parseChineseNumeral', () => {
  it('inverts chineseNumeral', () => {
    for (let n = 1; n <= 2000; n++) expect(parseChineseNumeral(chineseNumeral(n))).toBe(n);
    expect(parseChineseNumeral('十万零一十')).toBe(100010);
  });

  it('accepts 〇 for 零', () => {
    expect(parseChineseNumeral('一百〇一')).toBe(101);
  });

  it.each(['', '一十', '二〇', '十十', '百', '廿', '1'])('rejects non-canonical %j', (text) => {
    expect(parseChineseNumeral(text)).toBeNull();
  });
});

describe('sectionOrdinal', () => {
  const cases: readonly (readonly [HeadingLevel, number, string])[] = [
    [1, 1, '一、'],
    [1, 11, '十一、'],
    [1, 20, '二十、'],
    [2, 1, '（一）'],
    [2, 12, '（十二）'],
    [3, 1, '1.'],
    [3, 10, '10.'],
    [4, 1, '（1）'],
    [4, 23, '（23）'],
  ];

  it.each(cases)('level %i, index %i → %s', (level, index, expected) => {
    expect(sectionOrdinal(level, index)).toBe(expected);
  });

  it.each([0, -1, 1.5])('rejects index %s', (index) => {
    expect(() => sectionOrdinal(1, index)).toThrow(RangeError);
  });
});

describe('createSiblingCounter', () => {
  it('counts each level separately', () => {
    const next = createSiblingCounter();
    expect([next(3), next(3), next(2), next(3), next(2)]).toEqual([1, 2, 1, 3, 2]);
  });
});

interface Node {
  level: HeadingLevel;
  name: string;
  children: Node[];
}
const node = (level: HeadingLevel, name: string, children: Node[] = []): Node => ({ level, name, children });

describe('numberSections', () => {
  it('numbers a regular outline and records paths', () => {
    const tree = [
      node(1, 'a', [node(2, 'a1'), node(2, 'a2', [node(3, 'a2x', [node(4, 'deep')]), node(3, 'a2y')])]),
      node(1, 'b', [node(2, 'b1')]),
    ];
    const numbered = numberSections(tree);
    const flat: [string, string, string][] = [];
    const walk = (items: typeof numbered): void => {
      for (const item of items) {
        flat.push([item.node.name, item.ordinal, item.path.join('')]);
        walk(item.children);
      }
    };
    walk(numbered);
    expect(flat).toEqual([
      ['a', '一、', '一、'],
      ['a1', '（一）', '一、（一）'],
      ['a2', '（二）', '一、（二）'],
      ['a2x', '1.', '一、（二）1.'],
      ['deep', '（1）', '一、（二）1.（1）'],
      ['a2y', '2.', '一、（二）2.'],
      ['b', '二、', '二、'],
      ['b1', '（一）', '二、（一）'],
    ]);
  });

  it('restarts numbering in every parent', () => {
    const numbered = numberSections([node(1, 'a', [node(2, 'x'), node(2, 'y')]), node(1, 'b', [node(2, 'z')])]);
    expect(numbered[1]?.children[0]?.ordinal).toBe('（一）');
    expect(numbered[1]?.index).toBe(2);
  });

  it('numbers a skipped level by its own level, not its depth', () => {
    const numbered = numberSections([node(1, 'a', [node(3, 'p'), node(3, 'q'), node(2, 'r', [node(3, 's')])])]);
    const a = numbered[0];
    expect(a?.children.map((c) => c.ordinal)).toEqual(['1.', '2.', '（一）']);
    expect(a?.children[2]?.children[0]?.path).toEqual(['一、', '（一）', '1.']);
  });

  it('handles an empty outline', () => {
    expect(numberSections<Node>([])).toEqual([]);
  });
});

describe('parseHeading', () => {
  const headings: readonly (readonly [line: string, level: HeadingLevel, index: number, ordinal: string, rest: string])[] = [
    ['一、强化政治引领，贯彻中央部署', 1, 1, '一、', '强化政治引领，贯彻中央部署'],
    ['十、第十部分', 1, 10, '十、', '第十部分'],
    ['十一、第十一部分', 1, 11, '十一、', '第十一部分'],
    ['二十、第二十部分', 1, 20, '二十、', '第二十部分'],
    ['　　二、带缩进', 1, 2, '二、', '带缩进'],
    ['三、 有空格 ', 1, 3, '三、', '有空格'],
    ['（一）落实党建政治责任。一年来', 2, 1, '（一）', '落实党建政治责任。一年来'],
    ['(一)ASCII 括号', 2, 1, '(一)', 'ASCII 括号'],
    ['（十二）混合', 2, 12, '（十二）', '混合'],
    ['(三）半角全角混用', 2, 3, '(三）', '半角全角混用'],
    ['1.加强学习', 3, 1, '1.', '加强学习'],
    ['1．全角句点', 3, 1, '1．', '全角句点'],
    ['2、顿号', 3, 2, '2、', '顿号'],
    ['12. 两位数', 3, 12, '12.', '两位数'],
    ['１．全角数字', 3, 1, '１．', '全角数字'],
    ['（1）第四级', 4, 1, '（1）', '第四级'],
    ['(2)ASCII 括号', 4, 2, '(2)', 'ASCII 括号'],
    ['（１０）全角数字', 4, 10, '（１０）', '全角数字'],
    ['一、', 1, 1, '一、', ''],
  ];

  it.each(headings)('%j → level %i', (line, level, index, ordinal, rest) => {
    expect(parseHeading(line)).toEqual({ level, index, ordinal, rest });
  });

  const nonHeadings: readonly string[] = [
    '1.5亿元用于基础设施建设',
    '1．5亿元',
    '1、2号楼已完工',
    '2022年，在市委的坚强领导下',
    '2022.12.31',
    '0.开头为零',
    '01.前导零',
    '100.三位数',
    '三、四月份开展专项检查',
    '一二、不是数字',
    '一十、非规范写法',
    '二〇、非规范写法',
    '十分重要、必须坚持',
    '（一',
    '（a）字母',
    '一年来，我认真履行',
    '',
  ];

  it.each(nonHeadings)('%j is not a heading', (line) => {
    expect(parseHeading(line)).toBeNull();
  });
});

describe('sectionPlace', () => {
  it('names a section by the ordinals above it and its own label, as a report refers to it', () => {
    expect(sectionPlace([])).toBe('');
    expect(sectionPlace(['一、强化政治引领'])).toBe('一、强化政治引领');
    expect(sectionPlace(['一、强化政治引领', '（二）完成重大政治任务'])).toBe('一（二）完成重大政治任务');
    expect(sectionPlace(['三、建强战斗堡垒', '（一）抓好班子', '2.健全制度', '（1）会议制度'])).toBe('三（一）2.（1）会议制度');
    // A label without an ordinal (never numbered) stays whole.
    expect(sectionPlace(['附件', '（一）说明'])).toBe('附件（一）说明');
  })
})

/*
 * Properties: Chinese numerals read back as written, every outline is numbered 1, 2, 3… per level
 * among siblings whatever its shape, and every ordinal printed in front of a title is read back as the
 * same heading (what an import of an exported report relies on).
 */
interface Outline {
  level: HeadingLevel;
  title: string;
  children: Outline[];
}

const level = fc.constantFrom<HeadingLevel>(...HEADING_LEVELS);
/** Titles as drafters write them: words, never starting with a digit or a numeral. */
const title = fc.array(fc.constantFrom(...'强化政治引领贯彻中央部署落实党建责任加强队伍建设'), { minLength: 1, maxLength: 12 }).map((chars) => chars.join(''));
/** Outlines up to four sections deep, any level under any other (a skipped level included). */
const outlineOf = (depth: number): fc.Arbitrary<Outline[]> =>
  depth === 0 ? fc.constant([]) : fc.array(fc.record({ level, title, children: outlineOf(depth - 1) }), { maxLength: 4 });
const outline = outlineOf(4);

function* walk(items: NumberedSection<Outline>[]): Generator<NumberedSection<Outline>> {
  for (const item of items) {
    yield item;
    yield* walk(item.children);
  }
}

describe('numbering (property)', () => {
  it('every numeral up to 99,999,999 reads back as the number, also written with 〇', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_CHINESE_NUMERAL }), (n) => {
        const written = chineseNumeral(n);
        expect(parseChineseNumeral(written)).toBe(n);
        expect(parseChineseNumeral(written.replaceAll('零', '〇'))).toBe(n);
        expect(written.startsWith('一十')).toBe(false);
      }),
      propertyRuns(2_000),
    );
  });

  it('siblings are numbered 1, 2, 3… per level, each path is its parent’s plus its own ordinal, and the shape is kept', () => {
    fc.assert(
      fc.property(outline, (nodes) => {
        const check = (items: readonly Outline[], numbered: NumberedSection<Outline>[], parentPath: readonly string[]) => {
          expect(numbered.map((item) => item.node)).toEqual(items);
          const seen = new Map<HeadingLevel, number>();
          for (const item of numbered) {
            const index = (seen.get(item.level) ?? 0) + 1;
            seen.set(item.level, index);
            expect(item.index).toBe(index);
            expect(item.ordinal).toBe(sectionOrdinal(item.level, index));
            expect(item.path).toEqual([...parentPath, item.ordinal]);
            check(item.node.children, item.children, item.path);
          }
        };
        check(nodes, numberSections(nodes), []);
      }),
      propertyRuns(500),
    );
  });

  it('an ordinal printed before a title reads back as that heading: level, number, ordinal and title', () => {
    fc.assert(
      fc.property(level, fc.integer({ min: 1, max: 99 }), title, (lvl, index, text) => {
        const ordinal = sectionOrdinal(lvl, index);
        expect(parseHeading(`${ordinal}${text}`)).toEqual({ level: lvl, index, ordinal, rest: text });
        // The official indent in front changes nothing.
        expect(parseHeading(`　　${ordinal}${text}`)).toEqual({ level: lvl, index, ordinal, rest: text });
      }),
      propertyRuns(1_000),
    );
  });

  it('a section’s place names the ordinals above it, then its own label', () => {
    fc.assert(
      fc.property(outline, (nodes) => {
        for (const item of walk(numberSections(nodes))) {
          const labels = item.path.map((ordinal, depth) => (depth === item.path.length - 1 ? `${ordinal}${item.node.title}` : `${ordinal}标题`));
          const above = item.path.slice(0, -1).map((ordinal) => (ordinal.endsWith('、') ? ordinal.slice(0, -1) : ordinal));
          expect(sectionPlace(labels)).toBe(`${above.join('')}${item.ordinal}${item.node.title}`);
        }
      }),
      propertyRuns(300),
    );
  });

  it('any line is read as a heading or not without throwing, and a heading starts with the ordinal it reports', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'一二三十百零〇（）()、.．1234５６ 　年月号个abc') }), (line) => {
        const heading = parseHeading(line);
        if (heading === null) return;
        expect(line.trimStart().startsWith(heading.ordinal)).toBe(true);
        expect(heading.index).toBeGreaterThanOrEqual(1);
      }),
      propertyRuns(2_000),
    );
  });
});
