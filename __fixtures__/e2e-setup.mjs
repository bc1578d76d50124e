// The end-to-end projects' globalSetup: the real `opencode` binary, and the Node that action.yml's
// `runs.using` names when the tests run under another (the tests' runner runs the action with it, as
// GitHub's does). Jest loads this with Node's own loader, which cannot read the TypeScript that
// ensureOpencodeBinary (and the src/ modules it shares) are written in: tsx can.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export default function prepareEndToEndTests() {
  const module = fileURLToPath(new URL('./opencode-binary.ts', import.meta.url))
  const script = `import(${JSON.stringify(module)}).then((binary) => binary.ensureOpencodeBinary())`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: 'inherit' })

  const action = readFileSync(new URL('../action.yml', import.meta.url), 'utf8')
  const major = /^\s+using:\s*['"]?node(\d+)/m.exec(action)?.[1]
  if (major && major !== process.versions.node.split('.')[0]) {
    const installer = fileURLToPath(new URL('../scripts/install-node', import.meta.url))
    execFileSync(installer, [major], { stdio: ['ignore', 'ignore', 'inherit'] })
  }
}
