import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { escapingLinks } from '../../src/opencode/workspace-links.js'

const dir = mkdtempSync(path.join(tmpdir(), 'links-'))
const workspace = path.join(dir, 'workspace')
for (const sub of ['.git', 'src/deep', 'docs']) mkdirSync(path.join(workspace, sub), { recursive: true })
writeFileSync(path.join(workspace, '.git/config'), 'token')
writeFileSync(path.join(workspace, 'src/real.ts'), 'x')
writeFileSync(path.join(dir, 'secret.txt'), 'secret')
symlinkSync(path.join(workspace, 'src/real.ts'), path.join(workspace, 'src/alias.ts'))
symlinkSync('../real.ts', path.join(workspace, 'src/deep/relative.ts'))
symlinkSync('../../.git/config', path.join(workspace, 'src/deep/git.txt'))
symlinkSync(path.join(dir, 'secret.txt'), path.join(workspace, 'docs/secret.md'))
symlinkSync('/etc', path.join(workspace, 'etc'))
symlinkSync(path.join(workspace, 'missing'), path.join(workspace, 'dangling'))
symlinkSync(path.join(workspace, '.git'), path.join(workspace, 'gitdir'))

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('escapingLinks', () => {
  it('names the links that lead out of the workspace or into .git/, and only those', async () => {
    expect(await escapingLinks(workspace)).toEqual(['docs/secret.md', 'etc', 'gitdir', 'src/deep/git.txt'])
  })

  it('finds nothing where there is no workspace', async () => {
    expect(await escapingLinks(path.join(dir, 'nowhere'))).toEqual([])
  })
})
