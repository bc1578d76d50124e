import { describe, expect, it } from '@jest/globals'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { type BaseFiles, readConventions } from '../../src/conventions/read.js'
import { CONVENTION_SOURCES } from '../../src/conventions/select.js'

/** A base commit held in memory; reading a path in `broken` fails. */
function baseOf(files: Record<string, string>, broken: string[] = []): BaseFiles & { reads: string[] } {
  const reads: string[] = []
  return {
    label: 'the base branch main (aaaaaaa)',
    reads,
    list: async () => Object.keys(files),
    read: async (path) => {
      reads.push(path)
      if (broken.includes(path)) throw new Error('GitHub answered 500')
      return files[path]
    }
  }
}

const BASE = {
  'AGENTS.md': 'Root agents rules.',
  'CLAUDE.md': 'Root claude rules.',
  'src/api/AGENTS.md': 'API rules.',
  'docs/AGENTS.md': 'Docs rules.',
  '.github/copilot-instructions.md': 'Copilot rules.',
  '.github/opencode-review.md': 'Reviewer rules.',
  '.github/instructions/ts.instructions.md': '---\napplyTo: "src/**/*.ts"\n---\nTypeScript rules.\n',
  '.github/instructions/sql.instructions.md': '---\napplyTo: "**/*.sql"\n---\nSQL rules.\n',
  '.github/instructions/loose.instructions.md': 'No front matter.\n'
}
const CHANGED = ['src/api/users.ts', 'AGENTS.md']

describe('readConventions', () => {
  it('gives the files that apply, nearest first, each labelled, and logs what did not apply', async () => {
    const log = fakeLogger()
    const { used, leftOut } = await readConventions(baseOf(BASE), CHANGED, CONVENTION_SOURCES, log)
    expect(used.map((file) => [file.path, file.why, file.text])).toEqual([
      [
        '.github/instructions/ts.instructions.md',
        'applyTo "src/**/*.ts" matches src/api/users.ts',
        'TypeScript rules.'
      ],
      ['src/api/AGENTS.md', 'applies to the 1 changed file(s) under src/api/', 'API rules.'],
      ['.github/opencode-review.md', "this reviewer's instructions for the repository", 'Reviewer rules.'],
      ['AGENTS.md', 'applies to every change', 'Root agents rules.'],
      ['CLAUDE.md', 'applies to every change', 'Root claude rules.'],
      ['.github/copilot-instructions.md', 'repository-wide instructions', 'Copilot rules.']
    ])
    expect(leftOut).toEqual([])
    const logged = log.info.mock.calls.map(([line]) => line)
    expect(logged).toContain(
      '.github/instructions/sql.instructions.md: not applied, applyTo "**/*.sql" matches no changed file'
    )
    expect(logged).toContain(
      '.github/instructions/loose.instructions.md: not applied, it has no applyTo in its front matter'
    )
    expect(logged).toContain(
      'AGENTS.md is changed here: its base version instructs, the change is reviewed in the diff'
    )
  })

  it('reads only the kinds asked for, and nothing at all when off', async () => {
    const narrow = await readConventions(baseOf(BASE), CHANGED, ['claude-md'], fakeLogger())
    expect(narrow.used.map((file) => file.path)).toEqual(['CLAUDE.md'])
    const base = baseOf(BASE)
    expect(await readConventions(base, CHANGED, [], fakeLogger())).toEqual({ used: [], leftOut: [] })
    expect(base.reads).toEqual([])
  })

  it('leaves out a file it cannot read with a warning, and the rest still serve', async () => {
    const log = fakeLogger()
    const { used } = await readConventions(baseOf(BASE, ['AGENTS.md']), CHANGED, ['agents-md'], log)
    expect(used.map((file) => file.path)).toEqual(['src/api/AGENTS.md'])
    expect(log.warning).toHaveBeenCalledWith(
      'Could not read AGENTS.md of the base branch main (aaaaaaa); the review goes on without it. GitHub answered 500'
    )
  })

  it('goes on without conventions, with a warning, when the base cannot be listed', async () => {
    const log = fakeLogger()
    const base = { ...baseOf(BASE), list: () => Promise.reject(new Error('GitHub answered 403')) }
    expect(await readConventions(base, CHANGED, CONVENTION_SOURCES, log)).toEqual({ used: [], leftOut: [] })
    expect(log.warning).toHaveBeenCalledWith(
      'Could not list the files of the base branch main (aaaaaaa): no repository conventions are used. GitHub answered 403'
    )
  })

  it('skips empty files', async () => {
    const { used } = await readConventions(baseOf({ 'AGENTS.md': ' \n' }), ['a.ts'], CONVENTION_SOURCES, fakeLogger())
    expect(used).toEqual([])
  })
})
