import { gunzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
import * as Y from 'yjs'
const t0 = performance.now()
const data = JSON.parse(gunzipSync(readFileSync('/work/main/bench/data/automerge-paper.json.gz')).toString())
console.log('parse', performance.now() - t0, data.txns.length, data.startContent.length)
let t = performance.now()
const doc = new Y.Doc(); const text = doc.getText('t'); const ups: Uint8Array[] = []
doc.on('update', (u: Uint8Array) => ups.push(u))
for (const txn of data.txns) for (const [pos, del, ins] of txn.patches) doc.transact(() => { if (del) text.delete(pos, del); if (ins) text.insert(pos, ins) })
console.log('per-patch replay', performance.now() - t, ups.length, text.toString() === data.endContent)
const st = Y.encodeStateAsUpdate(doc); console.log('state bytes', st.length, 'updates bytes', ups.reduce((a, u) => a + u.length, 0))
t = performance.now(); const d2 = new Y.Doc(); Y.applyUpdate(d2, st); console.log('apply state', performance.now() - t)
t = performance.now(); const d3 = new Y.Doc(); d3.transact(() => { for (const u of ups) Y.applyUpdate(d3, u) }); console.log('apply 260k updates in one txn', performance.now() - t, d3.getText('t').toString() === data.endContent)
t = performance.now(); const m = Y.mergeUpdates(ups); console.log('merge', performance.now() - t, m.length)
// 100 fields in one transaction each
t = performance.now(); const big = new Y.Doc()
for (let f = 0; f < 3; f++) { const tx = big.getText('t' + f); big.transact(() => { for (const txn of data.txns) for (const [pos, del, ins] of txn.patches) { if (del) tx.delete(pos, del); if (ins) tx.insert(pos, ins) } }) }
console.log('3 fields single-txn', performance.now() - t, Y.encodeStateAsUpdate(big).length)
