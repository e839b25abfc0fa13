import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react'
import { api, type Me, type UserInfo } from '../api'
import { errorMessage } from '../errors'
import { t } from '../strings'
import { RouteLink } from '../components/RouteLink'

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const [username, setUsername] = useState('')
  const [displayName, setDisplayName] = useState('')
  const [password, setPassword] = useState('')
  const [isAdmin, setIsAdmin] = useState(false)
  const [error, setError] = useState('')
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError('')
    try {
      await api.createUser({ username: username.trim(), displayName: displayName.trim(), password, isAdmin })
      setUsername('')
      setDisplayName('')
      setPassword('')
      setIsAdmin(false)
      onCreated()
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }
  return (
    <form className="card admin-form" onSubmit={submit} data-testid="create-user">
      <h2>{t.admin.create}</h2>
      <label className="field">
        {t.admin.username}
        <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="off" />
      </label>
      <label className="field">
        {t.admin.displayName}
        <input value={displayName} onChange={(event) => setDisplayName(event.target.value)} />
      </label>
      <label className="field">
        {t.admin.password}
        <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="new-password" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={isAdmin} onChange={(event) => setIsAdmin(event.target.checked)} />
        {t.admin.isAdmin}
      </label>
      {error && <p className="form-error">{error}</p>}
      <button type="submit" className="button button--primary" disabled={!username.trim() || !displayName.trim() || password.length < 8}>
        {t.admin.create}
      </button>
    </form>
  )
}

export function AdminPage({ me, userMenu }: { me: Me; userMenu: ReactNode }) {
  const [users, setUsers] = useState<UserInfo[]>([])
  const [message, setMessage] = useState('')
  const reload = useCallback(() => {
    api.listUsers().then(setUsers, (failure: unknown) => setMessage(errorMessage(failure)))
  }, [])
  useEffect(reload, [reload])

  const act = async (action: () => Promise<unknown>, done?: string) => {
    try {
      await action()
      setMessage(done ?? '')
      reload()
    } catch (failure) {
      setMessage(errorMessage(failure))
    }
  }
  const resetPassword = (user: UserInfo) => {
    const password = window.prompt(t.admin.newPassword(user.displayName))
    if (password) void act(() => api.updateUser(user.username, { password }), t.admin.passwordReset)
  }

  return (
    <div className="list-layout">
      <header className="topbar">
        <RouteLink route={{ page: 'list' }} className="button button--ghost topbar__back">
          ← {t.appName}
        </RouteLink>
        <h1 className="topbar__title">{t.admin.title}</h1>
        {userMenu}
      </header>
      <main className="list-main">
        {!me.isAdmin ? (
          <p className="notice notice--error">{t.admin.notAdmin}</p>
        ) : (
          <>
            <CreateUserForm onCreated={reload} />
            {message && <p className="notice">{message}</p>}
            <ul className="doc-list" data-testid="user-list">
              {users.map((user) => (
                <li key={user.id} className="doc-row" data-testid="user-row">
                  <span className="doc-row__title">
                    {user.displayName} <small className="muted">@{user.username}</small>
                    {user.isAdmin && <span className="role-badge">{t.admin.isAdmin}</span>}
                  </span>
                  <span className={user.disabled ? 'status status--off' : 'status'}>{user.disabled ? t.admin.disabled : t.admin.active}</span>
                  {user.id !== me.id && (
                    <span className="doc-row__actions">
                      <button type="button" className="button button--ghost" onClick={() => resetPassword(user)}>
                        {t.admin.resetPassword}
                      </button>
                      <button type="button" className="button button--ghost button--danger" onClick={() => void act(() => api.updateUser(user.username, { disabled: !user.disabled }))}>
                        {user.disabled ? t.admin.enable : t.admin.disable}
                      </button>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </main>
    </div>
  )
}
