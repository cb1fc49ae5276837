/**
 * The headless CLI over the same services as the app: `vzw <command> [options]`.
 * Commands live in ./cli/, one file each; add a command to `commands` below.
 */
import { parseArgs } from 'node:util'
import { auditCommand } from './cli/audit'
import { lazyServices, type CliCommand } from './cli/command'
import { importCommand } from './cli/import'
import { infoCommand } from './cli/info'
import { parseReportCommand } from './cli/parse-report'
import { serveCommand } from './cli/serve'
import { synthCommand } from './cli/synth'
import { demoTaskCommand } from './cli/task-demo'
import { describeCommand } from './cli/describe'
import { findingsCommand } from './cli/findings'
import { warmupCommand } from './cli/warmup'
import { selfplayCommand } from './cli/selfplay'
import { experimentCommand } from './cli/experiment'
import { demoCommand } from './cli/demo'
import { roundsCommand } from './cli/rounds'

const commands: CliCommand[] = [
  infoCommand,
  serveCommand,
  synthCommand,
  importCommand,
  parseReportCommand,
  demoTaskCommand,
  auditCommand,
  warmupCommand,
  selfplayCommand,
  roundsCommand,
  describeCommand,
  findingsCommand,
  experimentCommand,
  demoCommand
]

const globalOptions = {
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' }
} as const

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'Vision-Zero Workstation — self-play training on chest radiographs, offline.',
    '',
    'Usage: vzw <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  --data-dir DIR  data folder (default: $VZW_DATA_DIR, else the platform app-data folder)',
    '  -h, --help      help for a command: vzw <command> --help'
  ].join('\n')
}

export async function main(argv: string[], entryDir: string): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage())
    return name ? 0 : 1
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${usage()}`)
    return 2
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: { ...globalOptions, ...command.options },
    allowPositionals: true,
    strict: true
  })
  if (values.help) {
    console.log(`${command.summary}\n\nUsage: ${command.usage}`)
    return 0
  }
  const services = lazyServices(values['data-dir'] as string | undefined, entryDir)
  return command.run({ values, positionals, entryDir, services })
}

if (require.main === module) {
  main(process.argv.slice(2), __dirname).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`vzw: ${err instanceof Error ? err.message : String(err)}`)
      process.exit(1)
    }
  )
}
