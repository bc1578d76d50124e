import { it, jest } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { pullRequestEvent } from '../../__fixtures__/events.js'
import { startFakeGitHub } from './fake-github.js'
import { fakeProviderConfig, startFakeModel } from './fake-model.js'
import { prepareJob } from './runner.js'
jest.setTimeout(120000)
it('times', async () => {
  const model = await startFakeModel()
  const github = await startFakeGitHub({ token: 't', pulls: [{ number: 7, title: 'x', body: '', headSha: 'b'.repeat(40), baseSha: 'a'.repeat(40), headRef: 'f', baseRef: 'main', diff: readFileSync('__fixtures__/real-world.diff', 'utf8') }] })
  const job = prepareJob({ eventName: 'pull_request', payload: pullRequestEvent('opened', { number: 7 }), apiUrl: github.url, inputs: { model: 'fake/review-model', 'github-token': 't', config: JSON.stringify(fakeProviderConfig(model.baseURL)) }, env: { ACTIONS_STEP_DEBUG: 'true' } })
  const t0 = Date.now()
  const lines: string[] = []
  const orig = model.requests.push.bind(model.requests)
  model.requests.push = (...r) => { lines.push(`${Date.now() - t0} MODEL REQUEST`); return orig(...r) }
  const side = model.sideRequests.push.bind(model.sideRequests)
  model.sideRequests.push = (...r) => { lines.push(`${Date.now() - t0} SIDE REQUEST`); return side(...r) }
  const child = spawn(process.execPath, ['dist/index.js'], { env: job.env })
  child.stdout.on('data', (d: Buffer) => d.toString().split('\n').forEach((l) => l && lines.push(`${Date.now() - t0} ${l.slice(0, 160)}`)))
  await new Promise((r) => child.on('close', r))
  console.log(lines.join('\n'))
  await model.close(); await github.close()
})
