import type { FileDiff } from './parse.js'
import type { DiffSelection } from './select.js'

export interface FileGroup {
  files: FileDiff[]
  /** The group's share of the budget: each file's text plus the newline that joins it to the next, as selectDiff counts it. */
  chars: number
}

/** Files that go into the same group: a whole directory, the loose files of one, or a single file. Numbers are input positions. */
interface Unit {
  indices: number[]
  chars: number
}

interface Bin {
  units: Unit[]
  chars: number
}

interface Directory {
  /** Everything below this directory, subdirectories included. */
  chars: number
  /** Files directly in this directory. */
  ownIndices: number[]
  ownChars: number
  subdirectories: Map<string, Directory>
}

const emptyDirectory = (): Directory => ({ chars: 0, ownIndices: [], ownChars: 0, subdirectories: new Map() })

function directoryTree(files: readonly FileDiff[], sizes: readonly number[]): Directory {
  const root = emptyDirectory()
  files.forEach((file, index) => {
    let directory = root
    directory.chars += sizes[index]
    for (const name of file.path.split('/').slice(0, -1)) {
      let subdirectory = directory.subdirectories.get(name)
      if (!subdirectory) {
        subdirectory = emptyDirectory()
        directory.subdirectories.set(name, subdirectory)
      }
      directory = subdirectory
      directory.chars += sizes[index]
    }
    directory.ownIndices.push(index)
    directory.ownChars += sizes[index]
  })
  return root
}

function allIndices(directory: Directory): number[] {
  return [...directory.ownIndices, ...[...directory.subdirectories.values()].flatMap(allIndices)]
}

/** A directory that fits is one unit; one that does not is split by its subdirectories, then its own files, together if they fit. */
function collectUnits(directory: Directory, sizes: readonly number[], maxChars: number, units: Unit[]): Unit[] {
  if (directory.chars <= maxChars) {
    units.push({ indices: allIndices(directory), chars: directory.chars })
    return units
  }
  if (directory.ownChars <= maxChars) {
    if (directory.ownIndices.length > 0) units.push({ indices: directory.ownIndices, chars: directory.ownChars })
  } else {
    for (const index of directory.ownIndices) units.push({ indices: [index], chars: sizes[index] })
  }
  for (const subdirectory of directory.subdirectories.values()) collectUnits(subdirectory, sizes, maxChars, units)
  return units
}

function swap(heap: Bin[], a: number, b: number): void {
  const bin = heap[a]
  heap[a] = heap[b]
  heap[b] = bin
}

function siftUp(heap: Bin[], index: number): void {
  while (index > 0) {
    const parent = (index - 1) >> 1
    if (heap[parent].chars <= heap[index].chars) return
    swap(heap, parent, index)
    index = parent
  }
}

function siftDown(heap: Bin[], index: number): void {
  for (;;) {
    const left = 2 * index + 1
    let lightest = index
    if (left < heap.length && heap[left].chars < heap[lightest].chars) lightest = left
    if (left + 1 < heap.length && heap[left + 1].chars < heap[lightest].chars) lightest = left + 1
    if (lightest === index) return
    swap(heap, index, lightest)
    index = lightest
  }
}

/**
 * Units, largest first, each into the emptiest of `binCount` bins, which keeps the bins level;
 * when even the emptiest has no room, another bin is opened. A min-heap finds the emptiest
 * bin, so thousands of units into thousands of bins stays fast.
 */
function pack(unitsLargestFirst: readonly Unit[], binCount: number, maxChars: number): Bin[] {
  // Empty bins all weigh 0, so they already form a heap.
  const heap: Bin[] = Array.from({ length: binCount }, () => ({ units: [], chars: 0 }))
  for (const unit of unitsLargestFirst) {
    const emptiest = heap[0]
    if (emptiest && emptiest.chars + unit.chars <= maxChars) {
      emptiest.units.push(unit)
      emptiest.chars += unit.chars
      siftDown(heap, 0)
    } else {
      heap.push({ units: [unit], chars: unit.chars })
      siftUp(heap, heap.length - 1)
    }
  }
  return heap
}

/**
 * Splits files into groups of at most maxChars of diff text each (a single file larger than
 * maxChars is a group by itself), keeping a directory's files together when they fit,
 * balancing groups by size. Files keep their input order within a group; groups come in the
 * order of their first file.
 */
export function groupFiles(files: readonly FileDiff[], maxChars: number): FileGroup[] {
  if (files.length === 0) return []
  const sizes = files.map((file) => file.text.length + 1)
  // Stable sort: equal units keep the tree's order, which follows the input, so the result is deterministic.
  const units = collectUnits(directoryTree(files, sizes), sizes, maxChars, []).sort((a, b) => b.chars - a.chars)
  const fitting = units.filter((unit) => unit.chars <= maxChars)
  const oversized: Bin[] = units
    .filter((unit) => unit.chars > maxChars)
    .map((unit) => ({ units: [unit], chars: unit.chars }))
  let binCount = Math.ceil(fitting.reduce((sum, unit) => sum + unit.chars, 0) / maxChars)
  let bins = pack(fitting, binCount, maxChars)
  // Units that did not fit around each other opened extra bins; spreading everything over that many from the start is more even.
  while (bins.length > binCount) {
    binCount = bins.length
    bins = pack(fitting, binCount, maxChars)
  }
  return [...bins, ...oversized]
    .map((bin) => ({ indices: bin.units.flatMap((unit) => unit.indices).sort((a, b) => a - b), chars: bin.chars }))
    .sort((a, b) => a.indices[0] - b.indices[0])
    .map(({ indices, chars }) => ({ files: indices.map((index) => files[index]), chars }))
}

/** The diff as the review sends it: whole when it fits `maxDiffChars`, else one part per file group. */
export function splitIntoParts(diff: DiffSelection, maxDiffChars: number): DiffSelection[] {
  if (diff.text.length <= maxDiffChars) return [diff]
  return groupFiles(diff.files, maxDiffChars).map((group) => ({
    files: group.files,
    leftOut: diff.leftOut,
    text: group.files.map((file) => file.text).join('\n')
  }))
}
