import { blankImage, insertNodule, moveNodule, paintNodule, removeInsertedNodule, resizeNodule, type ChestContext, type NoduleSpec, type Radiograph } from '../synth'
import type { Rng } from '../random'
import type { RadiographEdit } from '../../shared/finding'

/**
 * The images of one spy game, made from any radiograph: what the civilians see and what the spy
 * sees, and the edit between them. Only nodules this module inserted are moved, resized or
 * removed — a real film's own nodules are unknown to the game (their truth is never read here).
 *   insert  civilians I,           spy I + nodule
 *   remove  civilians I + nodule,  spy I
 *   move    civilians I + nodule,  spy I + the nodule in another zone
 *   resize  civilians I + nodule,  spy I + the nodule at half or double its size
 *   blank   civilians I,           spy a flat image (the blank-spy option)
 */
export type SpyEditKind = RadiographEdit['kind']

/**
 * Everything besides the source radiograph that the game's two images are drawn from: the nodule
 * drawn into the civilians' image (null for insert and blank) and the nodule the spy's image has
 * instead (null for remove and blank). Stored with each game so its images can be shown again.
 */
export interface SpyEditRecipe {
  kind: SpyEditKind
  civilianNodule: NoduleSpec | null
  spyNodule: NoduleSpec | null
}

export interface SpyImages {
  civilian: Radiograph
  spy: Radiograph
  edit: RadiographEdit
  recipe: SpyEditRecipe
}

const EDIT_KINDS: readonly Exclude<SpyEditKind, 'blank'>[] = ['insert', 'remove', 'move', 'resize']

export function makeSpyImages(image: Radiograph, rng: Rng, options: { blank: boolean; context?: ChestContext }): SpyImages {
  if (options.blank) {
    const blank = blankImage(image)
    return { civilian: image, spy: blank.image, edit: blank.edit, recipe: { kind: 'blank', civilianNodule: null, spyNodule: null } }
  }
  const kind = EDIT_KINDS[rng.int(0, EDIT_KINDS.length - 1)]
  const inserted = insertNodule(image, rng, options.context)
  const nodule = inserted.nodule!
  if (kind === 'insert') return { civilian: image, spy: inserted.image, edit: inserted.edit, recipe: { kind, civilianNodule: null, spyNodule: nodule.spec } }
  const changed =
    kind === 'remove' ? removeInsertedNodule(inserted.image, nodule)
    : kind === 'move' ? moveNodule(inserted.image, nodule, rng, options.context)
    : resizeNodule(inserted.image, nodule, resizedDiameter(nodule.spec.diameterMm, rng), options.context)
  return { civilian: inserted.image, spy: changed.image, edit: changed.edit, recipe: { kind, civilianNodule: nodule.spec, spyNodule: changed.nodule?.spec ?? null } }
}

/**
 * The two images of a played game drawn again from the same radiograph and its recipe, by the same
 * steps in the same order (so the pixels are the ones the players saw).
 */
export function replaySpyImages(image: Radiograph, recipe: SpyEditRecipe): { civilian: Radiograph; spy: Radiograph } {
  if (recipe.kind === 'blank') return { civilian: image, spy: blankImage(image).image }
  const civilian = recipe.civilianNodule ? paintNodule(image, recipe.civilianNodule, 1) : image
  const cleared = recipe.civilianNodule ? paintNodule(civilian, recipe.civilianNodule, -1) : civilian
  return { civilian, spy: recipe.spyNodule ? paintNodule(cleared, recipe.spyNodule, 1) : cleared }
}

/** Half or double, kept within the 4–30 mm range nodules are drawn in, so the change stays visible. */
function resizedDiameter(diameterMm: number, rng: Rng): number {
  const bigger = Math.min(30, diameterMm * 2)
  const smaller = Math.max(4, diameterMm / 2)
  const pick = bigger - diameterMm > diameterMm - smaller || rng.chance(0.5) ? bigger : smaller
  return pick === diameterMm ? Math.min(30, diameterMm + 6) : pick
}
