import { describe, expect, it } from '@jest/globals'
import { parseDiff } from '../../src/diff/parse.js'
import { fileDiffFromListing } from '../../src/github/diff-source.js'

describe('fileDiffFromListing', () => {
  it('rebuilds a section parseDiff reads back the same way', () => {
    const built = fileDiffFromListing({
      filename: 'src/new.ts',
      previous_filename: 'src/old.ts',
      status: 'renamed',
      additions: 1,
      deletions: 1,
      changes: 2,
      patch: '@@ -1 +1 @@\n-a\n+b'
    })
    expect(built).toMatchObject({ path: 'src/new.ts', status: 'renamed', binary: false })
    const [reparsed] = parseDiff(built.text)
    expect(reparsed).toEqual(built)
  })

  it('maps added and removed files to /dev/null sides', () => {
    expect(
      fileDiffFromListing({
        filename: 'a.ts',
        status: 'added',
        additions: 1,
        deletions: 0,
        changes: 1,
        patch: '@@ -0,0 +1 @@\n+x'
      }).text
    ).toContain('--- /dev/null\n+++ b/a.ts')
    const removed = fileDiffFromListing({
      filename: 'b.ts',
      status: 'removed',
      additions: 0,
      deletions: 1,
      changes: 1,
      patch: '@@ -1 +0,0 @@\n-x'
    })
    expect(removed.status).toBe('deleted')
    expect(removed.text).toContain('--- a/b.ts\n+++ /dev/null')
  })

  it('tells a binary (no patch, no line changes) from a file too large for a patch', () => {
    expect(
      fileDiffFromListing({ filename: 'logo.png', status: 'modified', additions: 0, deletions: 0, changes: 0 })
    ).toMatchObject({ binary: true, text: '' })
    expect(
      fileDiffFromListing({ filename: 'dump.sql', status: 'modified', additions: 40000, deletions: 0, changes: 40000 })
    ).toMatchObject({ binary: false, text: '' })
  })
})
