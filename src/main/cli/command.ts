import type { ParseArgsOptionsConfig } from 'node:util'
import { createServices, type Services } from '../app/services'
import { resolveDataDir } from '../app/data-dir'
import { forkTaskProcess, taskChildEntry } from '../tasks/fork-task-process'

/** What a CLI command gets: its parsed flags and a lazily opened set of services. */
export interface CommandContext {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>
  positionals: string[]
  /** Folder of the CLI entry (src/main or out/main): task children and the renderer are found from it. */
  entryDir: string
  services(): Services
}

export interface CliCommand {
  name: string
  summary: string
  usage: string
  options: ParseArgsOptionsConfig
  /** Returns the process exit code. */
  run(ctx: CommandContext): Promise<number>
}

/** Opens services once, on first use, for the data folder named by the flags or environment. */
export function lazyServices(dataDirFlag: string | undefined, entryDir: string): () => Services {
  let services: Services | null = null
  return () => {
    services ??= createServices({
      dataDir: resolveDataDir(dataDirFlag),
      shell: 'cli',
      spawnTaskProcess: forkTaskProcess(taskChildEntry(entryDir))
    })
    return services
  }
}
