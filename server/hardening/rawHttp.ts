import http from 'node:http'

export interface RawResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
}

/**
 * One HTTP request on its own connection (no pooling, no client-side limits), as an attacker's
 * script would send it: what the server answers is all that decides the outcome.
 */
export function rawRequest(
  base: string,
  method: string,
  route: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const url = new URL(route, base)
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, agent: false, headers: { ...options.headers } },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    if (options.body !== undefined) request.setHeader('content-length', Buffer.byteLength(options.body))
    request.end(options.body)
  })
}

/** A JSON POST of a sign-in on its own connection. */
export function rawLogin(base: string, username: string, password: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(base, 'POST', '/api/login', {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  })
}
