import { describe, expect, it } from '@jest/globals'
import {
  CONVENTION_SOURCES,
  type ConventionSource,
  conventionCandidates,
  nearestFirst,
  parsePathInstructions,
  whyPathInstructionsApply
} from '../../src/conventions/select.js'

const LISTED = [
  'AGENTS.md',
  'CLAUDE.md',
  'README.md',
  'src/AGENTS.md',
  'src/api/AGENTS.md',
  'src/api/CLAUDE.md',
  'src/api/users.ts',
  'docs/AGENTS.md',
  'lib/deep/AGENTS.md',
  '.github/copilot-instructions.md',
  '.github/opencode-review.md',
  '.github/instructions/typescript.instructions.md',
  '.github/instructions/docs/markdown.instructions.md',
  '.github/instructions/notes.md'
]

describe('conventionCandidates', () => {
  const paths = (changed: string[], sources: readonly ConventionSource[] = CONVENTION_SOURCES) =>
    conventionCandidates(LISTED, changed, sources).map((candidate) => candidate.path)

  it('takes AGENTS.md and CLAUDE.md at the root and in each directory on the path of a changed file, no others', () => {
    const found = paths(['src/api/users.ts', 'lib/tool.ts'])
    expect(found).toEqual(
      expect.arrayContaining(['AGENTS.md', 'CLAUDE.md', 'src/AGENTS.md', 'src/api/AGENTS.md', 'src/api/CLAUDE.md'])
    )
    expect(found).not.toContain('docs/AGENTS.md')
    // lib/deep/ is below the changed file's directory, not on its path.
    expect(found).not.toContain('lib/deep/AGENTS.md')
  })

  it('takes the repository-wide files and every path-scoped file, whose applyTo is checked once read', () => {
    expect(paths(['README.md'])).toEqual([
      '.github/opencode-review.md',
      '.github/copilot-instructions.md',
      'AGENTS.md',
      'CLAUDE.md',
      '.github/instructions/typescript.instructions.md',
      '.github/instructions/docs/markdown.instructions.md'
    ])
  })

  it('takes only the kinds asked for', () => {
    expect(paths(['src/api/users.ts'], ['claude-md', 'opencode-review']).sort()).toEqual([
      '.github/opencode-review.md',
      'CLAUDE.md',
      'src/api/CLAUDE.md'
    ])
    expect(paths(['src/api/users.ts'], [])).toEqual([])
  })

  it('says why a nested file applies', () => {
    const nested = conventionCandidates(LISTED, ['src/api/users.ts', 'src/api/roles.ts'], ['agents-md']).find(
      (candidate) => candidate.path === 'src/api/AGENTS.md'
    )
    expect(nested).toEqual({
      path: 'src/api/AGENTS.md',
      source: 'agents-md',
      why: 'applies to the 2 changed file(s) under src/api/',
      depth: 2
    })
  })
})

describe('nearestFirst', () => {
  it('puts path-scoped files first, then nested files deepest first, then root-level files in their order', () => {
    const candidates = conventionCandidates(LISTED, ['src/api/users.ts'], CONVENTION_SOURCES)
    expect(candidates.sort(nearestFirst).map((candidate) => candidate.path)).toEqual([
      '.github/instructions/docs/markdown.instructions.md',
      '.github/instructions/typescript.instructions.md',
      'src/api/AGENTS.md',
      'src/api/CLAUDE.md',
      'src/AGENTS.md',
      '.github/opencode-review.md',
      'AGENTS.md',
      'CLAUDE.md',
      '.github/copilot-instructions.md'
    ])
  })
})

describe('parsePathInstructions', () => {
  it("reads Copilot's applyTo, quoted or not, and keeps the body without the front matter", () => {
    expect(parsePathInstructions('---\napplyTo: "src/**/*.ts, **/*.tsx"\n---\nUse strict types.\n')).toEqual({
      globs: ['src/**/*.ts', '**/*.tsx'],
      body: 'Use strict types.\n'
    })
    expect(parsePathInstructions("---\r\ndescription: x\r\napplyTo: '**'\r\n---\r\nAll.")).toEqual({
      globs: ['**'],
      body: 'All.'
    })
  })

  it('finds no globs without front matter or without applyTo', () => {
    expect(parsePathInstructions('Just text.')).toEqual({ globs: [], body: 'Just text.' })
    expect(parsePathInstructions('---\ndescription: x\n---\nBody')).toEqual({ globs: [], body: 'Body' })
  })
})

describe('whyPathInstructionsApply', () => {
  it('names the first glob that matches a changed file and the file', () => {
    expect(whyPathInstructionsApply(['docs/**', 'src/**/*.ts'], ['src/a/b.ts', 'src/c.ts', 'README.md'])).toBe(
      'applyTo "src/**/*.ts" matches src/a/b.ts and 1 more changed file(s)'
    )
    expect(whyPathInstructionsApply(['**'], ['.github/workflows/ci.yml'])).toBe(
      'applyTo "**" matches .github/workflows/ci.yml'
    )
  })

  it('is undefined when no glob matches', () => {
    expect(whyPathInstructionsApply(['docs/**/*.md'], ['src/a.ts', 'README.md'])).toBeUndefined()
  })
})
