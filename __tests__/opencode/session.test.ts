import { afterEach, describe, expect, it, jest } from '@jest/globals'
import type { Part } from '@opencode-ai/sdk/v2/client'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { fakeLogger } from '../../__fixtures__/logger.js'
import { createClient, reviewMarkdown, runReview, supportsStructuredOutput } from '../../src/opencode/session.js'
import type { OpencodeServer } from '../../src/opencode/server.js'

const base = { sessionID: 'ses_1', messageID: 'msg_1' }

describe('reviewMarkdown', () => {
  it('joins the text parts and drops reasoning, tools and what OpenCode added itself', () => {
    const parts = [
      { ...base, id: 'prt_1', type: 'reasoning', text: 'thinking…', time: { start: 0 } },
      { ...base, id: 'prt_2', type: 'text', text: '## Summary\n' },
      { ...base, id: 'prt_3', type: 'text', text: 'synthetic note', synthetic: true },
      { ...base, id: 'prt_4', type: 'text', text: 'ignored', ignored: true },
      { ...base, id: 'prt_5', type: 'text', text: '  ' },
      { ...base, id: 'prt_6', type: 'text', text: 'Looks good.' }
    ] as Part[]
    expect(reviewMarkdown(parts)).toBe('## Summary\n\nLooks good.')
  })

  it('is empty when the model said nothing', () => {
    expect(reviewMarkdown([])).toBe('')
  })
})

describe('supportsStructuredOutput', () => {
  /** A server whose API description does or does not offer `json_schema`, counting how often it is asked. */
  async function serverWithDoc(
    doc: string,
    version: string
  ): Promise<{ server: OpencodeServer; asked: () => number; close: () => Promise<void> }> {
    let asked = 0
    const listener = http.createServer((request, response) => {
      if (request.url === '/doc') asked++
      response.writeHead(request.url === '/doc' ? 200 : 404, { 'content-type': 'application/json' }).end(doc)
    })
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    const server = {
      url,
      password: 'p',
      pid: 1,
      version,
      stop: async () => undefined
    } as OpencodeServer
    return { server, asked: () => asked, close: () => new Promise((resolve) => listener.close(() => resolve())) }
  }

  it('trusts the tested release and later ones without the 2 s the API description costs', async () => {
    for (const version of ['1.18.33', '1.18.40', '1.19.0', '2.0.0']) {
      const fake = await serverWithDoc('{}', version)
      await expect(supportsStructuredOutput(fake.server)).resolves.toBe(true)
      expect(fake.asked()).toBe(0)
      await fake.close()
    }
  })

  it("asks an older or unknown release's API description", async () => {
    const withSchema = await serverWithDoc('{"OutputFormatJsonSchema": {"type": "json_schema"}}', '1.17.2')
    await expect(supportsStructuredOutput(withSchema.server)).resolves.toBe(true)
    expect(withSchema.asked()).toBe(1)
    await withSchema.close()
    const without = await serverWithDoc('{"paths": {}}', 'local-build')
    await expect(supportsStructuredOutput(without.server)).resolves.toBe(false)
    expect(without.asked()).toBe(1)
    await without.close()
  })
})

// Closed whatever a test's outcome: an open listener would keep jest from exiting.
const opened: Array<() => Promise<void>> = []
afterEach(() => Promise.all(opened.splice(0).map((close) => close())))

/** Just enough of OpenCode's API on loopback, answered by `handle`, as a server of the tested release. */
async function fakeOpencode(handle: http.RequestListener): Promise<OpencodeServer> {
  const listener = http.createServer(handle)
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
  opened.push(() => {
    listener.closeAllConnections()
    return new Promise((resolve) => listener.close(() => resolve()))
  })
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
  return { url, password: 'p', pid: 1, version: '1.18.33', stop: async () => undefined } as OpencodeServer
}

const request = {
  title: 'Review',
  prompt: 'Review this.',
  model: undefined,
  agent: 'pr-reviewer',
  variant: undefined,
  timeoutMs: 60_000,
  deadline: Date.now() + 60_000
}

describe('runReview, when the provider cannot be reached', () => {
  // A failed connection is given up after three attempts, read a second apart.
  jest.setTimeout(15_000)
  /**
   * Just enough of OpenCode's API for one review whose provider is retried: the message never
   * answers, the session reports `retry` with one more attempt at each look, and the server tells
   * which provider it calls and its options.
   */
  async function opencodeRetrying(
    retryMessage: string,
    provider: Record<string, unknown>
  ): Promise<{ server: OpencodeServer }> {
    let attempt = 0
    const routes: Record<string, unknown> = {
      'POST /session': { id: 'ses_1' },
      'GET /session/ses_1/message?limit=1': [
        { info: { id: 'msg_2', role: 'assistant', providerID: provider.id, modelID: 'big' }, parts: [] }
      ],
      'GET /config/providers': { providers: [provider], default: {} },
      'POST /session/ses_1/abort': true,
      'DELETE /session/ses_1': true
    }
    const server = await fakeOpencode((request, response) => {
      const route = `${request.method} ${request.url}`
      // The review's message: answered only when the review gives up on it.
      if (route === 'POST /session/ses_1/message') return
      if (route === 'GET /session/status') {
        routes[route] = { ses_1: { type: 'retry', attempt: ++attempt, message: retryMessage, next: 0 } }
      }
      response
        .writeHead(route in routes ? 200 : 404, { 'content-type': 'application/json' })
        .end(JSON.stringify(routes[route] ?? {}))
    })
    return { server }
  }

  it('names a built-in provider by its id, and never shows its options', async () => {
    const fake = await opencodeRetrying('Cannot connect to API: Was there a typo in the url or port?', {
      id: 'anthropic',
      options: { apiKey: 'sk-secret' },
      models: { big: { api: { url: '' } } }
    })

    const error = (await runReview(createClient(fake.server), request, { log: fakeLogger() }).catch(
      (reason: unknown) => reason
    )) as Error

    expect(error.message).toBe(
      "The model provider 'anthropic' could not be reached (Cannot connect to API: Was there a typo in the url or port?). Check that this machine can reach the provider (DNS, proxy, firewall) and that the service is up."
    )
    expect(error.message).not.toContain('sk-secret')
  })

  it('names where the model lives when the config gives no base URL', async () => {
    const fake = await opencodeRetrying('Provider response headers timed out after 30000ms', {
      id: 'zen',
      options: {},
      models: { big: { api: { url: 'https://zen.example/v1' } } }
    })

    await expect(runReview(createClient(fake.server), request, { log: fakeLogger() })).rejects.toThrow(
      "The model provider 'zen' at https://zen.example/v1 could not be reached (Provider response headers timed out after 30000ms). Check the base URL (host, port and path), that this machine can reach the provider (DNS, proxy, firewall) and that the service is up. If it is up but slow to start answering, raise provider.zen.options.headerTimeout (ms) in the config."
    )
  })
})

describe('runReview with a follow-up message', () => {
  /** A message's answer: `n` hundred input tokens and 10 cents each, and the structured answer given. */
  const answer = (n: number, structured: unknown) => ({
    info: {
      id: `msg_${n}`,
      role: 'assistant',
      providerID: 'fake',
      modelID: 'm',
      tokens: { input: 100 * n, output: 10, reasoning: 0, cache: { read: 0, write: 0 } },
      cost: 0.1,
      structured
    },
    parts: []
  })

  /** One session: the review is answered at once, the follow-up too unless it `hangs`; every call is recorded. */
  async function opencodeAnswering(followUp: 'answers' | 'hangs') {
    const calls: string[] = []
    const messages: Array<{ parts: Array<{ text: string }>; format?: unknown }> = []
    const server = await fakeOpencode((incoming, response) => {
      let raw = ''
      incoming.on('data', (data: Buffer) => (raw += data.toString()))
      incoming.on('end', () => {
        const route = `${incoming.method} ${incoming.url}`
        calls.push(route)
        let body: unknown = route === 'POST /session' ? { id: 'ses_1' } : route === 'GET /session/status' ? {} : true
        if (route === 'POST /session/ses_1/message') {
          messages.push(JSON.parse(raw))
          if (messages.length === 2 && followUp === 'hangs') return
          body = messages.length === 1 ? answer(1, { summary: 'S', findings: [] }) : answer(2, { holding: [1] })
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
    })
    return { server, calls, messages }
  }

  const check = { prompt: 'Check your findings.', schema: { type: 'object' } }

  it('asks it in the same session after the answer, and adds its answer and usage to the result', async () => {
    const fake = await opencodeAnswering('answers')
    const asked: unknown[] = []

    const result = await runReview(
      createClient(fake.server),
      {
        ...request,
        followUp: (first) => {
          asked.push(first.structured)
          return check
        }
      },
      { log: fakeLogger() }
    )

    expect(asked).toEqual([{ summary: 'S', findings: [] }])
    expect(fake.messages.map((message) => message.parts[0].text)).toEqual(['Review this.', 'Check your findings.'])
    expect(fake.messages[1].format).toEqual({ type: 'json_schema', schema: { type: 'object' } })
    expect(result).toMatchObject({
      structured: { summary: 'S', findings: [] },
      followUp: { structured: { holding: [1] } },
      tokens: { input: 300, output: 20 },
      cost: 0.2
    })
    expect(fake.calls.filter((call) => !call.startsWith('GET /session/status'))).toEqual([
      'POST /session',
      'POST /session/ses_1/message',
      'POST /session/ses_1/message',
      'DELETE /session/ses_1'
    ])
  })

  it('sends no second message when none is asked for', async () => {
    const fake = await opencodeAnswering('answers')

    const result = await runReview(
      createClient(fake.server),
      { ...request, followUp: () => undefined },
      { log: fakeLogger() }
    )

    expect(fake.messages).toHaveLength(1)
    expect(result.followUp).toBeUndefined()
  })

  it('keeps the review when the follow-up runs past the review timeout, and aborts and deletes the session', async () => {
    const fake = await opencodeAnswering('hangs')
    const log = fakeLogger()

    const result = await runReview(
      createClient(fake.server),
      { ...request, timeoutMs: 1000, deadline: Date.now() + 1000, followUp: () => check },
      { log }
    )

    expect(result.followUp).toBeUndefined()
    expect(result.structured).toEqual({ summary: 'S', findings: [] })
    expect(log.warning).toHaveBeenCalledWith(
      expect.stringContaining("The review took longer than 1s ('review-timeout') and was aborted.")
    )
    expect(fake.calls.filter((call) => !call.startsWith('GET /session/status')).slice(-2)).toEqual([
      'POST /session/ses_1/abort',
      'DELETE /session/ses_1'
    ])
  })
})
