import { spawn } from 'node:child_process'
import path from 'node:path'
import { OPENCODE_BIN_DIR, ROOT, RUNNER_HOME } from './runner.js'

/** The local command as a developer runs it: the bundled dist/cli/index.js, the tests' OpenCode on PATH. */

const CLI = path.join(ROOT, 'dist/cli/index.js')

export interface CliRun {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the command in `cwd` with OpenCode installed into `toolCache` if it must be; `env` over the basics. */
export function runCli(
  args: string[],
  options: { cwd: string; toolCache: string; env?: Record<string, string> }
): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: {
      PATH: `${OPENCODE_BIN_DIR}:${process.env.PATH ?? ''}`,
      HOME: RUNNER_HOME,
      RUNNER_TOOL_CACHE: options.toolCache,
      ...options.env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}
