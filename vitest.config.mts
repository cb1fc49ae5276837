import { defineConfig } from 'vitest/config'

// Three projects: `unit` (fast, no browser; includes integration tests that use real SQLite files,
// real child processes and real onnxruntime), `e2e` (built renderer in Debian's chromium) and
// `hardening` (`npm run test:hardening`: the slow security, privacy and reliability checks of
// tests/hardening plus the unit and integration tests that guard a protection).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000
        }
      },
      {
        test: {
          name: 'hardening',
          include: [
            'tests/hardening/**/*.test.ts',
            'tests/unit/electron/**/*.test.ts',
            'tests/unit/api/*.test.ts',
            'tests/unit/privacy/**/*.test.ts',
            'tests/unit/store/audit-log.test.ts',
            'tests/integration/web-host.test.ts',
            'tests/integration/no-network.test.ts',
            'tests/integration/import-fuzz.test.ts',
            'tests/integration/import-kill.test.ts',
            'tests/integration/review-api.test.ts',
            'tests/integration/selfplay-run.test.ts'
          ],
          environment: 'node',
          testTimeout: 1_200_000,
          hookTimeout: 1_200_000
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false
        }
      }
    ]
  }
})
