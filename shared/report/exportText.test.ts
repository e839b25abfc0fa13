import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportPlainText } from './exportText';
import { importPlainText } from './importText';
import type { ReportModel } from './model';

const SAMPLE = readFileSync(new URL('./__fixtures__/2022-party-building-report.txt', import.meta.url), 'utf8');

describe('exportPlainText', () => {
  it('reproduces the sample byte for byte', () => {
    expect(exportPlainText(importPlainText(SAMPLE))).toBe(SAMPLE);
  });

  it('derives ordinals from position, so moved sections renumber', () => {
    const model = importPlainText('标题\n一、甲\n（一）子一\n（二）子二\n二、乙');
    const [first, second] = model.blocks;
    const reordered: ReportModel = { ...model, blocks: [second, first].filter((b) => b !== undefined) };
    expect(exportPlainText(reordered)).toBe('标题\n\n一、乙\n二、甲\n（一）子一\n（二）子二\n');
  });

  it('prints a run-in heading alone when its body no longer starts with a paragraph', () => {
    const model: ReportModel = {
      title: '',
      blocks: [
        {
          type: 'section',
          level: 2,
          title: [{ type: 'text', text: '标题。' }],
          runIn: true,
          body: [{ type: 'section', level: 3, title: [{ type: 'text', text: '子项' }], runIn: false, body: [] }],
        },
      ],
    };
    expect(exportPlainText(model)).toBe('（一）标题。\n1.子项\n');
  });

  it('round-trips placeholders and deep nesting', () => {
    const text = '述职\n\n前言**局。\n一、甲\n（一）乙。第*次，于*月*日\n1.丙\n（1）丁。*.*%\n（2）戊\n2.己\n二、庚\n';
    expect(exportPlainText(importPlainText(text))).toBe(text);
  });
});
