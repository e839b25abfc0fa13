import { describe, expect, it } from 'vitest'
import { avatarText } from './avatarText'

describe('avatarText', () => {
  it('shows the surname of a Chinese name, not its last two characters', () => {
    expect(avatarText('王局长')).toBe('王')
    expect(avatarText('管理员')).toBe('管')
    expect(avatarText('张明')).toBe('张')
    expect(avatarText(' 欧阳修 ')).toBe('欧')
    expect(avatarText('𠮷野家')).toBe('𠮷')
  })

  it('gives initials for other names and never an empty avatar', () => {
    expect(avatarText('Li Hua')).toBe('LH')
    expect(avatarText('admin')).toBe('A')
    expect(avatarText('mary-jane watson')).toBe('MJ')
    expect(avatarText('   ')).toBe('?')
  })
})
