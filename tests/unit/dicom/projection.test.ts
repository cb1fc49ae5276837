import { describe, expect, it } from 'vitest'
import { filmOrigin, notChestRadiograph, projectionInWords, readProjection, type ProjectionTags } from '../../../src/main/dicom/projection'

function tags(partial: Partial<ProjectionTags> & { seriesDescription?: string; protocolName?: string }): ProjectionTags {
  return {
    viewPosition: partial.viewPosition ?? null,
    viewCodeMeaning: partial.viewCodeMeaning ?? null,
    patientOrientation: partial.patientOrientation ?? null,
    descriptions: [
      { name: 'SeriesDescription', text: partial.seriesDescription ?? null },
      { name: 'ProtocolName', text: partial.protocolName ?? null }
    ]
  }
}

describe('projection of a chest film', () => {
  it('reads the standard ViewPosition terms', () => {
    expect(readProjection(tags({ viewPosition: 'PA' })).projection).toBe('frontal')
    expect(readProjection(tags({ viewPosition: 'AP' })).projection).toBe('frontal')
    expect(readProjection(tags({ viewPosition: 'LL' })).projection).toBe('lateral')
    expect(readProjection(tags({ viewPosition: 'RL' })).projection).toBe('lateral')
    expect(readProjection(tags({ viewPosition: 'LLD' })).projection).toBe('other')
    expect(readProjection(tags({ viewPosition: 'RLO' })).projection).toBe('other')
  })

  it('reads the words vendors write where the standard terms are missing', () => {
    const cases: [string, string | null][] = [
      ['CHEST PA', 'frontal'],
      ['Thorax p.a.', 'frontal'],
      ['Chest A/P portable', 'frontal'],
      ['Frontal', 'frontal'],
      ['LATERAL', 'lateral'],
      ['Thorax lat.', 'lateral'],
      ['胸部正位', 'frontal'],
      ['胸部后前位', 'frontal'],
      ['胸部侧位', 'lateral'],
      ['Chest lateral decubitus', 'other'],
      ['RAO', 'other'],
      // protocol names join words with _ and -
      ['CHEST_PA', 'frontal'],
      ['PA_Chest', 'frontal'],
      ['THORAX_LAT', 'lateral'],
      ['CHEST-PA', 'frontal'],
      ['Chest postero-anterior', 'frontal'],
      // German, French, Italian, Dutch: dorso-ventral is PA, ventro-dorsal AP; seitlich, profil, laterale, zijwaarts are lateral
      ['Thorax d.v.', 'frontal'],
      ['Thorax v.d. liegend', 'frontal'],
      ['Thorax seitl.', 'lateral'],
      ['Thorax seitlich', 'lateral'],
      ['Thorax profil', 'lateral'],
      ['Torace laterale', 'lateral'],
      ['Torace postero-anteriore', 'frontal'],
      // Spanish and Portuguese: frente is frontal, perfil lateral; accents are read through
      ['TORAX PERFIL', 'lateral'],
      ['Tórax perfil izquierdo', 'lateral'],
      ['Rx tórax frente', 'frontal'],
      ['Tórax PA y perfil', null],
      ['Tórax decúbito lateral', 'other'],
      ['Tórax oblicua', 'other'],
      ['CHEST PA AND LAT', null],
      ['CHEST_PA_LAT', null],
      ['CHEST', null],
      ['Small field', null]
    ]
    for (const [text, expected] of cases) expect(projectionInWords(text), text).toBe(expected)
    expect(readProjection(tags({ seriesDescription: 'CHEST LAT' }))).toEqual({
      projection: 'lateral',
      evidence: 'SeriesDescription (lateral)',
      reorientation: { transpose: false, horizontal: false, vertical: false }
    })
  })

  it('reads the View Code Sequence meaning and the patient orientation', () => {
    expect(readProjection(tags({ viewCodeMeaning: 'postero-anterior' })).projection).toBe('frontal')
    expect(readProjection(tags({ viewCodeMeaning: 'left lateral' })).projection).toBe('lateral')
    expect(readProjection(tags({ patientOrientation: 'A\\F' })).projection).toBe('lateral')
    expect(readProjection(tags({ patientOrientation: 'L\\F' })).projection).toBe('frontal')
    // A film stored on its side is read as set upright; an oblique one (no axis head to foot) says nothing.
    expect(readProjection(tags({ patientOrientation: 'F\\L' })).projection).toBe('frontal')
    expect(readProjection(tags({ patientOrientation: 'H\\A' })).projection).toBe('lateral')
    expect(readProjection(tags({ patientOrientation: 'L\\A' })).projection).toBeNull()
  })

  it('turns a frontal film stored mirrored, upside down or on its side into the standard frame', () => {
    const turn = (viewPosition: string | null, patientOrientation: string) => readProjection(tags({ viewPosition: viewPosition ?? undefined, patientOrientation })).reorientation
    expect(turn('PA', 'L\\F')).toEqual({ transpose: false, horizontal: false, vertical: false })
    expect(turn('PA', 'R\\F')).toEqual({ transpose: false, horizontal: true, vertical: false })
    expect(turn('AP', 'L\\H')).toEqual({ transpose: false, horizontal: false, vertical: true })
    expect(turn(null, 'RF\\HP')).toEqual({ transpose: false, horizontal: true, vertical: true })
    // On its side: rows run to the feet, columns to the patient's left (turned a quarter clockwise).
    expect(turn('PA', 'F\\L')).toEqual({ transpose: true, horizontal: false, vertical: false })
    expect(turn('AP', 'H\\L')).toEqual({ transpose: true, horizontal: false, vertical: true })
    // A lateral film is not the model's, and its rows run front to back: nothing to turn for sides.
    expect(turn('LL', 'P\\H')).toEqual({ transpose: false, horizontal: false, vertical: false })
  })

  it('says unknown, and why, when the header is silent or disagrees with itself', () => {
    expect(readProjection(tags({}))).toEqual({
      projection: null,
      evidence: 'no view position, view code, patient orientation or view word in the header',
      reorientation: { transpose: false, horizontal: false, vertical: false }
    })
    const disagreeing = readProjection(tags({ viewPosition: 'PA', patientOrientation: 'A\\F' }))
    expect(disagreeing.projection).toBeNull()
    expect(disagreeing.evidence).toBe('the header disagrees with itself: ViewPosition PA (frontal), PatientOrientation A\\F (lateral)')
    expect(disagreeing.reorientation).toEqual({ transpose: false, horizontal: false, vertical: false })
    expect(readProjection(tags({ viewPosition: 'PA', seriesDescription: 'CHEST LAT' })).projection).toBeNull()
  })
})

describe('a chest radiograph or not', () => {
  it('takes projection radiographs of the chest, and films that do not say', () => {
    for (const [modality, bodyPart] of [['CR', 'CHEST'], ['DX', 'THORAX'], ['DX', null], [null, null], ['DR', 'Chest PA'], ['OT', 'LUNG'], ['DX', '胸部'], ['CR', 'RIBS'], ['DX', 'CHEST_ABDOMEN'], ['CR', 'OTHER']]) {
      expect(notChestRadiograph(modality, bodyPart), `${modality} ${bodyPart}`).toBeNull()
    }
  })

  it('names the modality or body part of any other film', () => {
    expect(notChestRadiograph('CT', 'CHEST')).toBe('Modality CT is not a radiograph')
    expect(notChestRadiograph('mg', null)).toBe('Modality MG is not a radiograph')
    expect(notChestRadiograph('US', null)).toBe('Modality US is not a radiograph')
    expect(notChestRadiograph('CR', 'KNEE')).toBe('BodyPartExamined KNEE is not the chest')
    expect(notChestRadiograph('DX', 'LSPINE')).toBe('BodyPartExamined LSPINE is not the chest')
    expect(notChestRadiograph('DX', '腰椎')).toBe('BodyPartExamined 腰椎 is not the chest')
    // the thoracic spine is the spine, in Chinese too (胸 is the chest in 胸部, the thorax in 胸椎)
    for (const part of ['胸椎', '胸腰椎', 'TSPINE', 'KUB', 'SCAPULA', 'PATELLA', 'CALCANEUS', 'WHOLEBODY', 'DENTAL']) {
      expect(notChestRadiograph('DX', part), part).toBe(`BodyPartExamined ${part} is not the chest`)
    }
  })

  it('reads the descriptions where BodyPartExamined names no part: another part and no chest is no chest film', () => {
    const described = (...texts: string[]) => texts.map((text, i) => ({ name: ['SeriesDescription', 'ProtocolName', 'StudyDescription'][i], text }))
    expect(notChestRadiograph('CR', null, described('L-SPINE AP'))).toBe('SeriesDescription names another body part than the chest')
    expect(notChestRadiograph('DX', 'OTHER', described('Chest PA', 'KNEES'))).toBeNull()
    expect(notChestRadiograph('DX', '', described('', 'XR KNEE 2 VIEWS'))).toBe('ProtocolName names another body part than the chest')
    expect(notChestRadiograph('DX', null, described('腰椎正位'))).toBe('SeriesDescription names another body part than the chest')
    expect(notChestRadiograph('DX', null, described('T_SPINE_LAT'))).toBe('SeriesDescription names another body part than the chest')
    // words inside other words, and 手 of 手术 (surgery), name no part
    for (const text of ['Handheld AP', 'Portable AP', '术后复查 床旁', 'AP supine', '胸部正位']) expect(notChestRadiograph('DX', null, described(text)), text).toBeNull()
    // what BodyPartExamined says outranks the descriptions
    expect(notChestRadiograph('DX', 'CHEST', described('KNEE'))).toBeNull()
  })
})

describe('an acquired film or one made from it', () => {
  const dx = '1.2.840.10008.5.1.4.1.1.1.1'
  const described = (text: string, name = 'SeriesDescription') => ({ sopClassUid: dx, imageType: 'ORIGINAL\\PRIMARY', descriptions: [{ name, text }] })

  it('takes a film as acquired first, whatever its description or Image Type says besides', () => {
    for (const text of ['Chest PA', 'CHEST PA STANDARD', 'DE Standard', '胸部正位 双能减影 标准像', 'Bone survey chest', 'RIBS', 'Softcopy']) {
      expect(filmOrigin(described(text)), text).toEqual({ rank: 0, reason: null })
    }
    expect(filmOrigin({ sopClassUid: dx, imageType: null, descriptions: [{ name: 'SeriesDescription', text: null }] })).toEqual({ rank: 0, reason: null })
    expect(filmOrigin({ sopClassUid: dx, imageType: 'ORIGINAL\\PRIMARY\\\\RIGHT', descriptions: [] }).rank).toBe(0)
  })

  it('puts a copy after it: a secondary image, a secondary capture', () => {
    expect(filmOrigin({ sopClassUid: dx, imageType: 'DERIVED\\SECONDARY', descriptions: [] })).toEqual({ rank: 1, reason: 'ImageType DERIVED\\SECONDARY: made from another image' })
    // a processed presentation film is DERIVED\PRIMARY on many CR and DX units: still the film as acquired
    expect(filmOrigin({ sopClassUid: dx, imageType: 'DERIVED\\PRIMARY', descriptions: [] })).toEqual({ rank: 0, reason: null })
    expect(filmOrigin({ sopClassUid: dx, imageType: 'original\\secondary', descriptions: [] }).rank).toBe(1)
    expect(filmOrigin({ sopClassUid: '1.2.840.10008.5.1.4.1.1.7', imageType: 'ORIGINAL\\PRIMARY', descriptions: [] })).toEqual({
      rank: 1,
      reason: 'a Secondary Capture: a picture of a film'
    })
    expect(filmOrigin({ sopClassUid: '1.2.840.10008.5.1.4.1.1.7.2', imageType: null, descriptions: [] }).rank).toBe(1)
  })

  it('puts a dual-energy soft-tissue or a bone-suppressed image after a copy, and a dual-energy bone image last', () => {
    for (const text of ['Chest PA Soft Tissue', 'DE SOFT', 'soft-tissue', 'PA_SOFTTISSUE', '胸部正位 软组织像', 'Bone suppressed', 'BONE SUPPRESSION', 'BoneFree', '去骨图像', '骨抑制']) {
      expect(filmOrigin(described(text)), text).toEqual({ rank: 2, reason: 'SeriesDescription names a soft-tissue or bone-suppressed image' })
    }
    for (const text of ['Chest PA Bone', 'DE BONE', 'bone image', 'PA_BONE', '胸部正位 骨像', '骨组织像']) {
      expect(filmOrigin(described(text)), text).toEqual({ rank: 3, reason: 'SeriesDescription names a dual-energy bone image' })
    }
    // read in any description, and named by the attribute only (a description may name a person)
    expect(filmOrigin(described('CHEST PA SOFT', 'AcquisitionDeviceProcessingDescription')).reason).toBe(
      'AcquisitionDeviceProcessingDescription names a soft-tissue or bone-suppressed image'
    )
    // the bone image's words outrank its Image Type
    expect(filmOrigin({ sopClassUid: dx, imageType: 'DERIVED\\PRIMARY', descriptions: [{ name: 'ProtocolName', text: 'Chest Bone' }] }).rank).toBe(3)
  })
})
