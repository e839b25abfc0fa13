import { useState } from 'react'
import { NamePrompt } from './components/NamePrompt'
import { loadIdentity, saveIdentity, type Identity } from './identity'
import { DocumentListPage } from './pages/DocumentListPage'
import { EditorPage } from './pages/EditorPage'
import { useRoute } from './router'

export function App() {
  const route = useRoute()
  const [identity, setIdentity] = useState<Identity | null>(loadIdentity)
  const [renaming, setRenaming] = useState(false)

  if (!identity) return <NamePrompt onSubmit={(name) => setIdentity(saveIdentity(name))} />
  return (
    <>
      {route.page === 'document' ? (
        <EditorPage key={route.id} documentId={route.id} identity={identity} onChangeName={() => setRenaming(true)} />
      ) : (
        <DocumentListPage />
      )}
      {renaming && (
        <NamePrompt
          initial={identity.name}
          onCancel={() => setRenaming(false)}
          onSubmit={(name) => {
            setIdentity(saveIdentity(name, identity))
            setRenaming(false)
          }}
        />
      )}
    </>
  )
}
