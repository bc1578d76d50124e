import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { commitRepository, git } from '../../__fixtures__/repository.js'
import { globFiles, listDirectory } from '../../src/workspace/listing.js'
import { presentObjects } from '../../src/workspace/partial.js'
import { readFile } from '../../src/workspace/read.js'
import { SEARCH_LIMITS, searchFiles } from '../../src/workspace/search.js'
import { Workspace } from '../../src/workspace/workspace.js'

// A blobless clone (actions/checkout's `filter: blob:none`, and what `sparse-checkout` leaves out): the tree, no content.
const dir = mkdtempSync(path.join(tmpdir(), 'workspace-partial-'))
const clone = path.join(dir, 'clone')
let head: string

const files = Object.fromEntries(
  ['a', 'b'].flatMap((area) =>
    Array.from({ length: 30 }, (_, index) => [
      `pkg/${area}/file${index}.ts`,
      `export const ${area}${index} = ${index}\n`
    ])
  )
)

/** Each fetch adds one pack: how many fetches the clone made. */
const packs = () => readdirSync(path.join(clone, '.git/objects/pack')).filter((file) => file.endsWith('.pack')).length

/** How many of the commit's blobs the clone still lacks. */
async function missing(): Promise<number> {
  const present = await presentObjects({ gitDir: path.join(clone, '.git') })
  return git(clone, 'ls-tree', '-r', head)
    .split('\n')
    .filter((line) => !present.has(line.split(/\s+/)[2])).length
}

const fresh = () => new Workspace({ kind: 'commit', gitDir: path.join(clone, '.git'), commit: head })

beforeAll(() => {
  const origin = path.join(dir, 'origin')
  head = commitRepository(origin, files)
  git(origin, 'config', 'uploadpack.allowFilter', 'true')
  execFileSync('git', ['clone', '--quiet', '--filter=blob:none', '--no-checkout', `file://${origin}`, clone])
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('in a blobless clone', () => {
  it('lists and finds files without fetching any', async () => {
    const workspace = fresh()
    expect(await listDirectory(workspace, 'pkg')).toBe('pkg/a/\npkg/b/')
    expect(await globFiles(workspace, 'file1.ts')).toBe('pkg/a/file1.ts\npkg/b/file1.ts')
    expect(await missing()).toBe(60)
  })

  it('fetches a file’s content as it is read, and that one alone', async () => {
    const before = packs()
    expect(await readFile(fresh(), { path: 'pkg/a/file7.ts' })).toBe('1: export const a7 = 7\n(End of file: 1 line.)')
    expect(packs()).toBe(before + 1)
    expect(await missing()).toBe(59)
  })

  it('fetches what a search covers in one fetch, and refuses one that would need more than it fetches', async () => {
    const workspace = fresh()
    const limits = { ...SEARCH_LIMITS, maxFetchedBlobs: 40 }
    await expect(searchFiles(workspace, { pattern: 'export' }, limits)).rejects.toThrow(
      /more than 40 of the files this search covers are not on the runner, more than a search fetches\. Narrow the glob/
    )
    expect(await missing()).toBe(59)
    const before = packs()
    const answer = await searchFiles(workspace, { pattern: 'a2[0-9] ', glob: 'pkg/a/**' }, limits)
    expect(answer.split('\n')).toHaveLength(10)
    expect(packs()).toBe(before + 1)
    expect(await missing()).toBe(30)
  })

  it('the control: git grep of the commit fetches what it searches one blob at a time', async () => {
    const before = packs()
    execFileSync('git', ['-C', clone, '-c', 'gc.auto=0', 'grep', '-c', 'export', head, '--', 'pkg/b/file1*'], {
      stdio: 'ignore'
    })
    // file1.ts and file10.ts to file19.ts: eleven blobs, eleven fetches.
    expect(packs()).toBe(before + 11)
  })
})
