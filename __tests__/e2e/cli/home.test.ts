import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  FAKE_MODEL,
  FAKE_PROVIDER,
  type FakeModel,
  fakeProviderConfig,
  startFakeModel
} from '../../../__fixtures__/fake-model.js'
import { listing } from '../../../__fixtures__/listing.js'
import { OPENCODE_BIN_DIR, ROOT } from '../../../__fixtures__/runner.js'

// OpenCode keeps its files under HOME and installs @opencode-ai/plugin there through npm while a session runs.
jest.setTimeout(180_000)

let model: FakeModel
/** The developer's HOME, holding their own OpenCode configuration. */
let home: string

beforeEach(async () => {
  model = await startFakeModel()
  home = mkdtempSync(path.join(tmpdir(), 'developer-home-'))
})

afterEach(async () => {
  rmSync(home, { recursive: true, force: true })
  await model.close()
})

describe('the local command', () => {
  it('reviews with the developer’s own OpenCode configuration and leaves their HOME as it was', async () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'local-branch-'))
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args])
    git('init', '-q', '-b', 'main')
    writeFileSync(path.join(repo, 'answer.ts'), 'export const answer = 42\n')
    git('add', '.')
    git('commit', '-qm', 'base')
    writeFileSync(path.join(repo, 'answer.ts'), 'export const answer = 41\n')
    const own = { ...fakeProviderConfig(model.baseURL), model: `${FAKE_PROVIDER}/${FAKE_MODEL}` }
    mkdirSync(path.join(home, '.config/opencode'), { recursive: true })
    writeFileSync(path.join(home, '.config/opencode/opencode.json'), JSON.stringify(own))
    model.script([{ kind: 'reply', text: 'Fine on a laptop too.' }])
    const before = listing(home)

    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli/index.js'), '--base', 'main'], {
      cwd: repo,
      env: { PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`, HOME: home },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise((resolve) => child.on('close', resolve))
    rmSync(repo, { recursive: true, force: true })

    expect(code).toBe(0)
    expect(output).toContain('Fine on a laptop too.')
    expect(output).toContain('with fake/review-model (the model your OpenCode configuration names)')
    expect(listing(home)).toEqual(before)
  })
})
