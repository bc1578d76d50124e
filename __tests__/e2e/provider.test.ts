import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import net from 'node:net'
import { PROVIDER_HEADER_TIMEOUT_MS } from '../../src/opencode/config.js'
import { FAKE_PROVIDER, fakeProviderConfig } from '../../__fixtures__/fake-model.js'
import { type ActionRun, runStep } from '../../__fixtures__/runner.js'
import { type Scenario, startScenario } from './scenario.js'

/** An unreachable provider must fail the step within a minute, not at `review-timeout` (600 s by default). */
const UNREACHABLE_WITHIN_MS = 60_000
/** Past the header limit, so a limit on the whole answer would have cut this one. */
const SLOW_CONTENT_AFTER_MS = PROVIDER_HEADER_TIMEOUT_MS + 5_000

// The slow model's test waits for its late content, then the review is posted.
jest.setTimeout(SLOW_CONTENT_AFTER_MS + 60_000)

let world: Scenario

beforeEach(async () => {
  world = await startScenario()
})

afterEach(() => world.close())

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

/** Runs the action with the fake provider pointed at `baseURL`. */
function runAgainst(baseURL: string): Promise<ActionRun> {
  return runStep(world.job({ inputs: { config: JSON.stringify(fakeProviderConfig(baseURL)) } }))
}

function expectUnreachable(run: ActionRun, baseURL: string, reason: string): void {
  expect(run.exitCode).toBe(1)
  const error = run.errors.join('\n')
  expect(error).toContain(`The model provider '${FAKE_PROVIDER}' at ${baseURL} could not be reached (${reason}`)
  expect(error).toContain(
    'Check the base URL (host, port and path), that this machine can reach the provider (DNS, proxy, firewall) and that the service is up.'
  )
  expect(world.github.reviews).toHaveLength(0)
  expect(world.github.comments).toHaveLength(0)
}

describe('a model provider that cannot be reached', () => {
  it(
    'fails the step, naming the provider and its base URL, when nothing listens on its port',
    async () => {
      const baseURL = `http://127.0.0.1:${await closedPort()}/v1`

      const run = await runAgainst(baseURL)

      expectUnreachable(run, baseURL, 'Cannot connect to API')
    },
    UNREACHABLE_WITHIN_MS
  )

  it(
    'fails the step when the host name of its base URL does not resolve',
    async () => {
      const baseURL = 'http://nonexistent.invalid/v1'

      const run = await runAgainst(baseURL)

      expectUnreachable(run, baseURL, 'Cannot connect to API')
    },
    UNREACHABLE_WITHIN_MS
  )

  it(
    'fails the step when it accepts the connection but never sends response headers',
    async () => {
      world.model.script([], { kind: 'hang' })

      const run = await runStep(world.job())

      expectUnreachable(
        run,
        world.model.baseURL,
        `Provider response headers timed out after ${PROVIDER_HEADER_TIMEOUT_MS}ms`
      )
      expect(run.errors.join('\n')).toContain(
        `raise provider.${FAKE_PROVIDER}.options.headerTimeout (ms) in the config`
      )
    },
    UNREACHABLE_WITHIN_MS
  )
})

describe('a slow model that is working', () => {
  it('gets its review posted when it sends its headers at once and its content only after the header limit', async () => {
    world.model.script([
      { kind: 'slowReply', text: 'Slow but thorough: looks fine.', contentAfterMs: SLOW_CONTENT_AFTER_MS }
    ])

    const run = await runStep(world.job())

    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    // One request, answered late: OpenCode never gave up on it and retried.
    expect(world.model.requests).toHaveLength(1)
    expect(world.github.reviews).toHaveLength(1)
    expect(world.github.reviews[0].body).toContain('Slow but thorough: looks fine.')
  })
})
