import type { Participant } from '../collab/usePresence'
import { t } from '../strings'
import { avatarText } from './avatarText'

export function PresenceBar({ participants }: { participants: Participant[] }) {
  return (
    <div className="presence" aria-label={t.presence.label} data-testid="presence">
      {participants.map((person) => (
        <span
          key={person.clientId}
          className="presence__person"
          style={{ borderColor: person.color }}
          title={person.name + (person.isSelf ? t.identity.you : '')}
          data-testid="presence-person"
        >
          <span className="presence__avatar" style={{ backgroundColor: person.color }}>
            {avatarText(person.name)}
          </span>
          <span className="presence__name">
            {person.name}
            {person.isSelf ? t.identity.you : ''}
          </span>
          {person.mode && <span className={`presence__mode presence__mode--${person.mode}`}>{t.modes[person.mode]}</span>}
        </span>
      ))}
    </div>
  )
}
