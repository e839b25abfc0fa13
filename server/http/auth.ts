import type { NextFunction, Request, Response } from 'express'
import type { AccountStore, User } from '../accounts/AccountStore'
import { isSameOrigin, readCookie, SESSION_COOKIE } from '../accounts/cookies'
import { HttpError } from './errors'

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: User
    }
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Refuses cookie-carrying writes from other sites' pages (CSRF). */
export function checkOrigin(req: Request, _res: Response, next: NextFunction): void {
  if (!SAFE_METHODS.has(req.method) && !isSameOrigin(req, req.protocol)) return next(new HttpError(403, 'Cross-origin request refused'))
  next()
}

/** Attaches the signed-in user, if any. */
export function sessionUser(accounts: AccountStore) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      req.user = (await accounts.resolveSession(readCookie(req, SESSION_COOKIE))) ?? undefined
      next()
    } catch (error) {
      next(error)
    }
  }
}

export function requireUser(req: Request, _res: Response, next: NextFunction): void {
  if (!req.user) return next(new HttpError(401, 'Sign in first'))
  next()
}

export function requireAdmin(req: Request, _res: Response, next: NextFunction): void {
  if (!req.user) return next(new HttpError(401, 'Sign in first'))
  if (!req.user.isAdmin) return next(new HttpError(403, 'Administrators only'))
  next()
}

/** The signed-in user of a request that passed requireUser. */
export function currentUser(req: Request): User {
  if (!req.user) throw new HttpError(401, 'Sign in first')
  return req.user
}
