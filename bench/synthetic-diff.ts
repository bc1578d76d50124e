/** Generated diffs the bench sections share. */

/** A diff of `files` files with 50 changed lines each, one of them a lockfile. */
export function syntheticDiff(files: number): string {
  const sections: string[] = []
  for (let i = 0; i < files; i++) {
    const name = i === 0 ? 'package-lock.json' : `src/module${i}/file${i}.ts`
    const lines = Array.from(
      { length: 50 },
      (_, line) => `+export const value${line} = computeSomething(${line}, 'module ${i}')`
    )
    sections.push(
      `diff --git a/${name} b/${name}\nindex 1111111..2222222 100644\n--- a/${name}\n+++ b/${name}\n@@ -1,0 +1,50 @@\n${lines.join('\n')}`
    )
  }
  return sections.join('\n') + '\n'
}

/** A new `yarn.lock` of `entries` packages. */
export function yarnLockDiff(entries: number): string {
  const lines = Array.from({ length: entries }, (_, i) => `+"dep-${i}@^1.0.0":\n+  version "1.0.${i}"`)
  return `diff --git a/yarn.lock b/yarn.lock\n--- a/yarn.lock\n+++ b/yarn.lock\n@@ -1,0 +1,${entries * 2} @@\n${lines.join('\n')}\n`
}
