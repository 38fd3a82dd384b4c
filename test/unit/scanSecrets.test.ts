/**
 * CI's secret scan (scripts/scan-secrets.cjs) on a folder laid out like the kept artifacts, with
 * every form of a fixture APP_Secret and resume tokens planted in it: each is found, n8n's own
 * `resumeToken` of an execution is not (unless the execution's data refers to it elsewhere too),
 * a PostgreSQL data directory is skipped, and a clean folder passes.
 */
import { childProcess, fs, os, path, proc, repoRoot } from '../../dev/node.cjs';
import { defaultConfig } from '../../emulator';
import vectors from '../fixtures/spec-vectors.json';

const SCANNER = path.join(repoRoot, 'scripts/scan-secrets.cjs');
const SECRET = vectors.testCredential.appSecret;
const TOKEN = '0123456789abcdef'.repeat(4);
const OTHER_TOKEN = 'fedcba9876543210'.repeat(4);

let dir: string;
beforeEach(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-secrets-test-'));
	fs.mkdirSync(path.join(dir, 'wake-tokens'));
	fs.writeFileSync(path.join(dir, 'wake-tokens', 'call-and-wait-1.json'), JSON.stringify({ label: 'test', tokens: [TOKEN] }));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function scan(...args: string[]): { status: number | null; out: string } {
	const result = childProcess.spawnSync(proc.execPath, [SCANNER, ...args, dir], { encoding: 'utf8', timeout: 60_000 });
	return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

/** An n8n execution_data row as n8n writes it: a flatted array whose root refers to its resumeToken. */
function executionData(token: string, alsoElsewhere = false): string {
	return JSON.stringify([{ resumeToken: '1', resultData: '2' }, token, { runData: alsoElsewhere ? '1' : '3' }, 'done']);
}

/** A SQLite database like n8n's, written by a child Node (the test process keeps no SQLite handle). */
function sqlite(file: string, rows: Array<[number, string]>, extraTable?: { name: string; value: string }): void {
	const script = `
		const { DatabaseSync } = require('node:sqlite');
		const [file, rows, extra] = JSON.parse(process.argv[1]);
		const db = new DatabaseSync(file);
		db.exec('CREATE TABLE execution_data (executionId INTEGER, workflowData TEXT, data TEXT)');
		for (const [id, data] of rows) db.prepare('INSERT INTO execution_data VALUES (?, ?, ?)').run(id, '{}', data);
		if (extra) { db.exec('CREATE TABLE ' + extra.name + ' (id INTEGER, value TEXT)'); db.prepare('INSERT INTO ' + extra.name + ' VALUES (1, ?)').run(extra.value); }
		db.close();`;
	fs.mkdirSync(path.dirname(file), { recursive: true });
	childProcess.execFileSync(proc.execPath, ['-e', script, JSON.stringify([file, rows, extraTable ?? null])]);
}

const write = (name: string, content: string | Buffer) => {
	fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
	fs.writeFileSync(path.join(dir, name), content);
};

test('a clean folder passes; n8n\'s own resumeToken in its execution data is no hit', () => {
	write('n8n-e2e-1/n8n.log', 'Editor is now accessible via http://127.0.0.1:5678\n');
	sqlite(path.join(dir, 'n8n-e2e-1/.n8n/database.sqlite'), [[1, executionData(TOKEN)], [2, executionData(OTHER_TOKEN)]]);
	write('queue/postgres-dump/n8n.public.execution_data.jsonl', `${JSON.stringify({ executionId: 3, data: executionData(TOKEN) })}\n`);
	const { status, out } = scan('--require-tokens');
	expect(out).toContain('nothing found');
	expect(out).toMatch(/2 resume token\(s\) \(1 the emulator received, 1 more from n8n's execution data\)/);
	expect(out).toContain("skipped n8n's own resumeToken in 3 execution(s)");
	expect(status).toBe(0);
});

test.each<[string, string | Buffer]>([
	['plain', `secret=${SECRET}`],
	['Base64 at the start of a Base64 text', Buffer.from(`${SECRET}:x`).toString('base64')],
	['Base64 one byte in', Buffer.from(`a${SECRET}`).toString('base64')],
	['Base64 two bytes in, URL-safe', Buffer.from(`ab?${SECRET}>>`).toString('base64url')],
	['hex', Buffer.from(SECRET).toString('hex')],
	['HEX', Buffer.from(SECRET).toString('hex').toUpperCase()],
	['inside a URL query', `https://x.example/?s=${encodeURIComponent(SECRET)}`],
])('an APP_Secret in a log is found: %s', (_form, content) => {
	write('n8n-e2e-1/n8n.log', content);
	const { status, out } = scan();
	expect(out).toContain('FOUND 1 secret(s) or token(s)');
	expect(out).toContain('spec-vectors testCredential.appSecret');
	expect(out).not.toContain(SECRET);
	expect(status).toBe(1);
});

test('the emulator\'s APP_Secret (from the dev build) is looked for too', () => {
	write('soak.json', JSON.stringify({ leaked: defaultConfig().appSecret }));
	const { status, out } = scan();
	expect(out).toContain("the emulator's APP_Secret");
	expect(status).toBe(1);
});

test('a resume token anywhere but n8n\'s own field is found: a log, an output item, another table, shared execution data', () => {
	write('n8n-e2e-1/n8n.log', `POST /webhook-waiting/7?signature=${TOKEN}\n`);
	sqlite(path.join(dir, 'n8n-e2e-1/.n8n/database.sqlite'), [[7, executionData(TOKEN, true)]], { name: 'webhook_entity', value: `x${OTHER_TOKEN}y` });
	write('queue/postgres-dump/n8n.public.execution_data.jsonl', `${JSON.stringify({ executionId: 8, data: executionData(OTHER_TOKEN) })}\n`);
	const { status, out } = scan();
	expect(out).toContain('FOUND 3 secret(s) or token(s)');
	expect(out).toMatch(/n8n\.log @\d+: an n8n resume token \(received by the emulator/);
	expect(out).toMatch(/table execution_data row id 7 column data \(the execution data refers to its own resumeToken elsewhere too\)/);
	expect(out).toMatch(/table webhook_entity row id 1 column value @1: an n8n resume token \(an n8n execution's own resumeToken/);
	expect(out).not.toContain(TOKEN);
	expect(out).not.toContain(OTHER_TOKEN);
	expect(status).toBe(1);
});

test('a plaintext APP_Secret in a database is found, also in its raw file', () => {
	sqlite(path.join(dir, 'n8n-e2e-1/.n8n/database.sqlite'), [], { name: 'credentials_entity', value: JSON.stringify({ appSecret: SECRET }) });
	const { status, out } = scan();
	expect(out).toMatch(/database\.sqlite @\d+: APP_Secret/);
	expect(out).toMatch(/database\.sqlite table credentials_entity row id 1 column value @\d+: APP_Secret/);
	expect(status).toBe(1);
});

test('a PostgreSQL data directory is skipped (its dump is scanned); without tokens to look for, --require-tokens fails', () => {
	fs.rmSync(path.join(dir, 'wake-tokens'), { recursive: true });
	write('queue/postgres/PG_VERSION', '15\n');
	write('queue/postgres/base/1/1259', `binary ${TOKEN} ${SECRET}`);
	const plain = scan();
	expect(plain.out).toMatch(/skipped .*postgres \(a PostgreSQL data directory/);
	expect(plain.status).toBe(0);
	const strict = scan('--require-tokens');
	expect(strict.out).toContain('no resume token to look for');
	expect(strict.status).toBe(1);
});
