import * as Y from 'yjs'
import { analyzeReport } from '../../shared/editor/lib/analyzeReport'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import { parseWorkflow, WORKFLOW_ATTR, type SectionWorkflow } from '../../shared/sections/workflow'
import type { CollabDocument } from '../collab/CollabDocument'
import type { CollabExtension } from '../collab/hooks'
import { roleOf } from '../documents/DocumentService'
import type { Catalog } from '../storage/Catalog'
import { connectionSender } from './commentReplies'
import type { NotificationCenter, NotificationEvent } from '../notifications/NotificationCenter'
import { componentLogger } from '../logger'

const log = componentLogger('notifications')

/**
 * 「你被指定为……的负责人」 and 「你负责的……被退回」: read from the section records (shared/sections/workflow.ts)
 * as a connection changes them. The handler runs once per transaction and looks only at section
 * elements whose `workflow` attribute changed, so typing costs a look at the transaction's changed
 * types; the section's label is computed only when there is something to send.
 */
export class SectionEventNotifier implements CollabExtension {
  constructor(
    private readonly catalog: Catalog,
    private readonly center: NotificationCenter,
  ) {}

  async onLoadDocument({ document }: { document: CollabDocument }): Promise<void> {
    // afterTransaction rather than a deep observer on the content: a deep observer makes Yjs compute the
    // path of every changed node on many keystrokes; `transaction.changed` is already there.
    document.ydoc.on('afterTransaction', (transaction: Y.Transaction) => {
      const sender = connectionSender(transaction)
      if (!sender) return
      // A plain loop, not forEach with a closure: this runs for every keystroke of everyone.
      for (const [type, keys] of transaction.changed) {
        if (!(type instanceof Y.XmlElement) || !keys.has(WORKFLOW_ATTR) || type.nodeName !== 'section') continue
        const current = type._map.get(WORKFLOW_ATTR)
        if (!current || current.deleted) continue
        // The value it replaced is the item to its left (deleted in this same transaction, not yet collected).
        const after = parseWorkflow(current.content.getContent()[0])
        const before = parseWorkflow(current.left?.content.getContent()[0])
        if (after) this.send(document, sender, before, after)
      }
    })
  }

  private send(document: CollabDocument, sender: { id: string; name: string }, before: SectionWorkflow | null, after: SectionWorkflow): void {
    const meta = this.catalog.get(document.name)
    if (!meta) return
    const member = (id: string) => id !== sender.id && roleOf(meta, id) !== null
    const added = after.assignees.filter((p) => !before?.assignees.some((q) => q.id === p.id)).map((p) => p.id).filter(member)
    const last = after.log.at(-1)
    const isNewEntry = last !== undefined && JSON.stringify(last) !== JSON.stringify(before?.log.at(-1))
    const sentBack = isNewEntry && last.action === 'return' ? after.assignees.map((p) => p.id).filter(member) : []
    if (added.length === 0 && sentBack.length === 0) return
    const sectionLabel = labelOf(document.ydoc, after.id)
    const event = (kind: NotificationEvent['kind']): NotificationEvent => ({ kind, documentId: meta.id, documentTitle: meta.title, actorName: sender.name, sectionLabel })
    const failed = (error: unknown) => log.error(`${document.name}: ${(error as Error).message}`)
    if (added.length > 0) void this.center.notify(added, event('sectionAssigned')).catch(failed)
    if (sentBack.length > 0) void this.center.notify(sentBack, event('sectionSentBack')).catch(failed)
  }
}

/** 「一、工作回顾」 of the section whose record has this id, or null. */
function labelOf(ydoc: Y.Doc, recordId: string): string | null {
  const doc = yDocToNode(ydoc)
  const section = analyzeReport(doc).sections.find((info) => parseWorkflow(doc.nodeAt(info.pos)?.attrs[WORKFLOW_ATTR])?.id === recordId)
  return section?.label ?? null
}
