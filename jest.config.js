/** Jest runs the TypeScript tests in test/ directly (ts-jest, no type check here: `npm run typecheck` does that). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }],
	},
	moduleFileExtensions: ['ts', 'js', 'cjs', 'json'],
	testTimeout: 60000,
};
