import type { Density, Lobe, Presence, Side, Zone } from '../../../src/shared/finding'

/**
 * The report-parser specification: each sentence (or short report) with what a radiologist reads
 * from it. Written before the parser ran; the parser is fixed to meet it, not the other way round.
 *
 * Conventions (documented in src/main/reports/README.md):
 * - count: definite items when present, uncertain items when uncertain, 0 when absent; null when a
 *   group of unstated number ("multiple", 多发, 数枚) is described.
 * - a range ("5-7 mm", 8～10mm) gives its upper bound; long×short gives sizeMm = long, sizeShortMm = short.
 * - zone is never derived from a lobe; 右上肺/右上肺野/"right upper zone" are zones, 右肺上叶/"right upper lobe" lobes.
 * - masses (>30 mm) and calcified granulomas are nodule-like lesions and are items.
 */
export interface ExpectedItem {
  sizeMm: number | null
  sizeShortMm: number | null
  side: Side | null
  zone: Zone | null
  lobe: Lobe | null
  density: Density | null
  certainty: 'definite' | 'uncertain'
}

export interface SentenceCase {
  text: string
  presence: Presence
  count: number | null
  items: ExpectedItem[]
}

interface ItemSpec {
  size?: number
  short?: number
  side?: Side
  zone?: Zone
  lobe?: Lobe
  density?: Density
  uncertain?: boolean
}

function n(spec: ItemSpec = {}): ExpectedItem {
  return {
    sizeMm: spec.size ?? null,
    sizeShortMm: spec.short ?? null,
    side: spec.side ?? null,
    zone: spec.zone ?? null,
    lobe: spec.lobe ?? null,
    density: spec.density ?? null,
    certainty: spec.uncertain ? 'uncertain' : 'definite'
  }
}

const absent = (text: string): SentenceCase => ({ text, presence: 'absent', count: 0, items: [] })
const present = (text: string, count: number | null, ...items: ExpectedItem[]): SentenceCase => ({ text, presence: 'present', count, items })
const uncertain = (text: string, count: number | null, ...items: ExpectedItem[]): SentenceCase => ({ text, presence: 'uncertain', count, items })

export const englishCases: SentenceCase[] = [
  present('8 mm solid nodule, right upper zone.', 1, n({ size: 8, side: 'right', zone: 'upper', density: 'solid' })),
  absent('No nodule.'),
  absent('No pulmonary nodules or masses.'),
  absent('The lungs are clear.'),
  absent('Lungs are clear bilaterally. No focal consolidation, pleural effusion or pneumothorax.'),
  present('There is a 1.2 cm nodule in the left lower zone.', 1, n({ size: 12, side: 'left', zone: 'lower' })),
  present('A 0.8 x 0.6 cm nodule is seen in the right mid zone.', 1, n({ size: 8, short: 6, side: 'right', zone: 'middle' })),
  // a decimal comma, as European reports write sizes; a comma and a space is a list
  present('Nodule in the right upper lobe measuring 1,2 cm.', 1, n({ size: 12, side: 'right', lobe: 'RUL' })),
  present('RUL nodule 1,2 x 0,8 cm.', 1, n({ size: 12, short: 8, side: 'right', lobe: 'RUL' })),
  present('Nodules measuring 5, 7 mm in the right upper lobe.', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 7, side: 'right', lobe: 'RUL' })),
  present('Right upper lobe nodule measuring 6 x 5 mm.', 1, n({ size: 6, short: 5, side: 'right', lobe: 'RUL' })),
  // a size spelt out, as dictated reports write small numbers
  present('A one-centimeter nodule in the right upper lobe.', 1, n({ size: 10, side: 'right', lobe: 'RUL' })),
  present('Two nodules, each about one and a half centimetres, in the left lower zone.', 2, n({ size: 15, side: 'left', zone: 'lower' }), n({ size: 15, side: 'left', zone: 'lower' })),
  present('Nodule of half a centimeter in the left mid zone.', 1, n({ size: 5, side: 'left', zone: 'middle' })),
  present('Three millimeter nodule in the right lower zone.', 1, n({ size: 3, side: 'right', zone: 'lower' })),
  present('A one point five centimeter nodule in the right upper zone.', 1, n({ size: 15, side: 'right', zone: 'upper' })),
  uncertain('A small nodule cannot be excluded in the right lower zone.', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  uncertain('Cannot exclude a nodule in the left mid zone.', 1, n({ side: 'left', zone: 'middle', uncertain: true })),
  uncertain('Possible 7 mm nodule in the left upper zone.', 1, n({ size: 7, side: 'left', zone: 'upper', uncertain: true })),
  uncertain('Findings may represent a small nodule in the right upper zone.', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  uncertain('Likely a nodule in the right lower zone; CT is recommended.', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  absent('No evidence of a pulmonary nodule.'),
  absent('Negative for nodules.'),
  absent('The lungs are free of nodules and masses.'),
  absent('A pulmonary nodule has been ruled out.'),
  present('No change in the 9 mm nodule in the right upper zone.', 1, n({ size: 9, side: 'right', zone: 'upper' })),
  present('No interval increase in size of the 5 mm left lower zone nodule.', 1, n({ size: 5, side: 'left', zone: 'lower' })),
  present(
    'Two nodules in the right upper zone, measuring 8 mm and 5 mm.',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 5, side: 'right', zone: 'upper' })
  ),
  present(
    'A 10 mm nodule in the right upper zone and a 6 mm nodule in the left lower zone.',
    2,
    n({ size: 10, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present('Multiple bilateral pulmonary nodules.', null, n({ side: 'bilateral' })),
  // A group of unstated number at places listed: a group at each.
  present('Multiple nodules in the right upper zone and left lower zone.', null, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'lower' })),
  present('Several small nodules in the left lung.', null, n({ side: 'left' })),
  present('A 4 cm mass in the right upper zone.', 1, n({ size: 40, side: 'right', zone: 'upper' })),
  present('Large mass in the left lower lobe measuring 5.5 x 4.0 cm.', 1, n({ size: 55, short: 40, side: 'left', lobe: 'LLL' })),
  present('Calcified granuloma in the left mid zone.', 1, n({ side: 'left', zone: 'middle', density: 'calcified' })),
  // a granuloma with a place of its own after a nodule is a second finding, not the nodule's nature
  present(
    'A 6 mm nodule in the right lower lobe and a calcified granuloma in the left upper lobe.',
    2,
    n({ size: 6, side: 'right', lobe: 'RLL' }),
    n({ side: 'left', lobe: 'LUL', density: 'calcified' })
  ),
  present('Right upper lobe nodule, calcified granuloma.', 1, n({ side: 'right', lobe: 'RUL', density: 'calcified' })),
  present(
    'A 5 mm calcified nodule in the right lower zone, consistent with a granuloma.',
    1,
    n({ size: 5, side: 'right', zone: 'lower', density: 'calcified' })
  ),
  present('Ground-glass nodule in the right upper lobe measuring 12 mm.', 1, n({ size: 12, side: 'right', lobe: 'RUL', density: 'ground-glass' })),
  // a ground-glass opacity with a nodule's size is a ground-glass nodule; without one, or patchy, or over 3 cm, it is not
  present('Ground-glass opacity measuring 8 mm in the right upper lobe.', 1, n({ size: 8, side: 'right', lobe: 'RUL', density: 'ground-glass' })),
  present('An 8 mm ground-glass opacity in the left upper zone.', 1, n({ size: 8, side: 'left', zone: 'upper', density: 'ground-glass' })),
  present('A 6 mm focus of ground-glass attenuation in the left lower lobe.', 1, n({ size: 6, side: 'left', lobe: 'LLL', density: 'ground-glass' })),
  present('GGO in the RUL, 1.2 x 0.9 cm.', 1, n({ size: 12, short: 9, side: 'right', lobe: 'RUL', density: 'ground-glass' })),
  present(
    'Two ground-glass opacities in the right upper lobe, measuring 5 and 7 mm.',
    2,
    n({ size: 5, side: 'right', lobe: 'RUL', density: 'ground-glass' }),
    n({ size: 7, side: 'right', lobe: 'RUL', density: 'ground-glass' })
  ),
  // a short-axis size joins the long one beside it
  present('Right upper lobe nodule, long axis 8 mm, short axis 5 mm.', 1, n({ size: 8, short: 5, side: 'right', lobe: 'RUL' })),
  present('Right upper lobe nodule measuring 8 mm in long axis and 5 mm in short axis.', 1, n({ size: 8, short: 5, side: 'right', lobe: 'RUL' })),
  absent('Ground-glass opacity in the right lower lobe.'),
  absent('Patchy ground-glass opacities in both lower lobes, up to 2 cm.'),
  absent('Ground-glass opacity in the right lower lobe measuring 4 cm.'),
  present('Ground-glass opacity in the right upper lobe and a 6 mm solid nodule in the left lower lobe.', 1, n({ size: 6, side: 'left', lobe: 'LLL', density: 'solid' })),
  // the unsized opacity's density is its own, not the nodule's
  present('Ground-glass opacity in the right upper lobe and a 6 mm nodule in the left lower lobe.', 1, n({ size: 6, side: 'left', lobe: 'LLL' })),
  present('Ground-glass density nodule in the RUL, 8 mm.', 1, n({ size: 8, side: 'right', lobe: 'RUL', density: 'ground-glass' })),
  present('Part-solid nodule, 15 mm, left upper lobe.', 1, n({ size: 15, side: 'left', lobe: 'LUL', density: 'part-solid' })),
  absent('Heart size is normal. No nodule, mass or consolidation.'),
  absent('No focal lung lesion.'),
  present(
    'There is no nodule in the left lung. A 7 mm nodule is present in the right lower zone.',
    1,
    n({ size: 7, side: 'right', zone: 'lower' })
  ),
  present('No pneumothorax, but a 6 mm nodule is noted in the left mid zone.', 1, n({ size: 6, side: 'left', zone: 'middle' })),
  present('Nodule in the lingula.', 1, n({ side: 'left', lobe: 'lingula' })),
  present('RML nodule, 9 mm.', 1, n({ size: 9, side: 'right', lobe: 'RML' })),
  present('Solitary pulmonary nodule in the left upper lobe.', 1, n({ side: 'left', lobe: 'LUL' })),
  present('Nodule at the right lung base.', 1, n({ side: 'right', zone: 'lower' })),
  present('Nodule at the left costophrenic angle.', 1, n({ side: 'left', zone: 'lower' })),
  present('Nodule in the left retrocardiac region.', 1, n({ side: 'left', zone: 'lower' })),
  // behind the heart with no side said is the left lower lobe's place (the heart lies to the left)
  present('Retrocardiac nodular opacity.', 1, n({ side: 'left', zone: 'lower' })),
  present('Nodule in the retrocardiac region.', 1, n({ side: 'left', zone: 'lower' })),
  present('Right retrocardiac nodule.', 1, n({ side: 'right', zone: 'lower' })),
  present('Nodular opacity projecting over the right apex.', 1, n({ side: 'right', zone: 'upper' })),
  present('Nodule 5-7 mm in the left lower zone.', 1, n({ size: 7, side: 'left', zone: 'lower' })),
  // No number, places listed: a nodule at each.
  present(
    'Nodules in the right upper zone (8 mm) and left lower zone (5 mm).',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 5, side: 'left', zone: 'lower' })
  ),
  present('Right upper zone and left lower zone nodules.', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'lower' })),
  present('Small nodules in the right upper and left lower zones.', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'lower' })),
  // A side said once for a list of levels is every level's ("the right upper and lower zones").
  present('Nodules in the right upper and lower zones.', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'right', zone: 'lower' })),
  present(
    'Nodules in the left upper, mid and lower zones.',
    3,
    n({ side: 'left', zone: 'upper' }),
    n({ side: 'left', zone: 'middle' }),
    n({ side: 'left', zone: 'lower' })
  ),
  present('Nodules in the left upper and lower lobes.', 2, n({ side: 'left', lobe: 'LUL' }), n({ side: 'left', lobe: 'LLL' })),
  // "each": the stated number on both sides.
  present('A nodule in each upper zone.', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'upper' })),
  present('A 5 mm nodule at each lung base.', 2, n({ size: 5, side: 'right', zone: 'lower' }), n({ size: 5, side: 'left', zone: 'lower' })),
  present('A nodule in each upper lobe.', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'left', lobe: 'LUL' })),
  present('One nodule in each lung.', 2, n({ side: 'right' }), n({ side: 'left' })),
  // "another" standing for a nodule is one more nodule.
  present(
    'A 6 mm nodule in the right upper zone and another in the left lower zone.',
    2,
    n({ size: 6, side: 'right', zone: 'upper' }),
    n({ side: 'left', zone: 'lower' })
  ),
  present(
    'A 6 mm nodule in the right upper zone. Another is seen in the left mid zone.',
    2,
    n({ size: 6, side: 'right', zone: 'upper' }),
    n({ side: 'left', zone: 'middle' })
  ),
  // A hyphenated size is a size, not a count ("a 6-mm nodule" once read as six nodules).
  present('A 6-mm nodule in the left lower zone.', 1, n({ size: 6, side: 'left', zone: 'lower' })),
  present('There is a 1.5-cm nodule in the right upper lobe.', 1, n({ size: 15, side: 'right', lobe: 'RUL' })),
  present('An 8-millimeter nodule in the right mid zone.', 1, n({ size: 8, side: 'right', zone: 'middle' })),
  present('Two 5-mm nodules in the left upper zone.', 2, n({ size: 5, side: 'left', zone: 'upper' }), n({ size: 5, side: 'left', zone: 'upper' })),
  present('A 12-mm x 9-mm nodule in the right upper zone.', 1, n({ size: 12, short: 9, side: 'right', zone: 'upper' })),
  present('A 5- to 7-mm nodule in the left lower zone.', 1, n({ size: 7, side: 'left', zone: 'lower' })),
  present('A nodule of approximately 2 cm is seen in the left mid zone.', 1, n({ size: 20, side: 'left', zone: 'middle' })),
  // c. (circa) ends no sentence
  present('Nodule in the RUL, c. 6 mm. No effusion.', 1, n({ size: 6, side: 'right', lobe: 'RUL' })),
  uncertain('Questionable nodule in the right mid zone.', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  uncertain('Suspicious for a nodule in the left upper zone.', 1, n({ side: 'left', zone: 'upper', uncertain: true })),
  absent('The previously described nodule is no longer seen.'),
  absent('The right upper zone nodule has resolved.'),
  absent('Nodule is not seen on the current study.'),
  absent('The previously seen nodule is no longer visualized.'),
  absent('The nodule previously seen in the RUL is no longer apparent.'),
  absent('A nodule is not apparent.'),
  // A prior study's size beside the current one is not the nodule's size.
  present('A right upper lobe nodule (previously 8 mm) now measures 11 mm.', 1, n({ size: 11, side: 'right', lobe: 'RUL' })),
  present('The right upper zone nodule, previously 8 mm, is unchanged.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  // the size a nodule changed to is its size; one stated before it in the same clause was the prior study's
  present('The 8 mm RUL nodule has decreased in size to 5 mm.', 1, n({ size: 5, side: 'right', lobe: 'RUL' })),
  // by how much a nodule changed is no size of it
  present('The RUL nodule has increased by 2 mm to 10 mm.', 1, n({ size: 10, side: 'right', lobe: 'RUL' })),
  present('RUL nodule, increased by 3 mm.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('RUL nodule has grown 3 mm since the prior study.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('RUL nodule is 2 mm larger than before, now 9 mm.', 1, n({ size: 9, side: 'right', lobe: 'RUL' })),
  // a prior size is still a size: its number is no count of nodules
  present('The previously 8 mm RUL nodule now measures 11 mm.', 1, n({ size: 11, side: 'right', lobe: 'RUL' })),
  present('An 11 mm nodule in the left lower zone has shrunk to approximately 6 mm.', 1, n({ size: 6, side: 'left', zone: 'lower' })),
  present('A 6 mm right upper zone nodule, and a left lower zone nodule that has grown to 12 mm.', 2, n({ size: 6, side: 'right', zone: 'upper' }), n({ size: 12, side: 'left', zone: 'lower' })),
  absent('A nodule is not definitely identified.'),
  // modal verbs before the negated seeing: "could not be identified", "cannot be visualized"
  // another reading of the opacity after a qualifier of it: "may reflect early pneumonia"
  uncertain('Subtle nodular opacity in the right lower lung may reflect early pneumonia.', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  // taken out: the nodule the operation was for is gone; one elsewhere is not
  absent('Status post right upper lobectomy for nodule.'),
  absent('Status post wedge resection of a left upper lobe nodule.'),
  present('Status post right upper lobectomy. A 6 mm nodule in the left lower zone.', 1, n({ size: 6, side: 'left', zone: 'lower' })),
  present('Status post wedge resection of a left upper lobe nodule; new 4 mm nodule in the right lower zone.', 1, n({ size: 4, side: 'right', zone: 'lower' })),
  // a caveat on what the film can show is no finding
  absent('No pulmonary nodule or mass is identified, though small nodules may be obscured by overlying ribs.'),
  // sizes listed with one unit: each nodule its own
  present('There are two nodules in the right upper lobe measuring 5 and 7 mm.', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 7, side: 'right', lobe: 'RUL' })),
  // no number written: the sizes listed count the nodules, each its own (a comma in the list ends no clause)
  present('Nodules measuring 4 mm and 6 mm in the right upper lobe.', 2, n({ size: 4, side: 'right', lobe: 'RUL' }), n({ size: 6, side: 'right', lobe: 'RUL' })),
  present(
    'Nodules of 5, 7 and 9 mm in the left lung.',
    3,
    n({ size: 5, side: 'left' }),
    n({ size: 7, side: 'left' }),
    n({ size: 9, side: 'left' })
  ),
  present('Left upper zone nodules measuring 4 and 6 mm.', 2, n({ size: 4, side: 'left', zone: 'upper' }), n({ size: 6, side: 'left', zone: 'upper' })),
  // one size for the group, or the group's largest: still a group of unstated number
  present('Multiple nodules in the left lung, the largest measuring 6 mm.', null, n({ size: 6, side: 'left' })),
  absent('The previously described nodule could not be identified.'),
  absent('A nodule cannot be identified on the current study.'),
  absent('The nodule can no longer be identified.'),
  absent('The right lower lobe nodule cannot be seen on today\'s radiograph.'),
  present('A 6 mm nodule in the right upper zone could not be seen on the lateral view.', 1, n({ size: 6, side: 'right', zone: 'upper' })),
  uncertain('The left upper lobe nodule is not well visualized on this exam.', 1, n({ side: 'left', lobe: 'LUL', uncertain: true })),
  uncertain('A 5 mm nodule is suggested in the left upper lobe.', 1, n({ size: 5, side: 'left', lobe: 'LUL', uncertain: true })),
  present('Follow-up CT is suggested for the 8 mm right upper zone nodule.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  uncertain('A tiny nodule is questioned at the left lung base.', 1, n({ side: 'left', zone: 'lower', uncertain: true })),
  // Partly resolved is smaller, not gone.
  present('The right upper zone nodule has partially resolved, now 5 mm.', 1, n({ size: 5, side: 'right', zone: 'upper' })),
  present('Nodule in the RUZ measuring 1.2cmx0.9cm.', 1, n({ size: 12, short: 9, side: 'right', zone: 'upper' })),
  absent('The right upper zone nodule has resolved.'),
  // A span of two levels is one place, read as its first (as 右肺中下野).
  present('Small nodular opacity in the right mid to lower lung.', 1, n({ side: 'right', zone: 'middle' })),
  present('Nodule in the left mid-lower zone.', 1, n({ side: 'left', zone: 'middle' })),
  // the level before the side
  present('Nodule in the lower left lung field.', 1, n({ side: 'left', zone: 'lower' })),
  present('Nodule in the mid left lung.', 1, n({ side: 'left', zone: 'middle' })),
  present('There is a nodule in the upper part of the right lung.', 1, n({ side: 'right', zone: 'upper' })),
  present('Lower left lobe nodule, 7 mm.', 1, n({ size: 7, side: 'left', lobe: 'LLL' })),
  // a lobe with no side takes the side the sentence names
  present('Right lung: nodule in the upper lobe.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('Left lung: 6 mm nodule in the lower lobe.', 1, n({ size: 6, side: 'left', lobe: 'LLL' })),
  present('Upper lobe nodule.', 1, n({})),
  present('Nodule in the anterior basal segment of the left lower lobe.', 1, n({ side: 'left', lobe: 'LLL' })),
  present('Basal nodule on the right.', 1, n({ side: 'right', zone: 'lower' })),
  present('Nodule in the apical segment of the right upper lobe.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('Right apical nodule.', 1, n({ side: 'right', zone: 'upper' })),
  // the place before the comma is the opacity's, so the nodule read in doubt after it is the same lesion
  uncertain('Nodular opacity in the left mid zone, nodule versus nipple shadow.', 1, n({ side: 'left', zone: 'middle', uncertain: true })),
  uncertain('Right mid zone nodule, not excluded.', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  absent('No nodule. Cardiomegaly.'),
  present(
    'Stable 6 mm solid nodule in the left upper lobe, unchanged from prior.',
    1,
    n({ size: 6, side: 'left', lobe: 'LUL', density: 'solid' })
  ),
  present(
    '8 mm nodule in the right upper zone. Impression: right upper zone nodule, CT recommended.',
    1,
    n({ size: 8, side: 'right', zone: 'upper' })
  ),
  present(
    'Findings: 8 mm nodule in the right upper zone.\nImpression: Right upper zone nodule. Recommend CT.',
    1,
    n({ size: 8, side: 'right', zone: 'upper' })
  ),
  absent('Indication: rule out lung nodule.\nFindings: The lungs are clear.\nImpression: No acute disease.'),
  present('Nodule, left lower zone.', 1, n({ side: 'left', zone: 'lower' })),
  present('6 mm ground-glass nodule, left upper zone.', 1, n({ size: 6, side: 'left', zone: 'upper', density: 'ground-glass' })),
  present('12 mm part-solid nodule, right lower zone.', 1, n({ size: 12, side: 'right', zone: 'lower', density: 'part-solid' })),
  present('Calcified nodule, right mid zone.', 1, n({ side: 'right', zone: 'middle', density: 'calcified' })),
  present(
    '8 mm solid nodule, right upper zone. 6 mm solid nodule, left lower zone.',
    2,
    n({ size: 8, side: 'right', zone: 'upper', density: 'solid' }),
    n({ size: 6, side: 'left', zone: 'lower', density: 'solid' })
  ),
  present(
    'Two nodules: 8 mm right upper zone, 6 mm left lower zone.',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  absent('No nodules, masses or other focal lesions are identified.'),
  absent('No suspicious pulmonary nodule.'),
  uncertain('Probable small nodule in the left upper zone.', 1, n({ side: 'left', zone: 'upper', uncertain: true })),
  present('Bilateral upper zone nodules.', null, n({ side: 'bilateral', zone: 'upper' })),
  present('Innumerable small nodules in both lungs, consistent with miliary disease.', null, n({ side: 'bilateral' })),
  present('There are three nodules in the right lung.', 3, n({ side: 'right' }), n({ side: 'right' }), n({ side: 'right' })),
  absent('No new nodules.'),
  present(
    'Previously noted 7 mm nodule in the right upper lobe is unchanged. No new nodules.',
    1,
    n({ size: 7, side: 'right', lobe: 'RUL' })
  ),
  present(
    'No nodule is identified in the right lung; a 1.5 cm mass is seen in the left upper zone.',
    1,
    n({ size: 15, side: 'left', zone: 'upper' })
  ),
  absent('Cardiomediastinal silhouette is within normal limits. Lungs are clear without nodules.'),
  absent('Mass effect on the trachea from an enlarged thyroid. Lungs clear.'),
  // a soft-tissue nodule is the skin's or chest wall's; a nodule of soft-tissue density is the lung's
  absent('Soft tissue nodule over the left shoulder.'),
  // mediastinal and other organs' masses, named before or after the mass
  absent('Right paratracheal mass.'),
  absent('Mass in the aortopulmonary window.'),
  absent('Mass in the anterior mediastinum.'),
  absent('Nodule in the left breast.'),
  present('Mass in the right upper lobe abutting the mediastinum.', 1, n({ side: 'right', lobe: 'RUL' })),
  // soft-tissue density is the solid nodule's (Fleischner: a solid nodule has soft-tissue attenuation)
  present('A soft tissue density nodule in the right mid zone.', 1, n({ side: 'right', zone: 'middle', density: 'solid' })),
  present('Soft-tissue attenuation nodule in the left lower lobe, 9 mm.', 1, n({ size: 9, side: 'left', lobe: 'LLL', density: 'solid' })),
  present('Right upper lobe nodule, 8 mm. The soft tissues are unremarkable.', 1, n({ size: 8, side: 'right', lobe: 'RUL' })),
  present('A 3 mm nodule.', 1, n({ size: 3 })),
  present('Nodule measuring 10 x 8 x 7 mm in the left lower lobe.', 1, n({ size: 10, short: 8, side: 'left', lobe: 'LLL' })),
  present('Right upper lobe: 6 mm solid nodule.', 1, n({ size: 6, side: 'right', lobe: 'RUL', density: 'solid' })),
  present('A 6 mm nodule in the right upper zone without calcification.', 1, n({ size: 6, side: 'right', zone: 'upper' })),
  present('Subcentimeter nodule in the right lower zone.', 1, n({ side: 'right', zone: 'lower' })),
  present('1 cm nodule, left mid zone.', 1, n({ size: 10, side: 'left', zone: 'middle' })),
  present('In the right upper zone, there is an 8 mm nodule.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  uncertain('A 9 mm nodule in the left mid zone is not excluded.', 1, n({ size: 9, side: 'left', zone: 'middle', uncertain: true })),
  absent('No nodule, mass, or cavitary lesion in either lung.'),
  present(
    'A nodule in the right upper zone. Another nodule in the right upper zone measures 4 mm.',
    2,
    n({ side: 'right', zone: 'upper' }),
    n({ size: 4, side: 'right', zone: 'upper' })
  ),
  // Held-out wording, written after the first parser version passed the cases above.
  uncertain(
    'There is a 7 mm nodular opacity projecting over the left lower lung zone, which may represent a nipple shadow; repeat PA with nipple markers is recommended.',
    1,
    n({ size: 7, side: 'left', zone: 'lower', uncertain: true })
  ),
  // A later reading of the same lesion as a mimic (the impression, an addendum) is the report's last word on it.
  present('SPN in the right upper lobe, 1.2 cm.', 1, n({ size: 12, side: 'right', lobe: 'RUL' })),
  present('A 1.5 cm pulmonary lesion in the left lower lobe.', 1, n({ size: 15, side: 'left', lobe: 'LLL' })),
  absent('No focal lung lesion.'),
  // a field and what it holds: the place and size after the colon are the nodule's
  present('Lung nodules: right upper lobe 6 mm.', null, n({ size: 6, side: 'right', lobe: 'RUL' })),
  absent('FINDINGS: 8 mm nodule in the right lower zone. IMPRESSION: The right lower zone nodule is a nipple shadow.'),
  // shadows laid over one another make an apparent nodule
  absent('Apparent nodule in the right upper zone is due to overlap of the first rib and clavicle.'),
  absent('The nodular opacity at the left base represents superimposition of vessels.'),
  // a size between the shape and the opacity
  present('A rounded 1.2 cm opacity in the right upper lobe is again seen.', 1, n({ size: 12, side: 'right', lobe: 'RUL' })),
  present('Rounded shadow in the right mid zone, 1 cm.', 1, n({ size: 10, side: 'right', zone: 'middle' })),
  absent('FINDINGS: 8 mm nodule in the right lower zone. ADDENDUM: The nodule described above represents a nipple shadow.'),
  uncertain(
    'FINDINGS: There is an 8 mm nodular opacity in the right lower zone. IMPRESSION: Right lower zone nodular opacity, possibly a nipple shadow.',
    1,
    n({ size: 8, side: 'right', zone: 'lower', uncertain: true })
  ),
  absent(
    'FINDINGS: There is an 8 mm nodular opacity in the right lower zone. IMPRESSION: Right lower zone nodular opacity, possibly a nipple shadow. ' +
      'ADDENDUM: Repeat PA with nipple markers confirms that the nodular opacity is a nipple shadow.'
  ),
  // … but not of another lesion.
  present(
    'FINDINGS: 8 mm nodule in the right upper zone. A 6 mm nodular opacity in the left lower zone represents a nipple shadow.',
    1,
    n({ size: 8, side: 'right', zone: 'upper' })
  ),
  present('Lungs: There is a 9 mm well-circumscribed nodule in the right mid lung zone.', 1, n({ size: 9, side: 'right', zone: 'middle' })),
  present('No focal consolidation. A tiny nodular density at the left lung base is likely a granuloma.', 1, n({ side: 'left', zone: 'lower' })),
  absent('Bibasilar atelectasis. No suspicious pulmonary nodules or masses identified.'),
  present(
    'Redemonstration of a 1.4 x 1.1 cm spiculated mass in the right upper lobe, concerning for malignancy.',
    1,
    n({ size: 14, short: 11, side: 'right', lobe: 'RUL' })
  ),
  uncertain('Right upper lobe opacity which could represent a mass or pneumonia.', 1, n({ side: 'right', lobe: 'RUL', uncertain: true })),
  // another reading offered beside the lesion ("X or mass") is doubt; under a negation it is a list
  uncertain('Right upper lobe pneumonia or mass.', 1, n({ side: 'right', lobe: 'RUL', uncertain: true })),
  uncertain('Left lower lobe mass or atelectasis.', 1, n({ side: 'left', lobe: 'LLL', uncertain: true })),
  absent('No pneumonia or mass.'),
  absent('There is no focal consolidation or nodule.'),
  absent('Lungs are clear without pneumonia, effusion or mass.'),
  uncertain('A mass resulting in post-obstructive pneumonia is within the differential.', 1, n({ uncertain: true })),
  // a cue wrapped over two lines (MIMIC-CXR and RIS exports wrap at ~80 columns) is still the cue
  uncertain('Known 8 mm right upper lobe nodule is not well\n seen on this radiograph.', 1, n({ size: 8, side: 'right', lobe: 'RUL', uncertain: true })),
  absent('The previously seen left lower lobe nodule is no longer\n seen.'),
  // a cancer named in the lung is the lesion seen there; a history of one, or one taken out, is none
  present('Known right upper lobe carcinoma measuring 3 cm.', 1, n({ size: 30, side: 'right', lobe: 'RUL' })),
  // an opacity a radiologist suspects of being a cancer is a lesion; one suspected of being pneumonia is not
  present('Irregular 2.5 cm left apical opacity concerning for a neoplasm.', 1, n({ size: 25, side: 'left', zone: 'upper' })),
  absent('Right lower lobe opacity concerning for pneumonia.'),
  absent('Small left pleural effusion, concerning for malignancy.'),
  absent('No focal opacity concerning for malignancy.'),
  present('There is a 2 cm right hilar tumor.', 1, n({ size: 20, side: 'right' })),
  present('Right upper lobe mass, concerning for bronchogenic carcinoma.', 1, n({ side: 'right', lobe: 'RUL' })),
  absent('History of lung cancer. No nodules.'),
  absent('Status post right upper lobectomy for lung cancer. No nodules.'),
  absent('Lung cancer screening. The lungs are clear.'),
  present(
    'Small calcified granulomas are noted in both upper lobes.',
    null,
    n({ side: 'right', lobe: 'RUL', density: 'calcified' }),
    n({ side: 'left', lobe: 'LUL', density: 'calcified' })
  ),
  present('No new pulmonary nodule is seen. The 6 mm left lower lobe nodule is unchanged.', 1, n({ size: 6, side: 'left', lobe: 'LLL' })),
  absent('The previously seen right lower zone nodule is no longer visible.'),
  uncertain('Cannot rule out a small nodule in the left apex.', 1, n({ side: 'left', zone: 'upper', uncertain: true })),
  present('No pneumothorax. Stable 2 cm mass in the left upper lobe.', 1, n({ size: 20, side: 'left', lobe: 'LUL' })),
  present('Multiple pulmonary nodules measuring up to 12 mm, concerning for metastatic disease.', null, n({ size: 12 })),
  present(
    'There are two nodules in the left lung: one in the upper zone measuring 5 mm and one in the lower zone measuring 8 mm.',
    2,
    n({ size: 5, side: 'left', zone: 'upper' }),
    n({ size: 8, side: 'left', zone: 'lower' })
  ),
  present('A 3 mm nodule is seen in the right lower lobe. This is too small to characterize.', 1, n({ size: 3, side: 'right', lobe: 'RLL' })),
  absent('No evidence of pneumothorax or nodule.'),
  present('Nodule in the right upper zone is again seen and measures approximately 11 mm.', 1, n({ size: 11, side: 'right', zone: 'upper' })),
  uncertain('Left upper zone nodule? Recommend CT.', 1, n({ side: 'left', zone: 'upper', uncertain: true })),
  // A question mark before the word queries it (British shorthand): a possible nodule, where the sentence says.
  uncertain('Right mid zone ?nodule.', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  uncertain('Right upper zone opacity - ? nodule.', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  uncertain('There is an ill-defined 1.5cm opacity in the right upper zone, ?nodule.', 1, n({ size: 15, side: 'right', zone: 'upper', uncertain: true })),
  uncertain('Right upper zone nodule?', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  // A query of what the nodule is, or where, is no doubt that it is there.
  present('Right upper zone nodule, approx 1cm, ? neoplasm.', 1, n({ size: 10, side: 'right', zone: 'upper' })),
  present('Nodule in the ?right upper zone, 8 mm.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  uncertain(
    'No discrete nodule identified; however, a subtle 5 mm opacity in the right mid zone may represent a nodule.',
    1,
    n({ size: 5, side: 'right', zone: 'middle', uncertain: true })
  ),
  absent('Pulmonary nodules are not identified.'),
  present(
    'There is an 8 mm ground glass nodule in the left upper lobe and a 4 mm solid nodule in the right lower lobe.',
    2,
    n({ size: 8, side: 'left', lobe: 'LUL', density: 'ground-glass' }),
    n({ size: 4, side: 'right', lobe: 'RLL', density: 'solid' })
  ),
  // Second held-out round.
  absent('No nodule, mass, effusion, or pneumothorax; cardiomediastinal contours are normal.'),
  present('Heart size normal. Small left lower zone nodule.', 1, n({ side: 'left', zone: 'lower' })),
  present('right upper zone nodule 8mm', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  absent('Nodules: none.'),
  present('Nodule: present, 7 mm, left mid zone.', 1, n({ size: 7, side: 'left', zone: 'middle' })),
  present('Calcified granuloma in the right upper lobe; otherwise no nodules.', 1, n({ side: 'right', lobe: 'RUL', density: 'calcified' })),
  present('There is no evidence of a mass. A 5 mm nodule in the left upper zone is unchanged.', 1, n({ size: 5, side: 'left', zone: 'upper' })),
  present('A 2.5 cm left perihilar mass.', 1, n({ size: 25, side: 'left' })),
  // another reading of the opacities, as "possibly infection" is
  uncertain('Ill-defined nodular opacities in both lower zones, possibly infective.', null, n({ side: 'bilateral', zone: 'lower', uncertain: true })),
  uncertain('Possible tiny nodule vs vessel end-on in the right mid zone.', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  absent('No definite nodule.'),
  present('An 11 mm solid pulmonary nodule is present in the RLL.', 1, n({ size: 11, side: 'right', lobe: 'RLL', density: 'solid' })),
  present('Lung nodule, 6mm, LUL, ground-glass.', 1, n({ size: 6, side: 'left', lobe: 'LUL', density: 'ground-glass' })),
  absent('Resolution of the previously seen left upper zone nodule.'),
  present('Interval development of a 9 mm nodule in the right lower zone.', 1, n({ size: 9, side: 'right', zone: 'lower' })),
  present('Left lower lobe mass has increased in size, now measuring 4.2 cm.', 1, n({ size: 42, side: 'left', lobe: 'LLL' })),
  absent('No nodules seen.'),
  present('Subtle nodule in the left upper zone, not seen on the lateral view.', 1, n({ side: 'left', zone: 'upper' })),
  present('Nodular opacity in the right lower lung, not definitely seen on the lateral view.', 1, n({ side: 'right', zone: 'lower' })),
  present('Right upper lobe nodule is not apparent on the lateral view.', 1, n({ side: 'right', lobe: 'RUL' })),
  // Third held-out round: abbreviations, terse and malformed model output, lists.
  present('8mm nodule RUZ.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present('Nodule LMZ, 10 mm.', 1, n({ size: 10, side: 'left', zone: 'middle' })),
  present('Rt lower zone nodule.', 1, n({ side: 'right', zone: 'lower' })),
  present('Lt upper lobe mass 3.5cm.', 1, n({ size: 35, side: 'left', lobe: 'LUL' })),
  present('R mid zone nodular opacity.', 1, n({ side: 'right', zone: 'middle' })),
  present('nodule right upper zone 8 mm solid', 1, n({ size: 8, side: 'right', zone: 'upper', density: 'solid' })),
  absent('no nodules'),
  present('Solid nodule (9 mm) in the left lower zone.', 1, n({ size: 9, side: 'left', zone: 'lower', density: 'solid' })),
  absent('Right lower zone: no nodule.'),
  present('There is a nodule in the left upper zone measuring 1.1 x 0.9 cm, which is new.', 1, n({ size: 11, short: 9, side: 'left', zone: 'upper' })),
  present(
    'A calcified nodule in the right upper zone is consistent with an old granuloma, no further follow-up required.',
    1,
    n({ side: 'right', zone: 'upper', density: 'calcified' })
  ),
  uncertain('Small nodules cannot be excluded bilaterally.', null, n({ side: 'bilateral', uncertain: true })),
  present('The nodule in the right upper zone is not significantly changed.', 1, n({ side: 'right', zone: 'upper' })),
  present(
    'Two nodules are noted: a 12 mm nodule in the right upper lobe and a 7 mm nodule in the left lower lobe.',
    2,
    n({ size: 12, side: 'right', lobe: 'RUL' }),
    n({ size: 7, side: 'left', lobe: 'LLL' })
  ),
  absent('No pulmonary nodule or mass is seen in either lung.'),
  absent('Lungs: clear. Nodules: none.'),
  present('Impression: 1. Left upper zone nodule, likely benign. 2. No consolidation.', 1, n({ side: 'left', zone: 'upper' })),
  present('Findings consistent with a benign calcified granuloma in the left lower zone.', 1, n({ side: 'left', zone: 'lower', density: 'calcified' })),
  // Headings, summaries and restatements across sentences and sections; hedged places.
  present(
    'Two pulmonary nodules are seen. An 8 mm nodule in the right upper zone. A 6 mm nodule in the left lower zone.',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present(
    'Findings: A 9 mm nodule in the right upper zone. A 5 mm nodule in the left lower zone.\nImpression: Two pulmonary nodules, the largest 9 mm in the right upper zone.',
    2,
    n({ size: 9, side: 'right', zone: 'upper' }),
    n({ size: 5, side: 'left', zone: 'lower' })
  ),
  // a tally after the plural noun, as worklists and templates write it
  present('Right upper lobe nodules (3), largest 7 mm.', 3, n({ size: 7, side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RUL' })),
  present('Calcified granulomas x2 in the left upper lobe.', 2, n({ side: 'left', lobe: 'LUL', density: 'calcified' }), n({ side: 'left', lobe: 'LUL', density: 'calcified' })),
  present('Nodules x 3 mm in the right upper lobe.', null, n({ size: 3, side: 'right', lobe: 'RUL' })),
  present('(2) Right upper lobe nodule.', 1, n({ side: 'right', lobe: 'RUL' })),
  // a count as a structured template's field gives it
  present('Number of nodules: 2.', 2, n({}), n({})),
  present('Nodule count: 3', 3, n({}), n({}), n({})),
  present('Nodules: 2. Largest: 8 mm RUL.', 2, n({ size: 8, side: 'right', lobe: 'RUL' }), n({})),
  present('Nodules: 2 mm and 3 mm in the right upper lobe.', 2, n({ size: 2, side: 'right', lobe: 'RUL' }), n({ size: 3, side: 'right', lobe: 'RUL' })),
  present('Lung nodule: 6 mm solid nodule, RLL.', 1, n({ size: 6, side: 'right', lobe: 'RLL', density: 'solid' })),
  absent('Lung nodule: none.'),
  // a template's nodules listed in its field, or one to a numbered line under it; a nodule's own fields, one to a line
  present('Nodules: RUL 5 mm, LLL 3 mm.', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 3, side: 'left', lobe: 'LLL' })),
  present(
    'Nodules:\n1. Right upper lobe, 5 mm, solid.\n2. Left lower lobe, 3 mm, ground glass.',
    2,
    n({ size: 5, side: 'right', lobe: 'RUL', density: 'solid' }),
    n({ size: 3, side: 'left', lobe: 'LLL', density: 'ground-glass' })
  ),
  present('Nodules: 1. RUL, 5 mm. 2. LLL, 3 mm.', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 3, side: 'left', lobe: 'LLL' })),
  present('Pulmonary nodules:\n- Right mid zone, 7 mm\nHeart size is normal. Left costophrenic angle is blunted.', 1, n({ size: 7, side: 'right', zone: 'middle' })),
  present('Nodule: present\nLocation: right upper lobe\nSize: 5 mm\nDensity: part-solid', 1, n({ size: 5, side: 'right', lobe: 'RUL', density: 'part-solid' })),
  absent('Nodules: none.\nLocation: right upper lobe atelectasis.'),
  absent('Nodules:\nNone.'),
  present('Nodules:\nRight upper lobe nodule, 5 mm.', 1, n({ size: 5, side: 'right', lobe: 'RUL' })),
  present('Nodules (2):\n1. RUL, 5 mm\n2. LLL, 3 mm', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 3, side: 'left', lobe: 'LLL' })),
  // the stated number counts the nodules the list leaves out
  present('Nodules: 3.\n1. RUL 5 mm\n2. LLL 3 mm', 3, n({}), n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 3, side: 'left', lobe: 'LLL' })),
  present(
    'Three nodules in the right lung. A 10 mm nodule in the right upper zone.',
    3,
    n({ side: 'right' }),
    n({ side: 'right' }),
    n({ size: 10, side: 'right', zone: 'upper' })
  ),
  present(
    'Two nodules are seen: an 8 mm nodule in the right upper zone and a 6 mm nodule in the left lower zone. A 5 mm nodule in the left upper zone cannot be excluded.',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' }),
    n({ size: 5, side: 'left', zone: 'upper', uncertain: true })
  ),
  uncertain(
    'Findings: A 6 mm nodule in the left upper zone cannot be excluded.\nImpression: Pulmonary nodule as described above.',
    1,
    n({ size: 6, side: 'left', zone: 'upper', uncertain: true })
  ),
  uncertain(
    'Findings: Possible 5 mm nodule in the right upper zone. Questionable 6 mm nodule in the left lower zone.\nImpression: Pulmonary nodules as described above.',
    2,
    n({ size: 5, side: 'right', zone: 'upper', uncertain: true }),
    n({ size: 6, side: 'left', zone: 'lower', uncertain: true })
  ),
  present(
    '8 mm nodule in the right upper zone. 6 mm nodule in the left lower zone. Impression: bilateral pulmonary nodules.',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present(
    'In the left mid zone, probably in the lingula, there is a 7 mm nodular opacity.',
    1,
    n({ size: 7, side: 'left', zone: 'middle', lobe: 'lingula' })
  ),
  present('A 7 mm nodule, possibly within the right upper lobe.', 1, n({ size: 7, side: 'right', lobe: 'RUL' })),
  present(
    'FINDINGS: Two nodules are present in the right lung, the larger measuring 12 mm in the right upper zone. IMPRESSION: Right lung nodules, CT recommended.',
    2,
    n({ size: 12, side: 'right', zone: 'upper' }),
    n({ side: 'right' })
  ),
  present('Two pulmonary nodules. Impression: Pulmonary nodules, CT advised.', 2, n(), n()),
  present(
    'Nodules in both lungs. The largest nodule measures 12 mm in the right upper zone.',
    null,
    n({ side: 'bilateral' }),
    n({ size: 12, side: 'right', zone: 'upper' })
  ),
  uncertain(
    '2.6 cm nodular opacity in the left mid zone, possibly a nodule or a vessel seen end-on.',
    1,
    n({ size: 26, side: 'left', zone: 'middle', uncertain: true })
  ),
  present(
    'A 12 mm nodule in the right upper zone. Another 12 mm nodule in the right upper zone.',
    2,
    n({ size: 12, side: 'right', zone: 'upper' }),
    n({ size: 12, side: 'right', zone: 'upper' })
  ),
  // Whole reports.
  absent(
    'EXAMINATION: CHEST (PA AND LAT)\nINDICATION: 65M with cough, evaluate for pneumonia or mass.\nCOMPARISON: Chest radiograph from 2019.\n' +
      'FINDINGS: The heart is normal in size. The mediastinal and hilar contours are unremarkable. There is no focal consolidation, ' +
      'pleural effusion, or pneumothorax. No pulmonary nodules are identified. Degenerative changes of the thoracic spine.\n' +
      'IMPRESSION: No acute cardiopulmonary process.'
  ),
  present(
    'FINDINGS:\nPA and lateral views of the chest. There is a 1.8 cm spiculated nodule in the right upper lobe, new since the prior study. ' +
      'Lungs otherwise clear. No effusion.\nIMPRESSION:\n1. New 1.8 cm spiculated right upper lobe nodule, concerning for malignancy. ' +
      'Recommend chest CT.\n2. No acute process.',
    1,
    n({ size: 18, side: 'right', lobe: 'RUL' })
  ),
  // the impression names each again: the calcified granulomas are the right lung's group, not the left nodule
  present(
    'FINDINGS:\nLeft upper lobe nodule measuring 8 mm is again seen. There are also several tiny calcified granulomas in the right lung.\n' +
      'IMPRESSION:\n1. Stable 8 mm left upper lobe nodule.\n2. Calcified granulomas, unchanged.',
    null,
    n({ size: 8, side: 'left', lobe: 'LUL' }),
    n({ side: 'right', density: 'calcified' })
  ),
  // A lesion read in doubt as a nodule is in doubt; the place it lies at is its place.
  uncertain('Nodular opacity in the right mid zone, possibly a nodule.', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  uncertain('Opacity in the right mid zone, possibly a nodule.', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  uncertain('Rounded density in the left lower zone, which may represent a nodule.', 1, n({ side: 'left', zone: 'lower', uncertain: true })),
  present('Nodular opacity in the right mid zone, consistent with a nodule.', 1, n({ side: 'right', zone: 'middle' })),
  // The impression naming the findings' group again is that group, not a second one.
  present('Multiple nodules in the right lung. Impression: right lung nodules.', null, n({ side: 'right' })),
  // the article of a quantity is no count of one
  present('A couple of nodules in the left lung.', 2, n({ side: 'left' }), n({ side: 'left' })),
  present('A pair of nodules in the RUL.', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RUL' })),
  present('A number of nodules in the right lung.', null, n({ side: 'right' })),
  present('A cluster of small nodules in the right lung.', null, n({ side: 'right' })),
  present('Both nodules are stable.', 2, n(), n()),
  present('Nodules in both lungs.', null, n({ side: 'bilateral' })),
  // a tally at the end of the sentence ("x 2."), not a decimal
  present('Bilateral nodules x 2.', 2, n({ side: 'bilateral' }), n({ side: 'bilateral' })),
  present('Multiple bilateral pulmonary nodules. IMPRESSION: Bilateral pulmonary nodules.', null, n({ side: 'bilateral' })),
  // The largest of groups at listed places is at the place said with it.
  present(
    'Multiple nodules in the right upper zone and left lower zone, the largest measuring 9 mm in the left lower zone.',
    null,
    n({ side: 'right', zone: 'upper' }),
    n({ size: 9, side: 'left', zone: 'lower' })
  ),
  present('A 9 mm nodule projects over the right 4th anterior rib.', 1, n({ size: 9, side: 'right', zone: 'middle' })),
  present('Nodule in the left second anterior intercostal space.', 1, n({ side: 'left', zone: 'middle' })),
  present('Nodule overlying the right posterior 6th rib.', 1, n({ side: 'right' })),
  present('Nodule above the right hemidiaphragm.', 1, n({ side: 'right', zone: 'lower' })),
  absent('Resolved right lower lobe nodule.'),
  uncertain('Nodule in the RUL is not as well seen.', 1, n({ side: 'right', lobe: 'RUL', uncertain: true })),
  // Read as something else than a nodule: in doubt when hedged, gone when not.
  uncertain('Small nodular densities at the right base likely representing vessels.', null, n({ side: 'right', zone: 'lower', uncertain: true })),
  uncertain('Nodular opacity in the right lower lobe likely represents atelectasis.', 1, n({ side: 'right', lobe: 'RLL', uncertain: true })),
  absent('Nodular opacity in the left upper zone represents scarring.'),
  uncertain('Nodular opacities in the right lower lobe, likely infectious.', null, n({ side: 'right', lobe: 'RLL', uncertain: true })),
  uncertain('Nodular opacity in the right lower lobe, probably infectious or inflammatory in etiology.', 1, n({ side: 'right', lobe: 'RLL', uncertain: true })),
  uncertain('Nodular opacities in the right lower lobe may reflect aspiration.', null, n({ side: 'right', lobe: 'RLL', uncertain: true })),
  uncertain('Small nodular opacities bilaterally, likely vascular.', null, n({ side: 'bilateral', uncertain: true })),
  uncertain('Rounded density in the right cardiophrenic angle, likely a fat pad.', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  absent('Rounded opacity at the left cardiophrenic angle represents an epicardial fat pad.'),
  present('Right upper lobe nodule, likely an inflammatory nodule.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('Right upper lobe nodule, likely post-inflammatory.', 1, n({ side: 'right', lobe: 'RUL' })),
  // Places apart in a clause are no list.
  present('Nodule in the right upper zone and there is atelectasis at the left base.', 1, n({ side: 'right', zone: 'upper' })),
  // R and L alone: a side before a lung, base or apex
  present('L lung base nodule.', 1, n({ side: 'left', zone: 'lower' })),
  present('Nodule in R lung.', 1, n({ side: 'right' })),
  present('R apex nodule.', 1, n({ side: 'right', zone: 'upper' })),
  present('Nodule in the R. upper zone, 8 mm.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present('A nodule in the L. hemithorax.', 1, n({ side: 'left' })),
  // Text wrapped at a fixed width (MIMIC-CXR, RIS exports): a line break mid-sentence joins the sentence.
  absent('FINDINGS:\nNo focal consolidation. No\nnodule.\nIMPRESSION:\nNormal.'),
  present('FINDINGS: There is a 9 mm nodule in the right\n upper zone. No effusion.', 1, n({ size: 9, side: 'right', zone: 'upper' })),
  present('FINDINGS: There is a 9 mm\n nodule in the left lower zone.\n IMPRESSION: Left lower zone\n nodule.', 1, n({ size: 9, side: 'left', zone: 'lower' })),
  uncertain(
    '                                 FINAL REPORT\n FINDINGS: \n \n There is no focal consolidation, pleural effusion or pneumothorax.  Bilateral\n nodular opacities that most likely represent nipple shadows.\n \n IMPRESSION: \n \n No acute cardiopulmonary process.',
    null,
    n({ side: 'bilateral', uncertain: true })
  ),
  // a list's lines stay apart
  present('FINDINGS:\n1. Right upper zone nodule, 8 mm\n2. No effusion\n- no pneumothorax', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present(
    'Multiple bilateral nodules, the largest measuring 12 mm in the right upper zone.',
    null,
    n({ side: 'bilateral' }),
    n({ size: 12, side: 'right', zone: 'upper' })
  ),
  present('A partially calcified 8 mm nodule in the right upper zone.', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  // Both upper lobes: a group in each (no lobe is both sides').
  present('Nodules in both upper lobes.', null, n({ side: 'right', lobe: 'RUL' }), n({ side: 'left', lobe: 'LUL' })),
  // A sentence that goes on about the lesion before it ("It measures 7 mm.", "The largest …"), and a group's largest said apart.
  present('There is a nodule in the right upper lobe. It measures 7 mm.', 1, n({ size: 7, side: 'right', lobe: 'RUL' })),
  present('A nodule is seen in the left lower zone. This measures 9 x 6 mm.', 1, n({ size: 9, short: 6, side: 'left', zone: 'lower' })),
  present('A nodule is noted on the right. It is located in the right lower zone and measures 8 mm.', 1, n({ size: 8, side: 'right', zone: 'lower' })),
  present('There is a nodule in the right upper lobe. It is not calcified.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('There is a nodule in the right upper lobe. The aorta measures 4 cm.', 1, n({ side: 'right', lobe: 'RUL' })),
  present(
    'Multiple bilateral pulmonary nodules. The largest measures 1.2 cm in the right upper lobe.',
    null,
    n({ side: 'bilateral' }),
    n({ size: 12, side: 'right', lobe: 'RUL' })
  ),
  present('Multiple pulmonary nodules are again seen. The largest, in the left lower lobe, measures 9 mm.', null, n({ size: 9, side: 'left', lobe: 'LLL' })),
  present('Several small nodules in the right lung. The largest is 6 mm.', null, n({ size: 6, side: 'right' })),
  present('Multiple pulmonary nodules, the largest in the RUL measuring 2.3 cm.', null, n({ size: 23, side: 'right', lobe: 'RUL' })),
  present('Multiple nodules, largest in the RUL (2.3 cm).', null, n({ size: 23, side: 'right', lobe: 'RUL' })),
  // The place after the size in the largest's clause is the largest's.
  present('Multiple pulmonary nodules are again seen, largest measuring 12 mm in the right middle lobe.', null, n({ size: 12, side: 'right', lobe: 'RML' })),
  present('Multiple nodules, the largest 12 mm in the right middle lobe.', null, n({ size: 12, side: 'right', lobe: 'RML' })),
  // A count's places named as lobes without their side, the side said of the group ("one in the upper lobe …").
  present(
    'There are two nodules in the left lung: one in the upper lobe measuring 7 mm and one in the lower lobe measuring 5 mm.',
    2,
    n({ size: 7, side: 'left', lobe: 'LUL' }),
    n({ size: 5, side: 'left', lobe: 'LLL' })
  ),
  present('Two nodules in the right lung, in the upper and lower lobes.', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RLL' })),
  // A clause that begins with the size, then names the place: the measured lesion's place.
  present('There is a nodule, measuring 12 mm in the right middle lobe.', 1, n({ size: 12, side: 'right', lobe: 'RML' })),
  present('A nodular opacity is noted, approximately 9 mm in the right lower zone.', 1, n({ size: 9, side: 'right', zone: 'lower' })),
  present('Multiple nodules; the dominant one in the left upper lobe measures 12 mm.', null, n({ size: 12, side: 'left', lobe: 'LUL' })),
  // Lesions named one by one, then sized together: each takes the size.
  present(
    'Right upper lobe nodule and left lower lobe nodule, both measuring 7 mm.',
    2,
    n({ size: 7, side: 'right', lobe: 'RUL' }),
    n({ size: 7, side: 'left', lobe: 'LLL' })
  ),
  present(
    'Right upper lobe nodule and left lower lobe nodule; both measure 7 mm.',
    2,
    n({ size: 7, side: 'right', lobe: 'RUL' }),
    n({ size: 7, side: 'left', lobe: 'LLL' })
  ),
  present('Two nodules in the right upper lobe. Both measure 5 mm.', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 5, side: 'right', lobe: 'RUL' })),
  present(
    'Nodule in the right upper lobe. Nodule in the left lower lobe. Both measure about 7 mm.',
    2,
    n({ size: 7, side: 'right', lobe: 'RUL' }),
    n({ size: 7, side: 'left', lobe: 'LLL' })
  ),
  present(
    'Right upper lobe nodule, 5 mm. Left lower lobe nodule. Both are stable, measuring 7 mm.',
    2,
    n({ size: 5, side: 'right', lobe: 'RUL' }),
    n({ size: 7, side: 'left', lobe: 'LLL' })
  ),
  present(
    'Right upper lobe nodule and left lower lobe nodule, both stable. The larger measures 9 mm.',
    2,
    n({ side: 'right', lobe: 'RUL' }),
    n({ size: 9, side: 'left', lobe: 'LLL' })
  ),
  // A sentence that says the lesion before it is gone.
  absent('A nodule in the right upper lobe was seen on the prior CT. It is no longer visualized.'),
  absent('There is a nodule in the right lower lobe on the prior study. It has resolved.'),
  present('Right upper lobe nodule. The effusion has resolved.', 1, n({ side: 'right', lobe: 'RUL' })),
  // A relative clause that says the lesion is gone ("which" ends no scope there).
  absent('A 6 mm nodule in the right upper lobe, which has resolved.'),
  absent('Right upper lobe nodule, which has since resolved.'),
  absent('Right upper lobe nodule, which is no longer visualized.'),
  absent('Right upper lobe nodule. It is no longer apparent.'),
  absent('Right upper lobe nodule. It is no longer demonstrated.'),
  absent('Right upper lobe nodule, which is no longer appreciated.'),
  absent('A nodule in the left lower lobe, which has resolved since the prior study.'),
  present('A nodule in the right upper lobe, which is unchanged.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('A 6 mm nodule in the right upper lobe, which has partially resolved.', 1, n({ size: 6, side: 'right', lobe: 'RUL' })),
  present('Right upper lobe nodule and left pleural effusion, which has resolved.', 1, n({ side: 'right', lobe: 'RUL' })),
  present('A nodule in the right upper lobe, adjacent to the effusion, which has resolved.', 1, n({ side: 'right', lobe: 'RUL' })),
  absent('Right upper lobe nodule; it has resolved.'),
  present('Right upper lobe nodule; the effusion has resolved.', 1, n({ side: 'right', lobe: 'RUL' })),
  absent('Right upper lobe nodule. It has since resolved.'),
  // Bases and apices in the plural, and bibasilar/biapical, are both lungs'.
  present('Nodular opacities at the lung bases.', null, n({ side: 'bilateral', zone: 'lower' })),
  present('Bibasilar nodular opacities.', null, n({ side: 'bilateral', zone: 'lower' })),
  present('Biapical nodules.', null, n({ side: 'bilateral', zone: 'upper' })),
  present('A nodule at the right base.', 1, n({ side: 'right', zone: 'lower' })),
  // A nodule raised as a possibility after an opacity is described is that opacity, where it lies.
  uncertain(
    'There is a focal opacity at the right base which could represent atelectasis, although a nodule cannot be excluded.',
    1,
    n({ side: 'right', zone: 'lower', uncertain: true })
  ),
  uncertain('Patchy opacity in the left mid lung, but an underlying nodule is not excluded.', 1, n({ side: 'left', zone: 'middle', uncertain: true })),
  uncertain('Right pleural effusion, although a nodule cannot be excluded.', 1, n({ side: 'right', uncertain: true })),
]

export const chineseCases: SentenceCase[] = [
  present('右上肺野见一约8mm实性结节。', 1, n({ size: 8, side: 'right', zone: 'upper', density: 'solid' })),
  absent('两肺未见结节。'),
  absent('两肺纹理清晰，肺野内未见明显实质性病变。'),
  present(
    '右肺上叶尖段见一磨玻璃结节，大小约6mm×5mm，边界清。',
    1,
    n({ size: 6, short: 5, side: 'right', lobe: 'RUL', density: 'ground-glass' })
  ),
  present('右上肺野见一结节状致密影，直径约1.0cm，边缘光整。', 1, n({ size: 10, side: 'right', zone: 'upper' })),
  present('右肺上叶见一约8mm结节。', 1, n({ size: 8, side: 'right', lobe: 'RUL' })),
  present('左下肺野见一结节，直径约一厘米。', 1, n({ size: 10, side: 'left', zone: 'lower' })),
  present('右上肺野见一结节影，约两公分大小。', 1, n({ size: 20, side: 'right', zone: 'upper' })),
  present('左上肺野见一结节，约一点五厘米。', 1, n({ size: 15, side: 'left', zone: 'upper' })),
  present('左下肺野见一结节影，大小约0.8×0.6cm。', 1, n({ size: 8, short: 6, side: 'left', zone: 'lower' })),
  uncertain('右中肺野小结节影不除外。', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  uncertain('左中肺野可疑结节影。', 1, n({ side: 'left', zone: 'middle', uncertain: true })),
  present('右下肺野结节影，考虑炎性可能。', 1, n({ side: 'right', zone: 'lower' })),
  uncertain('考虑右上肺结节。', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  uncertain('右上肺结节可能。', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  uncertain('疑似左上肺野结节。', 1, n({ side: 'left', zone: 'upper', uncertain: true })),
  present('左肺下叶结节，倾向良性。', 1, n({ side: 'left', lobe: 'LLL' })),
  // An anterior rib places a nodule in a zone (the zones are cut at the 2nd and 4th anterior ribs' lower borders); a posterior rib does not.
  present('右侧第4前肋处见一类圆形结节影，约1cm。', 1, n({ size: 10, side: 'right', zone: 'middle' })),
  present('右侧第2前肋间见一结节影，约8mm。', 1, n({ size: 8, side: 'right', zone: 'middle' })),
  present('左侧第一前肋间见一结节。', 1, n({ side: 'left', zone: 'upper' })),
  present('右侧第4前肋间隙见小结节影。', 1, n({ side: 'right', zone: 'lower' })),
  present('右肺上叶见两枚结节，大小约5、7mm。', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 7, side: 'right', lobe: 'RUL' })),
  // a doubt about what the nodule is, not whether it is there
  present('右肺下野小结节，炎性结节可能。', 1, n({ side: 'right', zone: 'lower' })),
  present('右肺下野小结节，良性结节可能。', 1, n({ side: 'right', zone: 'lower' })),
  // a round opacity and a cavitary lesion are nodule-like lesions, as "rounded opacity" and "cavitary lesion" are
  present('右肺中野可见一小圆形致密影。', 1, n({ side: 'right', zone: 'middle' })),
  present('右上肺野见一圆形阴影，直径约2cm，边缘光滑。', 1, n({ size: 20, side: 'right', zone: 'upper' })),
  present('右下肺野见类圆形软组织密度影，约3cm。', 1, n({ size: 30, side: 'right', zone: 'lower', density: 'solid' })),
  present('右肺上叶见一软组织密度结节，约8mm。', 1, n({ size: 8, side: 'right', lobe: 'RUL', density: 'solid' })),
  present('右肺上叶见一结节，约8mm，胸壁软组织未见异常。', 1, n({ size: 8, side: 'right', lobe: 'RUL' })),
  present('右肺上叶见一空洞性病变，大小约3cm。', 1, n({ size: 30, side: 'right', lobe: 'RUL' })),
  // a zone the report names wins over the one its rib implies
  present('左上肺野第2前肋间见一小结节影。', 1, n({ side: 'left', zone: 'upper' })),
  present('右侧第5后肋处见结节影。', 1, n({ side: 'right' })),
  present('右膈上见一结节影。', 1, n({ side: 'right', zone: 'lower' })),
  present('左心缘旁见结节影。', 1, n({ side: 'left' })),
  present('右侧肋膈角区见一结节影，约8mm。', 1, n({ size: 8, side: 'right', zone: 'lower' })),
  // 各 ("each"): the stated number at every place named before it.
  present(
    '右肺上野及左肺下野各见一结节，分别约6mm、8mm。',
    2,
    n({ size: 6, side: 'right', zone: 'upper' }),
    n({ size: 8, side: 'left', zone: 'lower' })
  ),
  present('两上肺野各见一结节影。', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'upper' })),
  present('两肺各见一结节。', 2, n({ side: 'right' }), n({ side: 'left' })),
  present('双肺上叶各见一结节。', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'left', lobe: 'LUL' })),
  present('右上肺野及左下肺野结节。', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'lower' })),
  present('右肺上叶及中叶各见一结节。', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RML' })),
  present('右上肺结节较前部分吸收，约5mm。', 1, n({ size: 5, side: 'right', zone: 'upper' })),
  present('右上肺野见一结节，约1.2公分。', 1, n({ size: 12, side: 'right', zone: 'upper' })),
  absent('右上肺结节已吸收。'),
  // A side said once for a list of levels, and a kind said once at its end, are every level's.
  present('右上、下肺野见结节影。', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'right', zone: 'lower' })),
  present('右肺上、中野见小结节影。', 2, n({ side: 'right', zone: 'upper' }), n({ side: 'right', zone: 'middle' })),
  present('左肺上、下叶各见一结节。', 2, n({ side: 'left', lobe: 'LUL' }), n({ side: 'left', lobe: 'LLL' })),
  present('右肺上叶及下叶见结节。', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RLL' })),
  // a lobe with no side takes the side the sentence names (as "Right lung: nodule in the upper lobe")
  present('左肺：上叶见一结节，约6mm。', 1, n({ size: 6, side: 'left', lobe: 'LUL' })),
  present('右肺下叶背段及上叶尖段各见一结节。', 2, n({ side: 'right', lobe: 'RLL' }), n({ side: 'right', lobe: 'RUL' })),
  present('右肺下叶背段及上叶见结节。', 2, n({ side: 'right', lobe: 'RLL' }), n({ side: 'right', lobe: 'RUL' })),
  present('上叶见一结节。', 1, n({})),
  present(
    '右肺上叶、中叶及下叶见结节。',
    3,
    n({ side: 'right', lobe: 'RUL' }),
    n({ side: 'right', lobe: 'RML' }),
    n({ side: 'right', lobe: 'RLL' })
  ),
  present('左上、中、下肺野见结节影。', 3, n({ side: 'left', zone: 'upper' }), n({ side: 'left', zone: 'middle' }), n({ side: 'left', zone: 'lower' })),
  // A span of two levels is one place, read as its first level.
  present('右肺中下野结节。', 1, n({ side: 'right', zone: 'middle' })),
  present('左上中肺野结节影。', 1, n({ side: 'left', zone: 'upper' })),
  present(
    '右上肺野（8mm）及左下肺野（5mm）结节。',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 5, side: 'left', zone: 'lower' })
  ),
  present('右上肺结节较前增大，原约8mm，现约11mm。', 1, n({ size: 11, side: 'right', zone: 'upper' })),
  present('右肺上叶结节较前缩小，由12mm缩小至8mm。', 1, n({ size: 8, side: 'right', lobe: 'RUL' })),
  present('右肺上叶结节由8mm增大至12mm。', 1, n({ size: 12, side: 'right', lobe: 'RUL' })),
  present('右肺上叶8mm结节较前缩小至5mm。', 1, n({ size: 5, side: 'right', lobe: 'RUL' })),
  present('右上肺结节较前增大约2mm，现约10mm。', 1, n({ size: 10, side: 'right', zone: 'upper' })),
  present('右上肺结节较前增大约2mm。', 1, n({ side: 'right', zone: 'upper' })),
  present('左下肺野结节，约10mm（前片约7mm）。', 1, n({ size: 10, side: 'left', zone: 'lower' })),
  present(
    '右肺见两枚结节，分别位于上野（约6mm）及下野（约9mm）。',
    2,
    n({ size: 6, side: 'right', zone: 'upper' }),
    n({ size: 9, side: 'right', zone: 'lower' })
  ),
  present('右肺上叶结节，左肺下叶结节，大小均约5mm。', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 5, side: 'left', lobe: 'LLL' })),
  present('右肺上叶结节。左肺下叶结节。两者大小均约7mm。', 2, n({ size: 7, side: 'right', lobe: 'RUL' }), n({ size: 7, side: 'left', lobe: 'LLL' })),
  present('两肺多发结节。', null, n({ side: 'bilateral' })),
  present('右肺见数枚小结节。', null, n({ side: 'right' })),
  present(
    '右肺上叶见两枚结节，大小分别约8mm、5mm。',
    2,
    n({ size: 8, side: 'right', lobe: 'RUL' }),
    n({ size: 5, side: 'right', lobe: 'RUL' })
  ),
  present(
    '右肺上叶见一实性结节，大小约8mm；左肺下叶见一磨玻璃结节，大小约5mm。',
    2,
    n({ size: 8, side: 'right', lobe: 'RUL', density: 'solid' }),
    n({ size: 5, side: 'left', lobe: 'LLL', density: 'ground-glass' })
  ),
  present(
    '右上肺野见一结节，约8mm，左下肺野见一结节，约6mm。',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present('右肺下叶见一钙化灶。', 1, n({ side: 'right', lobe: 'RLL', density: 'calcified' })),
  present(
    '右肺下叶见一结节，约6mm，左肺上叶见一钙化灶。',
    2,
    n({ size: 6, side: 'right', lobe: 'RLL' }),
    n({ side: 'left', lobe: 'LUL', density: 'calcified' })
  ),
  present('右肺上叶结节，内见钙化灶。', 1, n({ side: 'right', lobe: 'RUL', density: 'calcified' })),
  present('左上肺野见一钙化结节，直径约4mm。', 1, n({ size: 4, side: 'left', zone: 'upper', density: 'calcified' })),
  present('右肺上叶见一部分实性结节，大小约12mm×10mm。', 1, n({ size: 12, short: 10, side: 'right', lobe: 'RUL', density: 'part-solid' })),
  present('左肺上叶舌段见一混杂磨玻璃结节，约9mm。', 1, n({ size: 9, side: 'left', lobe: 'lingula', density: 'part-solid' })),
  present('右肺中叶见一纯磨玻璃结节，直径约7毫米。', 1, n({ size: 7, side: 'right', lobe: 'RML', density: 'ground-glass' })),
  present('右肺上叶见磨玻璃密度影，约8mm。', 1, n({ size: 8, side: 'right', lobe: 'RUL', density: 'ground-glass' })),
  present('左肺上叶见磨玻璃密度灶，大小约0.8cm×0.6cm，边界清。', 1, n({ size: 8, short: 6, side: 'left', lobe: 'LUL', density: 'ground-glass' })),
  absent('左肺下叶见片状磨玻璃密度影，大小约2.0cm×1.5cm。'),
  present('右肺上叶见一结节，短径约5mm，长径约8mm。', 1, n({ size: 8, short: 5, side: 'right', lobe: 'RUL' })),
  present('右肺上叶见一结节，长径约8mm，短径约5mm。', 1, n({ size: 8, short: 5, side: 'right', lobe: 'RUL' })),
  absent('双肺下叶见磨玻璃影。'),
  absent('右侧气管旁见一肿块影。'),
  // a doubt in a clause of its own is about the lesion before it; 需与…鉴别 puts both in doubt
  uncertain('右上肺野结节影，待排。', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  uncertain('右上肺野结节影，不除外。', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  uncertain('右下肺野结节影，需与血管断面鉴别。', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  uncertain('右下肺野片状影，需与结节鉴别。', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  present('右上肺野结节影，与前片比较无变化。', 1, n({ side: 'right', zone: 'upper' })),
  present('右肺上叶见磨玻璃密度影，左肺下叶见一结节，约6mm。', 1, n({ size: 6, side: 'left', lobe: 'LLL' })),
  absent('右肺下叶见磨玻璃密度影，范围约4.5cm×3.0cm。'),
  present('左肺下叶见一肿块，大小约4.5厘米×3.2厘米。', 1, n({ size: 45, short: 32, side: 'left', lobe: 'LLL' })),
  present('右上肺野见一团块影，大小约5cm×4cm。', 1, n({ size: 50, short: 40, side: 'right', zone: 'upper' })),
  absent('心影大小形态正常，两膈面光整，肋膈角锐利。'),
  absent('两肺未见明显结节及肿块影。'),
  absent('未发现肺结节。'),
  absent('两肺无结节。'),
  present('右肺上叶结节较前未见明显增大。', 1, n({ side: 'right', lobe: 'RUL' })),
  present('右肺上叶结节大致同前，约6mm。', 1, n({ size: 6, side: 'right', lobe: 'RUL' })),
  absent('右肺上叶结节已吸收。'),
  absent('原右下肺野结节影消失。'),
  uncertain('左上肺野小结节不能除外。', 1, n({ side: 'left', zone: 'upper', uncertain: true })),
  uncertain('不除外右下肺野小结节。', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  present('右中肺野见一结节状高密度影，约1.2cm。', 1, n({ size: 12, side: 'right', zone: 'middle' })),
  present('右肺门旁见一结节，约8mm。', 1, n({ size: 8, side: 'right' })),
  present('双肺纹理增多，右上肺野见一约6mm结节影。', 1, n({ size: 6, side: 'right', zone: 'upper' })),
  present('左肺见一约1.5cm结节。', 1, n({ size: 15, side: 'left' })),
  present('右下肺见一结节，直径约9mm。', 1, n({ size: 9, side: 'right', zone: 'lower' })),
  present('右肺中叶外侧段见一实性小结节，约5mm×4mm。', 1, n({ size: 5, short: 4, side: 'right', lobe: 'RML', density: 'solid' })),
  present('左肺上叶尖后段见一磨玻璃密度结节，大小约８ｍｍ。', 1, n({ size: 8, side: 'left', lobe: 'LUL', density: 'ground-glass' })),
  present('两肺见多发大小不等结节，大者约１２ｍｍ。', null, n({ size: 12, side: 'bilateral' })),
  present('两肺散在微小结节。', null, n({ side: 'bilateral' })),
  present('右肺上叶见三枚结节。', 3, n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RUL' })),
  present('左肺下叶见两个结节。', 2, n({ side: 'left', lobe: 'LLL' }), n({ side: 'left', lobe: 'LLL' })),
  present(
    '右肺上叶见二枚实性结节，直径均约5mm。',
    2,
    n({ size: 5, side: 'right', lobe: 'RUL', density: 'solid' }),
    n({ size: 5, side: 'right', lobe: 'RUL', density: 'solid' })
  ),
  present('右上肺野见一结节，约8mm。左下肺野未见结节。', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present('两肺未见明显异常，右肺上叶可见一约4mm钙化灶。', 1, n({ size: 4, side: 'right', lobe: 'RUL', density: 'calcified' })),
  absent('未见结节。'),
  present('右下肺野见一约10mm实性结节。', 1, n({ size: 10, side: 'right', zone: 'lower', density: 'solid' })),
  present('左中肺野见一约7mm磨玻璃结节。', 1, n({ size: 7, side: 'left', zone: 'middle', density: 'ground-glass' })),
  present('右上肺野见一约9mm部分实性结节。', 1, n({ size: 9, side: 'right', zone: 'upper', density: 'part-solid' })),
  present('左上肺野见一约5mm钙化结节。', 1, n({ size: 5, side: 'left', zone: 'upper', density: 'calcified' })),
  present('右肺上叶见一约8～10mm结节。', 1, n({ size: 10, side: 'right', lobe: 'RUL' })),
  present('右肺下叶见一结节，大小约5-7mm。', 1, n({ size: 7, side: 'right', lobe: 'RLL' })),
  present('左肺上叶肿块，约3.5cm×3.0cm，考虑肺癌可能。', 1, n({ size: 35, short: 30, side: 'left', lobe: 'LUL' })),
  present('右肺见多发结节，左肺未见结节。', null, n({ side: 'right' })),
  present('右肺中叶及下叶见多发结节。', null, n({ side: 'right', lobe: 'RML' }), n({ side: 'right', lobe: 'RLL' })),
  present('右上肺野及左下肺野见多发结节影。', null, n({ side: 'right', zone: 'upper' }), n({ side: 'left', zone: 'lower' })),
  present(
    '检查所见：右上肺野见一结节影，约8mm。\n诊断意见：右上肺结节，建议胸部CT进一步检查。',
    1,
    n({ size: 8, side: 'right', zone: 'upper' })
  ),
  absent('影像所见：两肺纹理清晰，肺野内未见明显实质性病变。\n印象：心肺未见异常。'),
  absent('临床诊断：肺结节待排。\n影像表现：两肺未见异常密度影。\n影像诊断：胸部未见异常。'),
  present('右肺上叶前段见一实性结节，直径约1.1cm，边缘可见分叶及毛刺。', 1, n({ size: 11, side: 'right', lobe: 'RUL', density: 'solid' })),
  present('左肺下叶背段见一磨玻璃结节，大小约6毫米×4毫米。', 1, n({ size: 6, short: 4, side: 'left', lobe: 'LLL', density: 'ground-glass' })),
  present('右肺上叶见一结节，考虑为钙化灶。', 1, n({ side: 'right', lobe: 'RUL', density: 'calcified' })),
  present('右肺下叶结节，疑似转移。', 1, n({ side: 'right', lobe: 'RLL' })),
  present('两上肺野见多发结节影。', null, n({ side: 'bilateral', zone: 'upper' })),
  present(
    '左上肺野见两枚结节，直径约4mm及6mm。',
    2,
    n({ size: 4, side: 'left', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'upper' })
  ),
  present('一枚实性结节，右上肺野，约8mm。', 1, n({ size: 8, side: 'right', zone: 'upper', density: 'solid' })),
  present('右肺未见结节，左下肺野见一约６ｍｍ结节。', 1, n({ size: 6, side: 'left', zone: 'lower' })),
  present('右肺中叶结节无明显变化。', 1, n({ side: 'right', lobe: 'RML' })),
  uncertain('右上肺野结节影待排。', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  absent('右肺上叶未见明显实性或磨玻璃结节。'),
  // Held-out wording, written after the first parser version passed the cases above.
  present('右肺中野见一类圆形致密影，直径约1.5cm，边界清楚。', 1, n({ size: 15, side: 'right', zone: 'middle' })),
  uncertain('左肺下野见结节状高密度影，乳头影可能。', 1, n({ side: 'left', zone: 'lower', uncertain: true })),
  absent('检查所见：右下肺野见一约8mm结节影。诊断意见：右下肺野结节影，为乳头影。'),
  // Traditional characters (Hong Kong, Taiwan) read as their simplified forms.
  present('右肺上葉見一結節，約8毫米。', 1, n({ size: 8, side: 'right', lobe: 'RUL' })),
  absent('兩肺未見明顯結節。'),
  uncertain('左下肺野見類圓形結節影，大小約1.2×1.0釐米，考慮乳頭影可能。', 1, n({ size: 12, short: 10, side: 'left', zone: 'lower', uncertain: true })),
  present('檢查所見：右上肺野見一結節影，約10mm。\n診斷意見：右上肺野結節，建議CT複查。', 1, n({ size: 10, side: 'right', zone: 'upper' })),
  absent('两肺野透亮度正常，未见明确结节及肿块影。'),
  present('右肺上叶尖段结节，较前增大，现约12mm×9mm。', 1, n({ size: 12, short: 9, side: 'right', lobe: 'RUL' })),
  present(
    '两肺下叶见多发磨玻璃结节。',
    null,
    n({ side: 'right', lobe: 'RLL', density: 'ground-glass' }),
    n({ side: 'left', lobe: 'LLL', density: 'ground-glass' })
  ),
  absent('双肺未见实变及结节影，心影不大。'),
  present(
    '右肺下叶背段胸膜下见一实性结节，大小约7mm×5mm，边缘光滑，建议年度复查。',
    1,
    n({ size: 7, short: 5, side: 'right', lobe: 'RLL', density: 'solid' })
  ),
  present('左上肺见一钙化灶，考虑陈旧性病变。', 1, n({ side: 'left', zone: 'upper', density: 'calcified' })),
  present('右肺上叶见一空洞性结节。', 1, n({ side: 'right', lobe: 'RUL' })),
  uncertain('右肺门影增大，考虑肿块可能。', 1, n({ side: 'right', uncertain: true })),
  present('左肺下叶见一大小约3.2cm×2.8cm软组织肿块，边缘分叶。', 1, n({ size: 32, short: 28, side: 'left', lobe: 'LLL', density: 'solid' })),
  present('右下肺野结节影较前缩小。', 1, n({ side: 'right', zone: 'lower' })),
  absent('原左上肺野结节现已不明显。'),
  present('两肺可见散在多发微小结节，最大者直径约4mm。', null, n({ size: 4, side: 'bilateral' })),
  present(
    '右肺上叶见两个结节，分别位于尖段和前段，大小约5mm和7mm。',
    2,
    n({ size: 5, side: 'right', lobe: 'RUL' }),
    n({ size: 7, side: 'right', lobe: 'RUL' })
  ),
  present('左肺舌段见一磨玻璃结节。', 1, n({ side: 'left', lobe: 'lingula', density: 'ground-glass' })),
  present('左肺上叶结节，考虑恶性，建议穿刺活检。', 1, n({ side: 'left', lobe: 'LUL' })),
  absent('两肺未见明显异常密度影，请结合临床。'),
  present('右上肺野见一直径约8毫米的结节影，密度均匀。', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present('右上肺野见一结节状致密影，考虑结节。', 1, n({ side: 'right', zone: 'upper' })),
  // Second held-out round.
  // a group on both sides and its largest where it is: the group's one item cannot hold both places
  present('双肺见多发结节，最大者位于右肺上叶，直径约9mm。', null, n({ side: 'bilateral' }), n({ size: 9, side: 'right', lobe: 'RUL' })),
  absent('右肺上叶结节术后改变，未见新发结节。'),
  present('左肺上叶见一不规则肿块影，大小约45mm×38mm，考虑周围型肺癌。', 1, n({ size: 45, short: 38, side: 'left', lobe: 'LUL' })),
  present('右肺中央型肺癌。', 1, n({ side: 'right' })),
  // MT (malignant tumour) and Ca written after a place in the lung
  uncertain('右肺上叶MT可能。', 1, n({ side: 'right', lobe: 'RUL', uncertain: true })),
  present('左肺门区肿块，约4cm，考虑中央型Ca。', 1, n({ size: 40, side: 'left' })),
  absent('右肺上叶未见明确结节，左侧肋膈角清晰，MT标志物阴性。'),
  present('右肺上叶周围型肺癌，大小约2.5cm。', 1, n({ size: 25, side: 'right', lobe: 'RUL' })),
  uncertain('左肺上叶周围型肺癌可能。', 1, n({ side: 'left', lobe: 'LUL', uncertain: true })),
  absent('右肺癌术后，双肺未见结节。'),
  absent('有肺癌病史，双肺未见结节。'),
  absent('肺癌筛查：双肺未见结节。'),
  present('左下肺野小结节，性质待定。', 1, n({ side: 'left', zone: 'lower' })),
  present('右上肺野未见明显异常，左上肺野见一小结节影。', 1, n({ side: 'left', zone: 'upper' })),
  absent('双肺未见明显实质性病变。'),
  present('右肺中叶见一结节，直径约0.6厘米，较前片无明显变化。', 1, n({ size: 6, side: 'right', lobe: 'RML' })),
  present('左肺下叶见数枚微小结节，大者约3mm。', null, n({ size: 3, side: 'left', lobe: 'LLL' })),
  absent('两肺未见结节，右侧胸腔少量积液。'),
  uncertain('右上肺野见一结节影？', 1, n({ side: 'right', zone: 'upper', uncertain: true })),
  // a landmark inside the zone just named (心影后, behind the heart) is that place, not a second one
  uncertain('左下肺野心影后可疑小结节影，建议CT。', 1, n({ side: 'left', zone: 'lower', uncertain: true })),
  present('心影后见一结节影。', 1, n({ side: 'left', zone: 'lower' })),
  present('右心影后见一结节影。', 1, n({ side: 'right', zone: 'lower' })),
  // a template that joins its fields with spaces: 右肺 上叶 is still the right upper lobe
  present('右肺 上叶结节，约 5 mm。', 1, n({ size: 5, side: 'right', lobe: 'RUL' })),
  present('右 上肺野 结节影。', 1, n({ side: 'right', zone: 'upper' })),
  present('一枚磨玻璃结节，左上肺野，约6mm。', 1, n({ size: 6, side: 'left', zone: 'upper', density: 'ground-glass' })),
  present('左中肺野见一约1.2cm×1.0cm结节影，边缘毛糙。', 1, n({ size: 12, short: 10, side: 'left', zone: 'middle' })),
  present('右肺上叶后段见磨玻璃结节，范围约8mm×6mm，内见实性成分。', 1, n({ size: 8, short: 6, side: 'right', lobe: 'RUL', density: 'part-solid' })),
  absent('右肺下叶结节已切除。'),
  absent('左肺上叶结节已手术切除。'),
  // Third held-out round.
  present('右上肺野见一小结节影，约0.5cm，边缘清晰，密度较高，考虑钙化灶。', 1, n({ size: 5, side: 'right', zone: 'upper', density: 'calcified' })),
  absent('双下肺野未见异常。'),
  present('左肺上叶尖后段可见一枚约11mm×9mm部分实性结节，边缘见毛刺。', 1, n({ size: 11, short: 9, side: 'left', lobe: 'LUL', density: 'part-solid' })),
  present('右肺多发结节，较大者约8mm，位于右肺下叶。', null, n({ size: 8, side: 'right', lobe: 'RLL' })),
  present('两肺可见多发结节，左肺为著。', null, n({ side: 'bilateral' })),
  present('右肺中叶内侧段见一大小约7×5mm的磨玻璃结节。', 1, n({ size: 7, short: 5, side: 'right', lobe: 'RML', density: 'ground-glass' })),
  present('左肺下叶后基底段可见一直径约4mm实性微结节。', 1, n({ size: 4, side: 'left', lobe: 'LLL', density: 'solid' })),
  present('胸部正位片示：右上肺野结节影。', 1, n({ side: 'right', zone: 'upper' })),
  present('诊断：1. 右肺上叶结节，建议随访。2. 主动脉硬化。', 1, n({ side: 'right', lobe: 'RUL' })),
  absent('两肺野未见明确结节影。'),
  uncertain(
    '右下肺野见一结节影，大小约1.5cm×1.2cm，考虑为乳头影，建议加摄乳头标记片。',
    1,
    n({ size: 15, short: 12, side: 'right', zone: 'lower', uncertain: true })
  ),
  present('左上肺野片状影，其内见小结节。', 1, n({ side: 'left', zone: 'upper' })),
  present('右肺上叶见2枚结节，直径约3-5mm。', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 5, side: 'right', lobe: 'RUL' })),
  // Headings, summaries and restatements across sentences and sections.
  present(
    '两肺见两枚结节：右上肺野见一约8mm结节。左下肺野见一约6mm结节。',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present(
    '检查所见：右上肺野见一约8mm结节。左下肺野见一约6mm结节。\n诊断意见：两肺多发结节（2枚），建议CT随访。',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present(
    '右上肺野见一结节，约8mm。左下肺野见一结节，约6mm。诊断意见：两肺结节。',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 6, side: 'left', zone: 'lower' })
  ),
  present(
    '右上肺野见一约17mm结节。右上肺野另见小结节影，约5mm，不除外乳头影。\n诊断意见：右上肺结节，建议CT随访。',
    1,
    n({ size: 17, side: 'right', zone: 'upper' }),
    n({ size: 5, side: 'right', zone: 'upper', uncertain: true })
  ),
  uncertain('检查所见：右上肺野疑似见一结节，约5mm。\n诊断意见：右上肺结节可能，建议CT随访。', 1, n({ size: 5, side: 'right', zone: 'upper', uncertain: true })),
  present('右中肺野（右肺中叶）见一约12mm结节。', 1, n({ size: 12, side: 'right', zone: 'middle', lobe: 'RML' })),
  present('两肺见三枚结节。诊断意见：两肺多发结节。', 3, n({ side: 'bilateral' }), n({ side: 'bilateral' }), n({ side: 'bilateral' })),
  present('右肺见两枚结节，较大者约10mm，位于右上肺野。', 2, n({ size: 10, side: 'right', zone: 'upper' }), n({ side: 'right' })),
  present(
    '右上肺野见一约8mm结节。右上肺野另见一约8mm结节。',
    2,
    n({ size: 8, side: 'right', zone: 'upper' }),
    n({ size: 8, side: 'right', zone: 'upper' })
  ),
  uncertain('另左中肺野可疑磨玻璃结节影，约14mm。', 1, n({ size: 14, side: 'left', zone: 'middle', density: 'ground-glass', uncertain: true })),
  present('左肺见一结节，可能位于左肺下叶，约9mm。', 1, n({ size: 9, side: 'left', lobe: 'LLL' })),
  // Whole reports.
  present(
    '检查方法：胸部正侧位片\n影像表现：两肺纹理增多，右下肺野见一结节状致密影，直径约1.2cm，边缘欠清。心影不大，两膈面光整，肋膈角锐利。\n' +
      '诊断意见：右下肺野结节，建议CT进一步检查。',
    1,
    n({ size: 12, side: 'right', zone: 'lower' })
  ),
  absent(
    '临床诊断：咳嗽，肺结节待排\n检查所见：胸廓对称，气管居中。两肺纹理清晰，肺野内未见明显实质性病变。心影大小形态正常。两膈面光整，肋膈角锐利。\n' +
      '诊断意见：心肺膈未见明显异常。'
  ),
  uncertain('右下肺野结节状影，考虑炎症，建议治疗后复查。', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  present('右上肺野结节影，考虑炎性结节。', 1, n({ side: 'right', zone: 'upper' })),
  uncertain('右下肺野结节影，倾向炎性病变。', 1, n({ side: 'right', zone: 'lower', uncertain: true })),
  present('右下肺野结节影，倾向炎性结节。', 1, n({ side: 'right', zone: 'lower' })),
  present('右上肺野见一结节影，约8㎜。', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present('左下肺野见一结节影，约1.2㎝×0.9㎝。', 1, n({ size: 12, short: 9, side: 'left', zone: 'lower' })),
  absent('结节：无。'),
  present('结节数目：2个。', 2, n({}), n({})),
  present('结节：2枚，位于右肺上叶。', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'right', lobe: 'RUL' })),
  absent('肺结节：阴性；肺门：未见异常。'),
  absent('结节：（-）'),
  present('结节：右上肺野，约6mm。', 1, n({ size: 6, side: 'right', zone: 'upper' })),
  present('结节：右肺上叶5mm，左肺下叶3mm。', 2, n({ size: 5, side: 'right', lobe: 'RUL' }), n({ size: 3, side: 'left', lobe: 'LLL' })),
  present(
    '肺结节：\n1、右肺上叶，约5mm，实性；\n2、左肺下叶，约3mm，磨玻璃密度。',
    2,
    n({ size: 5, side: 'right', lobe: 'RUL', density: 'solid' }),
    n({ size: 3, side: 'left', lobe: 'LLL', density: 'ground-glass' })
  ),
  present('肺结节：有\n部位：右肺上叶\n大小：约5mm\n密度：实性', 1, n({ size: 5, side: 'right', lobe: 'RUL', density: 'solid' })),
  absent('结节：\n未见。'),
  present('右上肺野见一结节，部分钙化，约8mm。', 1, n({ size: 8, side: 'right', zone: 'upper' })),
  present('两肺散在多发小结节影，部分钙化。', null, n({ side: 'bilateral' })),
  // 考虑 reads the lesion as a nodule; 可能 doubts it.
  uncertain('右肺中野结节状影，结节可能。', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  uncertain('右肺中野结节状影，考虑结节可能。', 1, n({ side: 'right', zone: 'middle', uncertain: true })),
  present('两肺见多发结节影。诊断意见：两肺多发结节。', null, n({ side: 'bilateral' })),
  present('右肺多发结节。诊断：右肺多发结节。', null, n({ side: 'right' })),
  present('双肺上叶见结节。', null, n({ side: 'right', lobe: 'RUL' }), n({ side: 'left', lobe: 'LUL' })),
  present('双肺上叶见两枚结节。', 2, n({ side: 'right', lobe: 'RUL' }), n({ side: 'left', lobe: 'LUL' })),
  // A sentence that goes on about the lesion before it (大小约…, 其…, 最大者…).
  present('右肺上叶见一结节影。大小约6mm×5mm，边缘光整。', 1, n({ size: 6, short: 5, side: 'right', lobe: 'RUL' })),
  present('左下肺野见一结节。其直径约1.2cm。', 1, n({ size: 12, side: 'left', zone: 'lower' })),
  present('双肺多发结节。最大者位于右肺上叶，约9mm。', null, n({ side: 'bilateral' }), n({ size: 9, side: 'right', lobe: 'RUL' })),
  present('右肺多发结节，最大者位于右肺上叶，约9mm。', null, n({ size: 9, side: 'right', lobe: 'RUL' })),
  present('多发结节，最大者位于右肺上叶，约9mm。', null, n({ size: 9, side: 'right', lobe: 'RUL' })),
  // 现已吸收 after the lesion, in its sentence or the next, says it is gone; another finding's 已吸收 does not.
  absent('右肺上叶结节，现已吸收。'),
  absent('右肺上叶结节。现已吸收。'),
  // 未见(明确)显示, 此次未见 after the lesion: not seen this time; before a lesion 未见 still negates what follows.
  absent('右肺上叶结节未见明确显示。'),
  absent('原右肺结节此次未见。'),
  absent('右肺上叶结节，本次未见。'),
  present('原右肺结节此次未见，左肺下叶新见结节约6mm。', 1, n({ size: 6, side: 'left', lobe: 'LLL' })),
  present('右肺上叶结节，左肺下叶结节此次未见。', 1, n({ side: 'right', lobe: 'RUL' })),
  present('右肺上叶结节，未见钙化。', 1, n({ side: 'right', lobe: 'RUL' })),
  present('右肺上叶结节，左肺下叶炎症已吸收。', 1, n({ side: 'right', lobe: 'RUL' })),
  // 均: gone, all of what was named; without it, the last thing named is what is gone.
  absent('右肺上叶结节及胸腔积液，现均已吸收。'),
  present('右肺上叶结节，胸腔积液，现已吸收。', 1, n({ side: 'right', lobe: 'RUL' })),
]
