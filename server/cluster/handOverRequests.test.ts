// Pure rate limiting of hand-over requests (HandOverRequests): no server, a fake clock.
import { afterEach, beforeEach, expect, test, vi } from 'vitest'
import type { ClusterEvent } from './events'
import { HandOverRequests } from './closeConnections'

beforeEach(() => void vi.useFakeTimers({ now: 0 }))
afterEach(() => void vi.useRealTimers())

function requests(): { asked: string[]; extension: HandOverRequests } {
  const asked: string[] = []
  const extension = new HandOverRequests(async (event: ClusterEvent) => {
    if (event.type === 'document-wanted') asked.push(event.documentId)
  }, 'here')
  return { asked, extension }
}

test('a document bouncing clients is asked for at most once a second', () => {
  const { asked, extension } = requests()
  for (let i = 0; i < 5; i++) extension.onOwnedElsewhere({ documentName: 'report' })
  vi.advanceTimersByTime(999)
  extension.onOwnedElsewhere({ documentName: 'report' })
  expect(asked).toEqual(['report'])
  vi.advanceTimersByTime(1)
  extension.onOwnedElsewhere({ documentName: 'report' })
  expect(asked).toEqual(['report', 'report'])
})

test('many other documents asked for meanwhile do not make a recent request be sent again', () => {
  const { asked, extension } = requests()
  extension.onOwnedElsewhere({ documentName: 'report' })
  vi.advanceTimersByTime(500)
  for (let i = 0; i < 20_000; i++) extension.onOwnedElsewhere({ documentName: `other-${i}` })
  extension.onOwnedElsewhere({ documentName: 'report' })
  expect(asked.filter((name) => name === 'report')).toHaveLength(1)
  expect(asked).toHaveLength(20_001)
  // A second later the old entries are dropped as new requests come, and each document may be asked again.
  vi.advanceTimersByTime(1000)
  extension.onOwnedElsewhere({ documentName: 'other-0' })
  extension.onOwnedElsewhere({ documentName: 'report' })
  expect(asked.slice(-2)).toEqual(['other-0', 'report'])
})
