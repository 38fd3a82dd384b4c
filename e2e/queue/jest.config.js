/**
 * The queue-mode end-to-end suite (`npm run test:e2e:queue`): one n8n queue-mode cluster
 * (e2e/lib/queue.ts: PostgreSQL, Redis, main, two workers, two webhook processes, ~4 GB RSS) per
 * test file, so files run one at a time.
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: ['<rootDir>'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../../tsconfig.dev.json', diagnostics: false }],
	},
	moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
	testTimeout: 300000,
	maxWorkers: 1,
};
