// The end-to-end projects' globalSetup: the real `opencode` binary, and the Node that action.yml's
// `runs.using` names when the tests run under another (the tests' runner runs the action with it, as
// GitHub's does), installed once before the workers start. Jest loads this with Node's own loader, which
// cannot read the TypeScript these fixtures (and the src/ modules they share) are written in: tsx can.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export default function prepareEndToEndTests() {
  const [binary, runner] = ['./opencode-binary.ts', './runner.ts'].map((file) =>
    JSON.stringify(fileURLToPath(new URL(file, import.meta.url)))
  )
  const script = `const [binary, runner] = await Promise.all([import(${binary}), import(${runner})])
await binary.ensureOpencodeBinary()
runner.runtimeNode(runner.readActionMetadata().using)`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: 'inherit' })
}
