import type { Language } from '../../../shared/contract'
import { en, zhCN, type MessageKey } from './messages'

const catalogs: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zhCN }

export const locale = $state<{ language: Language }>({ language: 'en' })

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[locale.language][key] ?? en[key]
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`))
}

/** The message `prefix.name` where there is one ('training.unit.rounds'), else `name` as it is: a task names its phase by a unit. */
export function tOr(prefix: string, name: string): string {
  const key = `${prefix}.${name}`
  return key in en ? t(key as MessageKey) : name
}

export function setLanguage(language: Language): void {
  locale.language = language
  document.documentElement.lang = language
}
