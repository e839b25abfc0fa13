import { afterEach, describe, expect, it } from 'vitest'
import { TEST_USER_PASSWORD, TestContext } from '../testing/harness'
import { rawLogin } from './rawHttp'

const ctx = new TestContext()
afterEach(() => ctx.cleanup())

describe('sign-in throttling under parallel guessing (finding 1)', () => {
  it('200 wrong passwords sent at once: all but the free attempts are refused with 429', async () => {
    const running = await ctx.startServer()
    await running.createUser('alice')
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => rawLogin(running.base, 'alice', `wrong-${i}`)))
    const statuses = answers.map((answer) => answer.status)
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(195)
    for (const answer of answers.filter((a) => a.status === 429)) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0)
  })

  it('the right password at position 150 of 200 parallel tries does not sign in', async () => {
    const running = await ctx.startServer()
    await running.createUser('bob')
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => rawLogin(running.base, 'bob', i === 150 ? TEST_USER_PASSWORD : `wrong-${i}`)),
    )
    expect(answers[150].status).toBe(429)
    expect(answers[150].headers['set-cookie']).toBeUndefined()
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(0)
  })

  it('parallel guesses from one address at many accounts are throttled per address too', async () => {
    const running = await ctx.startServer()
    const names = ['carol', 'dave', 'erin', 'frank']
    for (const name of names) await running.createUser(name)
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => rawLogin(running.base, names[i % names.length], `wrong-${i}`)))
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(5)
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(95)
  })

  it('a successful sign-in does not count against the address, and parallel right passwords all sign in', async () => {
    const running = await ctx.startServer()
    await running.createUser('gina')
    const answers = await Promise.all(Array.from({ length: 4 }, () => rawLogin(running.base, 'gina', TEST_USER_PASSWORD)))
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200])
    // The four reservations were released on success: five free attempts remain for this address.
    const wrong = []
    for (let i = 0; i < 6; i++) wrong.push((await rawLogin(running.base, 'gina', `wrong-${i}`)).status)
    expect(wrong).toEqual([401, 401, 401, 401, 401, 429])
  })
})
