/**
 * End-to-end tests against a real n8n (e2e/n8n-runtime, installed by `node scripts/setup-n8n.cjs`).
 * One worker: each test file starts its own n8n (~750 MB RSS, 2 CPU-heavy seconds), and the
 * machines this runs on have 2 cores.
 */
module.exports = {
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: ['<rootDir>/tests'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.dev.json', diagnostics: false }],
	},
	moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
	testTimeout: 180000,
	maxWorkers: 1,
};
