import { useRef, useState } from 'react'
import type { UnmatchedRevision, WordMergeReport } from '../../../../shared/word/mergeRevisions'
import { api } from '../../api'
import { Modal } from '../../components/Modal'
import { errorMessage } from '../../errors'
import { t } from '../../strings'

/**
 * 合并 Word 修订: a menu item that sends a .docx reviewed in Word; its revisions arrive as suggestions
 * (through the live document, like anyone's edit), and a dialog says what was merged and lists, in
 * Chinese, every revision or comment whose surrounding text no longer matches.
 */
export function MergeWordItem({ documentId }: { documentId: string }) {
  const input = useRef<HTMLInputElement>(null)
  const [busy, setBusy] = useState(false)
  const [report, setReport] = useState<WordMergeReport | null>(null)
  const [error, setError] = useState<string | null>(null)

  const merge = async (file: File) => {
    setBusy(true)
    setError(null)
    try {
      setReport(await api.mergeDocx(documentId, file))
    } catch (failure) {
      setError(errorMessage(failure))
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }
  const close = () => {
    setReport(null)
    setError(null)
  }

  return (
    <>
      <button type="button" className="menu__item" role="menuitem" disabled={busy} onClick={() => input.current?.click()} data-testid="merge-word">
        {busy ? t.word.merging : t.word.merge}
      </button>
      <input
        ref={input}
        type="file"
        hidden
        accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        data-testid="merge-word-file"
        onChange={(event) => {
          const file = event.target.files?.[0]
          if (file) void merge(file)
        }}
      />
      {(report || error) && <MergeDialog report={report} error={error} onClose={close} />}
    </>
  )
}

const KIND: Record<UnmatchedRevision['kind'], string> = {
  insertion: t.word.kindInsertion,
  deletion: t.word.kindDeletion,
  comment: t.word.kindComment,
  paragraph: t.word.kindParagraph,
}

function MergeDialog({ report, error, onClose }: { report: WordMergeReport | null; error: string | null; onClose: () => void }) {
  return (
    // The shared dialog: Escape and the backdrop close it, like every other dialog.
    <Modal className="merge-dialog" label={t.word.merge} testId="merge-dialog" onClose={onClose}>
      <h2>{t.word.mergeTitle}</h2>
      {error && <p className="notice notice--error">{t.word.mergeFailed(error)}</p>}
      {report && (
        <>
          <p data-testid="merge-summary">{t.word.mergeSummary(report.applied, report.threads, report.alreadyPresent)}</p>
          {report.unmatched.length > 0 ? (
            <>
              <p>{t.word.unmatchedIntro(report.unmatched.length)}</p>
              <table className="merge-dialog__list" data-testid="merge-unmatched">
                <thead>
                  <tr>
                    <th>{t.word.colKind}</th>
                    <th>{t.word.colAuthor}</th>
                    <th>{t.word.colText}</th>
                    <th>{t.word.colContext}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.unmatched.map((item, index) => (
                    <tr key={index}>
                      <td>{KIND[item.kind]}</td>
                      <td>{item.author || t.word.unnamed}</td>
                      <td>{item.text}</td>
                      <td>{item.context ? `…${item.context}` : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p>{t.word.allMatched}</p>
          )}
        </>
      )}
      <div className="modal__actions">
        <button type="button" className="button button--primary" onClick={onClose}>
          {t.word.close}
        </button>
      </div>
    </Modal>
  )
}
