import { useState } from 'react'
import { api } from '../../api'
import { t } from '../../strings'
import { MergeWordItem } from '../word/MergeWord'

/** 下载: Word with suggestions and comments, a clean Word copy, or PDF (when the server has LibreOffice). */
export function ExportMenu({ documentId, canMerge = false }: { documentId: string; canMerge?: boolean }) {
  const [open, setOpen] = useState(false)
  const links = [
    { label: t.exporting.docxAsIs, href: api.exportUrl(documentId, 'docx', 'as-is') },
    { label: t.exporting.docxClean, href: api.exportUrl(documentId, 'docx', 'clean') },
    { label: t.exporting.pdf, href: api.exportUrl(documentId, 'pdf', 'as-is') },
  ]
  return (
    <span className="menu">
      <button type="button" className="tool" aria-expanded={open} onClick={() => setOpen(!open)}>
        {t.exporting.button} ▾
      </button>
      {/* Always mounted, hidden when closed: the merge item owns a file picker that answers after the menu closes. */}
      <span className="menu__list" role="menu" style={open ? undefined : { display: 'none' }} onClick={() => setOpen(false)}>
        {links.map((link) => (
          <a key={link.href} className="menu__item" role="menuitem" href={link.href} download>
            {link.label}
          </a>
        ))}
        {canMerge && <MergeWordItem documentId={documentId} />}
      </span>
    </span>
  )
}
