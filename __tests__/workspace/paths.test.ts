import { describe, expect, it } from '@jest/globals'
import { globMatcher, pathspecs, repositoryPath } from '../../src/workspace/paths.js'

describe('repositoryPath', () => {
  it('takes a path relative to the repository’s root, whatever its spelling', () => {
    expect(repositoryPath('src/app.ts')).toBe('src/app.ts')
    expect(repositoryPath('./src//app.ts')).toBe('src/app.ts')
    expect(repositoryPath('src/')).toBe('src')
    expect(repositoryPath('.')).toBe('')
    expect(repositoryPath(undefined)).toBe('')
  })

  it.each(['/etc/passwd', '~/.ssh/id_rsa', '~', 'C:\\Windows', '\\\\server\\share'])(
    'refuses %s, which names no file of the repository',
    (given) => {
      expect(() => repositoryPath(given)).toThrow(/is not relative to the repository's root/)
    }
  )

  it.each(['../outside', 'src/../../outside', 'src\\..\\..\\x', '..'])('refuses %s, which climbs out', (given) => {
    expect(() => repositoryPath(given)).toThrow(/climbs out with '\.\.'/)
  })
})

describe('globs', () => {
  it('match a name at any depth, or a path', () => {
    const ts = globMatcher('*.ts')
    expect(['a.ts', 'src/a.ts', 'src/a.tsx'].map(ts)).toEqual([true, true, false])
    expect(['src/a.ts', 'lib/src/a.ts', 'src'].map(globMatcher('src/**'))).toEqual([true, false, false])
    expect(['src/a/b.ts', 'lib/src/a.ts'].map(globMatcher('src'))).toEqual([true, true])
    expect(globMatcher('*.env')('config/.env')).toBe(true)
    expect(pathspecs('*.ts')).toEqual([':(glob)**/*.ts', ':(glob)**/*.ts/**'])
    expect(pathspecs('src/**')).toEqual([':(glob)src/**'])
    expect(pathspecs(' ')).toEqual([])
  })

  it('refuse what leads out', () => {
    expect(() => globMatcher('/etc/*')).toThrow(/not relative/)
    expect(() => pathspecs('../*')).toThrow(/climbs out/)
    expect(() => pathspecs('a\0b')).toThrow(/NUL/)
  })
})
