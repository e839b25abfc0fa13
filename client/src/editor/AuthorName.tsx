import { colorFor } from '../../../shared/editor/lib/colors'
import { isExternalAuthor } from '../../../shared/word/authors'
import { t } from '../strings'

/** An author's name in their colour; reviewers known only from an imported Word file are marked as such. */
export function AuthorName({ id, name, color }: { id: string | null; name: string; color?: string }) {
  const external = isExternalAuthor(id)
  return (
    <b style={{ color: color ?? (id ? colorFor(id) : undefined) }} data-author-external={external || undefined}>
      {name}
      {external && (
        <span className="author-external" title={t.word.externalTitle}>
          {t.word.external}
        </span>
      )}
    </b>
  )
}
