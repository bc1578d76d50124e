import { existsSync, readFileSync } from 'node:fs'

/**
 * The package that ships OpenCode's native binary for this machine, as
 * opencode-ai's own installer picks it. Only node: imports: the tests'
 * global setup loads this file as it is, to install the same package.
 */
export function platformPackage(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const os = platform === 'win32' ? 'windows' : platform
  const cpuInfo = platform === 'linux' && existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  const baseline = arch === 'x64' && platform === 'linux' && !/\bavx2\b/.test(cpuInfo)
  const musl = platform === 'linux' && existsSync('/etc/alpine-release')
  return `opencode-${os}-${arch}${baseline ? '-baseline' : ''}${musl ? '-musl' : ''}`
}
