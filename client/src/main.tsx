import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import './styles/app.css'
import './styles/page.css'
import './styles/panels.css'
import './styles/word.css'
import './styles/pageView.css'
import './styles/drafting.css'

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
