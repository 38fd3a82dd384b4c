#!/usr/bin/env node
/*
 * Makes sure the headless Chromium that the browser tests (e2e/browser/) drive is installed: the
 * Debian package `chromium` at /usr/bin/chromium. The tests never download a browser build of
 * their own (that needs hosts CI cannot reach); playwright-core only drives this one.
 *
 * Idempotent: when /usr/bin/chromium exists and answers --version it does nothing. Otherwise it
 * runs `apt-get install -y chromium` (as root, or through sudo), and once more after
 * `apt-get update` when the first try fails (a fresh machine may have no package lists yet).
 *
 * Plain CommonJS without dependencies so that it runs on the machine's Node 20 as well as on 24.
 * Usage: node scripts/setup-chromium.cjs           CHROMIUM_PATH=/other/chromium overrides the path.
 */
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PACKAGE = 'chromium';

function log(message) {
	process.stdout.write(`[setup-chromium] ${message}\n`);
}

function version() {
	if (!fs.existsSync(CHROMIUM)) return null;
	// --version needs no display and no profile; it answers in well under a second.
	const result = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8', timeout: 60_000 });
	return result.status === 0 ? result.stdout.trim() : null;
}

function apt(args) {
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const [command, commandArgs] = isRoot ? ['apt-get', args] : ['sudo', ['-n', 'apt-get', ...args]];
	log(`$ ${isRoot ? '' : 'sudo '}apt-get ${args.join(' ')}`);
	const result = spawnSync(command, commandArgs, {
		stdio: 'inherit',
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		// A first install pulls ~100 MB of packages; bounded so a stuck mirror cannot hang CI.
		timeout: 20 * 60_000,
	});
	return result.status === 0;
}

function main() {
	const found = version();
	if (found) {
		log(`${found} at ${CHROMIUM}`);
		return;
	}
	if (process.env.CHROMIUM_PATH) {
		throw new Error(`CHROMIUM_PATH=${CHROMIUM} does not answer --version.`);
	}
	log(`${CHROMIUM} is missing: installing the Debian package "${PACKAGE}"`);
	const installArgs = ['install', '-y', '--no-install-recommends', PACKAGE];
	if (!apt(installArgs)) {
		log('install failed; refreshing the package lists once and trying again');
		if (!apt(['update']) || !apt(installArgs)) {
			throw new Error(`Could not install ${PACKAGE} with apt-get. Install it yourself (apt-get install -y ${PACKAGE}) or set CHROMIUM_PATH.`);
		}
	}
	const installed = version();
	if (!installed) throw new Error(`${PACKAGE} was installed but ${CHROMIUM} does not answer --version.`);
	log(`${installed} at ${CHROMIUM}`);
}

try {
	main();
} catch (error) {
	process.stderr.write(`[setup-chromium] ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 1;
}
