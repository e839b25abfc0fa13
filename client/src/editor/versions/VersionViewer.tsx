import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { documentExtensions } from '../../../../shared/editor/extensions'
import { api, type Change, type VersionInfo } from '../../api'
import { Modal } from '../../components/Modal'
import { t } from '../../strings'
import { pageAttributes } from '../pageAttributes'

/** One version, read-only, or its differences from the current text. */
export function VersionViewer({ documentId, version, onClose }: { documentId: string; version: VersionInfo; onClose: () => void }) {
  const [tab, setTab] = useState<'view' | 'compare'>('view')
  const [changes, setChanges] = useState<Change[] | null>(null)
  const editor = useEditor({
    extensions: documentExtensions(),
    editable: false,
    editorProps: { attributes: pageAttributes(t.versions.body(version.name), { class: 'page__content', 'aria-readonly': 'true' }) },
  })

  useEffect(() => {
    if (!editor) return
    api.getVersion(documentId, version.id).then((full) => editor.commands.setContent(full.doc, { emitUpdate: false }), () => undefined)
  }, [editor, documentId, version.id])
  useEffect(() => {
    if (tab === 'compare' && !changes) api.compareVersion(documentId, version.id).then((result) => setChanges(result.changes), () => setChanges([]))
  }, [tab, changes, documentId, version.id])

  return (
    <Modal className="version-viewer" label={t.versions.viewing(version.name)} testId="version-viewer" onClose={onClose}>
      <div className="version-viewer__head">
        <h2>{t.versions.viewing(version.name)}</h2>
        <div className="tabs tabs--inline">
          <button type="button" className={`tab${tab === 'view' ? ' tab--active' : ''}`} onClick={() => setTab('view')}>
            {t.versions.view}
          </button>
          <button type="button" className={`tab${tab === 'compare' ? ' tab--active' : ''}`} onClick={() => setTab('compare')}>
            {t.versions.compare}
          </button>
        </div>
        <button type="button" className="button" onClick={onClose}>
          {t.versions.close}
        </button>
      </div>
      <div className="version-viewer__body">
        {tab === 'view' ? (
          <article className="page page--compact">
            <EditorContent editor={editor} />
          </article>
        ) : (
          <div className="diff" data-testid="version-diff">
            <p className="panel__summary">{t.versions.legend}</p>
            {changes?.every((change) => change.type === 'equal') && <p>{t.versions.noChanges}</p>}
            <pre className="diff__text">
              {changes?.map((change, index) =>
                change.type === 'insert' ? <ins key={index}>{change.text}</ins> : change.type === 'delete' ? <del key={index}>{change.text}</del> : <span key={index}>{change.text}</span>,
              )}
            </pre>
          </div>
        )}
      </div>
    </Modal>
  )
}
