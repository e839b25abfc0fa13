import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { documentPath, hrefFor } from '../../shared/pages'
import { preloadLinks } from './preloadLinks'

describe('preloadLinks', () => {
  it('names the account and the report for a report page', () => {
    expect(preloadLinks('/d/abc123', true)).toBe('</api/me>; rel=preload; as=fetch; crossorigin, </api/documents/abc123>; rel=preload; as=fetch; crossorigin')
  })

  it('names the account and the list for the list page, and the account alone elsewhere', () => {
    expect(preloadLinks('/', true)).toBe('</api/me>; rel=preload; as=fetch; crossorigin, </api/documents>; rel=preload; as=fetch; crossorigin')
    expect(preloadLinks('/login', true)).toBe('</api/me>; rel=preload; as=fetch; crossorigin')
    expect(preloadLinks('/admin', true)).toBe('</api/me>; rel=preload; as=fetch; crossorigin')
  })

  it('names the account alone to a page request that is not signed in', () => {
    for (const page of ['/', '/d/abc123', '/login']) expect(preloadLinks(page, false)).toBe('</api/me>; rel=preload; as=fetch; crossorigin')
  })

  it('does not throw on an address that cannot be decoded', () => {
    expect(preloadLinks('/d/%E0%A4%A', true)).toBe('</api/me>; rel=preload; as=fetch; crossorigin, </api/documents>; rel=preload; as=fetch; crossorigin')
  })

  it('asks for exactly the URL the client fetches, and stays one valid header value, for any id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'binary' }), (id) => {
        const header = preloadLinks(hrefFor({ page: 'document', id }), true)
        expect(header).toContain(`<${documentPath(id)}>`)
        // A header value: visible ASCII and spaces only, and no way to end the link early.
        expect(header).toMatch(/^[\x20-\x7e]+$/)
        expect(header.split(', <')).toHaveLength(2)
      }),
      { numRuns: 500 },
    )
  })
})
