#!/usr/bin/env node
/*
 * Runs a command under Node.js 24, which n8n 2.x and its packages need.
 *
 * The machines this project is built on may have an older Node (CI has Node 20). When the running
 * Node is older than 24, this launcher installs the pinned Node 24 binary from the npm registry
 * (the platform package `node-<platform>-<arch>`, which ships the binary and its headers) into the
 * ignored folder `.tools/`, once, and re-runs the command with that Node first on PATH. Every
 * `#!/usr/bin/env node` tool the command starts (jest, tsc, n8n-node, n8n) then runs on Node 24.
 *
 * Usage: node scripts/node24.cjs <command> [args...]
 *        node scripts/node24.cjs --print-bin   (installs if needed, prints the bin folder)
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const NODE_VERSION = '24.21.0';
const REQUIRED_MAJOR = 24;

const repoRoot = path.resolve(__dirname, '..');

function platformPackage() {
	const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
	if (!platform) throw new Error(`Unsupported platform ${process.platform}: install Node ${REQUIRED_MAJOR} yourself.`);
	return `node-${platform}-${process.arch}`;
}

function toolsBinDir() {
	const pkg = platformPackage();
	const prefix = path.join(repoRoot, '.tools', `node-${NODE_VERSION}`);
	const pkgDir = path.join(prefix, 'node_modules', pkg);
	const binDir = process.platform === 'win32' ? pkgDir : path.join(pkgDir, 'bin');
	const binary = path.join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
	if (!fs.existsSync(binary)) {
		fs.mkdirSync(prefix, { recursive: true });
		fs.writeFileSync(path.join(prefix, 'package.json'), JSON.stringify({ private: true }) + '\n');
		process.stderr.write(`[node24] Node ${process.versions.node} is older than ${REQUIRED_MAJOR}: installing ${pkg}@${NODE_VERSION} into .tools/ (once, ~190 MB)...\n`);
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const result = spawnSync(
			npm,
			['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', `${pkg}@${NODE_VERSION}`],
			{ stdio: 'inherit', cwd: prefix },
		);
		if (result.status !== 0 || !fs.existsSync(binary)) {
			throw new Error(`Could not install ${pkg}@${NODE_VERSION} (npm exit ${result.status}).`);
		}
	}
	return binDir;
}

function main() {
	const args = process.argv.slice(2);
	const major = Number(process.versions.node.split('.')[0]);
	const env = { ...process.env };
	if (major < REQUIRED_MAJOR || args[0] === '--print-bin') {
		const binDir = toolsBinDir();
		env.PATH = `${binDir}${path.delimiter}${env.PATH ?? ''}`;
		if (args[0] === '--print-bin') {
			process.stdout.write(binDir + '\n');
			return;
		}
	}
	if (args.length === 0) {
		process.stderr.write('usage: node scripts/node24.cjs <command> [args...]\n');
		process.exit(2);
	}
	const child = spawn(args[0], args.slice(1), { stdio: 'inherit', env, shell: process.platform === 'win32' });
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(signal, () => child.kill(signal));
	}
	child.on('exit', (code, signal) => {
		if (signal) process.kill(process.pid, signal);
		else process.exit(code ?? 1);
	});
}

try {
	main();
} catch (error) {
	process.stderr.write(`[node24] ${error.message}\n`);
	process.exit(1);
}
