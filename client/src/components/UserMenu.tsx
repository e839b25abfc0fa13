import type { Me } from '../api'
import { navigate } from '../router'
import { t } from '../strings'

export function UserMenu({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  return (
    <span className="user-menu" data-testid="user-menu">
      <span className="user-menu__name">{me.displayName}</span>
      {me.isAdmin && (
        <button type="button" className="button button--ghost" onClick={() => navigate({ page: 'admin' })}>
          {t.admin.link}
        </button>
      )}
      <button type="button" className="button button--ghost" onClick={onSignOut}>
        {t.auth.signOut}
      </button>
    </span>
  )
}
