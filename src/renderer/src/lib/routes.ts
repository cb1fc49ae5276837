import type { MessageKey } from './messages'

export const routes = ['library', 'viewer', 'training', 'review', 'evaluation', 'settings'] as const
export type Route = (typeof routes)[number]

export const routeLabel: Record<Route, MessageKey> = {
  library: 'nav.library',
  viewer: 'nav.viewer',
  training: 'nav.training',
  review: 'nav.review',
  evaluation: 'nav.evaluation',
  settings: 'nav.settings'
}

/** `#/review` → 'review'; anything unknown lands on the library. */
export function routeFromHash(hash: string): Route {
  const name = hash.replace(/^#\/?/, '')
  return (routes as readonly string[]).includes(name) ? (name as Route) : 'library'
}
