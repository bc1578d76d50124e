import type { OpencodeServer } from './server.js'

export interface ServerUse<T> {
  result: T
  /** Settles once the server is down: it stops as soon as `use` returns, while the result is put to use. */
  stopped: Promise<void>
}

/**
 * Runs `use` while the server boots: `use` awaits the server only when it
 * needs it, so reading the pull request overlaps the boot. The server is
 * always stopped: on a failure before the failure goes on, otherwise while
 * the caller posts the result.
 */
export async function withServer<T>(
  booting: Promise<OpencodeServer>,
  use: (server: () => Promise<OpencodeServer>) => Promise<T>
): Promise<ServerUse<T>> {
  // A boot that fails while `use` still reads is reported where `use` awaits it.
  booting.catch(() => undefined)
  const stop = (): Promise<void> =>
    booting.then(
      (server) => server.stop(),
      () => undefined
    )
  let result: T
  try {
    result = await use(() => booting)
  } catch (error) {
    await stop()
    throw error
  }
  return { result, stopped: stop() }
}
