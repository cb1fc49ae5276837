/**
 * The synthetic cohort and the spy-game edits. Public surface for the rest of the app:
 * - generateCohort / renderStudy: phantom studies as files (DICOM, reports, truth.json) or in memory;
 * - insertNodule / moveNodule / resizeNodule / removeInsertedNodule / blankImage: radiograph edits
 *   described as RadiographEdit, working on any radiograph given its pixels and spacing;
 * - noduleLayer (under paintNodule): the one nodule renderer both use, contrast a fraction of the displayed range.
 */
export { generateCohort, cohortContactSheet, type GenerateOptions, type GeneratedCohort } from './generate'
export { renderStudy, type CohortOptions, type CohortTruth, type StudyTruth, type TruthNodule, type RenderedStudy } from './cohort'
export {
  insertNodule,
  moveNodule,
  resizeNodule,
  removeInsertedNodule,
  blankImage,
  paintNodule,
  planNodule,
  describeNodule,
  type PlacedNodule,
  type EditResult,
  type ChestContext,
  type NoduleRequest
} from './edits'
export { noduleLayer, typicalContrast, type NoduleSpec } from './nodule'
export { DEFAULT_CHEST_LAYOUT, layoutWithin, locateInChest, type Radiograph, type DisplayWindow, type ChestLayout, type LungBox, type PixelArray } from './radiograph'
export { generateReport, type GeneratedReport } from './reports'

export { encodeJpegLossless } from './jpeg-lossless'
export { encodeGb18030 } from './gb18030'
