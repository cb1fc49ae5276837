/**
 * What kind of film an image is, for the model: whether it is a chest radiograph at all, which way
 * the beam went through the chest, and whether it is stored mirrored, upside down or on its side.
 * The model reads frontal chest films only — its places are a frontal film's sides and zones — so
 * a CT slice or a knee film in the same folder, or a study's lateral view, must not be the image it
 * trains on or describes, and a mirrored frontal film would teach it right for left. Every source
 * of this in a header is unreliable on its own (REFERENCE: ViewPosition is often empty or wrong),
 * so each is read and they must agree; a value that is missing or not understood counts for nothing.
 */
import type { Projection } from '../../shared/contract'
import { asStored, parseOrientation, toStandard, uprightOrientation, type Orientation, type Reorientation } from '../../shared/orientation'
import { SopClass } from './uids'

/** The header values a projection is read from, as text. */
export interface ProjectionTags {
  /** (0018,5101) ViewPosition: PA, AP, LL, RL, RLD, LLD, RLO, LLO in the standard; free text in the wild. */
  viewPosition: string | null
  /** (0054,0220) View Code Sequence, first item's Code Meaning ("postero-anterior", "left lateral"). */
  viewCodeMeaning: string | null
  /** (0020,0020) PatientOrientation, backslash-separated ("L\F": rows run to the patient's left, columns to the feet). */
  patientOrientation: string | null
  /** Series description, protocol name and the device's processing description ("CHEST PA", "Thorax lat", 胸部正位), by name. */
  descriptions: { name: string; text: string | null }[]
}

export interface ProjectionReading {
  /** null: no source says, or the sources disagree. */
  projection: Projection | null
  /** Where the projection was read, or why it is unknown, for the import log and the viewer. */
  evidence: string
  /** What turns a frontal film into the standard frame (the patient's right on the viewer's left, head up). */
  reorientation: Reorientation
}

const viewPositionTerms: Record<string, Projection> = {
  PA: 'frontal',
  AP: 'frontal',
  LL: 'lateral',
  RL: 'lateral',
  LLD: 'other',
  RLD: 'other',
  LLO: 'other',
  RLO: 'other'
}

// Words of descriptions and code meanings, upper case and without accents (see projectionInWords).
// German, Italian, French, Dutch, Spanish and Portuguese words too: d.v. (dorso-ventral, PA), v.d. (AP),
// frente (frontal); seitlich, laterale, profil, zijwaarts, perfil (lateral); decúbito, oblicua.
const otherWords = /\b(?:OBL|OBLIQUE|OBLICUA|OBLIQUA|RAO|LAO|RPO|LPO|RLO|LLO|DECUB|DECUBITUS|DECUBITO|LLD|RLD|LORDOTIC)\b|斜位|侧卧|側臥|前弓/
const lateralWords = /\b(?:LAT|LATERAL|LATERALE|LL|RL|LLAT|RLAT|SEITL|SEITLICH|PROFIL|PERFIL|ZIJWAARTS)\b|侧位|側位/
const frontalWords =
  /\b(?:PA|AP|FRONTAL|FRENTE|POSTEROANTERIORE?|ANTEROPOSTERIORE?|P\s?[/.]\s?A|A\s?[/.]\s?P|D\s?[/.]\s?V|V\s?[/.]\s?D)\b|正位|后前位|後前位|前后位|前後位/

/**
 * The projection words in a free text name: an oblique or decubitus word outranks the others (a
 * "lateral decubitus" film is neither lateral nor upright frontal); a text naming both frontal and
 * lateral ("CHEST PA AND LAT", a series holding both) names neither.
 */
export function projectionInWords(text: string): Projection | null {
  // Protocol names join words with _ and - ("CHEST_PA", "CHEST-PA"); a hyphen also splits one word
  // ("postero-anterior"): both readings are searched.
  // accents folded away ("Tórax decúbito"), which \b would take for word ends
  const upper = text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/_/g, ' ')
  const words = `${upper.replace(/-/g, ' ')} ${upper.replace(/(?<=[A-Z])-(?=[A-Z])/g, '')}`
  if (otherWords.test(words)) return 'other'
  const lateral = lateralWords.test(words)
  const frontal = frontalWords.test(words)
  return lateral === frontal ? null : lateral ? 'lateral' : 'frontal'
}

/**
 * A film (set upright: one of its axes runs head to foot) is frontal when its other axis runs
 * across the patient (L or R) and lateral when it runs front to back (A or P).
 */
function projectionOfOrientation(o: Orientation): Projection | null {
  const upright = uprightOrientation(o)
  if (!'HF'.includes(upright.column[0])) return null
  return 'LR'.includes(upright.row[0]) ? 'frontal' : 'lateral'
}

/** Reads the projection from every source that names one; they must agree. */
export function readProjection(tags: ProjectionTags): ProjectionReading {
  const orientation = parseOrientation(tags.patientOrientation)
  const viewPosition = tags.viewPosition?.trim().toUpperCase() ?? null
  const readings: { source: string; projection: Projection | null }[] = [
    { source: `ViewPosition ${viewPosition}`, projection: viewPosition ? (viewPositionTerms[viewPosition] ?? projectionInWords(viewPosition)) : null },
    { source: `View Code Sequence "${tags.viewCodeMeaning}"`, projection: tags.viewCodeMeaning ? projectionInWords(tags.viewCodeMeaning) : null },
    { source: `PatientOrientation ${tags.patientOrientation}`, projection: orientation ? projectionOfOrientation(orientation) : null },
    // Free text may name a person (PS3.15 removes descriptions): the evidence names the attribute only.
    ...tags.descriptions.map((d) => ({ source: d.name, projection: d.text ? projectionInWords(d.text) : null }))
  ].filter((r) => r.projection !== null)
  if (readings.length === 0) return { projection: null, evidence: 'no view position, view code, patient orientation or view word in the header', reorientation: asStored }
  const projection = readings[0].projection
  const sources = readings.map((r) => `${r.source} (${r.projection})`).join(', ')
  if (readings.some((r) => r.projection !== projection)) return { projection: null, evidence: `the header disagrees with itself: ${sources}`, reorientation: asStored }
  return { projection, evidence: sources, reorientation: projection === 'frontal' ? toStandard(orientation) : asStored }
}

// Projection radiography, and captures that may hold a digitised film (OT, SC); DR is not a DICOM
// modality code but vendors write it.
const radiographModalities = new Set(['CR', 'DX', 'DR', 'RG', 'OT', 'SC'])
// 胸 is the chest in 胸部, 胸片 but the thorax in 胸椎 and 胸腰椎 (the thoracic spine).
const chestWords = /CHEST|THORAX|LUNG|RIB|STERN|胸(?!腰?椎)|肺/
const elsewhereParts =
  'SKULL|HEAD|BRAIN|FACE|SINUS|ORBIT|JAW|MANDIBLE|TMJ|DENTAL|TEETH|NASAL|NECK|SPINE|COCCYX|SACRUM|ABDOMEN|KUB|PELVIS|HIP|SHOULDER|SCAPULA|CLAVICLE|HUMERUS|ARM|ELBOW|WRIST|HAND|FINGER|FEMUR|THIGH|LEG|KNEE|PATELLA|TIBIA|ANKLE|CALCANEUS|HEEL|FOOT|TOE|EXTREMITY|BREAST|WHOLEBODY|WHOLE BODY'
/** In BodyPartExamined, a code: any part of it counts (LSPINE, TSPINE, 腰椎). */
const elsewhereWords = new RegExp(`${elsewhereParts}|头|颅|颈|脊|椎|腹|盆|髋|肩|肘|腕|手|膝|踝|足|乳腺`)
/**
 * In free text (descriptions, protocol names), whole words only ("L-SPINE AP", "KNEES", not the HAND
 * of "HANDHELD"), and Chinese words too long to be part of another (手 is also in 手术, surgery).
 */
const chestInText = /(?<![A-Z])(?:CHEST|THORAX|LUNGS?|RIBS?|STERNUM)(?![A-Z])|胸(?!腰?椎)|肺/
const elsewhereInText = new RegExp(
  `(?<![A-Z])(?:[CTL][- ]?)?(?:${elsewhereParts})(?:S|ES)?(?![A-Z])|头颅|颅骨|头部|颈椎|颈部|腰椎|脊柱|骶|尾椎|腹部|骨盆|盆腔|髋|肩关节|肩部|肘|腕|手部|手指|膝|踝|足部|跟骨|乳腺`
)

/** The descriptions that say something, upper case, a protocol name's _ read as a space ("CHEST_PA"). */
function descriptionWords(descriptions: ProjectionTags['descriptions']): { name: string; words: string }[] {
  return descriptions.flatMap((d) => (d.text ? [{ name: d.name, words: d.text.toUpperCase().replace(/_/g, ' ') }] : []))
}

/**
 * Why an image is not a chest radiograph the model can read, or null when it may be one: a
 * modality other than projection radiography (CT, MR, US, mammography, fluoroscopy …), or a body
 * part that names somewhere else than the chest (KNEE, ABDOMEN, 腰椎) — in BodyPartExamined, or,
 * where that names no part we know (many CR units leave it empty), in a description that names
 * another part while none names the chest ("L-SPINE AP", 腰椎正位). A description is named by its
 * attribute only: it may name a person.
 */
export function notChestRadiograph(modality: string | null, bodyPart: string | null, descriptions: ProjectionTags['descriptions'] = []): string | null {
  const code = modality?.trim().toUpperCase()
  if (code && !radiographModalities.has(code)) return `Modality ${code} is not a radiograph`
  const part = bodyPart?.trim().toUpperCase()
  if (part && chestWords.test(part)) return null
  if (part && elsewhereWords.test(part)) return `BodyPartExamined ${bodyPart!.trim()} is not the chest`
  const texts = descriptionWords(descriptions)
  if (texts.some((t) => chestInText.test(t.words))) return null
  const elsewhere = texts.find((t) => elsewhereInText.test(t.words))
  return elsewhere ? `${elsewhere.name} names another body part than the chest` : null
}

/** The header values that tell a film as acquired from an image made from one (see filmOrigin). */
export interface OriginTags {
  sopClassUid: string
  /** (0008,0008) ImageType, backslash-separated: ORIGINAL or DERIVED, PRIMARY or SECONDARY, then the device's terms. */
  imageType: string | null
  /** Series description, protocol name, the device's processing and the derivation description, by name. */
  descriptions: ProjectionTags['descriptions']
}

/**
 * A film's standing as its study's model image, lower first: 0 the film as acquired; 1 a copy made
 * from one (a secondary image, a secondary capture); 2 a dual-energy soft-tissue or a
 * bone-suppressed image; 3 a dual-energy bone image, the lungs subtracted away. `reason` names what said so.
 */
export interface FilmOrigin {
  rank: 0 | 1 | 2 | 3
  reason: string | null
}

// Dual-energy chest units (双能减影) store a standard film, a soft-tissue and a bone image in one study;
// bone-suppression software adds a copy with the ribs taken out. The reports describe the standard film.
const boneImageWords = /(?<![A-Z])BONE(?![A-Z])(?![ -]*(?:SUPPRESS|FREE|REMOV|SURVEY|AGE|DENSIT|MINERAL))|(?<!去)骨(?:组织|骼)?图?像/
const softTissueWords = /SOFT[ -]?TISSUE|(?<![A-Z])SOFT(?![A-Z])|BONE[ -]*(?:SUPPRESS|FREE|REMOV)|软组织|軟組織|去骨|骨抑制/

/**
 * Whether a film is the one acquired or an image made from it, so that a study holding several
 * frontal films (a dual-energy set, a bone-suppressed or CAD-marked copy, a screen capture) gives the
 * model the film its report was written on. It only orders: a study of copies alone still has one.
 */
export function filmOrigin(tags: OriginTags): FilmOrigin {
  const texts = descriptionWords(tags.descriptions)
  const bone = texts.find((t) => boneImageWords.test(t.words))
  if (bone) return { rank: 3, reason: `${bone.name} names a dual-energy bone image` }
  const soft = texts.find((t) => softTissueWords.test(t.words))
  if (soft) return { rank: 2, reason: `${soft.name} names a soft-tissue or bone-suppressed image` }
  // Not DERIVED alone: many CR and DX units mark the processed presentation film DERIVED\PRIMARY.
  const kind = (tags.imageType ?? '').toUpperCase().split('\\')[1]
  if (kind === 'SECONDARY') return { rank: 1, reason: `ImageType ${tags.imageType}: made from another image` }
  if (tags.sopClassUid === SopClass.secondaryCapture || tags.sopClassUid.startsWith(`${SopClass.secondaryCapture}.`)) {
    return { rank: 1, reason: 'a Secondary Capture: a picture of a film' }
  }
  return { rank: 0, reason: null }
}
