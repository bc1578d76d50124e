import { afterAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { emptyProjectRoot } from '../../src/opencode/project-root.js'

const dir = mkdtempSync(path.join(tmpdir(), 'project-root-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('emptyProjectRoot', () => {
  it('is an empty git repository of its own, even inside another work tree', async () => {
    const around = path.join(dir, 'home')
    execFileSync('git', ['init', '--quiet', around])
    const run = path.join(around, 'runner/temp/run')
    mkdirSync(run, { recursive: true })
    // The control: a plain folder there belongs to the work tree around it, as OpenCode would take it.
    mkdirSync(path.join(run, 'plain'))
    const topLevel = (cwd: string) =>
      execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' }).trim()
    expect(topLevel(path.join(run, 'plain'))).toBe(around)

    const root = await emptyProjectRoot(run)
    expect(topLevel(root)).toBe(root)
    expect(readdirSync(root)).toEqual(['.git'])
    // No template: no hook, nothing to run.
    expect(readdirSync(path.join(root, '.git')).sort()).toEqual(['HEAD', 'config', 'objects', 'refs'])
  })
})
