/**
 * Browser tests of the emulator console: headless Chromium (scripts/setup-chromium.cjs) drives the
 * page while a real n8n (e2e/n8n-runtime) runs the example workflows. One worker, like e2e/.
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
	testTimeout: 180000,
	maxWorkers: 1,
};
