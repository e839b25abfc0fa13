/** Whom a name in a Word file stands for: an account with that display name, or a named external reviewer. */
export type AuthorResolver = (name: string) => { id: string; name: string }

/** Prefix of the ids given to reviewers from a Word file who have no account (`word:王局长`). */
export const EXTERNAL_AUTHOR_PREFIX = 'word:'

export const externalAuthor: AuthorResolver = (name) => ({ id: `${EXTERNAL_AUTHOR_PREFIX}${name}`, name })

/** Whether an author id names a reviewer known only from an imported Word file (no account). */
export const isExternalAuthor = (id: string | null | undefined): boolean => typeof id === 'string' && id.startsWith(EXTERNAL_AUTHOR_PREFIX)
