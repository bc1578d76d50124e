/**
 * An error whose message is written for the workflow's author: it says what
 * went wrong and what to change. main.ts reports it as it is; any other error
 * is reported with a hint that it is unexpected.
 */
export class ActionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ActionError'
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
