// The e2e project's globalSetup. Jest loads it with Node's own loader, which cannot read the
// TypeScript that ensureOpencodeBinary (and the src/ modules it shares) are written in: tsx can.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export default function installOpencodeForTests() {
  const module = fileURLToPath(new URL('./opencode-binary.ts', import.meta.url))
  const script = `import(${JSON.stringify(module)}).then((binary) => binary.ensureOpencodeBinary())`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: 'inherit' })
}
