import { useState } from 'react'
import { api } from '../../api'
import { Toast } from '../../components/Toast'
import { errorMessage } from '../../errors'
import { t } from '../../strings'
import { saveFile } from '../../saveFile'
import { MergeWordItem } from '../word/MergeWord'

/**
 * 下载: Word with suggestions and comments, a clean Word copy, or PDF (when the server has LibreOffice).
 * Fetched rather than linked, so a refusal (unfilled figures for a clean copy, no LibreOffice) is shown
 * in Chinese instead of the browser silently doing nothing.
 */
export function ExportMenu({ documentId, title, canMerge = false }: { documentId: string; title: string; canMerge?: boolean }) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState('')
  const items = [
    { label: t.exporting.docxAsIs, url: api.exportUrl(documentId, 'docx', 'as-is'), name: `${title}.docx` },
    { label: t.exporting.docxClean, url: api.exportUrl(documentId, 'docx', 'clean'), name: `${title}.docx` },
    { label: t.exporting.pdf, url: api.exportUrl(documentId, 'pdf', 'as-is'), name: `${title}.pdf` },
  ]
  const download = async (url: string, name: string) => {
    setOpen(false)
    setMessage('')
    setBusy(true)
    try {
      const file = await api.download(url, name)
      saveFile(file.blob, file.name)
    } catch (failure) {
      setMessage(errorMessage(failure))
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="menu">
      <button type="button" className="tool" aria-expanded={open} disabled={busy} onClick={() => setOpen(!open)}>
        {busy ? t.exporting.preparing : `${t.exporting.button} ▾`}
      </button>
      {/* Always mounted, hidden when closed: the merge item owns a file picker that answers after the menu closes. */}
      <span className="menu__list" role="menu" style={open ? undefined : { display: 'none' }}>
        {items.map((item) => (
          <button key={item.url} type="button" className="menu__item" role="menuitem" onClick={() => void download(item.url, item.name)}>
            {item.label}
          </button>
        ))}
        {canMerge && (
          <span onClick={() => setOpen(false)}>
            <MergeWordItem documentId={documentId} />
          </span>
        )}
      </span>
      {message && (
        <Toast title={t.exporting.failed} testId="export-error" onClose={() => setMessage('')}>
          {message}
        </Toast>
      )}
    </span>
  )
}
