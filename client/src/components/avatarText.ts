/** Han characters, including the compatibility and extension blocks names may use. */
const HAN = /\p{Script=Han}/u

/**
 * The short form of a name shown in an avatar. A Chinese name is shown by its first character, the
 * surname, as offices address each other (王局长 → 王, 张明 → 张); taking the last characters instead
 * gave 「局长」 and 「理员」. Other names give their initials (Li Hua → LH), one word its first letter.
 */
export function avatarText(name: string): string {
  const trimmed = name.trim()
  if (!trimmed) return '?'
  const first = [...trimmed][0]
  if (HAN.test(first)) return first
  const words = trimmed.split(/[\s._-]+/u).filter(Boolean)
  return words
    .slice(0, 2)
    .map((word) => [...word][0].toLocaleUpperCase())
    .join('')
}
