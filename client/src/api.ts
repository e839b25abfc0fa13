export interface DocumentMeta {
  id: string
  title: string
  createdAt: string
  updatedAt: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const isFile = body instanceof Blob
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'Content-Type': isFile ? 'application/octet-stream' : 'application/json' },
    body: body === undefined ? undefined : isFile ? body : JSON.stringify(body),
  })
  if (!response.ok) {
    const payload = (await response.json().catch(() => null)) as { error?: string } | null
    throw new ApiError(response.status, payload?.error ?? `${response.status} ${response.statusText}`)
  }
  return (response.status === 204 ? undefined : await response.json()) as T
}

export const api = {
  listDocuments: () => request<DocumentMeta[]>('GET', '/api/documents'),
  getDocument: (id: string) => request<DocumentMeta>('GET', `/api/documents/${encodeURIComponent(id)}`),
  createDocument: (title: string, text?: string) => request<DocumentMeta>('POST', '/api/documents', { title, text }),
  renameDocument: (id: string, title: string) =>
    request<DocumentMeta>('PATCH', `/api/documents/${encodeURIComponent(id)}`, { title }),
  importDocx: (file: File) => request<DocumentMeta>('POST', '/api/documents/import', file),
  deleteDocument: (id: string) => request<void>('DELETE', `/api/documents/${encodeURIComponent(id)}`),
}
