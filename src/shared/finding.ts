import { z } from 'zod'

/**
 * The one structured schema for nodule findings. Report truth (parsed from a radiologist's text),
 * the model's generated findings (parsed by the same parser), the synthetic cohort's hidden truth
 * and the spy game's radiograph edits are all expressed in it, so they compare field by field.
 */

export const Presence = z.enum(['present', 'absent', 'uncertain'])
export type Presence = z.infer<typeof Presence>

export const Side = z.enum(['right', 'left', 'bilateral'])
export type Side = z.infer<typeof Side>

/** Chest-radiograph zone; reports on radiographs locate nodules by zone rather than lobe. */
export const Zone = z.enum(['upper', 'middle', 'lower'])
export type Zone = z.infer<typeof Zone>

/** Lobe when the text names one (CT-style wording also appears in radiograph reports). */
export const Lobe = z.enum(['RUL', 'RML', 'RLL', 'LUL', 'LLL', 'lingula'])
export type Lobe = z.infer<typeof Lobe>

export const Density = z.enum(['solid', 'part-solid', 'ground-glass', 'calcified'])
export type Density = z.infer<typeof Density>

/** Character offsets into the text the finding was read from, and the text itself. */
export const EvidenceSpan = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  text: z.string()
})
export type EvidenceSpan = z.infer<typeof EvidenceSpan>

export const NoduleItem = z.object({
  /** Long-axis (or only stated) size in millimetres; cm and 毫米/厘米 are normalised to mm. */
  sizeMm: z.number().positive().nullable(),
  /** Short axis when a long×short pair is stated. */
  sizeShortMm: z.number().positive().nullable(),
  side: Side.nullable(),
  zone: Zone.nullable(),
  lobe: Lobe.nullable(),
  density: Density.nullable(),
  /** 'uncertain' for "cannot exclude", 不除外, 考虑, "possible" … */
  certainty: z.enum(['definite', 'uncertain']),
  evidence: EvidenceSpan.nullable()
})
export type NoduleItem = z.infer<typeof NoduleItem>

export const NoduleFinding = z.object({
  presence: Presence,
  /** Number of nodules when stated or enumerable; null for "multiple" without a number. */
  count: z.number().int().nonnegative().nullable(),
  items: z.array(NoduleItem)
})
export type NoduleFinding = z.infer<typeof NoduleFinding>

export const ReportLanguage = z.enum(['en', 'zh'])
export type ReportLanguage = z.infer<typeof ReportLanguage>

export const ParsedReport = z.object({
  language: ReportLanguage,
  sections: z.object({
    findings: z.string().nullable(),
    impression: z.string().nullable()
  }),
  nodules: NoduleFinding,
  /**
   * Where the text says there is no nodule: negated mentions ("no nodule", 未见结节) and normal
   * statements ("lungs are clear", 两肺纹理清晰). Empty when an 'absent' finding rests on silence.
   */
  negativeEvidence: z.array(EvidenceSpan)
})
export type ParsedReport = z.infer<typeof ParsedReport>

/**
 * A spy-game edit of a radiograph, described in the same schema: what was there before the edit
 * and what is there after (null when nothing). `blank` replaces the whole image.
 */
export const RadiographEdit = z.object({
  kind: z.enum(['insert', 'move', 'resize', 'remove', 'blank']),
  before: NoduleItem.nullable(),
  after: NoduleItem.nullable()
})
export type RadiographEdit = z.infer<typeof RadiographEdit>

/** An item with every optional field empty: the starting point for parsers and generators. */
export function emptyNoduleItem(): NoduleItem {
  return {
    sizeMm: null,
    sizeShortMm: null,
    side: null,
    zone: null,
    lobe: null,
    density: null,
    certainty: 'definite',
    evidence: null
  }
}
