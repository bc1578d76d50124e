import { describe, expect, it, jest } from '@jest/globals'
import type { Event as ServerEvent, OpencodeClient } from '@opencode-ai/sdk/v2/client'
import { readFileSync } from 'node:fs'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { followProgress } from '../../src/opencode/progress.js'

const log = fakeLogger()

/** Recorded from `opencode serve` 1.18.33 and the fake model: three sessions in a row on one subscription. */
const events = JSON.parse(
  readFileSync(new URL('../../__fixtures__/opencode-events.json', import.meta.url), 'utf8')
) as ServerEvent[]
/** Reads src/app.ts, globs (fails: no ripgrep offline), is denied .env, answers. */
const REVIEWED = 'ses_defb2d452ffen1TK2zOs02ya9A'
/** The provider answers 500 twice, then the review. */
const RETRIED = 'ses_defb2bc15ffeFr9F767oC096QZ'
/** The provider answers 400. */
const FAILED = 'ses_defb29e09ffelCuHsp2sSvJi31'

const sessionOf = (event: ServerEvent): unknown => (event.properties as { sessionID?: unknown }).sessionID

interface Replay {
  client: OpencodeClient
  /** Resolves when the stream has nothing more to give. */
  ended: Promise<void>
  signal(): AbortSignal | undefined
}

/** A client whose event stream yields `source`, stopping on abort between events as the SDK's does. */
function replay(source: (signal: AbortSignal) => AsyncGenerator<unknown>): Replay {
  let signal: AbortSignal | undefined
  let end = (): void => undefined
  const ended = new Promise<void>((resolve) => (end = resolve))
  async function* stream(abort: AbortSignal): AsyncGenerator<unknown> {
    try {
      for await (const event of source(abort)) {
        if (abort.aborted) return
        yield event
      }
    } finally {
      end()
    }
  }
  const subscribe = async (_parameters: unknown, options: { signal: AbortSignal }) => {
    signal = options.signal
    return { stream: stream(options.signal) }
  }
  return { client: { event: { subscribe } } as unknown as OpencodeClient, ended, signal: () => signal }
}

async function* yieldAll(list: readonly ServerEvent[]): AsyncGenerator<ServerEvent> {
  for (const event of list) yield event
}

async function linesOf(list: readonly ServerEvent[], sessions: ReadonlyMap<string, string>): Promise<string[]> {
  const lines: string[] = []
  const { client, ended } = replay(() => yieldAll(list))
  const stop = followProgress(client, sessions, (line) => lines.push(line), log)
  await ended
  await stop()
  return lines
}

const allGroups = new Map([
  [REVIEWED, 'group 1/3'],
  [RETRIED, 'group 2/3'],
  [FAILED, 'group 3/3']
])

describe('followProgress', () => {
  it('reports tool calls, steps with the tokens so far, retries and the outcome, per session', async () => {
    expect(await linesOf(events, allGroups)).toEqual([
      '[group 1/3] read src/app.ts',
      '[group 1/3] step finished: 1,200 tokens in / 80 out so far',
      '[group 1/3] glob **/*.ts in src',
      '[group 1/3] step finished: 2,400 tokens in / 160 out so far',
      '[group 1/3] read .env',
      '[group 1/3] step finished: 3,600 tokens in / 240 out so far',
      '[group 1/3] step finished: 4,800 tokens in / 320 out so far',
      '[group 1/3] answered',
      '[group 2/3] model provider retry 1: upstream overloaded',
      '[group 2/3] model provider retry 2: upstream overloaded',
      '[group 2/3] step finished: 1,200 tokens in / 80 out so far',
      '[group 2/3] answered',
      '[group 3/3] failed: APIError: bad request: context too long'
    ])
  })

  it('reports each tool call and step once, however often OpenCode sends it', async () => {
    const reviewed = events.filter((event) => sessionOf(event) === REVIEWED)
    const toolUpdates = reviewed.filter(
      (event) => event.type === 'message.part.updated' && event.properties.part.type === 'tool'
    )
    expect(toolUpdates).toHaveLength(9)
    const once = await linesOf(reviewed, allGroups)
    expect(once.filter((line) => /\] (read|glob) /.test(line))).toHaveLength(3)
    expect(await linesOf([...reviewed, ...reviewed], allGroups)).toEqual(once)
  })

  it('skips sessions it does not follow, and follows one added while the stream runs', async () => {
    const sessions = new Map([[RETRIED, 'group 2/3']])
    const lines: string[] = []
    const { client, ended } = replay(async function* () {
      for (const event of events) {
        // As the action does: the session is created, then followed.
        if (event.type === 'session.created' && event.properties.sessionID === FAILED) sessions.set(FAILED, 'group 3/3')
        yield event
      }
    })
    const stop = followProgress(client, sessions, (line) => lines.push(line), log)
    await ended
    await stop()
    expect(lines).toEqual([
      '[group 2/3] model provider retry 1: upstream overloaded',
      '[group 2/3] model provider retry 2: upstream overloaded',
      '[group 2/3] step finished: 1,200 tokens in / 80 out so far',
      '[group 2/3] answered',
      '[group 3/3] failed: APIError: bad request: context too long'
    ])
  })

  it('says a model that answered in text, without the structured findings, answered: its text is the review', async () => {
    const inText = events
      .filter((event) => sessionOf(event) === FAILED)
      .map((event) =>
        event.type === 'message.updated' && event.properties.info.role === 'assistant' && event.properties.info.error
          ? ({
              ...event,
              properties: {
                ...event.properties,
                info: {
                  ...event.properties.info,
                  error: {
                    name: 'StructuredOutputError',
                    data: { message: 'Model did not produce structured output', retries: 0 }
                  }
                }
              }
            } as ServerEvent)
          : event
      )
    expect(JSON.stringify(inText)).toContain('StructuredOutputError')

    expect(await linesOf(inText, allGroups)).toEqual(['[group 3/3] answered in text, without structured findings'])
  })

  it('keeps a model-chosen path on one line, where it cannot pass for a workflow command', async () => {
    const running = events.find(
      (event) =>
        event.type === 'message.part.updated' &&
        event.properties.part.type === 'tool' &&
        event.properties.part.state.status === 'running'
    )
    const hostile = JSON.parse(JSON.stringify(running).replace('src/app.ts', 'x.ts\\n::error::pwned')) as ServerEvent
    // Alone, without its message, the call has no workspace to be relative to.
    expect(await linesOf([hostile], allGroups)).toEqual([
      '[group 1/3] read /home/runner/work/app/app/x.ts ::error::pwned'
    ])
  })

  it('shows each call of the workspace’s tools: the file read, the directory listed, the glob, the search', async () => {
    const running = events.find(
      (event) =>
        event.type === 'message.part.updated' &&
        event.properties.part.type === 'tool' &&
        event.properties.part.state.status === 'running'
    )
    const call = (tool: string, input: Record<string, unknown>, id: string) => {
      const event = structuredClone(running) as unknown as {
        properties: { part: { id: string; tool: string; state: { input: unknown } } }
      }
      Object.assign(event.properties.part, { id, tool })
      event.properties.part.state.input = input
      return event as unknown as ServerEvent
    }
    expect(
      await linesOf(
        [
          call('workspace_read', { path: 'src/app.ts' }, 'p1'),
          call('workspace_read', { path: 'src/long.ts', offset: 2001, limit: 100 }, 'p2'),
          call('workspace_list', {}, 'p3'),
          call('workspace_list', { path: 'src' }, 'p4'),
          call('workspace_glob', { pattern: '**/*.test.ts' }, 'p5'),
          call('workspace_search', { pattern: 'parseDiff\\(', glob: 'src/**' }, 'p6'),
          call('workspace_search', { pattern: 'x', literal: true }, 'p7'),
          call('workspace_read', { path: 'x.ts\n::error::pwned' }, 'p8')
        ],
        allGroups
      )
    ).toEqual([
      '[group 1/3] read src/app.ts',
      '[group 1/3] read src/long.ts from line 2001',
      '[group 1/3] list .',
      '[group 1/3] list src',
      '[group 1/3] glob **/*.test.ts',
      '[group 1/3] search "parseDiff\\(" in src/**',
      '[group 1/3] search "x"',
      '[group 1/3] read x.ts ::error::pwned'
    ])
  })

  it('stops quietly when the stream breaks', async () => {
    const lines: string[] = []
    const { client, ended } = replay(async function* () {
      yield* events.slice(0, 12)
      throw new Error('socket hang up')
    })
    const stop = followProgress(client, allGroups, (line) => lines.push(line), log)
    await ended
    await expect(stop()).resolves.toBeUndefined()
    expect(lines).toEqual(['[group 1/3] read src/app.ts'])
    expect(log.debug).toHaveBeenCalledWith('progress events: Error: socket hang up')
  })

  it('stops quietly when it cannot subscribe', async () => {
    const client = {
      event: { subscribe: () => Promise.reject(new Error('connection refused')) }
    } as unknown as OpencodeClient
    const report = jest.fn()
    await expect(followProgress(client, allGroups, report, log)()).resolves.toBeUndefined()
    expect(report).not.toHaveBeenCalled()
  })

  it('closes the stream on stop, once however often it is called', async () => {
    const { client, ended, signal } = replay(async function* (abort) {
      yield events[0]
      await new Promise((resolve) => abort.addEventListener('abort', resolve))
    })
    const stop = followProgress(client, allGroups, () => undefined, log)
    await new Promise((resolve) => setImmediate(resolve))
    expect(signal()?.aborted).toBe(false)
    const first = stop()
    expect(stop()).toBe(first)
    await first
    expect(signal()?.aborted).toBe(true)
    await ended
  })

  it('lets a busy session deliver its last events before stopping', async () => {
    const reviewed = events.filter((event) => sessionOf(event) === REVIEWED)
    // OpenCode answers the prompt a few ms before the answer's own events reach the stream.
    const lastStep = reviewed.findLastIndex(
      (event) => event.type === 'message.part.updated' && event.properties.part.type === 'step-finish'
    )
    let stopping = (): void => undefined
    const stopCalled = new Promise<void>((resolve) => (stopping = resolve))
    const lines: string[] = []
    const { client } = replay(async function* () {
      yield* reviewed.slice(0, lastStep)
      await stopCalled
      yield* reviewed.slice(lastStep)
    })
    const stop = followProgress(client, allGroups, (line) => lines.push(line), log)
    await new Promise((resolve) => setTimeout(resolve, 10))
    const stopped = stop()
    stopping()
    await stopped
    expect(lines.slice(-2)).toEqual([
      '[group 1/3] step finished: 4,800 tokens in / 320 out so far',
      '[group 1/3] answered'
    ])
  })
})
