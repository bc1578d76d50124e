import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Ask } from '../../../src/cli/init/ask.js'
import { type InitIo, runInit } from '../../../src/cli/init/command.js'
import { WORKFLOW_PATH } from '../../../src/cli/init/workflow.js'

let repo: string
let printed: string[]

beforeEach(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'init-'))
  execFileSync('git', ['init', '-q', repo])
  printed = []
})

afterEach(() => rmSync(repo, { recursive: true, force: true }))

function io(ask?: Ask, cwd = repo): InitIo {
  return { cwd, ask, print: (text) => printed.push(text) }
}

const workflowFile = () => path.join(repo, WORKFLOW_PATH)

describe('opencode-pr-review init', () => {
  it("writes the workflow at the repository's root, from a folder inside it, and prints the secret to set", async () => {
    mkdirSync(path.join(repo, 'src'))

    const status = await runInit(
      ['--model', 'openai/gpt-5', '--features', 'review'],
      io(undefined, path.join(repo, 'src'))
    )

    expect(status).toBe(0)
    const workflow = readFileSync(workflowFile(), 'utf8')
    expect(workflow).toContain('model: openai/gpt-5')
    expect(workflow).toContain('OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}')
    expect(printed.join('\n')).toContain(`Wrote ${WORKFLOW_PATH}: review, with openai/gpt-5.`)
    expect(printed.join('\n')).toMatch(/^ {2}gh secret set OPENAI_API_KEY$/m)
  })

  it('takes the defaults when nobody can be asked', async () => {
    await runInit([], io())

    const workflow = readFileSync(workflowFile(), 'utf8')
    expect(workflow).toContain('model: anthropic/claude-sonnet-4-5')
    expect(workflow).toContain('issue_comment:')
    expect(workflow).toContain('pull_request_review_comment:')
    expect(workflow).not.toContain('describe:')
  })

  it('asks for what is not given on a terminal, and --yes asks nothing', async () => {
    const ask = jest.fn<Ask>(async (question) =>
      question.startsWith('Model') ? 'google/gemini-2.5-pro' : 'review,describe'
    )

    await runInit([], io(ask))

    expect(ask).toHaveBeenCalledTimes(2)
    const workflow = readFileSync(workflowFile(), 'utf8')
    expect(workflow).toContain('model: google/gemini-2.5-pro')
    expect(workflow).toContain('describe: true')
    // OpenCode lists three variables for Google; the one its SDK reads the key from is given.
    expect(printed.join('\n')).toMatch(/^ {2}gh secret set GOOGLE_GENERATIVE_AI_API_KEY$/m)
    expect(printed.join('\n')).not.toContain('GEMINI_API_KEY')

    ask.mockClear()
    await runInit(['--yes', '--force'], io(ask))
    expect(ask).not.toHaveBeenCalled()
  })

  it('refuses to overwrite an existing file without --force, and overwrites it with', async () => {
    mkdirSync(path.dirname(workflowFile()), { recursive: true })
    writeFileSync(workflowFile(), 'mine\n')

    await expect(runInit(['--yes'], io())).rejects.toThrow(
      `${WORKFLOW_PATH} already exists: --force overwrites it, --dry-run prints the new one without writing.`
    )
    expect(readFileSync(workflowFile(), 'utf8')).toBe('mine\n')

    await runInit(['--yes', '--force'], io())
    expect(readFileSync(workflowFile(), 'utf8')).toContain('opencode-pr-review/opencode-pr-review@')
  })

  it('--dry-run prints the workflow and the secret, and writes nothing', async () => {
    await runInit(['--yes', '--dry-run', '--model', 'anthropic/claude-opus-4-1'], io())

    expect(() => readFileSync(workflowFile())).toThrow('ENOENT')
    const output = printed.join('\n')
    expect(output).toContain('model: anthropic/claude-opus-4-1')
    expect(output).toContain('gh secret set ANTHROPIC_API_KEY')
  })

  it.each([
    [['--model', 'nobody/model'], "OpenCode 1.18.33 knows no provider 'nobody'"],
    [['--model', 'github-copilot/gpt-5'], 'GitHub allows no secret named GITHUB_*'],
    [['--model', 'claude'], "--model must look like 'provider/model'"],
    [['--features', 'lint'], "--features: unknown 'lint'"],
    [['--colour'], "Unknown option '--colour'"]
  ])('refuses %j, saying what to change', async (argv, message) => {
    await expect(runInit(argv, io())).rejects.toThrow(message)
  })

  it('refuses a folder outside any git repository', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'init-outside-'))
    try {
      await expect(runInit(['--yes'], io(undefined, outside))).rejects.toThrow('is not inside a git repository')
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })
})
