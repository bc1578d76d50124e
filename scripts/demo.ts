/**
 * Runs the bundled action once, as a GitHub runner would, on this machine:
 * the real `opencode` server reviews a pull request served by a local fake of
 * GitHub's API, and the review the action posts is printed. Then the local
 * command (`dist/cli/index.js`) reviews this repository's last commit the same way.
 *
 *   npm run demo                                   # a local stand-in model, no key needed
 *   npm run demo -- --model anthropic/claude-sonnet-4-5   # a real model; its key in the environment
 *   npm run demo -- --diff changes.diff            # review your own diff (git diff > changes.diff)
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { pullRequestEvent } from '../__fixtures__/events.js'
import { startFakeGitHub } from '../__tests__/e2e/fake-github.js'
import { FAKE_MODEL, FAKE_PROVIDER, fakeProviderConfig, startFakeModel } from '../__tests__/e2e/fake-model.js'
import { OPENCODE_BIN_DIR, prepareJob, ROOT, runStep } from '../__tests__/e2e/runner.js'

const { values } = parseArgs({ options: { model: { type: 'string' }, diff: { type: 'string' } } })
const token = 'ghs_demoToken000000000000000000000000000000'
const diff = readFileSync(values.diff ?? path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8')

const model = await startFakeModel()
const standIn = () =>
  model.script([
    {
      kind: 'toolCall',
      tool: 'StructuredOutput',
      args: {
        summary: '## Summary\nThis is the local stand-in model: it answers every review with this text and one finding. Pass `--model provider/model` (with its API key in the environment) for a real review.',
        findings: [{ file: 'src/keep.ts', start_line: 2, end_line: 2, severity: 'medium', title: 'A stand-in finding on a changed line', body: 'Shows where a finding lands.', suggestion: 'line2 changed again' }]
      }
    }
  ])
standIn()
const github = await startFakeGitHub({
  token,
  pulls: [{ number: 1, title: 'Demo pull request', body: 'Reviewed by `npm run demo`.', headSha: 'b'.repeat(40), baseSha: 'a'.repeat(40), headRef: 'demo', baseRef: 'main', diff }]
})
const job = prepareJob({
  eventName: 'pull_request',
  payload: pullRequestEvent('opened', { number: 1 }),
  apiUrl: github.url,
  inputs: {
    model: values.model ?? `${FAKE_PROVIDER}/${FAKE_MODEL}`,
    'github-token': token,
    ...(values.model ? {} : { config: JSON.stringify(fakeProviderConfig(model.baseURL)) })
  },
  // A real provider's key comes from this environment, as a workflow's `env:` gives it.
  env: values.model ? {} : { HOME: path.join(ROOT, '.tmp/demo-home') }
})

const run = await runStep(job)
console.log('--- the action\'s log ---')
console.log(run.stdout.trim())
console.log('--- posted on the pull request ---')
console.log(github.reviews[0]?.body ?? '(nothing was posted)')
for (const comment of github.reviewComments) console.log(`--- comment on ${comment.path} line ${comment.line} ---\n${comment.body}`)
rmSync(job.dir, { recursive: true, force: true })

console.log('--- the local command: opencode-pr-review --base HEAD~1 (this repository\'s last commit) ---')
standIn()
const modelArgs = values.model ? ['--model', values.model] : ['--model', `${FAKE_PROVIDER}/${FAKE_MODEL}`, '--config', JSON.stringify(fakeProviderConfig(model.baseURL))]
const cli = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli/index.js'), '--base', 'HEAD~1', ...modelArgs], {
  cwd: ROOT,
  env: { ...process.env, PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`, ...(values.model ? {} : { HOME: path.join(ROOT, '.tmp/demo-home') }) },
  stdio: ['ignore', 'inherit', 'inherit']
})
await model.close()
await github.close()
process.exitCode = run.exitCode || cli.status || 0
