/**
 * Well-formed reports for property tests of import and export: a title, paragraphs before sections at
 * every level, sections one to four levels deep (a skipped level included), run-in headings, masked
 * figures and quotations in titles and text, a 署名 and a 落款 — in the form the plain-text import
 * gives (its inlines from `toInlines`), so an export of one imported again can be compared with it.
 * Test-only.
 */
import fc from 'fast-check';
import { toInlines } from '../report/inlines';
import type { Block, ParagraphBlock, ReportModel, SectionBlock } from '../report/model';
import { HEADING_LEVELS, type HeadingLevel } from '../report/numbering';

/** Words, with no numeral, digit, bracket or sentence end: what each part of a line is made of. */
const WORDS = '强化政治引领贯彻中央部署落实党建责任加强队伍建设推动业务发展学习教育制度';
const word = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((chars) => chars.join(''));
/** A masked figure as drafts carry them. */
const mask = fc.constantFrom('*次', '**局', '***教授', '**名', '*个');
/** Words and masked figures, never starting with a mask (a heading's ordinal never touches one). */
const phrase = fc
  .tuple(word, fc.array(fc.tuple(mask, word), { maxLength: 2 }))
  .map(([first, rest]) => first + rest.map(([m, w]) => m + w).join(''));
/** A phrase, or one quoting a document or a slogan — whose own sentence end does not end the sentence. */
const quoting = fc.oneof(
  { weight: 3, arbitrary: phrase },
  fc.tuple(word, phrase, fc.constantFrom(['《', '》'], ['“', '”'], ['“', '。”'], ['（', '）']), word).map(([a, quoted, [open, close], b]) => `${a}${open}${quoted}${close}${b}`),
);
/** A paragraph: sentences of clauses, each ending 。！ or ？, so it never reads as a title, a 署名 or a 落款. */
const sentence = fc.tuple(fc.array(quoting, { minLength: 1, maxLength: 3 }), fc.constantFrom('。', '！', '？')).map(([clauses, end]) => clauses.join('，') + end);
const paragraphText = fc.array(sentence, { minLength: 1, maxLength: 2 }).map((sentences) => sentences.join(''));
const paragraph: fc.Arbitrary<ParagraphBlock> = paragraphText.map((text) => ({ type: 'paragraph', content: toInlines(text) }));

/**
 * Sections under a parent of `parentLevel`, then their own. Siblings never go deeper than the one
 * before them (a deeper heading would open inside it), and a section's paragraphs come before its
 * subsections (a paragraph after a subsection belongs to that subsection): the reading order the
 * editor keeps.
 */
function sectionsUnder(parentLevel: number, depth: number): fc.Arbitrary<SectionBlock[]> {
  const levels = HEADING_LEVELS.filter((level) => level > parentLevel);
  if (depth === 0 || levels.length === 0) return fc.constant([]);
  const one = fc.constantFrom(...levels).chain((level) =>
    fc.record({
      level: fc.constant(level),
      title: quoting,
      runIn: level === 1 ? fc.constant(false) : fc.boolean(),
      paragraphs: fc.array(paragraph, { maxLength: 2 }),
      children: sectionsUnder(level, depth - 1),
    }),
  );
  return fc.array(one, { maxLength: 3 }).map((drafts) => {
    // Each sibling at most as deep as the one before (1. 2. then （一）, never （一） then 1.).
    const sorted = [...drafts].sort((a, b) => b.level - a.level);
    return sorted.map(({ level, title, runIn, paragraphs, children }): SectionBlock => {
      // A run-in title is the first sentence of its first paragraph's line.
      const inline = runIn && paragraphs.length > 0;
      return {
        type: 'section',
        level: level as HeadingLevel,
        title: toInlines(inline ? `${title}。` : title),
        runIn: inline,
        body: [...paragraphs, ...children],
      };
    });
  });
}

/** A 署名 line under the title, in the forms drafts use. */
const author = fc.oneof(
  word.map((w) => `述职人：${w}`),
  fc.constantFrom('**市**局', '张**', '王明', '（**局办公室）', '**市**局 李华'),
);
/** A 落款: the issuing unit (or none) and the 成文日期 in its standard form or masked. */
const signature = fc.record({
  unit: fc.oneof(fc.constant(''), word.map((w) => `**市${w}局`)),
  date: fc.constantFrom('2023年1月15日', '2022年12月30日', '2023年*月*日', '20**年*月*日'),
});

export const reportModel: fc.Arbitrary<ReportModel> = fc
  .record({
    title: word,
    intro: fc.array(paragraph, { maxLength: 2 }),
    sections: sectionsUnder(0, 4),
    author: fc.option(author, { nil: undefined }),
    signature: fc.option(signature, { nil: undefined }),
  })
  .map(({ title, intro, sections, author, signature }) => {
    const blocks: Block[] = [...intro, ...sections];
    // A 署名 needs a line after it, and a 落款 some body before it (a lone date is not a report).
    return {
      title,
      ...(author !== undefined && blocks.length > 0 ? { author } : {}),
      blocks,
      ...(signature !== undefined && blocks.length > 0 ? { signature } : {}),
    };
  });
