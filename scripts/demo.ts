/**
 * Runs the bundled action as a GitHub runner would, on this machine: the real
 * `opencode` server reviews a pull request served by a local fake of GitHub's
 * API, with OpenCode's built-in Anthropic provider and its key in the step's
 * environment as a workflow gives it (a local stand-in answers as Anthropic's
 * API), and the review the action posts is printed; then a maintainer asks about
 * its finding in the finding's thread, and the answer is printed. Then the local
 * command (`dist/cli/index.js`) reviews this repository's last commit the same way
 * (a small branch of its own in a shallow clone, which has no last commit to compare with).
 * It runs the committed dist/: after changing src/, run `npm run bundle` first.
 *
 *   npm run demo                                   # a local stand-in model, no key needed
 *   npm run demo -- --model anthropic/claude-sonnet-4-5   # a real model; its key in the environment
 *   npm run demo -- --diff changes.diff            # review your own diff (git diff > changes.diff)
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { commentEvent, pullRequestEvent } from '../__fixtures__/events.js'
import { ensureOpencodeBinary } from '../__fixtures__/opencode-binary.js'
import { startFakeGitHub } from '../__fixtures__/fake-github.js'
import { promptText, startFakeModel, towardsStandIn } from '../__fixtures__/fake-model.js'
import { OPENCODE_BIN_DIR, prepareJob, ROOT, runStep } from '../__fixtures__/runner.js'
import { humanLine } from '../src/cli/terminal.js'
import { newSideHunks } from '../src/diff/lines.js'
import { type FileDiff, parseDiff } from '../src/diff/parse.js'

ensureOpencodeBinary()

const { values } = parseArgs({ options: { model: { type: 'string' }, diff: { type: 'string' } } })
const token = 'ghs_demoToken000000000000000000000000000000'
const diff = readFileSync(values.diff ?? path.join(ROOT, '__fixtures__/real-world.diff'), 'utf8')

/** The files of the diff the stand-in was sent. */
function diffOf(prompt: string): FileDiff[] {
  return parseDiff(/<diff files="\d+">\n([\s\S]*?)\n<\/diff>/.exec(prompt)?.[1] ?? '')
}

/** The stand-in's walkthrough of the diff it was sent: its files grouped by top directory. */
function walkthroughOf(files: FileDiff[]): Array<{ files: string[]; change: string }> {
  const groups = new Map<string, string[]>()
  for (const { path: file } of files) {
    const top = file.includes('/') ? `${file.split('/')[0]}/` : 'the top level'
    groups.set(top, [...(groups.get(top) ?? []), file])
  }
  return [...groups].map(([top, files]) => ({
    files,
    change: `Changes ${files.length} file${files.length === 1 ? '' : 's'} in ${top} (the stand-in groups by directory; a real model says what changed).`
  }))
}

/** The stand-in's one finding: on the first line the diff it was sent shows, so it lands on a file of that diff. */
function findingsOf(files: FileDiff[]): object[] {
  for (const file of files) {
    const [hunk] = newSideHunks(file)
    if (hunk)
      return [
        {
          file: file.path,
          start_line: hunk.start,
          end_line: hunk.start,
          quote: hunk.content[0],
          severity: 'medium',
          title: 'A stand-in finding on a line of the diff',
          body: 'Shows where a finding lands.'
        }
      ]
  }
  return []
}

const model = await startFakeModel()
// A review when the structured answer is asked for, else the answer to a question in a finding's thread.
model.respond = (request) =>
  request.tools?.some((tool) => tool.function.name === 'StructuredOutput')
    ? {
        kind: 'toolCall',
        tool: 'StructuredOutput',
        args: {
          summary:
            '## Summary\nThis is the local stand-in model: it answers every review with this text and one finding. Pass `--model provider/model` (with its API key in the environment) for a real review.',
          walkthrough: walkthroughOf(diffOf(promptText(request))),
          findings: findingsOf(diffOf(promptText(request)))
        }
      }
    : {
        kind: 'reply',
        text: 'The stand-in model answers here, in the thread of the finding it was asked about; a real model explains the finding from the thread and the code around it.'
      }
const github = await startFakeGitHub({
  token,
  permissions: { 'demo-maintainer': 'write' },
  pulls: [
    {
      number: 1,
      title: 'Demo pull request',
      body: 'Reviewed by `npm run demo`.',
      headSha: 'b'.repeat(40),
      baseSha: 'a'.repeat(40),
      headRef: 'demo',
      baseRef: 'main',
      diff
    }
  ]
})
/** The stand-in's model, reached the way a user's workflow reaches Anthropic's: the key in the environment. */
const STAND_IN_MODEL = 'anthropic/claude-sonnet-4-5'
const standInEnv = {
  ANTHROPIC_API_KEY: 'sk-ant-demo-stand-in-key-000000000000',
  ...towardsStandIn('anthropic', model.baseURL).env,
  HOME: path.join(ROOT, '.tmp/demo-home')
}
const jobInputs = { model: values.model ?? STAND_IN_MODEL }
// A real provider's key comes from this environment, as a workflow's `env:` gives it.
const jobEnv: Record<string, string> = values.model ? {} : standInEnv
const job = prepareJob({
  eventName: 'pull_request',
  payload: pullRequestEvent('opened', { number: 1 }),
  apiUrl: github.url,
  githubToken: token,
  inputs: jobInputs,
  env: jobEnv
})

const run = await runStep(job)
// As the runner shows the log: without its workflow commands' debug lines and masks.
console.log("--- the action's log ---")
console.log(
  run.stdout
    .trim()
    .split('\n')
    .map(humanLine)
    .filter((line) => line !== undefined)
    .join('\n')
)
console.log('--- posted on the pull request ---')
console.log(github.reviews[0]?.body ?? '(nothing was posted)')
for (const comment of github.reviewComments)
  console.log(`--- comment on ${comment.path} line ${comment.line} ---\n${comment.body}`)
rmSync(job.dir, { recursive: true, force: true })

/** A maintainer's question in the thread of the first finding, answered by the action run on that comment. */
async function askInThread(): Promise<number> {
  const [opening] = github.reviewComments
  if (!opening) return 0
  const question = github.addReviewReply(opening.id, '/review why does this matter?', 'demo-maintainer', 'MEMBER')
  const payload = commentEvent('pull_request_review_comment', {
    number: 1,
    body: question.body,
    login: question.user,
    association: 'MEMBER',
    inReplyTo: opening.id
  })
  payload.comment.id = question.id
  const asked = prepareJob({
    eventName: 'pull_request_review_comment',
    payload,
    apiUrl: github.url,
    githubToken: token,
    inputs: jobInputs,
    env: jobEnv
  })
  const answered = await runStep(asked)
  console.log(`--- ${question.user} replies in its thread: ${question.body} ---`)
  console.log(github.reviewComments.at(-1)?.body ?? '(nothing was posted)')
  rmSync(asked.dir, { recursive: true, force: true })
  return answered.exitCode ?? 1
}
const answerStatus = await askInThread()

/** This repository's last commit, or, in a shallow clone, a throwaway repository with one change on a branch. */
function repositoryToReview(): { cwd: string; base: string; what: string } {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-C', cwd, '-c', 'user.name=Demo', '-c', 'user.email=demo@example.com', ...args], {
      stdio: 'pipe'
    })
  try {
    git(ROOT, 'rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}')
    return { cwd: ROOT, base: 'HEAD~1', what: "this repository's last commit" }
  } catch {
    const cwd = mkdtempSync(path.join(tmpdir(), 'demo-repository-'))
    git(cwd, 'init', '--quiet', '--initial-branch=main')
    writeFileSync(path.join(cwd, 'greet.js'), 'export const greet = (name) => `Hello, ${name}`\n')
    git(cwd, 'add', '.')
    git(cwd, 'commit', '--quiet', '-m', 'Greet')
    git(cwd, 'checkout', '--quiet', '-b', 'shout')
    writeFileSync(path.join(cwd, 'greet.js'), 'export const greet = (name) => `HELLO, ${name.toUpperCase()}`\n')
    return { cwd, base: 'main', what: 'a demo branch: this clone is shallow, so it has no last commit to compare with' }
  }
}

// Asynchronously: the stand-in model answers from this process's event loop, which a synchronous child would block.
function runCommand(args: string[], cwd: string): Promise<number> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli/index.js'), ...args], {
    cwd,
    env: {
      ...process.env,
      PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`,
      ...(values.model ? {} : standInEnv)
    },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve(code ?? 1))
  })
}

const local = repositoryToReview()
console.log(`--- the local command: opencode-pr-review --base ${local.base} (${local.what}) ---`)
const modelArgs = ['--model', values.model ?? STAND_IN_MODEL]
// The committed bundle is build output, not something to review.
const cliStatus = await runCommand(['--base', local.base, '--exclude', 'dist/**', ...modelArgs], local.cwd)
if (local.cwd !== ROOT) rmSync(local.cwd, { recursive: true, force: true })
await model.close()
await github.close()
process.exitCode = run.exitCode || answerStatus || cliStatus
