/**
 * What the three real-n8n suites share (e2e/tests, e2e/browser, e2e/queue): ts-jest over
 * tsconfig.dev.json, and one test file at a time, because each file starts its own n8n (or, in queue
 * mode, a whole cluster) and the machines this runs on have 2 cores.
 */
module.exports = (suite, options = {}) => ({
	rootDir: __dirname,
	testEnvironment: 'node',
	roots: [`<rootDir>/${suite}`],
	testMatch: ['**/*.e2e.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.dev.json', diagnostics: false }],
	},
	moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
	testTimeout: 180000,
	maxWorkers: 1,
	...options,
});
