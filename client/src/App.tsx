import { useCallback, useEffect, useState } from 'react'
import { api, ApiError, dropPreloadedReads, whenSignedOut, type Me } from './api'
import { UserMenu } from './components/UserMenu'
import { identityOf } from './identity'
import { NotificationBell } from './notifications/NotificationBell'
import { AdminPage } from './pages/AdminPage'
import { DocumentListPage } from './pages/DocumentListPage'
import { EditorPage } from './pages/EditorPage'
import { LoginPage } from './pages/LoginPage'
import { navigate, parseRoute, useRoute } from './router'
import { t } from './strings'

/** Where to return after signing in. */
const RETURN_KEY = 'huigao.returnTo'

export function App() {
  const route = useRoute()
  const [me, setMe] = useState<Me | null | undefined>(undefined)

  const signedOut = useCallback(() => {
    setMe(null)
    if (location.pathname !== '/login') {
      sessionStorage.setItem(RETURN_KEY, location.pathname)
      navigate({ page: 'login' }, { replace: true })
    }
  }, [])

  useEffect(() => {
    whenSignedOut(signedOut)
    // The page this load started on: what its headers asked the browser to preload.
    const started = parseRoute(location.pathname)
    api.me().then(setMe, (error) => {
      if (error instanceof ApiError && error.status === 401) dropPreloadedReads(started)
      else setMe(null)
    })
  }, [signedOut])

  if (me === undefined) return <p className="notice">{t.loading}</p>
  if (me === null || route.page === 'login') {
    return (
      <LoginPage
        onSignedIn={(signedIn) => {
          setMe(signedIn)
          const back = sessionStorage.getItem(RETURN_KEY)
          sessionStorage.removeItem(RETURN_KEY)
          history.replaceState(null, '', back && back !== '/login' ? back : '/')
          dispatchEvent(new PopStateEvent('popstate'))
        }}
      />
    )
  }
  const userMenu = (
    <>
      <NotificationBell />
      <UserMenu
        me={me}
        onSignOut={() => {
          void api.logout().finally(() => {
            setMe(null)
            navigate({ page: 'login' }, { replace: true })
          })
        }}
      />
    </>
  )
  if (route.page === 'admin') return <AdminPage me={me} userMenu={userMenu} />
  if (route.page === 'document') return <EditorPage key={route.id} documentId={route.id} identity={identityOf(me)} userMenu={userMenu} />
  return <DocumentListPage me={me} userMenu={userMenu} />
}
