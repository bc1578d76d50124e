import { modelName } from '../settings.js'
import { createOpencodeClient, type AssistantMessage, type OpencodeClient, type Part } from '@opencode-ai/sdk/v2/client'
import { Agent } from 'undici'
import { DEFAULTS } from '../defaults.js'
import { ActionError, errorMessage } from '../errors.js'
import type { ModelRef } from '../settings.js'
import { basicAuthorization, type OpencodeServer } from './server.js'
import type { Logger } from '../logger.js'
import { describeProviderError, ProviderFailure, watchProviderRetries } from './provider-failure.js'

export interface ReviewRequest {
  title: string
  prompt: string
  /** Undefined: the server's configured default model. */
  model: ModelRef | undefined
  agent: string
  variant: string | undefined
  /** The configured limit, as the error names it. */
  timeoutMs: number
  /** When the limit runs out (epoch ms): parallel sessions share one review-timeout. */
  deadline: number
  /** A JSON schema the answer must follow, through OpenCode's structured output. */
  schema?: Record<string, unknown>
  /** A second message for the same session, built from the first answer; undefined (or none returned): no second message. */
  followUp?: (answer: ReviewResult) => FollowUp | undefined
}

/** A message asked after the first answer, in the same session and within the same deadline. */
export interface FollowUp {
  prompt: string
  schema: Record<string, unknown>
}

export interface TokenUsage {
  input: number
  output: number
  reasoning: number
  cacheRead: number
  cacheWrite: number
}

export interface ReviewResult {
  markdown: string
  /** The answer to `schema`; undefined when the model gave none. */
  structured: unknown
  /** `provider/model` that answered. */
  model: string
  /** The whole session's, the follow-up's included. */
  tokens: TokenUsage
  cost: number
  /** Set when the follow-up was asked: its answer to the schema, undefined when the model gave none. */
  followUp?: { structured: unknown }
}

/** The model's provider failed (an error after retries, or it cannot be reached): another model may still answer. */

// Node's fetch gives up on a response whose headers take over 300 s; a long
// review answers only when done, so the review timeout is the only limit.
const patientDispatcher = new Agent({ headersTimeout: 0, bodyTimeout: 0 })
const patientFetch = (input: string | Request | URL, init?: RequestInit): Promise<Response> =>
  fetch(input, { ...init, dispatcher: patientDispatcher } as RequestInit)

/** The OpenCode release the structured answer was tested with (the pinned one); later ones keep it. */
const STRUCTURED_OUTPUT_TESTED = DEFAULTS['opencode-version'].split('.').map(Number)

function atLeastTested(version: string): boolean {
  const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)?.slice(1).map(Number)
  if (!parts) return false
  const newer = parts.findIndex((part, index) => part !== STRUCTURED_OUTPUT_TESTED[index])
  return newer === -1 || parts[newer] > STRUCTURED_OUTPUT_TESTED[newer]
}

/**
 * Whether the server takes a JSON schema for the answer (`format`). Known for
 * the tested release and later; an older or unknown one is asked through its
 * API description, which costs about 2 s to generate, hence not every time.
 */
export async function supportsStructuredOutput(server: OpencodeServer): Promise<boolean> {
  if (atLeastTested(server.version)) return true
  const response = await fetch(`${server.url}/doc`, {
    headers: { Authorization: basicAuthorization(server.password) }
  }).catch(() => undefined)
  return response?.ok === true && (await response.text()).includes('"json_schema"')
}

export function createClient(server: OpencodeServer): OpencodeClient {
  return createOpencodeClient({
    baseUrl: server.url,
    headers: { Authorization: basicAuthorization(server.password) },
    fetch: patientFetch
  })
}

/** The markdown of an answer: its text parts, minus what OpenCode added itself. */
export function reviewMarkdown(parts: readonly Part[]): string {
  return parts
    .filter((part) => part.type === 'text' && !part.synthetic && !part.ignored)
    .map((part) => (part.type === 'text' ? part.text.trim() : ''))
    .filter((text) => text !== '')
    .join('\n\n')
}

function timeoutAt(deadline: number, limitMs: number, signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const timer = setTimeout(
      () =>
        reject(new ActionError(`The review took longer than ${limitMs / 1000}s ('review-timeout') and was aborted.`)),
      Math.max(0, deadline - Date.now())
    )
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
  })
}

/** Rejects when the run is cancelled (SIGINT/SIGTERM), so the session is aborted before the server stops. */
function cancelledBy(signal: AbortSignal | undefined, done: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return
    const cancel = () => reject(new ActionError('The workflow run was cancelled: the review was aborted.'))
    if (signal.aborted) return cancel()
    signal.addEventListener('abort', cancel, { once: true })
    done.addEventListener('abort', () => signal.removeEventListener('abort', cancel), { once: true })
  })
}

export interface ReviewHooks {
  log: Logger
  onSession?: (sessionId: string) => void
  /** Aborts the review, as a cancelled workflow run does. */
  cancel?: AbortSignal
}

export function addTokens(total: TokenUsage, more: TokenUsage): TokenUsage {
  return {
    input: total.input + more.input,
    output: total.output + more.output,
    reasoning: total.reasoning + more.reasoning,
    cacheRead: total.cacheRead + more.cacheRead,
    cacheWrite: total.cacheWrite + more.cacheWrite
  }
}

function tokensOf(info: AssistantMessage): TokenUsage {
  return {
    input: info.tokens.input,
    output: info.tokens.output,
    reasoning: info.tokens.reasoning,
    cacheRead: info.tokens.cache.read,
    cacheWrite: info.tokens.cache.write
  }
}

interface Answer {
  info: AssistantMessage
  parts: Part[]
}

/** What one message sends: its text and the schema of its answer. */
type Message = Pick<ReviewRequest, 'prompt' | 'schema'>

/** A failure naming `model` when the server does not know it, undefined when it does. */
async function unknownModel(
  client: OpencodeClient,
  model: ModelRef,
  signal: AbortSignal
): Promise<ProviderFailure | undefined> {
  const { data } = await client.config.providers({}, { signal, throwOnError: true })
  const provider = data.providers.find((candidate) => candidate.id === model.providerID)
  if (provider?.models[model.modelID]) return undefined
  return new ProviderFailure(
    provider
      ? `The model provider '${model.providerID}' has no model '${model.modelID}': \`opencode models ${model.providerID}\` lists its models.`
      : `The model provider '${model.providerID}' is not configured: check its name and that its API key reaches the step.`
  )
}

/** Sends one message and waits for its answer, failing fast on a provider that cannot be reached, the deadline or a cancel. */
async function ask(
  client: OpencodeClient,
  sessionID: string,
  message: Message,
  request: ReviewRequest,
  hooks: ReviewHooks
): Promise<Answer> {
  const settled = new AbortController()
  try {
    const answer = client.session.prompt(
      {
        sessionID,
        parts: [{ type: 'text', text: message.prompt }],
        agent: request.agent,
        ...(request.model ? { model: request.model } : {}),
        ...(request.variant ? { variant: request.variant } : {}),
        ...(message.schema ? { format: { type: 'json_schema' as const, schema: message.schema } } : {})
      },
      { signal: settled.signal, throwOnError: true }
    )
    // OpenCode answers an unknown model with a bare server error: the provider's model list tells it apart.
    const answered = answer.catch(async (error: unknown) => {
      if (settled.signal.aborted || !request.model) throw error
      throw (await unknownModel(client, request.model, settled.signal).catch(() => undefined)) ?? error
    })
    const { data } = await Promise.race([
      answered,
      watchProviderRetries(client, sessionID, settled.signal, hooks.log),
      timeoutAt(request.deadline, request.timeoutMs, settled.signal),
      cancelledBy(hooks.cancel, settled.signal)
    ])
    return data
  } finally {
    settled.abort()
  }
}

/** The review's answer; an empty one throws. */
function reviewResult({ info, parts }: Answer, log: Logger): ReviewResult {
  // A model that ignores the structured-output tool still answered: its text is the review.
  if (info.error)
    log.warning(
      `The model answered in text, without structured findings (${info.error.data.message}): its text is the review, with no finding on a line.`
    )
  const markdown = reviewMarkdown(parts)
  if (markdown === '' && info.structured === undefined)
    throw new ActionError(`The model (${modelName(info)}) returned an empty answer; nothing was posted.`)
  return {
    markdown,
    structured: info.structured,
    model: modelName(info),
    tokens: tokensOf(info),
    cost: info.cost
  }
}

/** Throws what the provider reported, unless it is only that the model skipped the structured answer. */
function throwProviderError({ info }: Answer): void {
  if (info.error && info.error.name !== 'StructuredOutputError')
    throw new ProviderFailure(`The model provider failed: ${describeProviderError(info.error)}`)
}

/**
 * Creates a session, sends the review message and, when `followUp` asks for
 * one, a second message, each waited for with the fast failures of `ask` (a
 * failed second message leaves the first answer standing); the session is
 * aborted if a message is still running and always deleted.
 */
export async function runReview(
  client: OpencodeClient,
  request: ReviewRequest,
  hooks: ReviewHooks
): Promise<ReviewResult> {
  const { log } = hooks
  const { data: session } = await client.session.create({ title: request.title }, { throwOnError: true })
  hooks.onSession?.(session.id)
  let running = false
  const send = async (message: Message): Promise<Answer> => {
    running = true
    const answer = await ask(client, session.id, message, request, hooks)
    running = false
    throwProviderError(answer)
    return answer
  }
  try {
    const result = reviewResult(await send(request), log)
    const followUp = request.followUp?.(result)
    if (!followUp) return result
    let info: Answer['info']
    try {
      ;({ info } = await send(followUp))
    } catch (error) {
      // The review is in hand: a failed follow-up (the provider, the time left) costs its check, not the review.
      if (hooks.cancel?.aborted) throw error
      log.warning(`The follow-up message failed, so the review's answer stands unchecked: ${errorMessage(error)}`)
      return result
    }
    return {
      ...result,
      tokens: addTokens(result.tokens, tokensOf(info)),
      cost: result.cost + info.cost,
      followUp: { structured: info.structured }
    }
  } finally {
    if (running) {
      await client.session.abort({ sessionID: session.id }, { throwOnError: true }).then(
        () => log.info(`Aborted the OpenCode session ${session.id}.`),
        (error) => log.debug(`abort: ${String(error)}`)
      )
    }
    await client.session
      .delete({ sessionID: session.id }, { throwOnError: true })
      .catch((error) => log.warning(`Could not delete OpenCode session ${session.id}: ${String(error)}`))
  }
}
