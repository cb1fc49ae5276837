import type { NoduleFinding, NoduleItem } from '../../../shared/finding'
import { t } from './i18n.svelte'

/** One nodule in the reader's words: "right upper zone · 12 mm · solid". */
export function describeItem(item: NoduleItem): string {
  const side = item.side ? t(`finding.side.${item.side}`) : ''
  const zone = item.zone ? t(`finding.zone.${item.zone}`) : ''
  const place = side && zone ? t('finding.place', { side, zone }) : side || zone
  const size = item.sizeMm ? (item.sizeShortMm ? `${item.sizeMm} × ${item.sizeShortMm} mm` : `${item.sizeMm} mm`) : null
  return [place || null, item.lobe, size, item.density && t(`finding.density.${item.density}`), item.certainty === 'uncertain' ? t('finding.certainty.uncertain') : null]
    .filter(Boolean)
    .join(' · ')
}

export function describeFinding(f: NoduleFinding): string {
  const head = t(`finding.presence.${f.presence}`) + (f.count !== null && f.presence !== 'absent' ? ` (${f.count})` : '')
  return [head, ...f.items.map(describeItem)].join(' — ')
}
