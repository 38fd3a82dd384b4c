/*
 * The built trigger node behind a real HTTP server (test/helpers/webhookHost.ts): replies, refusals,
 * duplicates, signatures and tokens over the wire.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import { request } from 'undici';

import { delay, fs, path, repoRoot } from '../../dev/node.cjs';
import { digestKey } from '../../nodes/HuaweiVoiceCallTrigger/trigger/deliveredCdrs';
import { STATIC_COPY_KEY } from '../../nodes/HuaweiVoiceCallTrigger/trigger/memory';
import { pushDigest } from '../../nodes/HuaweiVoiceCallTrigger/trigger/verify';
import { formatCreated } from '../../nodes/shared/platform/time';
import { AKSK_AUTHORIZATION } from '../../nodes/shared/transport/aksk';
import { startWebhookHost, type WebhookHost } from '../helpers/webhookHost';

const { testCredential } = JSON.parse(
	fs.readFileSync(path.join(repoRoot, 'test/fixtures/spec-vectors.json'), 'utf8'),
) as { testCredential: { appKey: string; appSecret: string } };

const JSON_TYPE = 'application/json;charset=UTF-8';

const ANSWER = {
	eventType: 'answer',
	statusInfo: { sessionId: 'sess-1', timestamp: '2026-01-01 00:00:04', caller: '+8675528000001', called: '+8613800000001' },
};

function cdr(i: number, extra: IDataObject = {}): IDataObject {
	return {
		spId: 'sp',
		appKey: testCredential.appKey,
		icid: `icid-${i}`,
		bindNum: '+8675520000000',
		sessionId: `sess-${i}`,
		callerNum: '+8675528000001',
		calleeNum: '+8613800000001',
		serviceType: '001',
		callOutAlertingTime: '2026-01-01 00:00:01',
		callOutAnswerTime: '2026-01-01 00:00:03',
		callEndTime: '2026-01-01 00:00:13',
		...extra,
	};
}

async function post(
	url: string,
	body: unknown,
	headers: Record<string, string> = { 'content-type': JSON_TYPE },
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
	const res = await request(url, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

let host: WebhookHost;

afterEach(async () => {
	await host?.stop();
});

describe('description and lifecycle', () => {
	let node: INodeType;
	beforeAll(async () => {
		host = await startWebhookHost();
		node = host.nodeType;
		await host.stop();
	});

	test('one POST webhook, onReceived, credential only for signature verification', () => {
		const d = node.description;
		expect(d.name).toBe('huaweiVoiceCallTrigger');
		expect(d.group).toEqual(['trigger']);
		expect(d.inputs).toEqual([]);
		expect(d.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }),
		]);
		expect(d.credentials).toEqual([
			expect.objectContaining({ name: 'huaweiVoiceCallApi', displayOptions: { show: { verifySignature: [true] } } }),
		]);
		expect((d as unknown as IDataObject).usableAsTool).toBeUndefined();
		const byName = Object.fromEntries(d.properties.map((p) => [p.name, p]));
		expect(byName.events.default).toEqual(['callout', 'alerting', 'answer', 'collectInfo', 'disconnect', 'cdr']);
		expect(byName.dropDuplicates.default).toBe(true);
		expect(byName.verifySignature.default).toBe(false);
		expect(byName.clockToleranceMinutes.default).toBe(15);
		expect(byName.token.default).toBe('');
		expect(byName.setupNotice.displayName).toMatch(/呼叫状态接收地址.*话单接收地址/);
	});

	test('webhookMethods remember the URL honestly', async () => {
		const staticData: IDataObject = {};
		let url = 'https://n8n.example.com/webhook/abc/webhook';
		const ctx = { getWorkflowStaticData: () => staticData, getNodeWebhookUrl: () => url };
		const methods = node.webhookMethods!.default!;
		expect(await methods.checkExists.call(ctx as never)).toBe(false);
		expect(await methods.create.call(ctx as never)).toBe(true);
		expect(await methods.checkExists.call(ctx as never)).toBe(true);
		url = 'https://other.example.com/webhook/abc/webhook';
		expect(await methods.checkExists.call(ctx as never)).toBe(false);
		expect(await methods.delete.call(ctx as never)).toBe(true);
		expect(staticData.webhookUrl).toBeUndefined();
	});
});

describe('replies', () => {
	beforeEach(async () => {
		host = await startWebhookHost();
	});

	test('accepted push → empty 200 (never "firstEntryJson"), one execution', async () => {
		const res = await post(host.url, ANSWER);
		expect(res.status).toBe(200);
		expect(res.body).toBe('');
		expect(res.headers['content-type']).toBe(JSON_TYPE);
		expect(host.executions).toHaveLength(1);
		expect(host.items[0]).toMatchObject({ event: 'answer', sessionId: 'sess-1', timestampIso: '2026-01-01T00:00:04.000Z' });
	});

	test.each<[string, string, Record<string, string>, number, RegExp]>([
		['invalid JSON as application/json (n8n refuses before the node)', '{"eventType":', { 'content-type': JSON_TYPE }, 422, /Failed to parse/],
		['non-JSON text as text/plain', 'eventType=answer', { 'content-type': 'text/plain' }, 415, /application\/json/],
		['JSON sent as text/plain', JSON.stringify(ANSWER), { 'content-type': 'text/plain' }, 415, /application\/json/],
		['form content type', 'a=1', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /application\/json/],
		['no content type', JSON.stringify(ANSWER), {}, 415, /application\/json/],
		['JSON but not a push', JSON.stringify({ hello: 'world' }), { 'content-type': JSON_TYPE }, 400, /eventType is missing/],
		['unknown eventType', JSON.stringify({ eventType: 'callin', statusInfo: { sessionId: 's' } }), { 'content-type': JSON_TYPE }, 400, /Unknown eventType/],
		['statusInfo of the wrong type', JSON.stringify({ eventType: 'answer', statusInfo: 'x' }), { 'content-type': JSON_TYPE }, 400, /statusInfo/],
		['feeLst missing', JSON.stringify({ eventType: 'fee' }), { 'content-type': JSON_TYPE }, 400, /feeLst/],
		['feeLst empty', JSON.stringify({ eventType: 'fee', feeLst: [] }), { 'content-type': JSON_TYPE }, 400, /feeLst is empty/],
		['empty body', '', { 'content-type': JSON_TYPE }, 400, /empty/],
		['JSON array', '[]', { 'content-type': JSON_TYPE }, 400, /not a JSON object/],
	])('%s → refused, no execution', async (_name, body, headers, status, message) => {
		const res = await post(host.url, body, headers);
		expect(res.status).toBe(status);
		expect(res.body).toMatch(message);
		expect(host.executions).toHaveLength(0);
	});

	test('too large (> 1 MB) → 413, no execution', async () => {
		const big = { ...ANSWER, statusInfo: { ...ANSWER.statusInfo, userData: 'x'.repeat(1024 * 1024) } };
		const res = await post(host.url, big);
		expect(res.status).toBe(413);
		expect(host.executions).toHaveLength(0);
	});

	test('51 CDRs → 400; 50 CDRs → one execution with 50 items', async () => {
		const records = Array.from({ length: 51 }, (_, i) => cdr(i));
		const refused = await post(host.url, { eventType: 'fee', feeLst: records });
		expect(refused.status).toBe(400);
		expect(host.executions).toHaveLength(0);
		const accepted = await post(host.url, { eventType: 'fee', feeLst: records.slice(0, 50) });
		expect(accepted.status).toBe(200);
		expect(host.executions).toHaveLength(1);
		expect(host.executions[0].items).toHaveLength(50);
		expect(host.executions[0].items.map((item) => item.sessionId)).toEqual(records.slice(0, 50).map((r) => r.sessionId));
		expect(host.executions[0].items[7]).toMatchObject({ event: 'cdr', callType: 'notification', outcome: 'answered', talkSeconds: 10, ringSeconds: 2 });
	});

	test('unselected events → 200 and no execution; selected → execution', async () => {
		host.parameters.events = ['disconnect'];
		expect((await post(host.url, ANSWER)).status).toBe(200);
		expect((await post(host.url, { eventType: 'fee', feeLst: [cdr(1)] })).status).toBe(200);
		expect(host.executions).toHaveLength(0);
		const res = await post(host.url, { eventType: 'disconnect', statusInfo: { sessionId: 'sess-1', timestamp: '2026-01-01 00:00:24', stateCode: 0 } });
		expect(res.status).toBe(200);
		expect(host.executions).toHaveLength(1);
		// The unselected answer was remembered: talk time is computable.
		expect(host.items[0]).toMatchObject({ event: 'disconnect', talkSeconds: 20, outcome: 'answered' });
	});
});

describe('duplicate CDRs', () => {
	beforeEach(async () => {
		host = await startWebhookHost();
	});

	test('a hand re-sent push runs the workflow once; a partly new push runs only the new record', async () => {
		const push = { eventType: 'fee', feeLst: [cdr(1), cdr(2)] };
		expect((await post(host.url, push)).status).toBe(200);
		const again = await post(host.url, push);
		expect(again.status).toBe(200);
		expect(again.body).toBe('');
		expect(host.executions).toHaveLength(1);
		expect((await post(host.url, { eventType: 'fee', feeLst: [cdr(2), cdr(3)] })).status).toBe(200);
		expect(host.executions).toHaveLength(2);
		expect(host.executions[1].items.map((item) => item.sessionId)).toEqual(['sess-3']);
		// The best-effort copy for restarts: digests of the delivered records, newest last.
		expect(host.nodeStaticData[STATIC_COPY_KEY]).toEqual(['sess-1|icid-1', 'sess-2|icid-2', 'sess-3|icid-3'].map((key) => digestKey(`cdr|${key}`)));
	});

	test('with Drop Duplicate CDRs off, a re-sent push runs again', async () => {
		host.parameters.dropDuplicates = false;
		const push = { eventType: 'fee', feeLst: [cdr(1)] };
		await post(host.url, push);
		await post(host.url, push);
		expect(host.executions).toHaveLength(2);
	});
});

describe('signature verification', () => {
	const created = (offsetMs = 0, tz: 'utc' | 'utc+8' = 'utc') => formatCreated(new Date(Date.now() + offsetMs), tz);

	function signed(url: string, variant: 'newline' | 'concat', options: { nonce?: string; created?: string; digestUrl?: string } = {}) {
		const nonce = options.nonce ?? 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
		const time = options.created ?? created();
		const digest = pushDigest(testCredential.appSecret, options.digestUrl ?? url, nonce, time, variant);
		return {
			'content-type': JSON_TYPE,
			authorization: AKSK_AUTHORIZATION,
			'x-aksk': `UsernameToken Username="${testCredential.appKey}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${time}"`,
		};
	}

	beforeEach(async () => {
		host = await startWebhookHost({ parameters: { verifySignature: true }, credentials: testCredential });
	});

	test.each(['newline', 'concat'] as const)('valid %s signature → runs', async (variant) => {
		const res = await post(host.url, ANSWER, signed(host.url, variant));
		expect(res.status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	test('Created in UTC+8 (Beijing time with Z) → runs', async () => {
		const res = await post(host.url, ANSWER, signed(host.url, 'newline', { created: created(0, 'utc+8') }));
		expect(res.status).toBe(200);
		expect(host.executions).toHaveLength(1);
	});

	test('signed over the URL with its query string → runs', async () => {
		const url = `${host.url}?tenant=a`;
		const res = await post(url, ANSWER, signed(url, 'concat'));
		expect(res.status).toBe(200);
	});

	test('tampered digest, url, nonce; expired Created; missing headers → 401, no execution', async () => {
		const good = signed(host.url, 'newline');
		// Another first character, always: the digest changes with Created, and one in 64 starts with "A".
		const tamperedDigest = { ...good, 'x-aksk': good['x-aksk'].replace(/PasswordDigest="(.)/, (_, c: string) => `PasswordDigest="${c === 'A' ? 'B' : 'A'}`) };
		const tamperedNonce = { ...good, 'x-aksk': good['x-aksk'].replace(/Nonce="./, 'Nonce="Z') };
		const otherUrl = signed(host.url, 'newline', { digestUrl: host.url.replace('/webhook/', '/webhook-test/') });
		const expired = signed(host.url, 'newline', { created: created(-16 * 60000) });
		const unsigned = { 'content-type': JSON_TYPE };
		for (const headers of [tamperedDigest, tamperedNonce, otherUrl, expired, unsigned]) {
			const res = await post(host.url, ANSWER, headers);
			expect(res.status).toBe(401);
			expect(res.body).not.toMatch(/Digest|Created|nonce/i);
		}
		expect(host.executions).toHaveLength(0);
		expect(host.logs.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
			expect.stringMatching(/PasswordDigest does not match/),
			expect.stringMatching(/PasswordDigest does not match/),
			expect.stringMatching(/PasswordDigest does not match/),
			expect.stringMatching(/clock window/),
			expect.stringMatching(/Authorization header missing/),
		]);
	});

	test('the clock tolerance option applies', async () => {
		host.parameters.clockToleranceMinutes = 30;
		const res = await post(host.url, ANSWER, signed(host.url, 'newline', { created: created(-20 * 60000) }));
		expect(res.status).toBe(200);
	});

	test('a push behind a proxy is verified against the public URL n8n reports', async () => {
		host.publicUrl = 'https://n8n.example.com/webhook/6f1c1a4e-93b5-4c55-9d8e-0d1f3b0e7a11/webhook';
		expect((await post(host.url, ANSWER, signed(host.url, 'newline'))).status).toBe(401);
		expect((await post(host.url, ANSWER, signed(host.publicUrl, 'newline'))).status).toBe(200);
	});
});

describe('token check', () => {
	beforeEach(async () => {
		host = await startWebhookHost({ parameters: { token: 'tok-9f8e7d' } });
	});

	test('right token → runs; wrong or missing → 401', async () => {
		expect((await post(`${host.url}?token=tok-9f8e7d`, ANSWER)).status).toBe(200);
		expect((await post(`${host.url}?token=tok-9f8e7e`, ANSWER)).status).toBe(401);
		expect((await post(`${host.url}?token=`, ANSWER)).status).toBe(401);
		expect((await post(host.url, ANSWER)).status).toBe(401);
		expect(host.executions).toHaveLength(1);
	});

	test('the token is checked before the body: a bad body without token is 401, not 400', async () => {
		expect((await post(host.url, { nope: true })).status).toBe(401);
	});
});

describe('pushes of waiting calls (call and wait)', () => {
	const TOKEN = '0123456789abcdef'.repeat(4);
	const waiting = (event: string, extra: IDataObject = {}) => ({
		eventType: event,
		statusInfo: { sessionId: 'sess-wait', timestamp: '2026-12-01 10:00:00', userData: `order-1|n8n-wake:77.${TOKEN}`, ...extra },
	});

	afterEach(async () => await host?.stop());

	test('the token is stripped, the push is relayed to the waiting execution, and this workflow does not run', async () => {
		host = await startWebhookHost();
		const res = await post(host.url, waiting('collectInfo', { digitInfo: '1' }));
		expect(res.status).toBe(200);
		await host.waitForOutgoing(1);
		expect(host.executions).toHaveLength(0);
		const [relay] = host.outgoing;
		expect(relay.method).toBe('POST');
		expect(relay.url).toBe(`${new URL(host.url).origin}/webhook-waiting/77?signature=${TOKEN}`);
		expect(relay.body).toMatchObject({ source: 'huaweiVoiceCallTrigger', push: { event: 'collectInfo', digits: '1', userData: 'order-1', waitingExecutionId: '77' } });
		expect(JSON.stringify(relay.body)).not.toContain(TOKEN);
		expect(JSON.stringify(host.logs)).not.toContain(TOKEN);
	});

	test('with "Start Workflow for Pushes of Waiting Calls" the item runs too, without the token', async () => {
		host = await startWebhookHost({ parameters: { options: { runForWaitingCalls: true } } });
		await post(host.url, waiting('disconnect', { stateCode: 0 }));
		await host.waitForOutgoing(1);
		expect(host.executions).toHaveLength(1);
		expect(host.executions[0].items[0]).toMatchObject({ userData: 'order-1', waitingExecutionId: '77', event: 'disconnect' });
		expect(JSON.stringify(host.executions[0].items)).not.toContain(TOKEN);
	});

	test('n8n refusing the token (401) is logged without the token and not retried', async () => {
		host = await startWebhookHost();
		host.outgoingAnswer = { statusCode: 401, body: { error: 'Invalid token' } };
		await post(host.url, waiting('disconnect', { stateCode: 0 }));
		await host.waitForOutgoing(1);
		const deadline = Date.now() + 5_000;
		while (!host.logs.some((log) => /refused/.test(log.message)) && Date.now() < deadline) await delay(5);
		expect(host.outgoing).toHaveLength(1);
		expect(host.logs.find((log) => /refused/.test(log.message))?.level).toBe('warn');
		expect(JSON.stringify(host.logs)).not.toContain(TOKEN);
	});

	test('events that cannot end a wait (callout, alerting, answer) are not forwarded, but their token is stripped', async () => {
		host = await startWebhookHost({ parameters: { options: { runForWaitingCalls: true } } });
		for (const event of ['callout', 'alerting', 'answer']) expect((await post(host.url, waiting(event))).status).toBe(200);
		await post(host.url, waiting('disconnect', { stateCode: 0 }));
		await host.waitForOutgoing(1);
		expect(host.outgoing.map((request) => (request.body as { push: { event: string } }).push.event)).toEqual(['disconnect']);
		expect(host.executions.map((execution) => execution.items[0].userData)).toEqual(['order-1', 'order-1', 'order-1', 'order-1']);
	});

	test('with a Token set, an unauthenticated push is refused before anything is relayed', async () => {
		host = await startWebhookHost({ parameters: { token: 's3cret' } });
		const res = await post(host.url, waiting('collectInfo', { digitInfo: '1' }));
		expect(res.status).toBe(401);
		expect(host.outgoing).toHaveLength(0);
		expect(host.executions).toHaveLength(0);
	});
});
