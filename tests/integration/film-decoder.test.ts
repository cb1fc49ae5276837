import { describe, expect, it } from 'vitest'
import { DicomFileError } from '../../src/main/dicom/parse'
import { filmDecoder } from '../../src/main/importer/film-decoder'
import { image } from '../helpers/dicom-corpus'

const EXPLICIT_LITTLE_ENDIAN = '1.2.840.10008.1.2.1'
const film = (seed: number) => image({ rows: 1024, columns: 1024, bitsAllocated: 16, bitsStored: 12, seed }).bytes

// The decoder's worker threads, as an import uses them: a film that keeps its thread busy past the
// time-out fails alone, in words, and the films queued beside it still decode on a new thread.
describe('the film decoder threads', () => {
  it('fails a film that decodes past its time-out, naming why, and decodes the next films on a new thread', async () => {
    const impatient = filmDecoder(1, 1)
    const patient = filmDecoder(1)
    const [late, next, after] = await Promise.allSettled([
      impatient.decode(film(1), EXPLICIT_LITTLE_ENDIAN, null),
      patient.decode(film(2), EXPLICIT_LITTLE_ENDIAN, null),
      patient.decode(film(3), EXPLICIT_LITTLE_ENDIAN, { reorientation: { transpose: false, horizontal: false, vertical: false } })
    ])
    expect(late.status).toBe('rejected')
    const reason = (late as PromiseRejectedResult).reason as unknown
    expect(reason).toBeInstanceOf(DicomFileError)
    expect((reason as DicomFileError).reason).toBe('Its pixel data could not be decoded: decoding its pixel data took longer than 0.001 s, more than any radiograph takes')
    expect(next.status).toBe('fulfilled')
    expect(after.status).toBe('fulfilled')
    const products = (after as PromiseFulfilledResult<Awaited<ReturnType<typeof patient.decode>>>).value
    expect([products.layout.columns, products.layout.rows]).toEqual([1024, 1024])
    expect(products.model?.png.subarray(1, 4).toString('latin1')).toBe('PNG')
  })
})
