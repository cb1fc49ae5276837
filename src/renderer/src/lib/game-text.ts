import type { QaAnswer, RunGame, SpyGameView } from '../../../shared/contract'
import type { RadiographEdit } from '../../../shared/finding'
import { describeItem } from './finding-text'
import { t } from './i18n.svelte'

/** The transcript viewer's words for votes, QA questions and answers, and spy edits. */

type Vote = SpyGameView['votes'][number]['samples'][number]['vote']
type QaGame = Extract<RunGame, { kind: 'qa' }>

export function voteText(vote: Vote): string {
  if (vote.kind === 'player') return t('training.seat', { n: vote.player })
  return vote.kind === 'abstain' ? t('training.vote.abstain') : t('training.vote.invalid')
}

export function answerText(answer: QaAnswer | null): string {
  if (!answer) return t('training.vote.invalid')
  switch (answer.kind) {
    case 'yesno':
      return answer.value ? t('training.yes') : t('training.no')
    case 'side':
      return t(`finding.side.${answer.value}`)
    case 'zone':
      return t(`finding.zone.${answer.value}`)
    case 'number':
      return String(answer.value)
  }
}

export function questionText(parsed: QaGame['question']['parsed']): string {
  if (!parsed) return t('training.qa.unreadable')
  if (parsed.kind !== 'presenceAt') return t(`training.qa.kind.${parsed.kind}`)
  const side = parsed.side ? t(`finding.side.${parsed.side}`) : ''
  const zone = parsed.zone ? t(`finding.zone.${parsed.zone}`) : ''
  return t('training.qa.kind.presenceAt', { place: side && zone ? t('finding.place', { side, zone }) : side || zone })
}

/**
 * "nodule moved", with where and how big the nodule is in each image. The lobe the edit guessed
 * from the zone is left out: a zone on a frontal film does not tell the lobe.
 */
export function editText(edit: RadiographEdit): { kind: string; before: string | null; after: string | null } {
  const place = (item: RadiographEdit['before']) => (item ? describeItem({ ...item, lobe: null }) : null)
  return { kind: t(`training.edit.${edit.kind}`), before: place(edit.before), after: place(edit.after) }
}

export const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`)
export const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)}%`)
