/**
 * Plain text round trip: any well-formed report (shared/testing/reportModels.ts) exported as text
 * (ordinals derived from its shape) and imported again is the same report. A draft pasted or uploaded
 * as text after an export comes back as it left.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns } from '../testing/propertyRuns';
import { reportModel } from '../testing/reportModels';
import { exportPlainText } from './exportText';
import { importPlainText } from './importText';

describe('plain text export and import (property)', () => {
  it('a report exported as text imports as the same report', () => {
    fc.assert(
      fc.property(reportModel, (model) => {
        const text = exportPlainText(model);
        expect(importPlainText(text)).toEqual(model);
        expect(exportPlainText(importPlainText(text))).toBe(text);
      }),
      propertyRuns(500),
    );
  });
});
