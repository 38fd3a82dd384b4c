/**
 * Property-based tests of the trigger's push handling (fast-check): the parser (`parsePush`,
 * `parsePushText`) and the whole `webhook()` behind a real HTTP server (test/helpers/webhookHost.ts,
 * n8n's own body handling in front of it). Inputs: arbitrary JSON, mutations of real pushes (the
 * examples of docs/platform.md §8.3/§8.4 and what the emulator pushes), huge and deep values, odd
 * encodings and content types.
 *
 * Properties: the parser never throws and every refusal has a short reason; the webhook always
 * answers 200 or 4xx (never 5xx), and a 4xx starts no execution; every push of a documented shape
 * (generated within the field limits of trigger/pushShape.ts) is accepted and becomes its items.
 *
 * Runs are bounded so `npm test` stays fast; FUZZ_RUNS=<n> multiplies them (e.g. FUZZ_RUNS=50).
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';
import { request } from 'undici';

import { startEmulator } from '../../emulator';
import { fs, path, proc, repoRoot } from '../../dev/node.cjs';
import { CDR_RECORDS_MAX, COLLECT_DIGITS_MAX, SESSION_ID_MAX_LENGTH, USER_DATA_MAX_LENGTH } from '../../nodes/shared/platform/fields';
import { parsePush, parsePushText } from '../../nodes/HuaweiVoiceCallTrigger/trigger/parse';
import { MAX_BODY_BYTES, MAX_PUSH_DEPTH, PUSH_FIELD_MAX_LENGTH } from '../../nodes/HuaweiVoiceCallTrigger/trigger/pushShape';
import { STATUS_EVENTS } from '../../nodes/HuaweiVoiceCallTrigger/trigger/status';
import { api, b64, callbackBody, notifyBody, PATHS, type RawResponse } from '../emulator/client';
import { startReceiver } from '../helpers/receiver';
import { startWebhookHost, type WebhookHost } from '../helpers/webhookHost';

const SCALE = Math.max(1, Number(proc.env.FUZZ_RUNS) || 1);
const runs = (n: number) => ({ numRuns: Math.round(n * SCALE) });
/** The longest reason a refusal may send back (it must not echo a hostile body). */
const MAX_REASON = 200;

// ---------------------------------------------------------------------------------------------
// Real pushes: the documents' examples and the emulator's own

/** The JSON examples in the code blocks of docs/platform.md §8.3 and §8.4 (blocks that are not JSON are skipped). */
function documentedPushes(): IDataObject[] {
	const text = fs.readFileSync(path.join(repoRoot, 'docs/platform.md'), 'utf8');
	const section = text.slice(text.indexOf('### 8.3 '), text.indexOf('## 9. '));
	const pushes: IDataObject[] = [];
	for (const [, block] of section.matchAll(/```json\n([\s\S]*?)```/g)) {
		const candidates = [block, ...block.split('\n')];
		for (const candidate of candidates) {
			try {
				const value = JSON.parse(candidate) as IDataObject;
				if (typeof value?.eventType === 'string') pushes.push(value);
				if (candidate === block) break;
			} catch {
				// Not JSON on its own (a block of several lines, or a schematic one).
			}
		}
	}
	return pushes;
}

/** What the emulator pushes for a notification with DTMF and for a recorded callback. */
async function emulatorPushes(): Promise<IDataObject[]> {
	const receiver = await startReceiver();
	const emulator = await startEmulator({ config: { timeScale: 0.001, cdrMergeWindowMs: 5 } });
	try {
		const urls = { statusUrl: b64(receiver.url('/status')), feeUrl: b64(receiver.url('/fee')) };
		const sessionIdOf = async (answer: Promise<RawResponse>) => {
			const res = await answer;
			expect(res.json?.resultcode).toBe('0');
			return String(res.json?.sessionId);
		};
		const ids = [
			await sessionIdOf(api(emulator, PATHS.callNotify, notifyBody({ ...urls, userData: 'order-42', playInfoList: [{ notifyVoice: 'notifyvoice.wav', collectInd: 1 }] }))),
			await sessionIdOf(api(emulator, PATHS.click2Call, callbackBody({ ...urls, recordFlag: 'true', partyTypeRequiredInDisconnect: 'true' }))),
		];
		for (const id of ids) await emulator.waitForCall(id, 'settled');
		return receiver.requests.map((req) => req.json as IDataObject);
	} finally {
		await emulator.stop();
		await receiver.stop();
	}
}

let realPushes: IDataObject[] = [];
let host: WebhookHost;
/** A second host that keeps duplicate CDRs, so a generated push's items can be counted. */
let countingHost: WebhookHost;

beforeAll(async () => {
	const documented = documentedPushes();
	const emulated = await emulatorPushes();
	// The documents show a callout, a collectInfo, a disconnect and a CDR; the emulator every event of two calls.
	expect(documented.map((p) => p.eventType)).toEqual(['callout', 'collectInfo', 'disconnect', 'fee']);
	expect(new Set(emulated.map((p) => p.eventType))).toEqual(new Set([...STATUS_EVENTS, 'fee']));
	realPushes = [...documented, ...emulated];
	host = await startWebhookHost();
	countingHost = await startWebhookHost({ parameters: { dropDuplicates: false } });
});

afterAll(async () => {
	await host?.stop();
	await countingHost?.stop();
});

// ---------------------------------------------------------------------------------------------
// Generators

/** One of the real pushes (filled in beforeAll, hence picked when generating), as a fresh copy. */
const realPush = () => fc.nat().map((i) => JSON.parse(JSON.stringify(realPushes[i % realPushes.length])) as IDataObject);

/** A JSON value that is also odd: long strings, deep-ish nesting, special keys. */
const oddJson = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small' },
		fc.jsonValue({ maxDepth: 3 }),
		fc.string({ unit: 'binary', maxLength: 2000 }),
		fc.constantFrom('__proto__', 'constructor', 'toString', '', '\u0000', '\uFEFF', '\uD800', '1e309', '2019-01-24 03:04:24', '+8613800000001'),
		fc.constantFrom(Number.POSITIVE_INFINITY, Number.NaN, -0, Number.MAX_SAFE_INTEGER + 2, 0.1, -1, 8017, null, true),
		fc.array(tie('value'), { maxLength: 4 }),
		fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'sessionId', 'timestamp', 'feeLst', 'statusInfo', 'eventType')), tie('value'), {
			maxKeys: 5,
		}),
	),
})).value;

/** A real push with one to four mutations: a field deleted, replaced by an odd value, added, or the whole thing wrapped. */
const mutatedPush = fc
	.tuple(
		realPush(),
		fc.array(
			fc.record({
				op: fc.constantFrom('delete', 'replace', 'add', 'wrap', 'emptyList', 'hugeList'),
				pick: fc.nat(),
				value: oddJson,
				key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('__proto__', 'eventType', 'sessionId', 'feeLst', 'statusInfo', 'stateCode')),
			}),
			{ minLength: 1, maxLength: 4 },
		),
	)
	.map(([push, mutations]) => {
		let body: unknown = push;
		for (const { op, pick, value, key } of mutations) {
			// Containers of the push: the body, statusInfo, feeLst and its records.
			const containers: IDataObject[] = [];
			const walk = (node: unknown, depth: number) => {
				if (typeof node !== 'object' || node === null || depth > 3) return;
				containers.push(node as IDataObject);
				for (const child of Object.values(node as IDataObject)) walk(child, depth + 1);
			};
			walk(body, 0);
			if (op === 'wrap') {
				body = pick % 2 === 0 ? [body] : { body };
				continue;
			}
			if (containers.length === 0) continue;
			const target = containers[pick % containers.length];
			const keys = Object.keys(target);
			const field = keys.length > 0 ? keys[pick % keys.length] : key;
			if (op === 'delete') delete target[field];
			else if (op === 'replace') target[field] = value as IDataObject[string];
			else if (op === 'add') Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
			else if (op === 'emptyList') target[field] = [];
			else target[field] = Array.from({ length: CDR_RECORDS_MAX + 1 + (pick % 3) }, () => ({ sessionId: 'x' }));
		}
		return body;
	});

/** A push's JSON text with byte-level damage: truncated, a character replaced or inserted. */
const damagedText = fc
	.tuple(realPush(), fc.constantFrom('truncate', 'replace', 'insert'), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }))
	.map(([push, op, at, chars]) => {
		const text = JSON.stringify(push);
		const i = at % (text.length + 1);
		if (op === 'truncate') return text.slice(0, i);
		if (op === 'replace') return text.slice(0, i) + chars + text.slice(i + 1);
		return text.slice(0, i) + chars + text.slice(i);
	});

/**
 * A string that fits a documented limit (UTF-16 units, as the trigger counts them); one in four has
 * exactly the limit's length, since random strings are short.
 */
const text = (max: number, min = 0) =>
	fc.oneof(
		{ arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: max }), weight: 3 },
		{ arbitrary: fc.string({ unit: 'binary-ascii', minLength: max, maxLength: max }), weight: 1 },
	)
		.map((s) => s.slice(0, max))
		.filter((s) => s.length >= min);
const platformTime = fc
	.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
	.map((d) => d.toISOString().slice(0, 19).replace('T', ' '));
const phone = fc.stringMatching(/^\+\d{4,30}$/);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function defined(record: Record<string, unknown>): IDataObject {
	return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as IDataObject;
}

/** One field of a documented push table (docs/platform.md §8.3 statusInfo, §8.4 FeeInfo). */
interface DocumentedField {
	name: string;
	integer: boolean;
	/** An Integer 0–1 (direction, recordFlag). */
	binary: boolean;
	/** The documented String(1-N) limit, when there is one. */
	max?: number;
	required: boolean;
}

/**
 * The fields of a push table, read from docs/platform.md itself, so the generated pushes follow the
 * documents and not the limits the trigger chose (trigger/pushShape.ts), which they check.
 */
function documentedFields(from: string, to: string): DocumentedField[] {
	const text = fs.readFileSync(path.join(repoRoot, 'docs/platform.md'), 'utf8');
	const section = text.slice(text.indexOf(from), text.indexOf(to));
	const fields: DocumentedField[] = [];
	for (const line of section.split('\n')) {
		const row = /^\| ((?:`\w+`(?:, )?)+) \| ([^|]+) \| ([^|]*) \|/.exec(line);
		if (!row) continue;
		const [, names, type, presence] = row;
		if (!/^(String|Integer)/.test(type)) continue;
		const limit = /String\(1-(\d+)\)/.exec(type);
		for (const [, name] of names.matchAll(/`(\w+)`/g)) {
			fields.push({
				name,
				integer: type.startsWith('Integer'),
				binary: /^Integer 0[–-]1/.test(type),
				max: limit ? Number(limit[1]) : undefined,
				required: /required/.test(type) || /^always$/.test(presence.trim()),
			});
		}
	}
	return fields;
}

/** A value of a documented field: within its documented limit, or realistic where the table gives none. */
function documentedValue(field: DocumentedField): fc.Arbitrary<unknown> {
	const min = field.required ? 1 : 0;
	if (field.integer) return field.binary ? fc.constantFrom(0, 1) : fc.integer({ min: 0, max: 9999 });
	if (field.name === 'timestamp' || field.name.endsWith('Time')) {
		return field.max === undefined ? platformTime : fc.oneof(platformTime, text(field.max, Math.max(min, 1)));
	}
	// Digits pressed: at most collectInd (0–32) keys (§6.1).
	if (field.name === 'digitInfo') return fc.stringMatching(new RegExp(`^[0-9*#]{0,${COLLECT_DIGITS_MAX}}$`));
	if (field.max !== undefined) return text(field.max, min);
	// A String without a documented length: numbers, codes and ids.
	return fc.oneof(phone, text(32, min));
}

function documentedObject(fields: DocumentedField[]): fc.Arbitrary<IDataObject> {
	const model: Record<string, fc.Arbitrary<unknown>> = {};
	for (const field of fields) model[field.name] = field.required ? documentedValue(field) : optional(documentedValue(field));
	return fc.record(model).map((record) => defined(record));
}

const STATUS_FIELDS = documentedFields('### 8.3 ', '### 8.4 ');
const CDR_FIELDS = documentedFields('### 8.4 ', '## 9. ');

/** A status push of the documented shape (§8.3), optional fields present or not. */
const documentedStatusPush = fc
	.tuple(fc.constantFrom(...STATUS_EVENTS), documentedObject(STATUS_FIELDS))
	.map(([event, statusInfo]) => ({ eventType: event, statusInfo }));

/** A CDR push of the documented shape (§8.4): 1–50 records. */
const documentedCdrPush = fc
	.array(documentedObject(CDR_FIELDS), { minLength: 1, maxLength: CDR_RECORDS_MAX })
	.map((records) => ({ eventType: 'fee', feeLst: records }));

const anyDocumentedPush: fc.Arbitrary<IDataObject> = fc.oneof(documentedStatusPush, documentedCdrPush);

// ---------------------------------------------------------------------------------------------
// The parser

/** The parser's result for a value, which must never throw. */
function checkParsed(result: ReturnType<typeof parsePush>): void {
	if (result.ok) {
		// Items are plain JSON data: they survive n8n's JSON round trip (lone surrogates become escapes).
		const items = result.kind === 'status' ? [result.item] : result.items;
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) expect(() => JSON.stringify(item)).not.toThrow();
	} else {
		expect(typeof result.reason).toBe('string');
		expect(result.reason.length).toBeGreaterThan(0);
		expect(result.reason.length).toBeLessThanOrEqual(MAX_REASON);
	}
}

describe('parsePush and parsePushText never throw, and refuse with a short reason', () => {
	it('arbitrary JSON values', () => {
		fc.assert(
			fc.property(oddJson, (value) => {
				checkParsed(parsePush(value));
				checkParsed(parsePushText(JSON.stringify(value) ?? ''));
			}),
			runs(500),
		);
	});

	it('mutated real pushes', () => {
		fc.assert(
			fc.property(mutatedPush, (body) => {
				checkParsed(parsePush(body));
				checkParsed(parsePushText(JSON.stringify(body)));
			}),
			runs(500),
		);
	});

	it('damaged push texts and arbitrary strings', () => {
		fc.assert(
			fc.property(fc.oneof(damagedText, fc.string({ unit: 'binary', maxLength: 500 })), (body) => checkParsed(parsePushText(body))),
			runs(500),
		);
	});

	it('huge and deep values: long strings and keys, many keys and records, nesting far past the limit', () => {
		const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
		const deepObject = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
		let nested: unknown = 1;
		for (let i = 0; i < 100_000; i++) nested = { statusInfo: nested };
		const longKey = 'k'.repeat(500_000);
		const cases: Array<[string, unknown]> = [
			['a 100000-deep array text', deepArray(100_000)],
			['a 100000-deep object text', deepObject(100_000)],
			['deep inside a push', `{"eventType":"fee","feeLst":[${deepArray(50_000)}]}`],
			['brackets inside strings do not count', JSON.stringify({ eventType: 'callout', statusInfo: { sessionId: '[[[[[[[[', timestamp: '{{{{{{' } })],
			['a 100000-deep parsed value', nested],
			['a 900 KB string value', { eventType: 'callout', statusInfo: { sessionId: 'x'.repeat(900_000) } }],
			['a 500 KB key', { eventType: 'callout', statusInfo: { sessionId: 's', [longKey]: 'x'.repeat(2000) } }],
			['a 500 KB key in a record', { eventType: 'fee', feeLst: [{ sessionId: 's', [longKey]: 'x'.repeat(2000) }] }],
			['50000 keys', { eventType: 'callout', statusInfo: Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])) }],
			['100000 records', { eventType: 'fee', feeLst: Array.from({ length: 100_000 }, (_, i) => ({ sessionId: `s${i}` })) }],
			['a 900 KB eventType', { eventType: 'x'.repeat(900_000), statusInfo: { sessionId: 's' } }],
		];
		for (const [what, value] of cases) {
			const result = typeof value === 'string' ? parsePushText(value) : parsePush(value);
			expect([what, result.ok]).toEqual([what, what === 'brackets inside strings do not count']);
			checkParsed(result);
			// (JSON.stringify itself cannot write the 100000-deep value: its text case is above.)
			if (typeof value !== 'string' && value !== nested) checkParsed(parsePushText(JSON.stringify(value)));
		}
		expect(parsePushText(deepArray(MAX_PUSH_DEPTH + 1))).toMatchObject({ ok: false, reason: expect.stringContaining('nested deeper') });
	});

	it('the documented tables were read, and the trigger allows every documented length', () => {
		const byName = (fields: DocumentedField[]) => Object.fromEntries(fields.map((f) => [f.name, f]));
		expect(byName(STATUS_FIELDS)).toMatchObject({ sessionId: { max: SESSION_ID_MAX_LENGTH, required: true }, timestamp: { required: true }, stateCode: { integer: true }, userData: { max: USER_DATA_MAX_LENGTH } });
		expect(byName(CDR_FIELDS)).toMatchObject({ spId: { max: 32, required: true }, sessionId: { required: true }, recordFileDownloadUrl: { max: 1024 }, ulFailReason: { integer: true }, recordFlag: { binary: true } });
		expect(CDR_FIELDS.length).toBeGreaterThan(35);
		for (const field of [...STATUS_FIELDS, ...CDR_FIELDS]) {
			if (field.max !== undefined && Object.prototype.hasOwnProperty.call(PUSH_FIELD_MAX_LENGTH, field.name)) {
				expect([field.name, PUSH_FIELD_MAX_LENGTH[field.name] >= field.max]).toEqual([field.name, true]);
			}
		}
	});

	it('every documented push shape is accepted, with one item per record', () => {
		fc.assert(
			fc.property(anyDocumentedPush, (push) => {
				for (const result of [parsePush(push), parsePushText(JSON.stringify(push)), parsePushText(`\uFEFF${JSON.stringify(push)}\n`)]) {
					expect(result).toMatchObject({ ok: true });
					if (!result.ok) return;
					if (push.eventType === 'fee') {
						expect(result.kind).toBe('cdr');
						if (result.kind === 'cdr') expect(result.items.map((item) => item.sessionId)).toEqual((push.feeLst as IDataObject[]).map((r) => r.sessionId));
					} else {
						expect(result).toMatchObject({ kind: 'status', event: push.eventType, item: { sessionId: (push.statusInfo as IDataObject).sessionId } });
					}
				}
			}),
			runs(200),
		);
	});
});

// ---------------------------------------------------------------------------------------------
// The whole webhook(), over HTTP

interface Posted {
	status: number;
	body: string;
	executed: boolean;
}

async function post(target: WebhookHost, body: Buffer | string, contentType: string | undefined): Promise<Posted> {
	const before = target.requests.length;
	const res = await request(target.url, {
		method: 'POST',
		headers: contentType === undefined ? {} : { 'content-type': contentType },
		body,
	});
	const text = await res.body.text();
	// The host records the request once its reply is written.
	const record = target.requests[before];
	expect(record).toBeDefined();
	return { status: res.statusCode, body: text, executed: record.executed };
}

/** Never a 5xx; a refusal starts nothing and says why briefly. */
function checkReply(reply: Posted): void {
	const ok = reply.status === 200 || (reply.status >= 400 && reply.status < 500);
	expect([reply.status, ok]).toEqual([reply.status, true]);
	if (reply.status !== 200) {
		expect(reply.executed).toBe(false);
		expect(reply.body.length).toBeLessThanOrEqual(MAX_REASON + 100);
	}
}

const JSON_TYPES = ['application/json', 'application/json;charset=UTF-8', 'application/json; charset=utf-8', 'text/json', 'application/vnd.huawei+json'];
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json;charset=utf-16le', 'application/json;charset=latin1', 'APPLICATION/JSON', ''];
const contentType = fc.option(fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES), { nil: undefined });

/** Odd encodings of a text: UTF-8 with a BOM, UTF-16 with and without BOM, Latin-1, invalid UTF-8 bytes spliced in. */
const encoded = (textArb: fc.Arbitrary<string>) =>
	fc.tuple(textArb, fc.constantFrom('utf8', 'bom', 'utf16le', 'utf16bom', 'latin1', 'invalid'), fc.nat()).map(([value, encoding, at]) => {
		switch (encoding) {
			case 'utf8':
				return Buffer.from(value, 'utf8');
			case 'bom':
				return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(value, 'utf8')]);
			case 'utf16le':
				return Buffer.from(value, 'utf16le');
			case 'utf16bom':
				return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(value, 'utf16le')]);
			case 'latin1':
				return Buffer.from(value, 'latin1');
			default: {
				const bytes = Buffer.from(value, 'utf8');
				const i = at % (bytes.length + 1);
				return Buffer.concat([bytes.subarray(0, i), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]), bytes.subarray(i)]);
			}
		}
	});

describe('webhook(): always 200 or 4xx, a 4xx starts nothing', () => {
	it('arbitrary JSON and mutated real pushes, with any content type', async () => {
		await fc.assert(
			fc.asyncProperty(fc.oneof(oddJson, mutatedPush), contentType, async (value, type) => {
				checkReply(await post(host, JSON.stringify(value) ?? 'undefined', type));
			}),
			runs(150),
		);
	});

	it('damaged texts and arbitrary bytes in odd encodings', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.oneof(encoded(fc.oneof(damagedText, realPush().map((p) => JSON.stringify(p)))), fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes))),
				contentType,
				async (body, type) => {
					checkReply(await post(host, body, type));
				},
			),
			runs(150),
		);
	});

	it('huge and deep bodies: 413 past the size limit, 400 for deep or overlong values', async () => {
		const push = JSON.stringify({ eventType: 'callout', statusInfo: { sessionId: 's', timestamp: '2019-01-24 03:04:24' } });
		const cases: Array<[string, string, number]> = [
			['1 MB + 1 byte', push.slice(0, -1) + ' '.repeat(MAX_BODY_BYTES + 1 - push.length) + '}', 413],
			['a 100000-deep array', '['.repeat(100_000) + ']'.repeat(100_000), 400],
			['a 900 KB field', JSON.stringify({ eventType: 'callout', statusInfo: { sessionId: 'x'.repeat(900_000) } }), 400],
			['a 500 KB key', JSON.stringify({ eventType: 'callout', statusInfo: { sessionId: 's', ['k'.repeat(500_000)]: 1 } }), 400],
			['51 records', JSON.stringify({ eventType: 'fee', feeLst: Array.from({ length: 51 }, (_, i) => ({ sessionId: `s${i}` })) }), 400],
			['just under 1 MB of whitespace around a valid push', push + ' '.repeat(MAX_BODY_BYTES - push.length - 10), 200],
		];
		for (const [what, body, status] of cases) {
			const reply = await post(host, body, 'application/json;charset=UTF-8');
			expect([what, reply.status]).toEqual([what, status]);
			checkReply(reply);
		}
	});

	it('every documented push shape is answered 200 and starts an execution with its items', async () => {
		await fc.assert(
			fc.asyncProperty(anyDocumentedPush, fc.constantFrom(...JSON_TYPES), async (push, type) => {
				const executionsBefore = countingHost.executions.length;
				const reply = await post(countingHost, JSON.stringify(push), type);
				expect([reply.status, reply.body, reply.executed]).toEqual([200, '', true]);
				const items = countingHost.executions[executionsBefore].items;
				const expected = push.eventType === 'fee' ? (push.feeLst as IDataObject[]).length : 1;
				expect(items).toHaveLength(expected);
			}),
			runs(60),
		);
	});

	it('every real push is still accepted (the documents\' examples and the emulator\'s)', async () => {
		for (const push of realPushes) {
			const reply = await post(countingHost, JSON.stringify(push), 'application/json;charset=UTF-8');
			expect([push.eventType, reply.status]).toEqual([push.eventType, 200]);
		}
	});
});
