import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A scriptable model server on loopback that speaks the providers' own protocols: OpenAI's Chat
 * Completions (OpenAI-compatible providers, OpenRouter, the custom `@ai-sdk/openai-compatible` provider
 * `fake`), Anthropic's Messages and OpenAI's Responses, each streamed as the provider streams it. The
 * real OpenCode server runs a real review against it without any cloud model, through its built-in
 * `anthropic`, `openai` and `openrouter` providers too (see builtInProvider). Each request is kept in
 * one shape whatever its protocol (Chat Completions'), with the key it carried.
 */

export type ModelTurn =
  | { kind: 'reply'; text: string }
  /** Sends its response headers at once and `text` only `contentAfterMs` later, as a model that works slowly does. */
  | { kind: 'slowReply'; text: string; contentAfterMs: number }
  | { kind: 'error'; status: number; message: string }
  /** Accepts the request and never answers (until close). */
  | { kind: 'hang' }
  | { kind: 'toolCall'; tool: string; args: Record<string, unknown> }

/** The wire protocols it answers, by the path asked: `/chat/completions`, `/messages`, `/responses`. */
export type ModelProtocol = 'chat-completions' | 'messages' | 'responses'

/** A request in Chat Completions' shape, whatever protocol it came in. */
export interface ChatRequest {
  model: string
  messages: Array<{ role: string; content?: unknown; tool_call_id?: string; tool_calls?: unknown }>
  tools?: Array<{ function: { name: string; description?: string; parameters?: unknown } }>
  /** How it came: the protocol, and the key it carried (`x-api-key`, or `Authorization: Bearer`). */
  protocol?: ModelProtocol
  apiKey?: string
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
  /** Every key a request carried, side requests included, in order. */
  keys: Array<string | undefined>
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

/** OpenCode's built-in providers the tests run the way a workflow runs them. */
export type BuiltInProvider = 'anthropic' | 'openai' | 'openrouter'

/**
 * Points OpenCode's built-in provider at this server the least intrusive way OpenCode 1.18.33 allows,
 * its key left where the user puts it: the base URL variable that Anthropic's and OpenAI's SDKs read
 * (OpenAI's provider speaks Responses, at `/responses`); OpenRouter's SDK reads none, so its
 * `options.baseURL` in the `config` input. Nothing else of the provider changes.
 */
export function towardsStandIn(
  provider: BuiltInProvider,
  baseURL: string
): { env: Record<string, string>; config?: Record<string, unknown> } {
  if (provider === 'anthropic') return { env: { ANTHROPIC_BASE_URL: baseURL } }
  if (provider === 'openai') return { env: { OPENAI_BASE_URL: baseURL } }
  return { env: {}, config: { provider: { openrouter: { options: { baseURL } } } } }
}

/** OpenCode asks the small model for a session title with its own system prompt. */
function isTitleRequest(request: ChatRequest): boolean {
  const system = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => blocksText(message.content))
    .join('\n')
  return /title/i.test(system) && !request.tools?.length
}

type Streamed = Extract<ModelTurn, { kind: 'reply' | 'toolCall' }>

const USAGE = { input: 1200, output: 80 }

function randomId(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 12)}`
}

/** A few deltas, as a real model streams. */
function pieces(text: string): string[] {
  return text.match(/[\s\S]{1,40}/g) ?? ['']
}

/** Chat Completions: `data:` chunks of `choices[0].delta`, usage on the last, then `[DONE]`. */
function chatCompletionEvents(turn: Streamed, model: string): string[] {
  const id = `chatcmpl-${randomId('')}`
  const chunk = (delta: Record<string, unknown>, finish: string | null, usage?: Record<string, number>) =>
    `data: ${JSON.stringify({
      id,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(usage ? { usage } : {})
    })}\n\n`
  const body =
    turn.kind === 'reply'
      ? pieces(turn.text).map((piece) => chunk({ content: piece }, null))
      : [
          chunk(
            {
              tool_calls: [
                {
                  index: 0,
                  id: randomId('call_'),
                  type: 'function',
                  function: { name: turn.tool, arguments: JSON.stringify(turn.args) }
                }
              ]
            },
            null
          )
        ]
  const usage = {
    prompt_tokens: USAGE.input,
    completion_tokens: USAGE.output,
    total_tokens: USAGE.input + USAGE.output
  }
  return [
    chunk({ role: 'assistant', content: '' }, null),
    ...body,
    chunk({}, turn.kind === 'reply' ? 'stop' : 'tool_calls', usage),
    'data: [DONE]\n\n'
  ]
}

/** A named server-sent event, as Anthropic and the Responses API send them. */
function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
}

/** Anthropic's Messages: a content block of text or of `tool_use` (its input as `input_json_delta`s), then the stop reason and usage. */
function messagesEvents(turn: Streamed, model: string): string[] {
  const block =
    turn.kind === 'reply'
      ? {
          start: { type: 'text', text: '' },
          deltas: pieces(turn.text).map((text) => ({ type: 'text_delta', text }))
        }
      : {
          start: { type: 'tool_use', id: randomId('toolu_'), name: turn.tool, input: {} },
          deltas: pieces(JSON.stringify(turn.args)).map((json) => ({ type: 'input_json_delta', partial_json: json }))
        }
  const message = {
    id: randomId('msg_'),
    type: 'message',
    role: 'assistant',
    model,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: USAGE.input, output_tokens: 1 }
  }
  return [
    event('message_start', { message }),
    event('content_block_start', { index: 0, content_block: block.start }),
    event('ping', {}),
    ...block.deltas.map((delta) => event('content_block_delta', { index: 0, delta })),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: turn.kind === 'reply' ? 'end_turn' : 'tool_use', stop_sequence: null },
      usage: { output_tokens: USAGE.output }
    }),
    event('message_stop', {})
  ]
}

/** OpenAI's Responses: one output item (a message, or a function call), its deltas, then `response.completed` with usage. */
function responsesEvents(turn: Streamed, model: string): string[] {
  let sequence = 0
  const next = (type: string, data: Record<string, unknown>) => event(type, { sequence_number: sequence++, ...data })
  const response = {
    id: randomId('resp_'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    model,
    status: 'in_progress',
    output: [] as unknown[],
    usage: null as unknown
  }
  const at = { output_index: 0 }
  const events = [next('response.created', { response }), next('response.in_progress', { response })]
  let item: Record<string, unknown>
  if (turn.kind === 'reply') {
    const part = { type: 'output_text', text: turn.text, annotations: [] }
    item = { id: randomId('msg_'), type: 'message', status: 'completed', role: 'assistant', content: [part] }
    const where = { item_id: item.id, ...at, content_index: 0 }
    events.push(
      next('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', content: [] } }),
      next('response.content_part.added', { ...where, part: { ...part, text: '' } }),
      ...pieces(turn.text).map((delta) => next('response.output_text.delta', { ...where, delta, logprobs: [] })),
      next('response.output_text.done', { ...where, text: turn.text, logprobs: [] }),
      next('response.content_part.done', { ...where, part })
    )
  } else {
    const args = JSON.stringify(turn.args)
    item = {
      id: randomId('fc_'),
      type: 'function_call',
      status: 'completed',
      call_id: randomId('call_'),
      name: turn.tool,
      arguments: args
    }
    const where = { item_id: item.id, ...at }
    events.push(
      next('response.output_item.added', { ...at, item: { ...item, status: 'in_progress', arguments: '' } }),
      ...pieces(args).map((delta) => next('response.function_call_arguments.delta', { ...where, delta })),
      next('response.function_call_arguments.done', { ...where, arguments: args })
    )
  }
  const usage = {
    input_tokens: USAGE.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: USAGE.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: USAGE.input + USAGE.output
  }
  events.push(
    next('response.output_item.done', { ...at, item }),
    next('response.completed', { response: { ...response, status: 'completed', output: [item], usage } })
  )
  return events
}

/** Each protocol's error body, sent with the turn's status. */
function errorBody(protocol: ModelProtocol, turn: Extract<ModelTurn, { kind: 'error' }>): Record<string, unknown> {
  return protocol === 'messages'
    ? { type: 'error', error: { type: 'api_error', message: turn.message } }
    : { error: { message: turn.message, type: 'fake_error', param: null, code: turn.status } }
}

/** A message's text: a string, or the text of its parts (Chat Completions' and the Responses API's parts, Anthropic's blocks). */
function blocksText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content
    .map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : blocksText(part?.content)))
    .join('')
}

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** An Anthropic Messages request in Chat Completions' shape: `system` first, `tool_result` blocks as tool messages. */
function fromMessages(body: Json): ChatRequest {
  const messages: ChatRequest['messages'] = []
  if (body.system) messages.push({ role: 'system', content: blocksText(body.system) })
  for (const message of body.messages ?? []) {
    const blocks: Json[] =
      typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content
    for (const result of blocks.filter((block) => block.type === 'tool_result'))
      messages.push({ role: 'tool', content: blocksText(result.content), tool_call_id: result.tool_use_id })
    const text = blocksText(blocks.filter((block) => block.type === 'text'))
    const calls = blocks.filter((block) => block.type === 'tool_use')
    if (text || calls.length || !blocks.some((block) => block.type === 'tool_result'))
      messages.push({
        role: message.role,
        content: text,
        ...(calls.length ? { tool_calls: calls.map((call) => ({ id: call.id, function: { name: call.name } })) } : {})
      })
  }
  const tools = (body.tools ?? []).map((tool: Json) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.input_schema }
  }))
  return { ...body, model: body.model, messages, tools }
}

/** A Responses request in Chat Completions' shape: developer input as system, function call outputs as tool messages (OpenCode sends `store: false` and every item in full). */
function fromResponses(body: Json): ChatRequest {
  const messages: ChatRequest['messages'] = []
  if (body.instructions) messages.push({ role: 'system', content: body.instructions })
  const input: Json[] = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : (body.input ?? [])
  for (const item of input) {
    if (item.type === 'function_call_output')
      messages.push({ role: 'tool', content: blocksText(item.output), tool_call_id: item.call_id })
    else if (item.type === 'function_call')
      messages.push({
        role: 'assistant',
        content: '',
        tool_calls: [{ id: item.call_id, function: { name: item.name } }]
      })
    else if (item.role)
      messages.push({ role: item.role === 'developer' ? 'system' : item.role, content: blocksText(item.content) })
  }
  const tools = (body.tools ?? [])
    .filter((tool: Json) => tool.type === 'function')
    .map((tool: Json) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters }
    }))
  return { ...body, model: body.model, messages, tools }
}

/** The protocol a path asks for, if it is one of them. */
function protocolOf(method: string | undefined, url: string | undefined): ModelProtocol | undefined {
  if (method !== 'POST' || !url) return undefined
  const pathname = url.split('?')[0]
  if (pathname.endsWith('/chat/completions')) return 'chat-completions'
  if (pathname.endsWith('/messages')) return 'messages'
  if (pathname.endsWith('/responses')) return 'responses'
  return undefined
}

/** The key a request carried: Anthropic's header, or a bearer token. */
function keyOf(headers: http.IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key']
  if (typeof header === 'string') return header
  return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1]
}

export async function startFakeModel(): Promise<FakeModel> {
  let turns: ModelTurn[] = []
  let fallback: ModelTurn = { kind: 'reply', text: 'No further remarks.' }
  const requests: ChatRequest[] = []
  const sideRequests: ChatRequest[] = []
  const keys: Array<string | undefined> = []
  const hanging = new Set<http.ServerResponse>()
  /** Answers still waiting out `delayMs`: a test that ends first must not leave them holding jest's worker. */
  const delayed = new Set<NodeJS.Timeout>()

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (data: Buffer) => (raw += data.toString()))
    req.on('end', () => {
      const protocol = protocolOf(req.method, req.url)
      if (!protocol) {
        fake.onUnknown?.(req.method ?? '', req.url ?? '')
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }))
        return
      }
      const body = JSON.parse(raw) as Json
      const apiKey = keyOf(req.headers)
      keys.push(apiKey)
      const shaped =
        protocol === 'messages'
          ? fromMessages(body)
          : protocol === 'responses'
            ? fromResponses(body)
            : (body as ChatRequest)
      const request: ChatRequest = { ...shaped, protocol, apiKey }
      const exchange = { res, protocol, model: request.model }
      if (isTitleRequest(request)) {
        sideRequests.push(request)
        answer(exchange, { kind: 'reply', text: 'Pull request review' })
        return
      }
      requests.push(request)
      const turn: ModelTurn = fake.respond?.(request) ?? turns.shift() ?? fallback
      if (fake.delayMs > 0 && turn.kind !== 'hang') {
        const timer = setTimeout(() => {
          delayed.delete(timer)
          answer(exchange, turn)
        }, fake.delayMs)
        delayed.add(timer)
        return
      }
      answer(exchange, turn)
    })
  })
  const stream = (exchange: { res: http.ServerResponse; protocol: ModelProtocol; model: string }, turn: Streamed) => {
    const events =
      exchange.protocol === 'messages'
        ? messagesEvents(turn, exchange.model)
        : exchange.protocol === 'responses'
          ? responsesEvents(turn, exchange.model)
          : chatCompletionEvents(turn, exchange.model)
    for (const text of events) exchange.res.write(text)
    exchange.res.end()
  }
  const answer = (
    exchange: { res: http.ServerResponse; protocol: ModelProtocol; model: string },
    turn: ModelTurn
  ): void => {
    const { res } = exchange
    if (turn.kind === 'hang') {
      hanging.add(res)
      res.on('close', () => hanging.delete(res))
      return
    }
    if (turn.kind === 'error') {
      res
        .writeHead(turn.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(errorBody(exchange.protocol, turn)))
      return
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    if (turn.kind === 'slowReply') {
      res.flushHeaders()
      const later = setTimeout(() => stream(exchange, { kind: 'reply', text: turn.text }), turn.contentAfterMs)
      res.on('close', () => clearTimeout(later))
      return
    }
    stream(exchange, turn)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const fake: FakeModel = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    sideRequests,
    keys,
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
  return request.messages.filter((message) => message.role === 'tool').map((message) => blocksText(message.content))
}

export function promptText(request: ChatRequest): string {
  return request.messages.map((message) => blocksText(message.content)).join('\n')
}
