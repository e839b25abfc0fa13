import type { EditorMode } from '../../../shared/editor/suggestions/SuggestChanges'
import { t } from '../strings'

const MODES: EditorMode[] = ['edit', 'suggest', 'view']
const HINTS = { edit: t.modes.editHint, suggest: t.modes.suggestHint, view: t.modes.viewHint }

/** 编辑 / 建议 / 查看, plus (in 查看) the choice between showing suggestions and previewing the accepted text. */
export function ModeSwitcher(props: {
  mode: EditorMode
  allowed: EditorMode[]
  onMode: (mode: EditorMode) => void
  preview: boolean
  onPreview: (preview: boolean) => void
}) {
  return (
    <div className="mode-switcher" role="group" aria-label={t.modes.label} data-testid="mode-switcher">
      {MODES.filter((mode) => props.allowed.includes(mode)).map((mode) => (
        <button
          key={mode}
          type="button"
          className={`mode-switcher__option${props.mode === mode ? ' mode-switcher__option--active' : ''}`}
          aria-pressed={props.mode === mode}
          title={HINTS[mode]}
          onClick={() => props.onMode(mode)}
        >
          {t.modes[mode]}
        </button>
      ))}
      {props.mode === 'view' && (
        <label className="mode-switcher__preview">
          <input type="checkbox" checked={props.preview} onChange={(event) => props.onPreview(event.target.checked)} />
          {t.modes.previewAccepted}
        </label>
      )}
    </div>
  )
}
