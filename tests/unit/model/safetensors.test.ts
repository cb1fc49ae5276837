import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { decodeSafetensors, encodeSafetensors } from '../../../src/main/model/safetensors'
import { writeFileAtomic } from '../../../src/main/store/atomic-file'
import { tempDataDir } from '../../helpers/temp-services'

const temps: (() => void)[] = []
afterEach(() => temps.splice(0).forEach((c) => c()))

describe('safetensors', () => {
  const tensors = {
    'decoder.0.attn.wq': { dtype: 'F32' as const, shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 4, 5, 6]) },
    'optimizer.step': { dtype: 'I64' as const, shape: [1], data: BigInt64Array.from([42n]) }
  }

  it('round-trips tensors and metadata', () => {
    const bytes = encodeSafetensors(tensors, { format: 'vzw', config: '{"d":256}' })
    const back = decodeSafetensors(bytes)
    expect(back.metadata).toEqual({ format: 'vzw', config: '{"d":256}' })
    expect(Array.from(back.tensors['decoder.0.attn.wq'].data as Float32Array)).toEqual([1, -2, 3.5, 4, 5, 6])
    expect(back.tensors['decoder.0.attn.wq'].shape).toEqual([2, 3])
    expect((back.tensors['optimizer.step'].data as BigInt64Array)[0]).toBe(42n)
    // Header padded so data starts on an 8-byte boundary.
    expect(Number(bytes.readBigUInt64LE(0)) % 8).toBe(0)
  })

  it('names the file and the problem for truncated or lying files', () => {
    const bytes = encodeSafetensors(tensors)
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4), 'w.safetensors')).toThrow(/w\.safetensors: tensor .* data offsets/)
    const lying = Buffer.from(bytes)
    lying.writeBigUInt64LE(10n ** 12n, 0)
    expect(() => decodeSafetensors(lying, 'w.safetensors')).toThrow(/w\.safetensors: header length/)
    expect(() => decodeSafetensors(Buffer.from([1, 2]), 'w.safetensors')).toThrow(/too short/)
  })

  it('writes atomically: the final name appears only complete, with owner-only mode', () => {
    const t = tempDataDir()
    temps.push(t.cleanup)
    const file = path.join(t.dir, 'ckpt.safetensors')
    writeFileAtomic(file, encodeSafetensors(tensors))
    expect(fs.readdirSync(t.dir)).toEqual(['ckpt.safetensors'])
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(decodeSafetensors(fs.readFileSync(file)).tensors['optimizer.step'].shape).toEqual([1])
  })
})
