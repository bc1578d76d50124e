import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as delay } from 'node:timers/promises'
import net from 'node:net'
import waitOn from 'wait-on'
import { ActionError } from '../errors.js'
import type { Logger } from '../logger.js'

export interface ServerOptions {
  binary: string
  /** Where OpenCode runs: its project root. */
  cwd: string
  env: Record<string, string>
  /** JSON for OPENCODE_CONFIG_CONTENT. */
  config: string
  startupTimeoutMs: number
  log: Logger
}

export interface OpencodeServer {
  url: string
  /** OPENCODE_SERVER_PASSWORD: basic auth, user `opencode`. */
  password: string
  pid: number
  /** As `/global/health` reports it. */
  version: string
  stop(): Promise<void>
}

const HEALTH_POLL_MS = 50
/** Boot accepts connections it never answers: each poll gets its own short timeout. */
const HEALTH_REQUEST_TIMEOUT_MS = 500
/** wait-on has no cancel: polling in slices bounds how long it outlives a dead server. */
const HEALTH_SLICE_MS = 1000
const STOP_GRACE_MS = 5000
const OUTPUT_TAIL_CHARS = 4000

/** The header value for OpenCode's basic auth, user `opencode`. */
export function basicAuthorization(password: string): string {
  return `Basic ${Buffer.from(`opencode:${password}`).toString('base64')}`
}

/** `opencode serve --port 0` still binds 4096, so the port is picked here. */
async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.unref()
    probe.on('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/** Signals the whole process group the detached server leads; false when nothing is left of it. */
export function killProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(-pid, signal)
    return true
  } catch {
    return false
  }
}

/** Whether `pid` still runs: a zombie only waits for its new parent to reap it. */
function stillRuns(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    // No /proc (macOS): the signal test alone decides.
    return true
  }
}

/**
 * Kills the process group a server left by another process leads, and waits (at most `timeoutMs`) until its
 * leader is gone: the kernel takes a moment to tear down a large process, and the caller reports it stopped.
 * False when nothing was left of it.
 */
export async function killOrphanedServer(pid: number, timeoutMs = 5000): Promise<boolean> {
  if (!killProcessGroup(pid)) return false
  const deadline = Date.now() + timeoutMs
  while (stillRuns(pid) && Date.now() < deadline) await delay(50)
  return true
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/** A wait that does not keep the process alive once everything else is done. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}

/** The port was free when picked, and taken before OpenCode bound it: 1.18.33 says only `ServeError`. */
class PortTaken extends ActionError {}
const PORT_TAKEN = /ServeError|EADDRINUSE|address already in use/i
const PORT_ATTEMPTS = 3

/**
 * Starts `opencode serve` on a free loopback port behind a random password and
 * resolves once `/global/health` answers. Fails at once, with the server's last
 * output, if it exits first; on another port when something took the one picked.
 */
export async function startServer(options: ServerOptions): Promise<OpencodeServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnPort(options, await findFreePort())
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === PORT_ATTEMPTS) throw error
      options.log.debug(`The port picked for OpenCode was taken meanwhile: trying another (${error.message})`)
    }
  }
}

async function startOnPort(options: ServerOptions, port: number): Promise<OpencodeServer> {
  const { log } = options
  const password = randomBytes(24).toString('base64url')
  log.mask(password)
  const url = `http://127.0.0.1:${port}`

  const child = spawn(options.binary, ['serve', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: options.cwd,
    env: { ...options.env, OPENCODE_SERVER_PASSWORD: password, OPENCODE_CONFIG_CONTENT: options.config },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let outputTail = ''
  const keepTail = (chunk: Buffer): void => {
    const text = chunk.toString('utf8')
    log.debug(`opencode: ${text.trimEnd()}`)
    outputTail = (outputTail + text).slice(-OUTPUT_TAIL_CHARS)
  }
  child.stdout?.on('data', keepTail)
  child.stderr?.on('data', keepTail)
  const spawnFailure = new Promise<never>((_, reject) =>
    child.once('error', (error) => reject(new ActionError(`Could not start '${options.binary}': ${error.message}`)))
  )
  const earlyExit = exited(child).then(() => {
    const Failure = PORT_TAKEN.test(outputTail) ? PortTaken : ActionError
    throw new Failure(
      `OpenCode exited (${child.exitCode !== null ? `code ${child.exitCode}` : `signal ${child.signalCode}`}) before it was ready. Its last output:\n${outputTail.trim() || '(none)'}`
    )
  })
  // Both only matter while starting; later they must not surface as unhandled rejections.
  spawnFailure.catch(() => undefined)
  earlyExit.catch(() => undefined)

  const pid = child.pid

  const server: OpencodeServer = {
    url,
    password,
    pid: pid ?? -1,
    version: 'unknown',
    async stop() {
      if (pid === undefined) return
      if (child.exitCode === null && child.signalCode === null) {
        killProcessGroup(pid, 'SIGTERM')
        await Promise.race([exited(child), sleep(STOP_GRACE_MS)])
      }
      // Whatever the server started and left behind in its group goes too.
      killProcessGroup(pid)
      await exited(child)
    }
  }

  const deadline = Date.now() + options.startupTimeoutMs
  const healthy = (async () => {
    for (;;) {
      const slice = Math.min(HEALTH_SLICE_MS, deadline - Date.now())
      if (slice <= 0) {
        throw new ActionError(
          `OpenCode did not answer ${url}/global/health within ${options.startupTimeoutMs / 1000}s ('startup-timeout'). Its last output:\n${outputTail.trim() || '(none)'}`
        )
      }
      try {
        await waitOn({
          resources: [`http-get://127.0.0.1:${port}/global/health`],
          auth: { username: 'opencode', password },
          interval: HEALTH_POLL_MS,
          window: 0,
          httpTimeout: HEALTH_REQUEST_TIMEOUT_MS,
          simultaneous: 1,
          timeout: slice
        })
        return
      } catch {
        // A poll that fails is the server still starting, not an error: a real failure ends in the exit or
        // the timeout above, each with the server's own output.
        if (child.exitCode !== null || child.signalCode !== null) return earlyExit
      }
    }
  })()

  try {
    await Promise.race([healthy, earlyExit, spawnFailure])
    const health = await fetch(`${url}/global/health`, {
      headers: { authorization: basicAuthorization(password) },
      signal: AbortSignal.timeout(HEALTH_REQUEST_TIMEOUT_MS * 10)
    })
    server.version = String(((await health.json()) as { version?: unknown }).version ?? 'unknown')
  } catch (error) {
    await server.stop()
    throw error
  }
  return server
}
