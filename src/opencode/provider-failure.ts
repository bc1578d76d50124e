import type { AssistantMessage, OpencodeClient } from '@opencode-ai/sdk/v2/client'
import { ActionError } from '../errors.js'
import type { Logger } from '../logger.js'

/**
 * A model provider that fails: what OpenCode's retries say while a message runs, turned into a
 * failure that names the provider and what to check, instead of waiting out the review's timeout.
 */

export class ProviderFailure extends ActionError {
  constructor(message: string) {
    super(message)
    this.name = 'ProviderFailure'
  }
}

/** How often the session's status is read while the message runs. */
const STATUS_POLL_MS = 1000
/** OpenCode retries a failing provider without end; after this many attempts it is reported. */
const MAX_PROVIDER_RETRIES = 3

export function describeProviderError(error: NonNullable<AssistantMessage['error']>): string {
  const data = error.data as { message?: string; statusCode?: number; providerID?: string }
  const status = data.statusCode ? ` (HTTP ${data.statusCode})` : ''
  return `${error.name}${status}: ${data.message ?? 'no message'}`
}

/**
 * Retry messages that mean the provider was never reached: the AI SDK's
 * failures to connect (refused, DNS, TLS) and OpenCode's `headerTimeout`
 * (see config.ts). A failed connection may be a blip, so it gets the attempts
 * any failure gets (OpenCode retries after 2, then 4 s); a header timeout has
 * already cost its 30 s, so the first one fails.
 */
const CANNOT_CONNECT = /^Cannot connect to API/i
const NO_RESPONSE_HEADERS = /response headers timed out/i

interface ProviderEndpoint {
  id: string
  /** Undefined for a built-in provider whose address the server does not show. */
  baseURL: string | undefined
}

/** The provider the session's current request goes to, and where, as the server resolved its config. */
async function providerOf(
  client: OpencodeClient,
  sessionID: string,
  signal: AbortSignal
): Promise<ProviderEndpoint | undefined> {
  // Only the last message, the assistant's: OpenCode 1.18.33 fails to list a user message that carries a `format`.
  const { data: messages } = await client.session.messages({ sessionID, limit: 1 }, { signal, throwOnError: true })
  const asked = messages[0]?.info
  if (asked?.role !== 'assistant') return undefined
  const { data } = await client.config.providers({}, { signal, throwOnError: true })
  const provider = data.providers.find((candidate) => candidate.id === asked.providerID)
  // Only the address is read: the same options hold the API key.
  const baseURL = provider?.options.baseURL || provider?.models[asked.modelID]?.api.url
  return { id: asked.providerID, baseURL: typeof baseURL === 'string' && baseURL !== '' ? baseURL : undefined }
}

function unreachableProviderError(provider: ProviderEndpoint | undefined, reason: string): ProviderFailure {
  const name = provider ? ` '${provider.id}'${provider.baseURL ? ` at ${provider.baseURL}` : ''}` : ''
  const slowHint =
    NO_RESPONSE_HEADERS.test(reason) && provider
      ? ` If it is up but slow to start answering, raise provider.${provider.id}.options.headerTimeout (ms) in the config.`
      : ''
  return new ProviderFailure(
    `The model provider${name} could not be reached (${reason}). Check ${provider?.baseURL ? 'the base URL (host, port and path), ' : ''}that this machine can reach the provider (DNS, proxy, firewall) and that the service is up.${slowHint}`
  )
}

/** Rejects when OpenCode reports that the provider cannot be reached or keeps failing, instead of waiting out the timeout. */
export function watchProviderRetries(
  client: OpencodeClient,
  sessionID: string,
  signal: AbortSignal,
  log: Logger
): Promise<never> {
  return new Promise((_, reject) => {
    // Polled every second: each attempt is reported once.
    let reported = 0
    const timer = setInterval(async () => {
      try {
        const { data } = await client.session.status({}, { signal, throwOnError: true })
        const status = data?.[sessionID]
        if (status?.type === 'retry' && status.attempt !== reported) {
          reported = status.attempt
          log.info(`The model provider failed (attempt ${status.attempt}): ${status.message}; OpenCode is retrying.`)
          const attemptsSpent = status.attempt >= MAX_PROVIDER_RETRIES
          if (NO_RESPONSE_HEADERS.test(status.message) || (attemptsSpent && CANNOT_CONNECT.test(status.message))) {
            const provider = await providerOf(client, sessionID, signal).catch(
              (error: unknown) => void log.debug(`provider lookup: ${String(error)}`)
            )
            reject(unreachableProviderError(provider, status.message))
          } else if (attemptsSpent) {
            reject(
              new ProviderFailure(
                `The model provider keeps failing after ${status.attempt} attempts: ${status.message}`
              )
            )
          }
        }
      } catch (error) {
        log.debug(`session status: ${String(error)}`)
      }
    }, STATUS_POLL_MS)
    signal.addEventListener('abort', () => clearInterval(timer), { once: true })
  })
}
