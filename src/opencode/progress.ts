import path from 'node:path'
import type { AssistantMessage, OpencodeClient, Event as ServerEvent, ToolPart } from '@opencode-ai/sdk/v2/client'
import type { Logger } from '../logger.js'
import { TOOL_IDS } from '../workspace/tool.js'

/** A session's last events reach the stream a few ms after its prompt answers: stop() waits this long at most for them. */
const SETTLE_MS = 1000
const MAX_LINE_CHARS = 300

interface SessionProgress {
  /** The workspace, from the session's assistant messages: paths are shown relative to it. */
  cwd: string | undefined
  input: number
  output: number
}

function relativePath(file: string, cwd: string | undefined): string {
  if (cwd === undefined || !path.isAbsolute(file)) return file
  const relative = path.relative(cwd, file)
  if (relative === '') return '.'
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative) ? file : relative
}

/** The tool and what it works on. Other inputs stay out of the log: a command or a URL may carry a secret. */
function describeTool(part: ToolPart, cwd: string | undefined): string {
  const input = part.state.input
  const text = (key: string): string | undefined =>
    typeof input[key] === 'string' && input[key] !== '' ? input[key] : undefined
  switch (part.tool) {
    case TOOL_IDS.search: {
      const glob = text('glob')
      return `search "${text('pattern') ?? ''}"${glob ? ` in ${glob}` : ''}`
    }
    case TOOL_IDS.read: {
      const offset = input.offset
      return `read ${text('path') ?? ''}${typeof offset === 'number' && offset > 1 ? ` from line ${offset}` : ''}`
    }
    case TOOL_IDS.list:
      return `list ${text('path') ?? '.'}`
    case TOOL_IDS.glob:
      return `glob ${text('pattern') ?? ''}`
  }
  const file = text('filePath')
  const pattern = text('pattern')
  const directory = text('path')
  const words = [part.tool]
  if (file) words.push(relativePath(file, cwd))
  if (pattern) words.push(pattern)
  if (directory) words.push(pattern ? `in ${relativePath(directory, cwd)}` : relativePath(directory, cwd))
  return words.join(' ')
}

function describeError(error: NonNullable<AssistantMessage['error']>): string {
  const message = (error.data as { message?: unknown }).message
  return typeof message === 'string' ? `${error.name}: ${message}` : error.name
}

/** The model chooses paths and patterns: a newline in one must not start a log line, where the runner reads workflow commands. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line
}

function count(value: number): string {
  return value.toLocaleString('en-US')
}

/**
 * Subscribes to the server's event stream and reports, per session, what the
 * agent does: each tool call once, each finished step with the tokens so far,
 * provider retries, and the answer (or its failure). Events of sessions not in
 * `sessions` (read at each event, so sessions can be added later) are skipped.
 * Never throws: a broken stream only stops the reports. Returns a function that
 * stops the subscription (idempotent, resolves when closed).
 */
export function followProgress(
  client: OpencodeClient,
  sessions: ReadonlyMap<string, string>,
  report: (line: string) => void,
  log: Logger
): () => Promise<void> {
  const abort = new AbortController()
  const progress = new Map<string, SessionProgress>()
  /** Tool and step parts, and finished messages, already reported: OpenCode sends each again on every update. */
  const reported = new Set<string>()
  const busy = new Set<string>()
  let settled: (() => void) | undefined

  const handle = (event: ServerEvent): void => {
    const { sessionID } = (event.properties ?? {}) as { sessionID?: unknown }
    if (typeof sessionID !== 'string') return
    const label = sessions.get(sessionID)
    if (label === undefined) return
    const session = progress.get(sessionID) ?? { cwd: undefined, input: 0, output: 0 }
    progress.set(sessionID, session)
    const say = (text: string): void => report(oneLine(`[${label}] ${text}`))

    if (event.type === 'message.updated') {
      const info = event.properties.info
      if (info.role !== 'assistant') return
      session.cwd = info.path?.cwd ?? session.cwd
      // A finished message comes twice; 'tool-calls' means the agent goes on with another step, unless it handed over the structured answer.
      if (info.time.completed === undefined || reported.has(info.id)) return
      if (info.error?.name === 'StructuredOutputError') {
        // The text is the answer (see session.ts): the model only skipped the tool that hands over findings.
        reported.add(info.id)
        say('answered in text, without structured findings')
      } else if (info.error) {
        reported.add(info.id)
        say(`failed: ${describeError(info.error)}`)
      } else if ((info.finish && info.finish !== 'tool-calls') || info.structured !== undefined) {
        reported.add(info.id)
        say('answered')
      }
    } else if (event.type === 'message.part.updated') {
      const part = event.properties.part
      if (reported.has(part.id)) return
      // A call is 'pending' while the model still streams its input.
      if (part.type === 'tool' && part.state.status !== 'pending') {
        reported.add(part.id)
        say(describeTool(part, session.cwd))
      } else if (part.type === 'step-finish') {
        reported.add(part.id)
        session.input += part.tokens.input
        session.output += part.tokens.output
        say(`step finished: ${count(session.input)} tokens in / ${count(session.output)} out so far`)
      }
    } else if (event.type === 'session.status') {
      const status = event.properties.status
      if (status.type === 'retry') say(`model provider retry ${status.attempt}: ${status.message}`)
      if (status.type !== 'idle') {
        busy.add(sessionID)
      } else if (busy.delete(sessionID) && busy.size === 0) {
        settled?.()
      }
    }
  }

  const closed = (async () => {
    try {
      const onSseError = (error: unknown): void => {
        if (!abort.signal.aborted) log.debug(`progress events: ${String(error)}`)
      }
      // No reconnecting: the server is on loopback, so a broken stream means it is gone, and the retry backoff would hold up stop().
      const { stream } = await client.event.subscribe({}, { signal: abort.signal, sseMaxRetryAttempts: 1, onSseError })
      for await (const event of stream) handle(event)
    } catch (error) {
      log.debug(`progress events: ${String(error)}`)
    } finally {
      // Whatever ended the reports, the connection goes too.
      abort.abort()
    }
  })()

  let stopped: Promise<void> | undefined
  return () =>
    (stopped ??= (async () => {
      if (busy.size > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (settled = resolve)),
          closed,
          new Promise((resolve) => setTimeout(resolve, SETTLE_MS).unref())
        ])
      }
      abort.abort()
      await closed
    })())
}
