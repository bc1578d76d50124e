import * as core from '@actions/core'

/**
 * Where library code says what it does. The action writes it to the job's log
 * (`actionLog`); the local command to the terminal, around the review on stdout.
 */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  /** What `work` logs, folded under `name` where the log can fold. */
  group<T>(name: string, work: () => Promise<T>): Promise<T>
  /** Keeps `secret` out of everything logged from now on. */
  mask(secret: string): void
}

export const actionLog: Logger = {
  debug: core.debug,
  info: core.info,
  notice: core.notice,
  warning: core.warning,
  group: core.group,
  mask: core.setSecret
}

/** A count and its noun, for messages: `1 file`, `2 files`. */
export function counted(count: number, noun: string, plural = `${noun}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? noun : plural}`
}
