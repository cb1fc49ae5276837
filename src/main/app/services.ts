import { createHandlers } from '../api/handlers'
import type { Handlers } from '../api/dispatch'
import { databasePath, openDatabase, type Db } from '../store/database'
import { markRunningTasksInterrupted } from '../store/task-repository'
import type { SpawnTaskProcess } from '../tasks/protocol'
import { TaskService } from '../tasks/task-service'
import { EventBus } from './event-bus'
import packageJson from '../../../package.json'

export interface ServiceConfig {
  dataDir: string
  shell: 'electron' | 'web' | 'cli'
  /** How task children are started: utilityProcess under Electron, child_process.fork elsewhere. */
  spawnTaskProcess: SpawnTaskProcess
  /** The native folder dialog, where the shell has one (Electron); resolves to the folders picked. */
  chooseFolders?: () => Promise<string[]>
}

export interface Services {
  config: ServiceConfig & { version: string }
  db: Db
  events: EventBus
  tasks: TaskService
  handlers: Handlers
  close(): void
}

/** The one composition root, used by the Electron adapter, the CLI and the web host alike. */
export function createServices(config: ServiceConfig): Services {
  const db = openDatabase(databasePath(config.dataDir))
  markRunningTasksInterrupted(db)
  const events = new EventBus()
  const tasks = new TaskService(db, events, config.spawnTaskProcess, config.dataDir)
  const services = {
    config: { ...config, version: packageJson.version },
    db,
    events,
    tasks,
    close() {
      tasks.stopAll()
      db.close()
    }
  } as Services
  services.handlers = createHandlers(services)
  return services
}
