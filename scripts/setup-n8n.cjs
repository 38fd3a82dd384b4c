#!/usr/bin/env node
/*
 * Installs the pinned n8n runtime used by the end-to-end tests, `npm start` and the benchmarks:
 * n8n 2.41.1 running on Node 24.21.0, both from e2e/n8n-runtime/package-lock.json.
 *
 * Idempotent: when .tools/n8n-runtime is already installed (n8n reports 2.41.1 under the runtime's own
 * Node 24 and sqlite3's native binding exists) it does nothing. Otherwise it follows the recipe in
 * the runtime notes (docs/n8n.md §8):
 *   1. npm ci --ignore-scripts   n8n has install scripts that download from hosts other than the npm
 *                                registry (Kafka's librdkafka build, analytics pings, browsers) and
 *                                fail offline; none is needed except the two below.
 *   2. npm rebuild node          the `node` package fetches node-<platform>-<arch> from the registry
 *                                and links node_modules/.bin/node = Node 24 (n8n 2.41 needs >= 24).
 *   3. npm rebuild sqlite3       compiles the SQLite binding against Node 24's headers (shipped in
 *                                node-<platform>-<arch>), with that Node first on PATH. The prebuilt
 *                                binary lives on github.com, which CI cannot reach, so build from source.
 *   4. verify                    `n8n --version` under Node 24 and loading sqlite3.
 *
 * Plain CommonJS without dependencies so that it runs on the machine's Node 20 as well as on 24.
 * Usage: node scripts/setup-n8n.cjs [--force]
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const N8N_VERSION = '2.41.1';
const NODE_VERSION = '24.21.0';

// The pinned manifest (package.json + lockfile) is committed in e2e/n8n-runtime; the install itself
// goes into the ignored dot-folder .tools/n8n-runtime, because `n8n-node build` copies every *.svg
// it finds outside the top-level node_modules into dist/, and dot-folders are not searched.
const manifestDir = path.resolve(__dirname, '..', 'e2e', 'n8n-runtime');
const runtimeDir = path.resolve(__dirname, '..', '.tools', 'n8n-runtime');
const MANIFEST_FILES = ['package.json', 'package-lock.json', '.npmrc'];
const modulesDir = path.join(runtimeDir, 'node_modules');
const binDir = path.join(modulesDir, '.bin');
const isWindows = process.platform === 'win32';
const nodeBin = path.join(binDir, isWindows ? 'node.cmd' : 'node');
const n8nBin = path.join(modulesDir, 'n8n', 'bin', 'n8n');
const sqliteBinding = path.join(modulesDir, 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
const lockFile = path.join(manifestDir, 'package-lock.json');
// Written after a successful setup: a changed lockfile (e.g. a bumped pin) then forces a reinstall
// even though the old install still looks healthy.
const stampFile = path.join(modulesDir, '.setup-n8n-stamp');
const npm = isWindows ? 'npm.cmd' : 'npm';

const startedAt = Date.now();

function elapsed() {
	return `${Math.round((Date.now() - startedAt) / 1000)}s`;
}

function log(message) {
	process.stdout.write(`[setup-n8n] (${elapsed()}) ${message}\n`);
}

function fail(message) {
	process.stderr.write(`\n[setup-n8n] FAILED after ${elapsed()}: ${message}\n`);
	process.stderr.write('[setup-n8n] Fix the cause above and re-run `node scripts/setup-n8n.cjs` (add --force to reinstall from scratch).\n');
	process.exit(1);
}

function lockHash() {
	return crypto.createHash('sha256').update(fs.readFileSync(lockFile)).digest('hex');
}

/** Runs a command quietly and returns its trimmed stdout, or null when it fails. */
function capture(command, args, env) {
	const result = spawnSync(command, args, {
		cwd: runtimeDir,
		env: env || process.env,
		encoding: 'utf8',
		timeout: 120000,
		shell: isWindows,
	});
	if (result.status !== 0) return null;
	return (result.stdout || '').trim();
}

function runtimeEnv() {
	// The runtime's Node 24 first on PATH, so every `#!/usr/bin/env node` tool (node-gyp, n8n) uses it,
	// and node-gyp compiles against Node 24's headers rather than the user config's nodedir (Node 20).
	const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform] || process.platform;
	const headersDir = path.join(modulesDir, 'node', 'node_modules', `node-${platform}-${process.arch}`);
	return {
		...process.env,
		PATH: `${binDir}${path.delimiter}${process.env.PATH || ''}`,
		npm_config_nodedir: headersDir,
	};
}

/** n8n's version when run by the runtime's Node 24, or null. */
function installedN8nVersion() {
	if (!fs.existsSync(nodeBin) || !fs.existsSync(n8nBin)) return null;
	const nodeVersion = capture(nodeBin, ['--version']);
	if (nodeVersion !== `v${NODE_VERSION}`) return null;
	const out = capture(nodeBin, [n8nBin, '--version'], runtimeEnv());
	if (!out) return null;
	// n8n may print log lines before the version; the version is the last line.
	return out.split(/\r?\n/).pop().trim();
}

function isInstalled() {
	if (!fs.existsSync(sqliteBinding)) return false;
	if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8').trim() !== lockHash()) return false;
	return installedN8nVersion() === N8N_VERSION;
}

/** Everything the phases print (npm, node-gyp, the C compiler), kept out of the terminal. */
const setupLog = path.join(path.dirname(runtimeDir), 'n8n-runtime-setup.log');

/** The last lines of the setup log, shown when a phase fails. */
function logTail(lines = 40) {
	try {
		return fs.readFileSync(setupLog, 'utf8').split(/\r?\n/).slice(-lines).join('\n');
	} catch {
		return '(no log)';
	}
}

/**
 * Runs one phase with its output in the setup log (compiling sqlite3 prints hundreds of compiler
 * warnings) and one line on the terminal, then a heartbeat line every 20 s while it runs; a failed
 * phase shows the log's last lines.
 */
function run(phase, command, args, env) {
	log(`${phase}...`);
	const phaseStart = Date.now();
	fs.appendFileSync(setupLog, `\n$ ${command} ${args.join(' ')}\n`);
	const out = fs.openSync(setupLog, 'a');
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: runtimeDir, env: env || process.env, stdio: ['ignore', out, out], shell: isWindows });
		const heartbeat = setInterval(() => log(`${phase}: still running (output in ${path.relative(process.cwd(), setupLog)})`), 20000);
		const forward = (signal) => child.kill(signal);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		const finish = (error, code, signal) => {
			clearInterval(heartbeat);
			fs.closeSync(out);
			process.off('SIGINT', forward);
			process.off('SIGTERM', forward);
			if (error) fail(`${phase}: could not run ${command}: ${error.message}`);
			if (code !== 0) {
				process.stderr.write(`\n--- last lines of ${setupLog} ---\n${logTail()}\n`);
				fail(`${phase}: \`${command} ${args.join(' ')}\` exited with ${code === null ? signal : code}.`);
			}
			log(`${phase}: done in ${Math.round((Date.now() - phaseStart) / 1000)}s`);
			resolve();
		};
		child.on('error', (error) => finish(error));
		child.on('exit', (code, signal) => finish(null, code, signal));
	});
}

async function main() {
	const force = process.argv.includes('--force');
	if (!fs.existsSync(lockFile)) fail(`${lockFile} is missing; it pins the whole n8n dependency tree.`);

	if (!force && isInstalled()) {
		if (!fs.existsSync(stampFile)) fs.writeFileSync(stampFile, lockHash() + '\n');
		log(`n8n ${N8N_VERSION} on Node ${NODE_VERSION} is already installed in .tools/n8n-runtime.`);
		return;
	}

	process.stdout.write(
		[
			'',
			'================================================================================',
			` Installing the e2e runtime: n8n ${N8N_VERSION} on Node ${NODE_VERSION} into .tools/n8n-runtime/`,
			' First time only, about 4-8 minutes and ~2.8 GB of disk (a line every 20 s while it works;',
			` the full output goes to ${path.relative(process.cwd(), setupLog)}).`,
			' Later runs skip this step.',
			'================================================================================',
			'',
		].join('\n'),
	);

	// --no-audit/--no-fund: e2e/n8n-runtime/.npmrc says so too, but a user config could differ.
	// --loglevel=error: npm 11 on Node 20 prints ~450 lines of harmless peer-dependency (ERESOLVE)
	// and engine (EBADENGINE: n8n wants Node 24, which it gets at run time) warnings that would
	// bury real errors; the heartbeat of run() shows it is alive. (Counting folders in
	// node_modules is no progress measure: npm ci first deletes them, then creates them all at once.)
	fs.mkdirSync(runtimeDir, { recursive: true });
	fs.writeFileSync(setupLog, `setup-n8n ${new Date().toISOString()}\n`);
	for (const file of MANIFEST_FILES) fs.copyFileSync(path.join(manifestDir, file), path.join(runtimeDir, file));
	await run('1/4 install packages', npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);

	// The .npmrc sets ignore-scripts=true for the install; these two rebuilds need their scripts.
	await run('2/4 fetch Node 24', npm, ['rebuild', 'node', '--ignore-scripts=false', '--foreground-scripts']);
	const nodeVersion = capture(nodeBin, ['--version']);
	if (nodeVersion !== `v${NODE_VERSION}`) {
		fail(`node_modules/.bin/node reports ${nodeVersion || 'nothing'}, expected v${NODE_VERSION}.`);
	}

	const env = runtimeEnv();
	if (!fs.existsSync(path.join(env.npm_config_nodedir, 'include', 'node', 'node_api.h'))) {
		fail(`Node ${NODE_VERSION} headers not found in ${env.npm_config_nodedir}.`);
	}
	// build_from_source: skip prebuild-install's download from github.com (unreachable in CI; it
	// would only fail or hang before falling back to node-gyp anyway).
	env.npm_config_build_from_source = 'true';
	await run('3/4 compile sqlite3 for Node 24', npm, ['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'], env);
	if (!fs.existsSync(sqliteBinding)) fail(`sqlite3 was not built: ${sqliteBinding} is missing.`);

	log('4/4 verify');
	const sqliteOk = capture(nodeBin, ['-e', "require('sqlite3'); process.stdout.write('ok')"], env);
	if (sqliteOk !== 'ok') fail('sqlite3 does not load under Node 24.');
	const version = installedN8nVersion();
	if (version !== N8N_VERSION) fail(`n8n --version under Node ${NODE_VERSION} printed ${JSON.stringify(version)}, expected ${N8N_VERSION}.`);
	fs.writeFileSync(stampFile, lockHash() + '\n');
	log(`n8n ${version} on Node ${NODE_VERSION} is ready (total ${elapsed()}).`);
}

main().catch((error) => fail(error.stack || String(error)));
