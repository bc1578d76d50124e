import { describe, expect, it } from '@jest/globals'
import { parseFeatures } from '../../../src/cli/init/features.js'

describe('parseFeatures', () => {
  it('keeps each named feature once, in a fixed order', () => {
    expect(parseFeatures(' threads, review ,threads')).toEqual(['review', 'threads'])
  })

  it.each([
    [
      'review,summary',
      "--features: unknown 'summary'; choose from review, comments, threads, label, dispatch, describe."
    ],
    [' , ', '--features: name at least one of review, comments, threads, label, dispatch, describe.'],
    [
      'threads,describe',
      '--features: describe writes the walkthrough of a review, so it needs review, comments, label or dispatch beside it'
    ]
  ])('refuses %j', (raw, message) => {
    expect(() => parseFeatures(raw)).toThrow(message)
  })
})
