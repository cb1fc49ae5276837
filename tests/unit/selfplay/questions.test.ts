import { describe, expect, it } from 'vitest'
import { answerText, answersAgree, expectedAnswer, parseAnswer, parseQuestion, questionText, type Question } from '../../../src/main/selfplay/questions'
import { emptyNoduleItem, type NoduleFinding, type NoduleItem } from '../../../src/shared/finding'

const item = (p: Partial<NoduleItem>): NoduleItem => ({ ...emptyNoduleItem(), ...p })
const present = (...items: NoduleItem[]): NoduleFinding => ({ presence: 'present', count: items.length, items })
const absent: NoduleFinding = { presence: 'absent', count: 0, items: [] }

const questions: Question[] = [
  { kind: 'presence' },
  { kind: 'presenceAt', side: 'right', zone: 'upper' },
  { kind: 'presenceAt', side: 'left', zone: 'middle' },
  { kind: 'side' },
  { kind: 'zone' },
  { kind: 'size' },
  { kind: 'count' }
]

describe('questions and answers of the QA game', () => {
  it('reads back every canonical question in English and Chinese', () => {
    for (const q of questions) for (const lang of ['en', 'zh'] as const) expect(parseQuestion(questionText(q, lang)), `${lang}: ${questionText(q, lang)}`).toEqual(q)
  })

  it('reads free wording and refuses what is not a question of the game', () => {
    expect(parseQuestion('Are there any nodules in the left lower zone?')).toEqual({ kind: 'presenceAt', side: 'left', zone: 'lower' })
    expect(parseQuestion('What size is it?')).toEqual({ kind: 'size' })
    expect(parseQuestion('右肺上叶有没有结节')).toBeNull()
    expect(parseQuestion('Is there a nodule in the right upper lobe?')).toBeNull()
    expect(parseQuestion('describe the heart')).toBeNull()
    expect(parseQuestion('')).toBeNull()
  })

  it('reads back every canonical answer', () => {
    const f = present(item({ side: 'right', zone: 'upper', sizeMm: 12 }))
    for (const q of questions) {
      const expected = expectedAnswer(q, f)!
      for (const lang of ['en', 'zh'] as const) expect(parseAnswer(q, answerText(q, expected, lang)), `${q.kind} ${lang}`).toEqual(expected)
    }
    expect(parseAnswer({ kind: 'size' }, 'about 1.2 cm')).toEqual({ kind: 'number', value: 12 })
    expect(parseAnswer({ kind: 'presence' }, 'maybe')).toBeNull()
  })

  it('takes the expected answer from the report’s findings', () => {
    const two = present(item({ side: 'right', zone: 'upper', sizeMm: 12 }), item({ side: 'left', zone: 'lower', sizeMm: 7 }))
    expect(expectedAnswer({ kind: 'presence' }, two)).toEqual({ kind: 'yesno', value: true })
    expect(expectedAnswer({ kind: 'presence' }, absent)).toEqual({ kind: 'yesno', value: false })
    expect(expectedAnswer({ kind: 'side' }, two)).toEqual({ kind: 'side', value: 'bilateral' })
    expect(expectedAnswer({ kind: 'zone' }, two)).toBeNull()
    expect(expectedAnswer({ kind: 'size' }, two)).toEqual({ kind: 'number', value: 12 })
    expect(expectedAnswer({ kind: 'count' }, two)).toEqual({ kind: 'number', value: 2 })
    expect(expectedAnswer({ kind: 'count' }, absent)).toEqual({ kind: 'number', value: 0 })
    expect(expectedAnswer({ kind: 'presenceAt', side: 'left', zone: 'lower' }, two)).toEqual({ kind: 'yesno', value: true })
    expect(expectedAnswer({ kind: 'presenceAt', side: 'left', zone: 'upper' }, two)).toEqual({ kind: 'yesno', value: false })
  })

  it('leaves unsettled what the report does not settle', () => {
    const unplaced = present(item({ sizeMm: 9 }))
    expect(expectedAnswer({ kind: 'side' }, unplaced)).toBeNull()
    expect(expectedAnswer({ kind: 'presenceAt', side: 'left', zone: 'upper' }, unplaced)).toBeNull()
    expect(expectedAnswer({ kind: 'presence' }, { presence: 'uncertain', count: null, items: [item({ certainty: 'uncertain' })] })).toBeNull()
    expect(expectedAnswer({ kind: 'size' }, present(item({ side: 'left' })))).toBeNull()
  })

  it('scores sizes within ±3 mm and everything else exactly', () => {
    const expected = { kind: 'number' as const, value: 12 }
    expect(answersAgree({ kind: 'size' }, { kind: 'number', value: 14.5 }, expected)).toBe(true)
    expect(answersAgree({ kind: 'size' }, { kind: 'number', value: 15.5 }, expected)).toBe(false)
    expect(answersAgree({ kind: 'count' }, { kind: 'number', value: 13 }, expected)).toBe(false)
    expect(answersAgree({ kind: 'presence' }, null, { kind: 'yesno', value: true })).toBe(false)
  })
})
