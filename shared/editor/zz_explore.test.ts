import { readFileSync } from 'node:fs'
import { test } from 'vitest'
import { schema } from './schema'
import { plainTextToDocJSON } from './lib/plainText'
import { analyzeReport } from './lib/analyzeReport'
test('x', () => {
  const sample = readFileSync(new URL('../report/__fixtures__/2022-party-building-report.txt', import.meta.url), 'utf8')
  const doc = schema.nodeFromJSON(plainTextToDocJSON(sample))
  const a = analyzeReport(doc)
  console.log(a.title)
  for (const s of a.sections) console.log(s.pos, s.level, s.ordinal, s.label, s.parent, s.unfilled, s.path.join(' / '))
  for (const p of a.placeholders) console.log(p.kind, JSON.stringify(p.text), p.filled, p.section, p.sectionPath.join('/'), p.context)
  doc.forEach((c, o) => console.log(o, c.type.name, c.attrs, c.childCount))
})
