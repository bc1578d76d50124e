import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A scriptable OpenAI-compatible chat-completions server on loopback. OpenCode
 * reaches it through a custom `@ai-sdk/openai-compatible` provider, so the real
 * server runs a real review without any cloud model.
 */

export type ModelTurn =
  | { kind: 'reply'; text: string }
  /** Sends its response headers at once and `text` only `contentAfterMs` later, as a model that works slowly does. */
  | { kind: 'slowReply'; text: string; contentAfterMs: number }
  | { kind: 'error'; status: number; message: string }
  /** Accepts the request and never answers (until close). */
  | { kind: 'hang' }
  | { kind: 'toolCall'; tool: string; args: Record<string, unknown> }

export interface ChatRequest {
  model: string
  messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>
  tools?: Array<{ function: { name: string } }>
  [key: string]: unknown
}

export interface FakeModel {
  /** For the provider's `options.baseURL`. */
  baseURL: string
  /** Every chat request of the review conversation, in order. */
  requests: ChatRequest[]
  /** Requests OpenCode makes for itself (session titles), answered without using the script. */
  sideRequests: ChatRequest[]
  /** The turns the review conversation gets, in order; then `fallback` for every later request. */
  script(turns: ModelTurn[], fallback?: ModelTurn): void
  /** Answers by request instead of in order, for sessions that run at once; undefined falls back to the script. */
  respond?: (request: ChatRequest) => ModelTurn | undefined
  /** Each answer of the review conversation starts this late, as a real model's does. */
  delayMs: number
  /** Called for a request to any other path: a tool that reached the network would land here. */
  onUnknown?: (method: string, url: string) => void
  close(): Promise<void>
}

export const FAKE_PROVIDER = 'fake'
export const FAKE_MODEL = 'review-model'
/** A second model of the same provider, for `fallback-model` and `synthesis-model`. */
export const FAKE_OTHER_MODEL = 'other-model'

/** The OpenCode config that points a provider `fake` at this server. */
export function fakeProviderConfig(baseURL: string): Record<string, unknown> {
  return {
    provider: {
      [FAKE_PROVIDER]: {
        name: 'Fake model',
        npm: '@ai-sdk/openai-compatible',
        options: { baseURL, apiKey: 'fake-key' },
        models: {
          [FAKE_MODEL]: { name: 'Review model', limit: { context: 200000, output: 8192 } },
          [FAKE_OTHER_MODEL]: { name: 'Other model', limit: { context: 200000, output: 8192 } }
        }
      }
    },
    small_model: `${FAKE_PROVIDER}/${FAKE_MODEL}`
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join('')
  return ''
}

/** OpenCode asks the small model for a session title with its own system prompt. */
function isTitleRequest(request: ChatRequest): boolean {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => textOf(message.content))
    .join('\n')
  return /title/i.test(system) && !request.tools?.length
}

function chunk(
  id: string,
  delta: Record<string, unknown>,
  finish: string | null,
  usage?: Record<string, number>
): string {
  const body = {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: FAKE_MODEL,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {})
  }
  return `data: ${JSON.stringify(body)}\n\n`
}

function stream(
  response: http.ServerResponse,
  turn: Extract<ModelTurn, { kind: 'reply' | 'toolCall' | 'slowReply' }>
): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive'
  })
  if (turn.kind === 'slowReply') {
    response.flushHeaders()
    const later = setTimeout(() => streamContent(response, { kind: 'reply', text: turn.text }), turn.contentAfterMs)
    response.on('close', () => clearTimeout(later))
    return
  }
  streamContent(response, turn)
}

function streamContent(response: http.ServerResponse, turn: Extract<ModelTurn, { kind: 'reply' | 'toolCall' }>): void {
  const id = `chatcmpl-${Math.random().toString(36).slice(2)}`
  response.write(chunk(id, { role: 'assistant', content: '' }, null))
  if (turn.kind === 'reply') {
    // A few deltas, as a real model streams.
    for (const piece of turn.text.match(/[\s\S]{1,40}/g) ?? ['']) response.write(chunk(id, { content: piece }, null))
  } else {
    const call = {
      index: 0,
      id: `call_${Math.random().toString(36).slice(2, 10)}`,
      type: 'function',
      function: { name: turn.tool, arguments: JSON.stringify(turn.args) }
    }
    response.write(chunk(id, { tool_calls: [call] }, null))
  }
  const usage = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280 }
  response.write(chunk(id, {}, turn.kind === 'reply' ? 'stop' : 'tool_calls', usage))
  response.end('data: [DONE]\n\n')
}

export async function startFakeModel(): Promise<FakeModel> {
  let turns: ModelTurn[] = []
  let fallback: ModelTurn = { kind: 'reply', text: 'No further remarks.' }
  const requests: ChatRequest[] = []
  const sideRequests: ChatRequest[] = []
  const hanging = new Set<http.ServerResponse>()
  /** Answers still waiting out `delayMs`: a test that ends first must not leave them holding jest's worker. */
  const delayed = new Set<NodeJS.Timeout>()

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (data: Buffer) => (raw += data.toString()))
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        fake.onUnknown?.(req.method ?? '', req.url ?? '')
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }))
        return
      }
      const request = JSON.parse(raw) as ChatRequest
      if (isTitleRequest(request)) {
        sideRequests.push(request)
        stream(res, { kind: 'reply', text: 'Pull request review' })
        return
      }
      requests.push(request)
      const turn: ModelTurn = fake.respond?.(request) ?? turns.shift() ?? fallback
      if (fake.delayMs > 0 && turn.kind !== 'hang') {
        const timer = setTimeout(() => {
          delayed.delete(timer)
          answer(res, turn)
        }, fake.delayMs)
        delayed.add(timer)
        return
      }
      answer(res, turn)
    })
  })
  const answer = (res: http.ServerResponse, turn: ModelTurn): void => {
    if (turn.kind === 'hang') {
      hanging.add(res)
      res.on('close', () => hanging.delete(res))
    } else if (turn.kind === 'error') {
      res
        .writeHead(turn.status, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: turn.message, type: 'fake_error', code: turn.status } }))
    } else {
      stream(res, turn)
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const fake: FakeModel = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    sideRequests,
    delayMs: 0,
    script(next, then) {
      turns = [...next]
      if (then) fallback = then
    },
    async close() {
      for (const timer of delayed) clearTimeout(timer)
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  return fake
}

/** The text of the tool results OpenCode sent back to the model in a request. */
export function toolResults(request: ChatRequest): string[] {
  return request.messages.filter((message) => message.role === 'tool').map((message) => textOf(message.content))
}

export function promptText(request: ChatRequest): string {
  return request.messages.map((message) => textOf(message.content)).join('\n')
}
