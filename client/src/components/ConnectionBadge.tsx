import type { SessionState } from '../collab/CollabSession'
import { t } from '../strings'

const LABELS = {
  connected: t.connection.connected,
  connecting: t.connection.connecting,
  reconnecting: t.connection.reconnecting,
  offline: t.connection.offline,
} as const

export function ConnectionBadge({ state }: { state: SessionState }) {
  const { status, pendingChanges } = state
  const detail =
    pendingChanges > 0 ? `${t.connection.pending(pendingChanges)}。${t.connection.savedLocally}` : status === 'connected' ? t.connection.synced : ''
  return (
    <span className={`connection connection--${status}`} data-testid="connection" data-status={status} title={detail}>
      <span className="connection__dot" />
      {LABELS[status]}
      {pendingChanges > 0 && <span className="connection__pending">（{t.connection.pending(pendingChanges)}）</span>}
    </span>
  )
}
