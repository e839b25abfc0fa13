import { useState, type FormEvent } from 'react'
import { t } from '../strings'

/** Asks once for the name collaborators will see; shown until a name is given. */
export function NamePrompt({ initial = '', onSubmit, onCancel }: { initial?: string; onSubmit: (name: string) => void; onCancel?: () => void }) {
  const [name, setName] = useState(initial)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) onSubmit(name.trim())
  }
  return (
    <div className="modal-backdrop">
      <form className="modal" onSubmit={submit} aria-labelledby="name-prompt-title">
        <h2 id="name-prompt-title">{t.identity.title}</h2>
        <p>{t.identity.prompt}</p>
        <input
          autoFocus
          value={name}
          maxLength={32}
          placeholder={t.identity.placeholder}
          onChange={(event) => setName(event.target.value)}
          aria-label={t.identity.placeholder}
        />
        <div className="modal__actions">
          {onCancel && (
            <button type="button" className="button" onClick={onCancel}>
              {t.list.cancel}
            </button>
          )}
          <button type="submit" className="button button--primary" disabled={!name.trim()}>
            {t.identity.confirm}
          </button>
        </div>
      </form>
    </div>
  )
}
