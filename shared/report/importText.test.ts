import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PlaceholderKind } from './kinds';
import { importPlainText, listPlaceholders, modelStats, splitFirstSentence } from './importText';
import { inlineText } from './inlines';
import type { Block, Inline, SectionBlock } from './model';
import { createSiblingCounter, sectionOrdinal } from './numbering';

const SAMPLE = readFileSync(new URL('./__fixtures__/2022-party-building-report.txt', import.meta.url), 'utf8');

const sections = (blocks: readonly Block[]): SectionBlock[] =>
  blocks.filter((block): block is SectionBlock => block.type === 'section');
const paragraphs = (blocks: readonly Block[]): string[] =>
  blocks.flatMap((block) => (block.type === 'paragraph' ? [inlineText(block.content)] : []));
const text = (inlines: readonly Inline[]): string => inlineText(inlines);

interface Located {
  path: string;
  text: string;
  kind: PlaceholderKind;
  /** Up to three characters of text right after the placeholder. */
  after: string;
}

/** Every placeholder with its derived section path and the words after it. */
function locatePlaceholders(blocks: readonly Block[], path = ''): Located[] {
  const next = createSiblingCounter();
  const found: Located[] = [];
  const scan = (inlines: readonly Inline[], where: string): void => {
    inlines.forEach((inline, i) => {
      if (inline.type !== 'placeholder') return;
      const following = inlines[i + 1];
      const after = following?.type === 'text' ? following.text.slice(0, 3) : '';
      found.push({ path: where, text: inline.text, kind: inline.kind, after });
    });
  };
  for (const block of blocks) {
    if (block.type === 'paragraph') {
      scan(block.content, path);
    } else {
      const own = path + sectionOrdinal(block.level, next(block.level));
      scan(block.title, own);
      found.push(...locatePlaceholders(block.body, own));
    }
  }
  return found;
}

describe('importPlainText on the 2022 party-building report', () => {
  const model = importPlainText(SAMPLE);
  const top = sections(model.blocks);

  it('takes the first line as the title', () => {
    expect(model.title).toBe('2022年度党建工作述职');
  });

  it('keeps the introduction at top level', () => {
    expect(model.blocks[0]?.type).toBe('paragraph');
    expect(paragraphs(model.blocks)).toHaveLength(1);
    expect(paragraphs(model.blocks)[0]).toMatch(/^2022年，在市委的坚强领导下.*现将一年来工作情况汇报如下。$/u);
  });

  it('finds the four level-1 sections with their ordinals stripped', () => {
    expect(top.map((s) => [s.level, text(s.title), s.runIn])).toEqual([
      [1, '强化政治引领，贯彻中央部署', false],
      [1, '强化理论武装，提升政治素养', false],
      [1, '建强战斗堡垒，建好基层组织', false],
      [1, '全面从严治党，加强纪律建设', false],
    ]);
  });

  it('nests the level-2 sections (2, 3, 3, 3) as run-in headings', () => {
    expect(top.map((s) => sections(s.body).length)).toEqual([2, 3, 3, 3]);
    expect(top.map((s) => sections(s.body).map((sub) => text(sub.title)))).toEqual([
      ['落实党建政治责任。', '完成重大政治任务。'],
      ['深入学习宣传贯彻党的二十大精神。', '深入开展政治理论学习。', '强化思想阵地建设。'],
      ['提升基层党建水平。', '加强党员教育培训。', '严格党员管理。'],
      ['强化主体责任。', '深化作风建设。', '堵塞管理漏洞。'],
    ]);
    for (const level1 of top) {
      expect(paragraphs(level1.body)).toEqual([]);
      for (const sub of sections(level1.body)) {
        expect(sub).toMatchObject({ level: 2, runIn: true });
        expect(sub.body[0]?.type).toBe('paragraph');
      }
    }
  });

  it('starts each run-in body right after the title sentence', () => {
    const first = sections(top[0]?.body ?? [])[0];
    expect(paragraphs(first?.body ?? [])[0]).toMatch(/^一年来，我认真履行党建工作第一责任人的职责/u);
    const unterminated = sections(top[3]?.body ?? [])[0];
    expect(paragraphs(unterminated?.body ?? [])[0]).toMatch(/召开党风廉政建设专题党委会$/u);
  });

  it('puts the closing paragraph into the innermost open section', () => {
    const last = sections(top[3]?.body ?? [])[2];
    const body = paragraphs(last?.body ?? []);
    expect(body).toHaveLength(2);
    expect(body[1]).toMatch(/^一年来，我能够坚持以习近平新时代中国特色社会主义思想为指引/u);
  });

  it('finds exactly the 20 placeholders, in document order, with their kinds', () => {
    const expected: readonly (readonly [path: string, text: string, kind: PlaceholderKind, after: string])[] = [
      ['', '*', 'name', '书记“'],
      ['一、（一）', '*', 'count', '次，研'],
      ['一、（一）', '**', 'org', '局发展'],
      ['一、（一）', '**', 'org', '局重点'],
      ['一、（二）', '**', 'text', '安全保'],
      ['一、（二）', '**', 'text', '工作安'],
      ['一、（二）', '**', 'text', '通道安'],
      ['二、（一）', '**', 'org', '局事业'],
      ['二、（二）', '*', 'count', '次，交'],
      ['二、（二）', '**', 'count', '余人次'],
      ['三、（二）', '**', 'count', '名优秀'],
      ['三、（二）', '***', 'name', '教授来'],
      ['三、（三）', '**', 'count', '名。'],
      ['四、（二）', '*', 'count', '个表现'],
      ['四、（二）', '*', 'count', '个方面'],
      ['四、（二）', '*', 'count', '条问题'],
      ['四、（二）', '*', 'count', '条整改'],
      ['四、（三）', '**', 'org', '局关于'],
      ['四、（三）', '*', 'count', '项，修'],
      ['四、（三）', '*', 'count', '项，有'],
    ];
    expect(locatePlaceholders(model.blocks).map((p) => [p.path, p.text, p.kind, p.after])).toEqual(expected);
    expect(listPlaceholders(model).map((p) => p.text)).toEqual(expected.map(([, maskText]) => maskText));
  });

  it('reports matching statistics', () => {
    expect(modelStats(model)).toEqual({
      sections: { 1: 4, 2: 11, 3: 0, 4: 0 },
      paragraphs: 13,
      placeholders: { count: 11, amount: 0, percent: 0, date: 0, ordinal: 0, name: 2, org: 4, text: 3 },
      totalPlaceholders: 20,
    });
  });

  it('loses no text', () => {
    const all: string[] = [];
    const walk = (blocks: readonly Block[]): void => {
      for (const block of blocks) {
        if (block.type === 'paragraph') all.push(text(block.content));
        else {
          all.push(text(block.title));
          walk(block.body);
        }
      }
    };
    walk(model.blocks);
    const strip = (s: string): string => s.replace(/\s/gu, '');
    const withoutOrdinals = SAMPLE.split('\n')
      .slice(1)
      .map((line) => line.replace(/^(?:[一二三四]、|（[一二三]）)/u, ''))
      .join('');
    expect(strip(all.join(''))).toBe(strip(withoutOrdinals));
  });

  it('imports a Windows, indented copy identically', () => {
    const windows = SAMPLE.split('\n')
      .map((line) => (line === '' ? line : `　　${line}`))
      .join('\r\n');
    expect(importPlainText(`\uFEFF${windows}`)).toEqual(model);
  });
});

describe('importPlainText rules', () => {
  it('returns an empty model for empty or blank input', () => {
    expect(importPlainText('')).toEqual({ title: '', blocks: [] });
    expect(importPlainText('\n \r\n　　\n')).toEqual({ title: '', blocks: [] });
  });

  it.each([
    ['a heading', '一、总体情况\n正文。', ''],
    ['a sentence', '今年以来，我们做了大量工作。\n正文。', ''],
    ['a line with ；', '标题；副标题\n正文。', ''],
    ['a line longer than 40 characters', `${'长'.repeat(41)}\n正文。`, ''],
    ['a 40-character line', `${'长'.repeat(40)}\n正文。`, '长'.repeat(40)],
    ['a short line', '述职报告\n正文。', '述职报告'],
  ])('title detection: %s', (_label, input, title) => {
    const model = importPlainText(input);
    expect(model.title).toBe(title);
    const { sections: bySection, paragraphs: paragraphCount } = modelStats(model);
    const blockCount = paragraphCount + bySection[1] + bySection[2] + bySection[3] + bySection[4];
    expect(blockCount).toBe(title === '' ? 2 : 1);
  });

  it('keeps masks in the title as plain text', () => {
    expect(importPlainText('**局2022年度述职报告\n正文。').title).toBe('**局2022年度述职报告');
  });

  it('ignores blank lines and strips the official indent', () => {
    const model = importPlainText('标题\n\n\n　　第一段。\n\n  第二段。  \n');
    expect(paragraphs(model.blocks)).toEqual(['第一段。', '第二段。']);
  });

  it('keeps level-1 lines whole even with sentence punctuation', () => {
    const [section] = sections(importPlainText('标题\n一、总体情况。一年来成绩显著').blocks);
    expect(section).toMatchObject({ level: 1, runIn: false, body: [] });
    expect(text(section?.title ?? [])).toBe('总体情况。一年来成绩显著');
  });

  it('splits run-in level 2–4 headings after the first sentence', () => {
    const model = importPlainText('标题\n一、甲\n（一）落实责任！全年开展*次。\n1.加强学习？共*项\n（1）细化措施。已完成');
    const l2 = sections(sections(model.blocks)[0]?.body ?? [])[0];
    expect(text(l2?.title ?? [])).toBe('落实责任！');
    expect(l2?.runIn).toBe(true);
    expect(paragraphs(l2?.body ?? [])).toEqual(['全年开展*次。']);
    const l3 = sections(l2?.body ?? [])[0];
    expect([text(l3?.title ?? []), l3?.runIn, paragraphs(l3?.body ?? [])]).toEqual(['加强学习？', true, ['共*项']]);
    const l4 = sections(l3?.body ?? [])[0];
    expect([l4?.level, text(l4?.title ?? []), paragraphs(l4?.body ?? [])]).toEqual([4, '细化措施。', ['已完成']]);
  });

  it('treats a title-only level 2+ heading as standalone', () => {
    const model = importPlainText('标题\n（一）落实党建政治责任\n正文一。\n（二）完成重大政治任务。\n正文二。');
    const [first, second] = sections(model.blocks);
    expect(first).toMatchObject({ level: 2, runIn: false });
    expect(text(first?.title ?? [])).toBe('落实党建政治责任');
    expect(paragraphs(first?.body ?? [])).toEqual(['正文一。']);
    expect(second).toMatchObject({ level: 2, runIn: false });
    expect(text(second?.title ?? [])).toBe('完成重大政治任务。');
    expect(paragraphs(second?.body ?? [])).toEqual(['正文二。']);
  });

  it('does not split inside quotes or book titles', () => {
    const model = importPlainText('标题\n（一）开展“学习。实践。”活动。随后总结。\n（二）学习《决定。》精神。全文');
    const [first, second] = sections(model.blocks);
    expect(text(first?.title ?? [])).toBe('开展“学习。实践。”活动。');
    expect(paragraphs(first?.body ?? [])).toEqual(['随后总结。']);
    expect(text(second?.title ?? [])).toBe('学习《决定。》精神。');
  });

  it('keeps a heading whole when its only sentence end is inside its quotes (found by plainText.property.test.ts)', () => {
    const model = importPlainText('标题\n一、强化引领\n（一）开展“不忘初心。”主题教育\n全年开展*次。');
    const [level2] = sections(sections(model.blocks)[0]?.body ?? []);
    expect(text(level2?.title ?? [])).toBe('开展“不忘初心。”主题教育');
    expect(level2?.runIn).toBe(false);
    expect(paragraphs(level2?.body ?? [])).toEqual(['全年开展*次。']);
    expect(splitFirstSentence('学习《决定。》精神')).toEqual(['学习《决定。》精神', '']);
  });

  it('falls back to the first sentence end when a quote is never closed', () => {
    expect(splitFirstSentence('开展“学习活动。随后总结')).toEqual(['开展“学习活动。', '随后总结']);
    expect(splitFirstSentence('没有句号')).toEqual(['没有句号', '']);
    expect(splitFirstSentence('连续标点？！后文')).toEqual(['连续标点？！', '后文']);
  });

  it('turns masks in titles and paragraphs into placeholders', () => {
    const model = importPlainText('标题\n一、**局工作情况\n（一）召开*次会议。投入＊＊亿元，增长*.*%。');
    const [level1] = sections(model.blocks);
    expect(level1?.title).toEqual([
      { type: 'placeholder', text: '**', kind: 'org' },
      { type: 'text', text: '局工作情况' },
    ]);
    const [level2] = sections(level1?.body ?? []);
    expect(level2?.title).toEqual([
      { type: 'text', text: '召开' },
      { type: 'placeholder', text: '*', kind: 'count' },
      { type: 'text', text: '次会议。' },
    ]);
    expect(listPlaceholders(model).map((p) => [p.text, p.kind])).toEqual([
      ['**', 'org'],
      ['*', 'count'],
      ['＊＊', 'amount'],
      ['*.*', 'percent'],
    ]);
  });

  it('nests by level: deeper under shallower, equal or shallower closes', () => {
    const model = importPlainText(
      ['标题', '前言。', '一、甲', '1.跳级', '（一）乙', '1.丙', '（1）丁', '2.戊', '（二）己', '二、庚', '结语。'].join('\n'),
    );
    const outline = (blocks: readonly Block[]): unknown[] =>
      blocks.map((block) =>
        block.type === 'paragraph'
          ? inlineText(block.content)
          : { [`${block.level}:${text(block.title)}`]: outline(block.body) },
      );
    expect(outline(model.blocks)).toEqual([
      '前言。',
      {
        '1:甲': [
          { '3:跳级': [] },
          { '2:乙': [{ '3:丙': [{ '4:丁': [] }] }, { '3:戊': [] }] },
          { '2:己': [] },
        ],
      },
      { '1:庚': ['结语。'] },
    ]);
  });

  it('keeps sections that start without a level-1 parent at top level', () => {
    const model = importPlainText('（一）甲。正文\n（二）乙');
    expect(model.title).toBe('');
    expect(sections(model.blocks).map((s) => [s.level, text(s.title)])).toEqual([
      [2, '甲。'],
      [2, '乙'],
    ]);
  });

  it('reads decimal and list lines as paragraphs, not headings', () => {
    const model = importPlainText('标题\n一、甲\n1.5亿元资金已到位。\n三、四月份开展检查。');
    const [level1] = sections(model.blocks);
    expect(sections(model.blocks)).toHaveLength(1);
    expect(paragraphs(level1?.body ?? [])).toEqual(['1.5亿元资金已到位。', '三、四月份开展检查。']);
  });

  it('counts sections by level and placeholders by kind', () => {
    const model = importPlainText('标题\n一、甲\n（一）乙。于*月*日召开，第*次\n1.丙\n（1）丁');
    expect(modelStats(model)).toEqual({
      sections: { 1: 1, 2: 1, 3: 1, 4: 1 },
      paragraphs: 1,
      placeholders: { count: 0, amount: 0, percent: 0, date: 1, ordinal: 1, name: 0, org: 0, text: 0 },
      totalPlaceholders: 2,
    });
  });
});
