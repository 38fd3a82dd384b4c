'use strict';
/*
 * CI's secret scan (.ci/run runs it after every suite): looks for the fixture APP_Secrets and for
 * n8n resume tokens in everything the suites produced and kept under E2E_ARTIFACTS_DIR
 * (e2e/lib/artifacts.ts): the CI log, the soak report, the n8n user folders (database, config,
 * event logs), every n8n, PostgreSQL and Redis process's whole output, the PostgreSQL dumps.
 *
 *   node scripts/node24.cjs node scripts/scan-secrets.cjs [--require-tokens] <folder or file>...
 *
 * Needles (their values are never printed):
 * - APP_Secrets: the emulator's (defaultConfig() of the dev build, .build/emulator/config.js) and
 *   every `…Secret` value in test/fixtures/spec-vectors.json. Each one plain, Base64 (standard and
 *   URL-safe, also inside a longer Base64 text: all three alignments), hex (both cases) and
 *   URL-encoded.
 * - Resume tokens (64 hex characters): those the emulator received in userData (the e2e tests write
 *   them to wake-tokens/*.json), and every execution's own `resumeToken` in the n8n databases found.
 *
 * Databases, precisely:
 * - n8n keeps an execution's resume token in that execution's data: the root `resumeToken` of
 *   `execution_data.data` (a `flatted` array; docs/n8n.md §3). That one value is n8n's design and is
 *   skipped, but only while nothing else in the execution's data refers to the same string;
 *   everything else in every row of every table counts, tokens and secrets alike (credentials are
 *   stored encrypted, so a plaintext APP_Secret in a database is a real leak).
 * - SQLite (`*.sqlite`): every cell of every table, read with node:sqlite (so the write-ahead log is
 *   read too). The raw file and its -wal/-shm/-journal files are scanned as well, for secrets only:
 *   free pages may keep old rows, and the raw bytes hold n8n's own tokens.
 * - PostgreSQL: its table dumps (`*.jsonl`, one row_to_json per line, named `<db>.<schema>.<table>`),
 *   same rule. A PostgreSQL data directory (a folder with PG_VERSION) is skipped: the queue suite
 *   dumps it and then removes it.
 * - The wake-token files themselves are the list of needles and are not scanned.
 *
 * Exit 0: nothing found; 1: a hit (file, what, which form, where, the value masked) or, with
 * --require-tokens, no resume token to look for (a scan for nothing proves nothing); 2: usage error.
 * Plain CommonJS, so n8n-node lint's rules for TypeScript do not apply; needs Node 24 (node:sqlite).
 */
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '..');
const TOKEN_RUN = /[0-9a-fA-F]{64,}/g;
const MIN_NEEDLE = 8;

// ---------------------------------------------------------------------------------------------
// Needles

function fixtureSecrets() {
	const secrets = [];
	const built = path.join(repoRoot, '.build', 'emulator', 'config.js');
	if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build:dev\` first (the emulator's APP_Secret comes from it).`);
	secrets.push({ name: "the emulator's APP_Secret", value: require(built).defaultConfig().appSecret });
	const vectors = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'spec-vectors.json'), 'utf8'));
	const walk = (node, where) => {
		if (!node || typeof node !== 'object') return;
		for (const [key, value] of Object.entries(node)) {
			if (typeof value === 'string' && /secret/i.test(key)) secrets.push({ name: `spec-vectors ${where}${key}`, value });
			else walk(value, `${where}${key}.`);
		}
	};
	walk(vectors, '');
	const unique = new Map();
	for (const secret of secrets) if (!unique.has(secret.value)) unique.set(secret.value, secret.name);
	return [...unique].map(([value, name]) => ({ name, value }));
}

/** The Base64 characters that depend only on `bytes`, when they sit at offset 0, 1 or 2 of a longer Base64 text. */
function base64Inner(bytes) {
	const forms = new Set();
	for (let pad = 0; pad < 3; pad++) {
		const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64').replace(/=+$/, '');
		const inner = encoded.slice(Math.ceil((8 * pad) / 6), Math.floor((8 * (pad + bytes.length)) / 6));
		forms.add(inner);
		forms.add(inner.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return [...forms];
}

function secretForms(value) {
	const bytes = Buffer.from(value, 'utf8');
	const forms = [
		['plain', value],
		...base64Inner(bytes).map((form) => ['base64', form]),
		['hex', bytes.toString('hex')],
		['HEX', bytes.toString('hex').toUpperCase()],
		['url-encoded', encodeURIComponent(value)],
		['form-encoded', encodeURIComponent(value).replace(/%20/g, '+')],
	];
	const seen = new Set();
	return forms.filter(([, form]) => form.length >= MIN_NEEDLE && !seen.has(form) && seen.add(form));
}

// ---------------------------------------------------------------------------------------------
// Files

function listFiles(roots, skipped) {
	const files = [];
	const visit = (entry) => {
		const stat = fs.lstatSync(entry);
		if (stat.isSymbolicLink()) return;
		if (stat.isDirectory()) {
			if (fs.existsSync(path.join(entry, 'PG_VERSION'))) {
				skipped.push(`${entry} (a PostgreSQL data directory: scanned through its dump)`);
				return;
			}
			for (const name of fs.readdirSync(entry).sort()) visit(path.join(entry, name));
		} else if (stat.isFile()) files.push(entry);
	};
	for (const root of roots) visit(root);
	return files;
}

const isWakeTokenFile = (file) => path.basename(path.dirname(file)) === 'wake-tokens' && file.endsWith('.json');
const isSqlite = (file) => {
	if (/\.sqlite$|\.db$/.test(file)) return true;
	try {
		const fd = fs.openSync(file, 'r');
		const head = Buffer.alloc(16);
		fs.readSync(fd, head, 0, 16, 0);
		fs.closeSync(fd);
		return head.toString('latin1') === 'SQLite format 3\u0000';
	} catch {
		return false;
	}
};
const isSqliteSidecar = (file) => /\.(sqlite|db)-(wal|shm|journal)$/.test(file);
const isPostgresDump = (file) => file.endsWith('.jsonl') && path.basename(path.dirname(file)) === 'postgres-dump';

// ---------------------------------------------------------------------------------------------
// n8n's own resume token in an execution's data

/**
 * `execution_data.data` with the execution's own resume token blanked: its flatted array keeps the
 * root object first, whose `resumeToken` refers by index to the token string. Returns the text to
 * scan, the token, and whether something else in the data refers to the same string (then it is
 * not blanked, and the scan reports it).
 */
function withoutOwnResumeToken(text) {
	let data;
	try {
		data = JSON.parse(text);
	} catch {
		return { text };
	}
	if (!Array.isArray(data)) {
		if (data && typeof data === 'object' && typeof data.resumeToken === 'string') {
			const { resumeToken, ...rest } = data;
			return { text: JSON.stringify(rest), token: resumeToken };
		}
		return { text };
	}
	const root = data[0];
	const ref = root && typeof root === 'object' ? root.resumeToken : undefined;
	if (typeof ref !== 'string' || !/^\d+$/.test(ref) || typeof data[Number(ref)] !== 'string') return { text };
	const token = data[Number(ref)];
	let refs = 0;
	for (const entry of data) {
		if (entry && typeof entry === 'object') for (const value of Object.values(entry)) if (value === ref) refs++;
	}
	if (refs !== 1) return { text, token, shared: true };
	const copy = data.slice();
	copy[Number(ref)] = '';
	return { text: JSON.stringify(copy), token };
}

function isExecutionData(table, column) {
	return /(^|\.)execution_data$/.test(table) && column === 'data';
}

// ---------------------------------------------------------------------------------------------
// Database rows

/**
 * Every row of every table of a SQLite file, as { table, row } (values: string, number, bigint,
 * Uint8Array, null). It opens a copy (with its -wal and -shm files): opening the original would fold
 * its write-ahead log into it and delete the log, changing what the scan looks at.
 */
function* sqliteRows(file) {
	const { DatabaseSync } = require('node:sqlite');
	const copyDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'scan-secrets-'));
	try {
		const copy = path.join(copyDir, 'database.sqlite');
		fs.copyFileSync(file, copy);
		for (const suffix of ['-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, copy + suffix);
		const db = new DatabaseSync(copy);
		try {
			const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((row) => row.name);
			for (const table of tables) {
				for (const row of db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).iterate()) yield { table, row };
			}
		} finally {
			db.close();
		}
	} finally {
		fs.rmSync(copyDir, { recursive: true, force: true });
	}
}

function* dumpRows(file) {
	// <database>.<schema>.<table>.jsonl
	const table = path.basename(file, '.jsonl').split('.').slice(1).join('.');
	const lines = fs.readFileSync(file, 'utf8').split('\n');
	for (const line of lines) {
		if (line.trim() === '') continue;
		let row;
		try {
			row = JSON.parse(line);
		} catch {
			row = { line };
		}
		yield { table, row };
	}
}

function cellText(value) {
	if (typeof value === 'string') return value;
	if (value instanceof Uint8Array) return Buffer.from(value).toString('latin1');
	if (value !== null && typeof value === 'object') return JSON.stringify(value);
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// Searching

function mask(buffer, start, length) {
	const from = Math.max(0, start - 30);
	const to = Math.min(buffer.length, start + length + 30);
	const show = (slice) => slice.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
	return `${show(buffer.subarray(from, start))}«…»${show(buffer.subarray(start + length, to))}`;
}

function createScanner(secretNeedles, tokens) {
	const hits = [];
	const scanBuffer = (buffer, where, { secrets = true, tokens: lookForTokens = true } = {}) => {
		if (secrets) {
			for (const needle of secretNeedles) {
				for (let at = buffer.indexOf(needle.bytes); at !== -1; at = buffer.indexOf(needle.bytes, at + 1)) {
					hits.push({ where: `${where} @${at}`, what: needle.name, form: needle.form, context: mask(buffer, at, needle.bytes.length) });
				}
			}
		}
		if (lookForTokens && tokens.size > 0) {
			const text = buffer.toString('latin1');
			for (const match of text.matchAll(TOKEN_RUN)) {
				const run = match[0].toLowerCase();
				for (let i = 0; i + 64 <= run.length; i++) {
					const candidate = run.slice(i, i + 64);
					if (tokens.has(candidate)) {
						const at = match.index + i;
						hits.push({ where: `${where} @${at}`, what: `an n8n resume token (${tokens.get(candidate)})`, form: 'plain', context: mask(buffer, at, 64) });
					}
				}
			}
		}
	};
	return { hits, scanBuffer };
}

// ---------------------------------------------------------------------------------------------

function main(argv) {
	const requireTokens = argv.includes('--require-tokens');
	const roots = argv.filter((arg) => arg !== '--require-tokens').map((arg) => path.resolve(arg));
	if (roots.length === 0) {
		process.stderr.write('usage: node scripts/scan-secrets.cjs [--require-tokens] <folder or file>...\n');
		return 2;
	}
	for (const root of roots) {
		if (!fs.existsSync(root)) {
			process.stderr.write(`scan-secrets: ${root} does not exist (did the suites run with E2E_ARTIFACTS_DIR?)\n`);
			return 2;
		}
	}
	const skipped = [];
	const files = listFiles(roots, skipped);
	const relative = (file) => path.relative(process.cwd(), file) || file;

	// 1. Needles: the secrets, the emulator's wake tokens, and every execution's token in the databases.
	const secrets = fixtureSecrets();
	const secretNeedles = secrets.flatMap((secret, index) =>
		secretForms(secret.value).map(([form, value]) => ({ name: `APP_Secret #${index + 1} (${secret.name})`, form, bytes: Buffer.from(value, 'utf8') })),
	);
	const tokens = new Map();
	let emulatorTokens = 0;
	for (const file of files.filter(isWakeTokenFile)) {
		const { tokens: list = [], label = path.basename(file) } = JSON.parse(fs.readFileSync(file, 'utf8'));
		for (const token of list) {
			if (!tokens.has(token)) emulatorTokens++;
			tokens.set(token, `received by the emulator in userData, ${label}`);
		}
	}
	const databases = files.filter((file) => isSqlite(file) && !isSqliteSidecar(file));
	const dumps = files.filter(isPostgresDump);
	const rowSources = [...databases.map((file) => ({ file, rows: () => sqliteRows(file) })), ...dumps.map((file) => ({ file, rows: () => dumpRows(file) }))];
	let databaseTokens = 0;
	for (const source of rowSources) {
		for (const { table, row } of source.rows()) {
			for (const [column, value] of Object.entries(row)) {
				const text = cellText(value);
				if (text === undefined || !isExecutionData(table, column)) continue;
				const { token } = withoutOwnResumeToken(text);
				if (token && /^[0-9a-f]{64}$/.test(token) && !tokens.has(token)) {
					tokens.set(token, `an n8n execution's own resumeToken, ${relative(source.file)}`);
					databaseTokens++;
				}
			}
		}
	}

	// 2. Scan.
	const { hits, scanBuffer } = createScanner(secretNeedles, tokens);
	let bytes = 0;
	let scannedFiles = 0;
	for (const file of files) {
		if (isWakeTokenFile(file)) continue;
		const buffer = fs.readFileSync(file);
		bytes += buffer.length;
		scannedFiles++;
		// A database's raw bytes or a table dump: secrets only (the rows are scanned below, n8n's own tokens excepted).
		const raw = isSqlite(file) || isSqliteSidecar(file) || isPostgresDump(file);
		scanBuffer(buffer, relative(file), { tokens: !raw });
	}
	let rows = 0;
	let ownTokensSkipped = 0;
	for (const source of rowSources) {
		for (const { table, row } of source.rows()) {
			rows++;
			for (const [column, value] of Object.entries(row)) {
				let text = cellText(value);
				if (text === undefined) continue;
				let note = '';
				if (isExecutionData(table, column)) {
					const cleaned = withoutOwnResumeToken(text);
					if (cleaned.token && !cleaned.shared) ownTokensSkipped++;
					if (cleaned.shared) note = ' (the execution data refers to its own resumeToken elsewhere too)';
					text = cleaned.text;
				}
				const id = row.id ?? row.executionId ?? '?';
				scanBuffer(Buffer.from(text, 'latin1'), `${relative(source.file)} table ${table} row id ${id} column ${column}${note}`);
			}
		}
	}

	const say = (line) => process.stdout.write(`${line}\n`);
	say(
		`scan-secrets: ${scannedFiles} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) under ${roots.map(relative).join(', ')}; ` +
			`${databases.length} SQLite database(s) and ${dumps.length} PostgreSQL table dump(s), ${rows} rows`,
	);
	say(
		`scan-secrets: looked for ${secrets.length} APP_Secret(s) in ${secretNeedles.length} forms and ${tokens.size} resume token(s) ` +
			`(${emulatorTokens} the emulator received, ${databaseTokens} more from n8n's execution data); ` +
			`skipped n8n's own resumeToken in ${ownTokensSkipped} execution(s)`,
	);
	for (const entry of skipped) say(`scan-secrets: skipped ${entry}`);
	if (hits.length > 0) {
		say(`scan-secrets: FOUND ${hits.length} secret(s) or token(s):`);
		for (const hit of hits.slice(0, 200)) say(`  ${hit.where}: ${hit.what}, ${hit.form}: ${hit.context}`);
		if (hits.length > 200) say(`  … and ${hits.length - 200} more`);
		return 1;
	}
	if (requireTokens && emulatorTokens === 0) {
		say('scan-secrets: no resume token to look for (no wake-tokens/*.json with tokens): the call-and-wait tests did not leave their tokens');
		return 1;
	}
	say('scan-secrets: nothing found');
	return 0;
}

try {
	process.exitCode = main(process.argv.slice(2));
} catch (error) {
	process.stderr.write(`scan-secrets: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exitCode = 2;
}
