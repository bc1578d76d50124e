import { modelName } from '../settings.js'
import type { OpencodeClient } from '@opencode-ai/sdk/v2/client'
import { errorMessage } from '../errors.js'
import type { ModelRef } from '../settings.js'
import type { Logger } from '../logger.js'
import { followProgress } from './progress.js'
import type { OpencodeServer } from './server.js'
import { createClient, type ReviewHooks, type ReviewRequest, type ReviewResult, runReview } from './session.js'
import { ProviderFailure } from './provider-failure.js'

/**
 * Messages to one server under one deadline, each in a session of its own: the
 * fallback model on a provider failure, live progress labelled by message, every
 * session reported. The review's parts and synthesis and an answer in a thread
 * are all asked this way.
 */

export interface AskingOptions {
  /** Sessions are titled `${title} (${label})`. */
  title: string
  agent: string
  variant: string | undefined
  /** Asked once more, for the same message, when the model's provider fails. */
  fallbackModel: ModelRef | undefined
  /** Shared by every message: the deadline starts now. */
  timeoutMs: number
}

/** Where the messages' progress and logs go, who hears of each session, and what cancels them. */
export interface AskingHooks {
  /** Each line of live progress, prefixed with the message's label. */
  progress: (line: string) => void
  log: Logger
  onSession?: (sessionId: string) => void
  /** A cancelled run: running sessions are aborted (and deleted), the others never start. */
  cancel: AbortSignal
}

/** One message: its model (undefined: the server's default), text, and what its answer must follow. */
export type Question = Pick<ReviewRequest, 'model' | 'prompt' | 'schema' | 'followUp'>

export interface Asker {
  /** `label` names the message in progress lines, session titles and warnings ("review", "part 2/3", "answer"). */
  ask(label: string, question: Question): Promise<ReviewResult>
  /** Stops following the progress; resolves once the stream is closed. */
  close(): Promise<void>
}

function describeModel(model: ModelRef | undefined): string {
  return model ? `'${modelName(model)}'` : "the configuration's default model"
}

/** `runReview`, asked once more with `fallbackModel` when the model's provider fails; a timeout or a cancel would end the same way, so they never are. */
async function runWithFallback(
  client: OpencodeClient,
  request: ReviewRequest,
  fallbackModel: ModelRef | undefined,
  hooks: ReviewHooks,
  label: string
): Promise<ReviewResult> {
  try {
    return await runReview(client, request, hooks)
  } catch (error) {
    if (!(error instanceof ProviderFailure) || !fallbackModel || hooks.cancel?.aborted) throw error
    hooks.log.warning(
      `The ${label} with ${describeModel(request.model)} failed (${errorMessage(error)}); it is retried with the fallback model ${describeModel(fallbackModel)}.`
    )
    return runReview(client, { ...request, model: fallbackModel }, hooks)
  }
}

export function startAsking(server: OpencodeServer, options: AskingOptions, hooks: AskingHooks): Asker {
  const client = createClient(server)
  const deadline = Date.now() + options.timeoutMs
  const labels = new Map<string, string>()
  const stopProgress = followProgress(client, labels, hooks.progress, hooks.log)
  return {
    ask: (label, { model, prompt, schema, followUp }) =>
      runWithFallback(
        client,
        {
          title: `${options.title} (${label})`,
          prompt,
          model,
          agent: options.agent,
          variant: options.variant,
          timeoutMs: options.timeoutMs,
          deadline,
          ...(schema ? { schema } : {}),
          ...(followUp ? { followUp } : {})
        },
        options.fallbackModel,
        {
          cancel: hooks.cancel,
          log: hooks.log,
          onSession: (sessionId) => {
            labels.set(sessionId, label)
            hooks.onSession?.(sessionId)
          }
        },
        label
      ),
    close: stopProgress
  }
}
