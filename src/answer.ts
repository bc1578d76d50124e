import { lineSpan } from './domain/finding.js'
import { ActionError } from './errors.js'
import type { Octokit } from './github/client.js'
import type { FindingThread } from './domain/thread.js'
import { postReply, readExcerpt } from './github/comment-thread.js'
import { withoutMarkers } from './domain/markers.js'
import type { CommentTrigger, PullRequest, PullRequestRef } from './domain/pull-request.js'
import { fetchPullRequest } from './github/pull-request.js'
import { withServer } from './opencode/lifecycle.js'
import { startAsking } from './opencode/asking.js'
import type { ReviewResult } from './opencode/session.js'
import { askingHooks, bootReviewer, type PipelineHooks, pullRequestFiles } from './reviewer.js'
import type { ReviewSettings } from './settings.js'
import { redactSecrets } from './review/redact.js'
import { composeBody, formatAnswerFooter } from './github/render.js'
import { buildThreadPrompt } from './review/thread-prompt.js'

/**
 * The road from a question asked in the thread of one of the action's findings
 * to the answer posted in that thread: the same read-only reviewer, one
 * session, one message, nothing posted anywhere else.
 */

export interface ThreadQuestionSource {
  octokit: Octokit
  ref: PullRequestRef
  thread: FindingThread
  /** The reply that asked: its author has write access. */
  trigger: CommentTrigger
  /** The checkout whose commit the reviewer reads out of git. */
  workspace: string
}

export interface ThreadAnswer {
  pullRequest: PullRequest
  /** The answer as posted, before its footer. */
  markdown: string
  footer: string
  result: ReviewResult
  reply: { id: number; url: string }
}

export async function answerInThread(
  source: ThreadQuestionSource,
  settings: ReviewSettings,
  hooks: PipelineHooks
): Promise<ThreadAnswer> {
  const { log } = hooks
  const { octokit, ref, thread, trigger } = source
  const pullRequest = await fetchPullRequest(octokit, ref)
  const reviewed = pullRequestFiles(source.workspace, 'checked-out', pullRequest)
  const { booting, opencode } = await bootReviewer(octokit, pullRequest, reviewed, settings, hooks)
  const { result, stopped } = await withServer(booting, async (server) => {
    const excerpt = await readExcerpt(octokit, ref, thread)
    const running = await server()
    hooks.secrets.push(running.password)
    const lines = lineSpan(thread.startLine, thread.endLine)
    log.info(
      `Answering @${trigger.author} in the thread on ${thread.path}:${lines} with ${opencode.model ?? 'the default model of the OpenCode configuration'}`
    )
    const asker = startAsking(
      running,
      {
        title: `Answer on ${ref.owner}/${ref.repo}#${ref.number}, ${thread.path}`,
        agent: opencode.agent,
        variant: settings.variant,
        fallbackModel: settings.fallbackModel,
        timeoutMs: settings.reviewTimeoutMs
      },
      askingHooks(hooks)
    )
    const prompt = buildThreadPrompt({
      pullRequest,
      thread,
      excerpt,
      asker: trigger.author,
      question: trigger.instructions,
      language: settings.language
    })
    try {
      return await log.group('Answer progress', () => asker.ask('answer', { model: settings.model, prompt }))
    } finally {
      await asker.close()
    }
  })
  try {
    if (hooks.cancel.aborted) throw new ActionError('The run was cancelled: nothing was posted.')
    const markdown = withoutMarkers(redactSecrets(result.markdown, hooks.secrets))
    const footer = formatAnswerFooter(result)
    const reply = await postReply(octokit, ref, thread, composeBody(markdown, footer, pullRequest.headSha))
    log.info(`Answered in the thread: ${reply.url}`)
    return { pullRequest, markdown, footer, result, reply }
  } finally {
    await stopped
  }
}
