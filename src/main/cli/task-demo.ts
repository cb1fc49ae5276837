import type { CliCommand } from './command'
import { runTaskWithProgress } from './run-task'

export const demoTaskCommand: CliCommand = {
  name: 'demo-task',
  summary: 'Run the demonstration long task (count primes) in a child process, with progress',
  usage: 'vzw demo-task [--up-to N]',
  options: { 'up-to': { type: 'string' } },
  async run(ctx) {
    const upTo = Number(ctx.values['up-to'] ?? 200_000_000)
    if (!Number.isInteger(upTo) || upTo < 10) throw new Error(`--up-to must be an integer ≥ 10, got ${ctx.values['up-to']}`)
    const summary = await runTaskWithProgress(ctx.services(), 'demo.countPrimes', { upTo }, 'primes')
    if (!summary) return 1
    console.log(JSON.stringify(summary.result))
    return 0
  }
}
