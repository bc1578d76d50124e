/**
 * Runs the bundled action once, as a GitHub runner would, on this machine:
 * the real `opencode` server reviews a pull request served by a local fake of
 * GitHub's API, and the review the action posts is printed.
 *
 *   npm run demo                                   # a local stand-in model, no key needed
 *   npm run demo -- --model anthropic/claude-sonnet-4-5   # a real model; its key in the environment
 *   npm run demo -- --diff changes.diff            # review your own diff (git diff > changes.diff)
 */
import { readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { pullRequestEvent } from '../__fixtures__/events.js'
import { startFakeGitHub } from '../__tests__/e2e/fake-github.js'
import { FAKE_MODEL, FAKE_PROVIDER, fakeProviderConfig, startFakeModel } from '../__tests__/e2e/fake-model.js'
import { prepareJob, ROOT, runStep } from '../__tests__/e2e/runner.js'

const { values } = parseArgs({ options: { model: { type: 'string' }, diff: { type: 'string' } } })
const token = 'ghs_demoToken000000000000000000000000000000'
const diff = readFileSync(values.diff ?? path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8')

const model = await startFakeModel()
model.script([
  {
    kind: 'reply',
    text: '## Summary\nThis is the local stand-in model: it answers every review with this text. Pass `--model provider/model` (with its API key in the environment) for a real review.'
  }
])
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
await model.close()
await github.close()
rmSync(job.dir, { recursive: true, force: true })
process.exitCode = run.exitCode ?? 1
