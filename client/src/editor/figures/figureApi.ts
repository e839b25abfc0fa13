import type { FigureChange, FigureErrorBody, FigureImportResult, FigurePatchResult, FiguresResponse } from '../../../../shared/figures/api'
import type { ValueProblem } from '../../../../shared/figures/values'
import { documentPath } from '../../../../shared/pages'
import { errorMessage, statusMessage } from '../../errors'
import { t } from '../../strings'

/** The figures API (server/http/figuresRouter.ts) and the Chinese message for each way it can refuse. */

export class FigureApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Partial<FigureErrorBody> | null,
    message: string,
  ) {
    super(message)
  }
}

const base = (documentId: string) => `${documentPath(documentId)}/figures`

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': body instanceof Blob ? 'application/octet-stream' : 'application/json' },
      body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
    })
  } catch {
    throw new FigureApiError(0, null, t.figures.errors.offline)
  }
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as Partial<FigureErrorBody> | null
    throw new FigureApiError(response.status, payload, messageOf(payload, response.status))
  }
  return (await response.json()) as T
}

export const problemText = (problem: string | undefined) => (problem && t.figures.problems[problem as ValueProblem]) || problem || ''

function messageOf(body: Partial<FigureErrorBody> | null, status: number): string {
  const errors = t.figures.errors
  // The server's `error` is English, for logs: without a code, the status says what happened.
  if (!body?.code) return statusMessage(status)
  switch (body.code) {
    case 'figure-conflict':
      return errors['figure-conflict'](body.current ?? '', body.filledBy ?? null)
    case 'figure-bad-value':
      return errors['figure-bad-value'](problemText(body.problem))
    default:
      return errors[body.code]
  }
}

export const figureApi = {
  list: (documentId: string) => call<FiguresResponse>('GET', base(documentId)),
  change: (documentId: string, changes: FigureChange[]) => call<FigurePatchResult>('PATCH', base(documentId), { changes }),
  importSheet: (documentId: string, file: Blob) => call<FigureImportResult>('POST', `${base(documentId)}/import`, file),
  undoImport: (documentId: string, importId: string) => call<{ restored: number; kept: number }>('POST', `${base(documentId)}/imports/${encodeURIComponent(importId)}/undo`),
  setRequireVerified: (documentId: string, requireVerifiedFigures: boolean) => call<{ requireVerifiedFigures: boolean }>('PUT', `${base(documentId)}/settings`, { requireVerifiedFigures }),
  exportUrl: (documentId: string, section?: number) => `${base(documentId)}.xlsx${section === undefined ? '' : `?section=${section}`}`,
}

/** What to tell a person when a figures call failed: the figures' own refusal, or (no answer, another refusal) the common one. */
export const figureErrorText = (error: unknown): string => (error instanceof FigureApiError ? error.message : errorMessage(error))
