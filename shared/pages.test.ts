import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hrefFor, parseRoute, type Route } from './pages'

const routes: fc.Arbitrary<Route> = fc.oneof(
  fc.constant<Route>({ page: 'list' }),
  fc.constant<Route>({ page: 'login' }),
  fc.constant<Route>({ page: 'admin' }),
  fc.string({ minLength: 1, unit: 'binary' }).map((id): Route => ({ page: 'document', id })),
)

describe('parseRoute', () => {
  it('reads back every address hrefFor writes', () => {
    fc.assert(
      fc.property(routes, (route) => {
        expect(parseRoute(hrefFor(route))).toEqual(route)
      }),
      { numRuns: 1000 },
    )
  })

  it('takes a trailing slash, and shows the list for an unknown or undecodable address', () => {
    expect(parseRoute('/d/abc/')).toEqual({ page: 'document', id: 'abc' })
    expect(parseRoute('/d/%E5%A0')).toEqual({ page: 'list' })
    expect(parseRoute('/nowhere')).toEqual({ page: 'list' })
    expect(parseRoute('/d/a/b')).toEqual({ page: 'list' })
  })
})
