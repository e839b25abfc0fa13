import { ERROR_CODES } from '../../shared/errorCodes'
import { Router, type Request, type Response } from 'express'
import { publicUser, type AccountStore } from '../accounts/AccountStore'
import { readCookie, SESSION_COOKIE } from '../accounts/cookies'
import type { SignInThrottle } from '../accounts/LoginThrottle'
import { currentUser, requireUser } from './auth'
import { HttpError } from './errors'
import { objectBody, requiredString } from './validate'

export function authRouter(accounts: AccountStore, throttle: SignInThrottle, sessionIdleMs: number): Router {
  const router = Router()

  const setSessionCookie = (req: Request, res: Response, token: string) =>
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', maxAge: sessionIdleMs })

  router.post('/login', async (req, res) => {
    const body = objectBody(req.body, ['username', 'password'])
    const username = requiredString(body, 'username', { max: 64 })
    const password = requiredString(body, 'password', { max: 256, trim: false })
    const keys = [`user:${username}`, `ip:${req.ip}`]
    // The attempt is counted before the password is checked, so parallel guesses cannot all slip through.
    const attempt = await throttle.begin(keys)
    if ('retryAfterMs' in attempt) {
      const seconds = Math.ceil(attempt.retryAfterMs / 1000)
      res.set('Retry-After', String(seconds))
      throw new HttpError(429, `Too many failed sign-ins; try again in ${seconds} s`, ERROR_CODES.signInThrottled, { retryAfterSeconds: seconds })
    }
    const user = await accounts.authenticate(username, password)
    if (!user) throw new HttpError(401, 'Wrong username or password', ERROR_CODES.wrongCredentials)
    await attempt.succeeded()
    setSessionCookie(req, res, await accounts.startSession(user))
    res.json(publicUser(user))
  })

  router.post('/logout', async (req, res) => {
    const token = readCookie(req, SESSION_COOKIE)
    if (token) await accounts.endSession(token)
    res.clearCookie(SESSION_COOKIE, { path: '/' })
    res.status(204).end()
  })

  router.get('/me', requireUser, (req, res) => {
    res.json(publicUser(currentUser(req)))
  })

  return router
}
