/**
 * A person's role in one document. The owner manages sharing; drafters (起草人) edit; reviewers
 * (审阅人) suggest and comment; viewers (查看者) read and comment.
 */
export const ROLES = ['owner', 'drafter', 'reviewer', 'viewer'] as const
export type Role = (typeof ROLES)[number]

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role)

/** Roles an owner can hand out (ownership itself is not shared). */
export const SHAREABLE_ROLES: Role[] = ['drafter', 'reviewer', 'viewer']

export const canEdit = (role: Role) => role === 'owner' || role === 'drafter'
export const canSuggest = (role: Role) => canEdit(role) || role === 'reviewer'
export const canManage = (role: Role) => role === 'owner'
