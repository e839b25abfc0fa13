import { useCallback, useEffect, useState } from 'react'
import { NOTIFICATION_EVENT, type NotificationView } from '../../../shared/notifications'
import { api } from '../api'
import { errorMessage } from '../errors'

/** Window event fired for every live notification, so the editor can refresh what it concerns (requests). */
export const LIVE_NOTIFICATION = 'huigao:notification'

/**
 * The signed-in person's notifications: loaded once, then kept live by the server-sent stream
 * (EventSource reconnects by itself after a network loss; a reconnect reloads the list, so nothing sent
 * meanwhile is missed).
 */
export function useNotifications() {
  const [items, setItems] = useState<NotificationView[]>([])
  const [unread, setUnread] = useState(0)
  const [error, setError] = useState('')

  const reload = useCallback(() => {
    api.notifications().then(
      (list) => {
        setItems(list.notifications)
        setUnread(list.unread)
        setError('')
      },
      (failure: unknown) => setError(errorMessage(failure)),
    )
  }, [])

  useEffect(() => {
    reload()
    const source = new EventSource('/api/notifications/stream')
    source.addEventListener('open', reload)
    source.addEventListener(NOTIFICATION_EVENT, (event) => {
      const notification = JSON.parse((event as MessageEvent<string>).data) as NotificationView
      setItems((list) => [notification, ...list.filter((n) => n.id !== notification.id)].slice(0, 50))
      setUnread((n) => n + 1)
      dispatchEvent(new CustomEvent(LIVE_NOTIFICATION, { detail: notification }))
    })
    source.addEventListener('unread', (event) => setUnread((JSON.parse((event as MessageEvent<string>).data) as { unread: number }).unread))
    return () => source.close()
  }, [reload])

  const markRead = useCallback(async (ids?: string[]) => {
    try {
      const list = await api.markNotificationsRead(ids)
      setItems(list.notifications)
      setUnread(list.unread)
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }, [])

  return { items, unread, error, markRead }
}
