import { describe, expect, it } from 'vitest'
import { otherReportLanguage } from '../../../src/main/reports/language'

describe('otherReportLanguage', () => {
  it('names the language of a report written in another language than English or Chinese', () => {
    const reports: [string, string][] = [
      ['Nódulo pulmonar de 8 mm en el lóbulo superior derecho. Sin derrame pleural.', 'Spanish'],
      ['cardiomegalia . pinzamiento seno costofrenico izquierdo .', 'Spanish'],
      ['Pulmões sem alterações. Nódulo de 8 mm no lobo superior direito.', 'Portuguese'],
      ["Pas d'épanchement pleural. Nodule du lobe supérieur droit de 8 mm.", 'French'],
      ['Herz normal groß. Lunge frei. Kein Pneumothorax.', 'German'],
      ['Nodulo di 8 mm nel lobo superiore destro. Non versamento pleurico.', 'Italian'],
      ['Geen afwijkingen van hart en longen.', 'Dutch']
    ]
    expect(reports.map(([text]) => otherReportLanguage(text))).toEqual(reports.map(([, language]) => language))
  })

  it('reads English reports, terse or quoting a foreign word, and Chinese ones as theirs, and says nothing of a few words', () => {
    const reports = [
      'PA and lateral views of the chest. The lungs are clear. No pleural effusion or pneumothorax. Heart size normal.',
      'Hyperinflated. Flattened diaphragms. COPD. Granuloma RUL. Degenerative spine. Cardiomegaly.',
      'Stable 6 mm RLL nodule, unchanged since 2019. No new nodules. Impression: benign.',
      'Lungs clear; con contraste y sin derrame',
      '右肺上叶见一约8mm结节，边界清。Impression: nodule in el lóbulo superior derecho.',
      'Nodule. Lobe. Normal.',
      'NAD.'
    ]
    expect(reports.map(otherReportLanguage)).toEqual(reports.map(() => null))
  })
})
