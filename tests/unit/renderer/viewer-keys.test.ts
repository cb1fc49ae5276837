import { describe, expect, it } from 'vitest'
import { neighbourOf } from '../../../src/renderer/src/lib/viewer-keys'

describe('stepping through studies and images by key', () => {
  const items = [{ id: 7 }, { id: 3 }, { id: 9 }]
  it('finds the next and the previous item in list order, not id order', () => {
    expect(neighbourOf(items, 3, 1)).toEqual({ id: 9 })
    expect(neighbourOf(items, 3, -1)).toEqual({ id: 7 })
  })
  it('stops at either end, and finds nothing from an item not in the list', () => {
    expect(neighbourOf(items, 9, 1)).toBeNull()
    expect(neighbourOf(items, 7, -1)).toBeNull()
    expect(neighbourOf(items, null, 1)).toBeNull()
    expect(neighbourOf(items, 42, -1)).toBeNull()
  })
})
