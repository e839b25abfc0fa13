import { ERROR_CODES } from '../../shared/errorCodes'
import { Router } from 'express'
import { DuplicateUsernameError } from '../accounts/AccountRepository'
import { publicUser, type AccountStore } from '../accounts/AccountStore'
import { MIN_PASSWORD_LENGTH } from '../accounts/passwords'
import { currentUser, requireAdmin, requireUser } from './auth'
import { HttpError } from './errors'
import { objectBody, optionalString, requiredString } from './validate'

const USERNAME = /^[A-Za-z0-9._-]{2,32}$/

function password(value: string): string {
  if (value.length < MIN_PASSWORD_LENGTH) throw new HttpError(400, `Password must have at least ${MIN_PASSWORD_LENGTH} characters`, ERROR_CODES.passwordTooShort, { minLength: MIN_PASSWORD_LENGTH })
  return value
}

/** Accounts: everyone signed in may list colleagues (to share with them); only admins change accounts. */
export function usersRouter(accounts: AccountStore): Router {
  const router = Router()

  router.get('/', requireUser, async (req, res) => {
    const admin = currentUser(req).isAdmin
    res.json(
      (await accounts.list())
        .filter((user) => admin || !user.disabled)
        .map((user) => (admin ? { ...publicUser(user), disabled: user.disabled, createdAt: user.createdAt } : publicUser(user))),
    )
  })

  router.post('/', requireAdmin, async (req, res) => {
    const body = objectBody(req.body, ['username', 'displayName', 'password', 'isAdmin'])
    const username = requiredString(body, 'username', { max: 32 })
    if (!USERNAME.test(username)) throw new HttpError(400, 'Username may use 2–32 letters, digits, dot, dash or underscore', ERROR_CODES.usernameInvalid)
    if (await accounts.byUsername(username)) throw new HttpError(409, `User ${username} already exists`, ERROR_CODES.usernameTaken)
    if (body.isAdmin !== undefined && typeof body.isAdmin !== 'boolean') throw new HttpError(400, 'Field "isAdmin" must be a boolean')
    // Checked above, and again by the store: two administrators may create the same name at once.
    const user = await accounts
      .create({
        username,
        displayName: requiredString(body, 'displayName', { max: 32 }),
        password: password(requiredString(body, 'password', { max: 256, trim: false })),
        isAdmin: body.isAdmin === true,
      })
      .catch((error: Error) => {
        throw error instanceof DuplicateUsernameError ? new HttpError(409, error.message, ERROR_CODES.usernameTaken) : error
      })
    res.status(201).json(publicUser(user))
  })

  router.patch('/:username', requireAdmin, async (req, res) => {
    const user = await accounts.byUsername(String(req.params.username))
    if (!user) throw new HttpError(404, `User ${req.params.username} not found`)
    const body = objectBody(req.body, ['displayName', 'password', 'disabled', 'isAdmin'])
    for (const flag of ['disabled', 'isAdmin'] as const) {
      if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw new HttpError(400, `Field "${flag}" must be a boolean`)
    }
    if (user.id === currentUser(req).id && (body.disabled === true || body.isAdmin === false)) {
      throw new HttpError(400, 'Administrators cannot disable or demote themselves')
    }
    const newPassword = optionalString(body, 'password', { max: 256, trim: false })
    const updated = await accounts.update(user, {
      displayName: optionalString(body, 'displayName', { max: 32 }) || undefined,
      password: newPassword === undefined ? undefined : password(newPassword),
      disabled: body.disabled as boolean | undefined,
      isAdmin: body.isAdmin as boolean | undefined,
    })
    if (!updated) throw new HttpError(404, `User ${req.params.username} not found`)
    // The account store ended their sessions, which closed their sockets (see AccountStore.onSessionsEnded).
    res.json({ ...publicUser(updated), disabled: updated.disabled })
  })

  return router
}
