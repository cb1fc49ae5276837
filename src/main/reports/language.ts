/**
 * Telling a report the parser cannot read — one written in a language other than English or Chinese
 * (a Spanish, German or French report in the Latin alphabet) — from an English one. The parser reads
 * any Latin text as English, and a report in which it finds no nodule word says "no nodule": a
 * foreign report would stand as a clear film in the games and in evaluation. Short, distinctive
 * words decide (articles, prepositions, the sides and the lung), not medical terms, which the
 * languages share ("normal", "fibrosis", "granuloma").
 */

/**
 * Words of English reports that no other language here writes so — not the section headings
 * ("Findings:", "Impression:"), which a structured report's codes or a RIS's template give in English
 * whatever the language of the text under them.
 */
const englishWords = new Set(
  (
    'the of and is are was were be been with without there this that these those which has have had seen noted identified evidence ' +
    'lung lungs heart clear right left upper lower middle mid zone zones size sized measuring measures measure small large ' +
    'mild moderate stable unchanged new since compared prior previous view views chest acute focal effusion effusions ' +
    'not or to at by from for an as within limits well also may likely probably possible consistent appears appear demonstrated ' +
    'opacity opacities mass masses silhouette shadow shadows markings lucency calcified granulomas base bases apex apical'
  ).split(' ')
)

/** Words distinctive of the other languages reports are written in with the Latin alphabet. */
const otherLanguages: [string, Set<string>][] = [
  ['Spanish', 'el los las del con sin y para por derecho derecha izquierdo izquierda pulmonar pulmones derrame lóbulo lobulo nódulo nodulo signos cambios aumento hallazgos campos hilios pinzamiento seno costofrénico costofrenico'],
  ['Portuguese', 'os das dos com sem não nao direito direita esquerdo esquerda pulmão pulmao pulmões pulmoes derrame nódulo campos pulmonares'],
  ['French', 'le les des du et avec sans pas droit droite gauche poumon poumons pulmonaire épanchement epanchement'],
  ['German', 'der die das und mit ohne kein keine keinen rechts links lunge lungen herz befund unauffällig unauffaellig erguss rundherd'],
  ['Italian', 'il gli della delle dei con senza destro destra sinistro sinistra polmone polmoni polmonare versamento nodulo'],
  ['Dutch', 'het van met zonder geen rechts links long longen hart afwijkingen']
].map(([language, words]) => [language, new Set(words.split(' '))])

/** Fewer Latin words than this say too little to tell a language ("NAD.", "Cardiomegalia."). */
const MIN_WORDS = 4

/**
 * The language other than English or Chinese a report reads as ("Spanish"), or null when it is
 * English or Chinese (any Han text is read as Chinese), too short to tell, or in none of the languages
 * here: its distinctive words must outnumber the English ones twice, so that an English report quoting
 * a foreign word ("Lungs clear; con contraste") stays English.
 */
export function otherReportLanguage(text: string): string | null {
  if (/\p{Script=Han}/u.test(text)) return null
  const words = text.toLowerCase().match(/\p{Script=Latin}+/gu) ?? []
  if (words.length < MIN_WORDS) return null
  const english = words.filter((w) => englishWords.has(w)).length
  const [language, count] = otherLanguages
    .map(([name, list]): [string, number] => [name, words.filter((w) => list.has(w)).length])
    .reduce((best, next) => (next[1] > best[1] ? next : best))
  return count >= 2 && count > 2 * english ? language : null
}
