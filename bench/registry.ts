/**
 * Every benchmark scenario, in run order. To add one (e.g. the editor-in-Chromium scenarios of
 * issue 7, to be written separately), implement `Scenario` from ./types in scenarios/ and list it
 * here; the runner, the table and the results files pick it up. Scenarios that drive a browser can
 * set `servers: ['huigao']` (only Huigao serves the editor).
 */
import { w1 } from './scenarios/w1-busy'
import { w2 } from './scenarios/w2-fanout'
import { w3 } from './scenarios/w3-many-docs'
import { w4 } from './scenarios/w4-trace'
import { w5 } from './scenarios/w5-cold-load'
import { w6 } from './scenarios/w6-crash'
import { w7 } from './scenarios/w7-storm'
import { w8 } from './scenarios/w8-cluster'
import { w9 } from './scenarios/w9-review'
import { editor } from './scenarios/editor'
import type { Scenario } from './types'

export const SCENARIOS: Scenario[] = [
  w1,
  w2,
  w3,
  w4,
  w5,
  w6,
  w7,
  // Several processes behind nginx on PostgreSQL (Huigao only).
  w8,
  // Reviewers' cost (Huigao only: the references have no roles).
  w9,
  // The editor in Chromium (Huigao only).
  editor,
]
