import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import { prepareJob, readActionMetadata, runtimeNode } from '../../__fixtures__/runner.js'

/** The runner emulation takes what it runs from action.yml: these prove it reads it, and refuses what a runner would. */

const scratch = mkdtempSync(path.join(tmpdir(), 'action-yml-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

function actionFile(runs: string): string {
  const file = path.join(scratch, `${Math.random().toString(36).slice(2)}.yml`)
  writeFileSync(file, `name: x\ndescription: y\ninputs:\n  token:\n    default: \${{ github.token }}\nruns:\n${runs}`)
  return file
}

describe('the runner emulation', () => {
  it('runs what action.yml names, with its post step after any outcome', () => {
    expect(readActionMetadata()).toMatchObject({
      using: 'node24',
      main: 'dist/index.js',
      post: 'dist/index.js',
      postIf: 'always()'
    })
  })

  it('runs the action on the Node that runs.using names, whichever Node runs the tests', () => {
    const version = execFileSync(runtimeNode(readActionMetadata().using), ['--version'], { encoding: 'utf8' })
    expect(version).toMatch(/^v24\./)
  })

  it('refuses a runtime the runner does not have, and an entry that is not there', () => {
    expect(() => readActionMetadata(actionFile('  using: node12\n  main: dist/index.js\n'))).toThrow(
      "runs.using is 'node12'"
    )
    expect(() => readActionMetadata(actionFile('  using: node20\n  main: dist/missing.js\n'))).toThrow(
      'dist/missing.js does not exist'
    )
  })

  it('gives every input the workflow leaves out its default from action.yml, github.token evaluated', () => {
    const job = prepareJob({
      eventName: 'pull_request',
      payload: {},
      apiUrl: 'http://127.0.0.1:9',
      githubToken: 'ghs_theJobsToken',
      inputs: { model: 'a/b' }
    })
    rmSync(job.dir, { recursive: true, force: true })
    expect(job.env['INPUT_GITHUB-TOKEN']).toBe('ghs_theJobsToken')
    expect(job.env['INPUT_MAX-DIFF-CHARS']).toBe(String(readActionMetadata().inputs['max-diff-chars'].default))
    expect(job.env.INPUT_MODEL).toBe('a/b')
    // An input without a default that the workflow does not give is not set at all.
    expect(job.env).not.toHaveProperty('INPUT_PROMPT')
  })

  it('refuses an input action.yml does not declare (a typo in a test would otherwise pass unnoticed)', () => {
    expect(() =>
      prepareJob({
        eventName: 'pull_request',
        payload: {},
        apiUrl: 'http://127.0.0.1:9',
        inputs: { 'max-diff-char': '5' }
      })
    ).toThrow('Unexpected input(s) max-diff-char')
  })
})
