import { ERROR_CODES } from '../../shared/errorCodes'
import express, { Router } from 'express'
import { updateYFragment } from '@tiptap/y-tiptap'
import { readThreads } from '../../shared/comments/threads'
import { CONTENT_FRAGMENT, yDocToNode } from '../../shared/editor/lib/ydoc'
import { canEdit } from '../../shared/roles'
import { mergeRevisions, type WordMergeReport } from '../../shared/word/mergeRevisions'
import { DocxReadError, readDocx } from '../../shared/word/readDocx'
import { writeThreads } from '../../shared/word/threadsToYdoc'
import type { AccountStore } from '../accounts/AccountStore'
import type { DocumentService } from '../documents/DocumentService'
import { accountAuthors } from '../export/authors'
import { requireUser } from './auth'
import { documentParam, requireDraft, requireRole } from './documentsRouter'
import { HttpError } from './errors'

const DOCX_MAX_BYTES = 10 * 1024 * 1024

/** Origin of the transaction that writes merged Word revisions into the live document. */
export const MERGE_ORIGIN = 'word-merge'

/**
 * POST /:id/merge-docx (合并 Word 修订): the revisions and comments of a .docx reviewed in Word, applied to
 * the live report as suggestions and threads by their Word authors, in one change everyone receives.
 * Editors only; answers what was applied and what no longer fits (`WordMergeReport`).
 */
export function wordRouter(documents: DocumentService, accounts: AccountStore): Router {
  const router = Router()
  router.use(requireUser)
  router.param('id', documentParam(documents))

  router.post('/:id/merge-docx', express.raw({ type: () => true, limit: DOCX_MAX_BYTES }), async (req, res) => {
    const document = requireRole(req, canEdit, 'merge Word revisions into this document')
    requireDraft(document, 'merge Word revisions')
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new HttpError(400, 'Send the .docx file as the request body', ERROR_CODES.docxUnreadable)
    const word = await readDocx(req.body).catch((error: unknown) => {
      throw error instanceof DocxReadError ? new HttpError(400, `Cannot merge: ${error.message}`, ERROR_CODES.docxUnreadable) : error
    })
    const resolve = await accountAuthors(accounts)
    const report = await documents.read(document.id, (ydoc): WordMergeReport => {
      const merged = mergeRevisions(yDocToNode(ydoc), word, resolve, readThreads(ydoc))
      if (merged.applied > 0 || merged.threads.length > 0) {
        ydoc.transact(() => {
          updateYFragment(ydoc, ydoc.getXmlFragment(CONTENT_FRAGMENT), merged.doc, { mapping: new Map(), isOMark: new Map() })
          writeThreads(ydoc, merged.threads)
        }, MERGE_ORIGIN)
      }
      return { applied: merged.applied, threads: merged.threads.length, alreadyPresent: merged.alreadyPresent, unmatched: merged.unmatched }
    })
    res.json(report)
  })
  return router
}
