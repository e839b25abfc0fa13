import type { Editor } from '@tiptap/react'
import { useEffect, useState } from 'react'
import { analyzeReport, type SectionInfo } from '../../../../shared/editor/lib/analyzeReport'
import { colorFor } from '../../../../shared/editor/lib/colors'
import type { Role } from '../../../../shared/roles'
import { sectionAction } from '../../../../shared/sections/commands'
import type { SectionState } from '../../../../shared/sections/sectionTree'
import { actionsFor, standingOf, undoAction, type Person, type WorkflowAction } from '../../../../shared/sections/workflow'
import { api, type Member } from '../../api'
import { t } from '../../strings'
import { formatTime } from '../review/time'

export function Avatars({ people }: { people: Person[] }) {
  return (
    <span className="avatars">
      {people.map((person) => (
        <span key={person.id} className="avatar avatar--small" style={{ backgroundColor: colorFor(person.id) }} title={person.name} data-testid="assignee-avatar">
          {person.name.slice(-2)}
        </span>
      ))}
    </span>
  )
}

interface Props {
  editor: Editor
  documentId: string
  section: SectionInfo
  state: SectionState
  role: Role
  me: Person
  locked: boolean
  onClose: () => void
}

/**
 * A section's menu (分工与状态): the owner assigns drafters; each person sees the status changes the
 * state machine allows them (shared/sections/workflow.ts) and can undo their last change where allowed.
 */
export function SectionMenu({ editor, documentId, section, state, role, me, locked, onClose }: Props) {
  const [members, setMembers] = useState<Member[] | null>(null)
  const [chosen, setChosen] = useState<string[]>(() => (state.record?.assignees ?? []).map((p) => p.id))
  const [error, setError] = useState('')
  const standing = standingOf(role, state.assignees.some((p) => p.id === me.id))
  useEffect(() => {
    if (role !== 'owner') return
    api.listMembers(documentId).then(setMembers, () => setError(t.sections.refused))
  }, [documentId, role])
  const run = (action: WorkflowAction, assignees?: Person[]) => {
    // Looked up now: the panels refresh after a pause in typing, so the position may have moved.
    const now = analyzeReport(editor.state.doc).sections.find((s) => s.path.join('/') === section.path.join('/'))
    const pos = now?.pos ?? section.pos
    if (!editor.chain().command(({ state: s, dispatch }) => sectionAction(pos, action, me, assignees)(s, dispatch)).run()) setError(t.sections.refused)
    else onClose()
  }
  const drafters = (members ?? []).filter((m) => m.role === 'drafter')
  const actions = locked ? [] : actionsFor(state.status, standing).filter((a) => a !== 'assign')
  const undo = state.record && !locked ? undoAction(state.record, standing, me.id) : null
  const last = state.record?.log.at(-1)
  return (
    <div className="section-menu" role="dialog" aria-label={t.sections.menuOf(section.label)} data-testid="section-menu">
      <div className="section-menu__head">
        <strong>{section.label}</strong>
        <span className={`status status--${state.status}`}>{t.sections.status[state.status]}</span>
      </div>
      {last && <p className="section-menu__last">{t.sections.lastChange(last.by.name, t.sections.action[last.action], formatTime(last.at))}</p>}
      {role === 'owner' && !locked && (
        <fieldset className="section-menu__assign">
          <legend>{t.sections.assignees}</legend>
          {members && drafters.length === 0 && <p>{t.sections.noDrafters}</p>}
          {drafters.map((member) => (
            <label key={member.id} className="section-menu__person">
              <input
                type="checkbox"
                checked={chosen.includes(member.id)}
                onChange={(event) => setChosen(event.target.checked ? [...chosen, member.id] : chosen.filter((id) => id !== member.id))}
              />
              {member.displayName}
            </label>
          ))}
          <button type="button" className="button button--small" onClick={() => run('assign', drafters.filter((m) => chosen.includes(m.id)).map((m) => ({ id: m.id, name: m.displayName })))}>
            {t.sections.save}
          </button>
        </fieldset>
      )}
      {role !== 'owner' && <p className="section-menu__people">{t.sections.assignees}：{state.assignees.map((p) => p.name).join('、') || t.sections.noAssignees}</p>}
      <div className="section-menu__actions">
        {actions.map((action) => (
          <button key={action} type="button" className="button button--small" onClick={() => run(action)} data-action={action}>
            {t.sections.action[action]}
          </button>
        ))}
        {undo && (
          <button type="button" className="button button--small" onClick={() => run(undo)} data-action="undo">
            {t.sections.undo}（{t.sections.action[undo]}）
          </button>
        )}
        <button type="button" className="button button--small" onClick={onClose}>
          {t.sections.close}
        </button>
      </div>
      {error && <p className="form-error" role="alert">{error}</p>}
    </div>
  )
}
