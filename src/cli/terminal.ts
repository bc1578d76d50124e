import type { Logger } from '../logger.js'

/**
 * The terminal side of the local command: the review's modules log through
 * `log`, on stderr. Stdout is kept for the review alone: what the @actions
 * toolkit still writes there (workflow commands such as its debug lines) goes
 * to stderr, reworded for a person. On a TTY a spinner line shows the elapsed
 * time and the agent's latest step.
 */

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

/** A workflow command line as a person reads it; undefined hides it (debug output, masks, state). */
export function humanLine(line: string): string | undefined {
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line)
  if (!command) return line
  const [, name, text] = command
  const message = text.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
  if (name === 'error') return `error: ${message}`
  if (name === 'warning') return `warning: ${message}`
  if (name === 'notice') return `note: ${message}`
  if (name === 'group') return message
  return undefined
}

export interface Terminal {
  /** Writes the review itself: the only thing on stdout. */
  result(text: string): void
  /** A message of the command's own, on stderr. */
  info(line: string): void
  /** What the review's modules log, as a person reads it, on stderr; debug output is left out. */
  log: Logger
  /** The agent's latest step: the spinner's text on a TTY, a plain line otherwise. */
  progress(line: string): void
  /** Restores stdout and stops the spinner. */
  close(): void
}

export function openTerminal(
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr
): Terminal {
  const writeOut = stdout.write.bind(stdout)
  const writeErr = stderr.write.bind(stderr)
  const started = Date.now()
  const live = stderr.isTTY === true
  let status = 'starting OpenCode'
  let frame = 0
  let pending = ''
  const clear = () => live && writeErr('\r\x1b[2K')
  const draw = () => {
    if (!live) return
    const seconds = Math.round((Date.now() - started) / 1000)
    const width = (stderr.columns || 80) - 12
    writeErr(
      `\r\x1b[2K${SPINNER[frame++ % SPINNER.length]} ${seconds}s ${status.length > width ? `${status.slice(0, width - 1)}…` : status}`
    )
  }
  const say = (line: string) => {
    clear()
    writeErr(`${line}\n`)
    draw()
  }
  // Everything the shared modules print goes to stderr, line by line, reworded.
  stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) {
      const human = humanLine(line)
      if (human !== undefined) say(human)
    }
    const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined
    callback?.()
    return true
  }) as typeof stdout.write
  const timer = live ? setInterval(draw, 100) : undefined
  timer?.unref()
  return {
    result(text) {
      clear()
      writeOut(text.endsWith('\n') ? text : `${text}\n`)
    },
    info: say,
    log: {
      debug: () => undefined,
      info: say,
      notice: (message) => say(`note: ${message}`),
      warning: (message) => say(`warning: ${message}`),
      // A heading, not a colon that may introduce nothing: what the group logs follows on its own lines.
      group: (name, work) => {
        say(name)
        return work()
      },
      // Nothing of the terminal is kept or shared, unlike a job's log.
      mask: () => undefined
    },
    progress(line) {
      status = line
      if (!live) writeErr(`${line}\n`)
    },
    close() {
      if (timer) clearInterval(timer)
      clear()
      stdout.write = writeOut
    }
  }
}
