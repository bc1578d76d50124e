import { createInterface } from 'node:readline/promises'

/** Questions to the person at the terminal, each with the answer an empty line takes. */

export type Ask = (question: string, fallback: string) => Promise<string>

export function askOnTerminal(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Ask {
  return async (question, fallback) => {
    const reader = createInterface({ input, output })
    try {
      const answer = await reader.question(`${question} [${fallback}] `)
      return answer.trim() || fallback
    } finally {
      reader.close()
    }
  }
}
