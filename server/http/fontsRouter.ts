import path from 'node:path'
import { Router } from 'express'

/** Where scripts/ensure-office-fonts.mjs puts the Fandol fonts; `FONT_DIR` overrides it. */
export const FONT_DIR = process.env.FONT_DIR || '/usr/local/share/fonts/fandol'

/** The open faces the page view falls back to (client/src/styles/pageView.css), and nothing else. */
export const WEB_FONTS = ['FandolFang-Regular.otf', 'FandolKai-Regular.otf', 'FandolHei-Regular.otf', 'FandolSong-Regular.otf', 'FandolSong-Bold.otf'] as const

/**
 * GET /fonts/<name>: web fonts for the page view, from this origin (the content security policy allows
 * fonts from 'self' only). Public like the client's own files; cached for a month. A font that is not
 * installed answers 404 and the page view uses the next font in its list.
 */
export function fontsRouter(dir = FONT_DIR): Router {
  const router = Router()
  router.get('/:name', (req, res) => {
    const name = String(req.params.name)
    if (!(WEB_FONTS as readonly string[]).includes(name)) return void res.status(404).end()
    res.sendFile(path.join(dir, name), { maxAge: '30d', headers: { 'Content-Type': 'font/otf' } }, (error) => {
      if (error && !res.headersSent) res.status(404).end()
    })
  })
  return router
}
