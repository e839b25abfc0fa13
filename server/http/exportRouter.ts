import { fileURLToPath } from 'node:url'
import { execFile, execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Router, type Request, type Response } from 'express'
import { readThreads } from '../../shared/comments/threads'
import { yDocToNode } from '../../shared/editor/lib/ydoc'
import type { DocumentService } from '../documents/DocumentService'
import { ExportBlockedError, exportDocx } from '../export/exportDocx'
import { EXPORT_MODES, type ExportMode } from '../../shared/contract'
import { FONT } from '../export/layout'

const TITLE_FONT = FONT.title
import { requireUser } from './auth'
import { access, documentParam } from './documentsRouter'
import { ERROR_CODES } from '../../shared/errorCodes'
import { HttpError } from './errors'
import { componentLogger } from '../logger'

const log = componentLogger('export')

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
export const PDF_TYPE = 'application/pdf'
export const PDF_UNAVAILABLE = 'PDF export needs LibreOffice (soffice) on the server'
const CONVERSION_TIMEOUT_MS = 60_000

/** RFC 5987 value: encodeURIComponent plus the characters it leaves that the syntax reserves. */
const rfc5987 = (value: string) => encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** `attachment` with an ASCII fallback name and the title as the UTF-8 name. */
export function contentDisposition(title: string, extension: 'docx' | 'pdf' | 'xlsx'): string {
  return `attachment; filename="report.${extension}"; filename*=UTF-8''${rfc5987(title)}.${extension}`
}

function modeOf(req: Request): ExportMode {
  const mode = req.query.mode
  if (mode === undefined) return 'as-is'
  if (typeof mode !== 'string' || !EXPORT_MODES.includes(mode as ExportMode)) {
    throw new HttpError(400, `Query parameter "mode" must be one of: ${EXPORT_MODES.join(', ')}`)
  }
  return mode as ExportMode
}

/** The .docx of the document's current content and open comment threads; a clean copy with unfilled placeholders answers 409. */
async function buildDocx(documents: DocumentService, req: Request, res: Response, pdf: { boldTitle: boolean } | null = null): Promise<Buffer | null> {
  const { document } = access(req)
  const mode = modeOf(req)
  const { doc, threads } = await documents.read(document.id, (ydoc) => ({
    doc: yDocToNode(ydoc),
    threads: readThreads(ydoc),
  }))
  try {
    return await exportDocx(doc, { mode, threads, title: document.title, ...(pdf ? { commentList: true, boldTitle: pdf.boldTitle } : {}) })
  } catch (error) {
    if (!(error instanceof ExportBlockedError)) throw error
    res.status(409).json({ error: error.message, code: ERROR_CODES.exportUnfilled, unfilledPlaceholders: error.unfilled })
    return null
  }
}

/** The LibreOffice executable on PATH, or null. */
export function findSoffice(envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue
    for (const name of ['soffice', 'libreoffice']) {
      const candidate = path.join(dir, name)
      try {
        accessSync(candidate, constants.X_OK)
        return candidate
      } catch {
        // Not here.
      }
    }
  }
  return null
}

const fontChecks = new Map<string, boolean>()

/** Whether fontconfig has `family` itself (not a stand-in); fc-list answers nothing for a missing family. Asked once per process. */
export function hasFont(family: string): boolean {
  let found = fontChecks.get(family)
  if (found === undefined) {
    try {
      found = execFileSync('fc-list', [family, 'family'], { encoding: 'utf8', timeout: 5000 }).trim() !== ''
    } catch {
      found = false
    }
    fontChecks.set(family, found)
  }
  return found
}

let conversions: Promise<unknown> = Promise.resolve()

/** Converts a .docx to PDF with LibreOffice, one conversion at a time, in a temporary directory removed afterwards. */
/** Font aliases so the GB/T 9704 font names resolve to open CJK fonts when the real ones are missing. */
const FONTS_CONF = fileURLToPath(new URL('../export/fontconfig/fonts.conf', import.meta.url))

export function convertToPdf(soffice: string, docx: Buffer): Promise<Buffer> {
  const run = conversions.then(async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'huigao-pdf-'))
    try {
      const input = path.join(dir, 'report.docx')
      await fs.writeFile(input, docx)
      await new Promise<void>((resolve, reject) => {
        execFile(
          soffice,
          // A profile of its own, so a LibreOffice the server's user has open does not swallow the job.
          [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input],
          { timeout: CONVERSION_TIMEOUT_MS, killSignal: 'SIGKILL', windowsHide: true, env: { ...process.env, FONTCONFIG_FILE: FONTS_CONF } },
          (error, _stdout, stderr) => {
            if (error) reject(new Error(`soffice failed: ${error.killed ? 'timed out' : error.message} ${String(stderr).slice(0, 300)}`))
            else resolve()
          },
        )
      })
      return await fs.readFile(path.join(dir, 'report.pdf')).catch(() => {
        throw new Error('soffice produced no PDF')
      })
    } finally {
      await fs.rm(dir, { recursive: true, force: true })
    }
  })
  conversions = run.catch(() => undefined)
  return run
}

/** GET /:id/export.docx?mode=as-is|clean and GET /:id/export.pdf?mode=as-is|clean. */
export function exportRouter(documents: DocumentService, options: { soffice?: () => string | null } = {}): Router {
  const router = Router()
  const soffice = options.soffice ?? (() => findSoffice())
  router.use(requireUser)
  router.param('id', documentParam(documents))

  router.get('/:id/export.docx', async (req, res) => {
    const docx = await buildDocx(documents, req, res)
    if (!docx) return
    res
      .status(200)
      .set({ 'Content-Type': DOCX_TYPE, 'Content-Disposition': contentDisposition(access(req).document.title, 'docx'), 'Cache-Control': 'no-store' })
      .send(docx)
  })

  router.get('/:id/export.pdf', async (req, res) => {
    modeOf(req)
    const executable = soffice()
    // Answered here rather than thrown: a missing optional tool is not a server error worth a stack trace.
    if (!executable) return void res.status(501).json({ error: PDF_UNAVAILABLE, code: ERROR_CODES.pdfUnavailable })
    const docx = await buildDocx(documents, req, res, { boldTitle: !hasFont(TITLE_FONT) })
    if (!docx) return
    const pdf = await convertToPdf(executable, docx).catch((error: Error) => {
      log.error(`${access(req).document.id}: ${error.message}`)
      throw new HttpError(500, 'PDF conversion failed', ERROR_CODES.pdfFailed)
    })
    res
      .status(200)
      .set({ 'Content-Type': PDF_TYPE, 'Content-Disposition': contentDisposition(access(req).document.title, 'pdf'), 'Cache-Control': 'no-store' })
      .send(pdf)
  })

  return router
}
