/** A request the tools refuse or cannot answer: its message goes back to the model, saying what to change. */
export class ToolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ToolError'
  }
}
