import { CliProgressBar } from '../app/cli-progress'
import type { CliCommand } from './command'

export const demoTaskCommand: CliCommand = {
  name: 'demo-task',
  summary: 'Run the demonstration long task (count primes) in a child process, with progress',
  usage: 'vzw demo-task [--up-to N]',
  options: { 'up-to': { type: 'string' } },
  async run(ctx) {
    const upTo = Number(ctx.values['up-to'] ?? 200_000_000)
    if (!Number.isInteger(upTo) || upTo < 10) throw new Error(`--up-to must be an integer ≥ 10, got ${ctx.values['up-to']}`)
    const services = ctx.services()
    const bar = new CliProgressBar('primes')
    services.events.on('task.progress', (e) => bar.update(e.progress))
    const id = services.tasks.start('demo.countPrimes', { upTo })
    const onInterrupt = () => services.tasks.cancel(id)
    process.once('SIGINT', onInterrupt)
    const summary = await services.tasks.whenFinished(id)
    process.off('SIGINT', onInterrupt)
    bar.finish()
    services.close()
    if (summary?.status !== 'done') {
      console.error(`Task ${summary?.status ?? 'lost'}${summary?.error ? `: ${summary.error}` : ''}`)
      return 1
    }
    console.log(JSON.stringify(summary.result))
    return 0
  }
}
