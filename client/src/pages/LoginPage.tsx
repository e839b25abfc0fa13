import { useState, type FormEvent } from 'react'
import { api, type Me } from '../api'
import { errorMessage } from '../errors'
import { t } from '../strings'

export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    try {
      onSignedIn(await api.login(username.trim(), password))
    } catch (failure) {
      setError(`${t.auth.failed}：${errorMessage(failure)}`)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="login">
      <form className="modal login__card" onSubmit={submit}>
        <h2 className="login__brand">
          <span className="brand__mark">会</span>
          {t.auth.title}
        </h2>
        <label className="field">
          {t.auth.username}
          <input autoFocus autoComplete="username" value={username} onChange={(event) => setUsername(event.target.value)} />
        </label>
        <label className="field">
          {t.auth.password}
          <input type="password" autoComplete="current-password" value={password} onChange={(event) => setPassword(event.target.value)} />
        </label>
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="button button--primary login__submit" disabled={busy || !username.trim() || !password}>
          {busy ? t.auth.signingIn : t.auth.signIn}
        </button>
        <p className="login__hint">{t.auth.hint}</p>
      </form>
    </div>
  )
}
