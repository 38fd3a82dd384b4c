'use strict';
/*
 * Node.js runtime for the project's dev-only TypeScript (emulator, tests, e2e, benchmarks).
 *
 * `n8n-node lint` applies n8n Cloud's community-node rules to every .ts file in the repository:
 * no Node built-ins, no `process`, no timers. Those rules are right for the shipped nodes, which
 * must use n8n's helpers. The emulator and the test tooling are never shipped (package.json
 * "files" is only dist/) and need a real HTTP server, timers and child processes, so they take
 * Node's runtime from this one module instead of from globals. Shipped code never imports it.
 */
function findRepoRoot() {
	const path = require('node:path');
	const fs = require('node:fs');
	for (let dir = __dirname; ; dir = path.dirname(dir)) {
		try {
			const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			if (manifest.name === 'n8n-nodes-huawei-voicecall') return dir;
		} catch {
			// No readable package.json here: keep walking up.
		}
		if (path.dirname(dir) === dir) return path.resolve(__dirname, '..');
	}
}

module.exports = {
	http: require('node:http'),
	net: require('node:net'),
	fs: require('node:fs'),
	fsp: require('node:fs/promises'),
	path: require('node:path'),
	os: require('node:os'),
	url: require('node:url'),
	crypto: require('node:crypto'),
	childProcess: require('node:child_process'),
	events: require('node:events'),
	stream: require('node:stream'),
	proc: process,
	/** The repository root: the folder of our package.json, also when run from the compiled .build/dev. */
	repoRoot: findRepoRoot(),
	setTimeout: (fn, ms, ...args) => setTimeout(fn, ms, ...args),
	clearTimeout: (handle) => clearTimeout(handle),
	setInterval: (fn, ms, ...args) => setInterval(fn, ms, ...args),
	clearInterval: (handle) => clearInterval(handle),
	delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
	/** `require` of an absolute path (the benchmarks load n8n's own nodes from the pinned runtime). */
	requireFile: (file) => require(file),
};
