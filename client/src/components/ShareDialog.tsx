import { useCallback, useEffect, useState } from 'react'
import { SHAREABLE_ROLES, type Role } from '../../../shared/roles'
import { api, type DocumentMeta, type Member, type UserInfo } from '../api'
import { errorMessage } from '../errors'
import { t } from '../strings'
import { Modal } from './Modal'

/** The owner shares a document with named colleagues as 起草人, 审阅人 or 查看者. */
export function ShareDialog({ doc, onClose }: { doc: DocumentMeta; onClose: () => void }) {
  const [members, setMembers] = useState<Member[]>([])
  const [users, setUsers] = useState<UserInfo[]>([])
  const [chosen, setChosen] = useState('')
  const [role, setRole] = useState<Role>('drafter')
  const [error, setError] = useState('')
  const reload = useCallback(() => {
    api.listMembers(doc.id).then(setMembers, (failure: unknown) => setError(errorMessage(failure)))
  }, [doc.id])
  useEffect(() => {
    reload()
    api.listUsers().then(setUsers, () => undefined)
  }, [reload])

  const run = async (action: () => Promise<unknown>) => {
    setError('')
    try {
      await action()
      reload()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }
  const candidates = users.filter((user) => !members.some((member) => member.username === user.username))

  return (
    <Modal className="share" label={t.share.title(doc.title)} testId="share-dialog" onClose={onClose}>
      <h2>{t.share.title(doc.title)}</h2>
      <p>{t.share.roleHints}</p>
      <ul className="share__members">
        {members.map((member) => (
          <li key={member.username} className="share__member" data-testid="member-row">
            <span>
              {member.displayName} <small className="muted">@{member.username}</small>
            </span>
            {member.role === 'owner' ? (
              <span className="role-badge">{t.roles.owner}</span>
            ) : (
              <>
                <select aria-label={`${t.share.role}：${member.displayName}`} value={member.role} onChange={(event) => void run(() => api.setMember(doc.id, member.username, event.target.value as Role))}>
                  {SHAREABLE_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t.roles[r]}
                    </option>
                  ))}
                </select>
                <button type="button" className="button button--ghost button--danger" onClick={() => void run(() => api.removeMember(doc.id, member.username))}>
                  {t.share.remove}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <div className="share__add">
        <select aria-label={t.share.colleague} value={chosen} onChange={(event) => setChosen(event.target.value)}>
          <option value="">{t.share.choose}</option>
          {candidates.map((user) => (
            <option key={user.username} value={user.username}>
              {user.displayName}（{user.username}）
            </option>
          ))}
        </select>
        <select aria-label={t.share.role} value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {SHAREABLE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t.roles[r]}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--primary"
          disabled={!chosen}
          onClick={() =>
            void run(async () => {
              await api.setMember(doc.id, chosen, role)
              setChosen('')
            })
          }
        >
          {t.share.add}
        </button>
      </div>
      {error && <p className="form-error">{error}</p>}
      <div className="modal__actions">
        <button type="button" className="button" onClick={onClose}>
          {t.share.close}
        </button>
      </div>
    </Modal>
  )
}
