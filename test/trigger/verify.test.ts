import { dropDeliveredRecords } from '../../nodes/HuaweiVoiceCallTrigger/trigger/dedupe';
import { applyStatusEvent, type TimelineMemory } from '../../nodes/HuaweiVoiceCallTrigger/trigger/timeline';
import {
	candidateUrls,
	isCreatedFresh,
	pushDigest,
	rawQueryOf,
	safeEqual,
	verifyPushSignature,
	verifyToken,
} from '../../nodes/HuaweiVoiceCallTrigger/trigger/verify';
import { AKSK_AUTHORIZATION } from '../../nodes/shared/transport/aksk';
import { fs, path, repoRoot } from '../../dev/node.cjs';

const vectors = JSON.parse(
	fs.readFileSync(path.join(repoRoot, 'test/fixtures/spec-vectors.json'), 'utf8'),
) as {
	requestSigning: { appKey: string };
	pushSigning: { appSecret: string; url: string; nonce: string; created: string; newlineDigest: string; concatDigest: string };
	testCredential: { appKey: string; appSecret: string };
};
const V = vectors.pushSigning;
const APP_KEY = vectors.requestSigning.appKey;
const CREATED_MS = Date.parse(V.created);

function headersFor(digest: string, overrides: Partial<Record<'Username' | 'Nonce' | 'Created', string>> = {}) {
	const username = overrides.Username ?? APP_KEY;
	const nonce = overrides.Nonce ?? V.nonce;
	const created = overrides.Created ?? V.created;
	return {
		authorization: AKSK_AUTHORIZATION,
		'x-aksk': `UsernameToken Username="${username}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${created}"`,
	};
}

function verify(headers: Record<string, unknown>, options: { urls?: string[]; nowMs?: number; windowSeconds?: number } = {}) {
	return verifyPushSignature({
		headers,
		appKey: APP_KEY,
		appSecret: V.appSecret,
		urls: options.urls ?? [V.url],
		nowMs: options.nowMs ?? CREATED_MS,
		windowSeconds: options.windowSeconds ?? 900,
	});
}

describe('§8.2 test vectors', () => {
	test('both digest variants reproduce the spec values', () => {
		expect(pushDigest(V.appSecret, V.url, V.nonce, V.created, 'newline')).toBe(V.newlineDigest);
		expect(pushDigest(V.appSecret, V.url, V.nonce, V.created, 'concat')).toBe(V.concatDigest);
	});

	test('variant a (newline) verifies', () => {
		expect(verify(headersFor(V.newlineDigest))).toEqual({ ok: true, variant: 'newline', url: V.url });
	});

	test('variant b (concat) verifies', () => {
		expect(verify(headersFor(V.concatDigest))).toEqual({ ok: true, variant: 'concat', url: V.url });
	});

	test('the "," separator without spaces verifies too', () => {
		const headers = headersFor(V.newlineDigest);
		headers['x-aksk'] = headers['x-aksk'].replace(/", /g, '",');
		expect(verify(headers).ok).toBe(true);
	});
});

describe('refusals', () => {
	test.each<[string, Record<string, unknown>, RegExp]>([
		['tampered digest', headersFor(V.newlineDigest.replace(/^S/, 'T')), /PasswordDigest/],
		['other nonce', headersFor(V.newlineDigest, { Nonce: '66C92B11FF8A425FB8D4CCFE0ED9ED1E' }), /PasswordDigest/],
		['other created (inside the window)', headersFor(V.newlineDigest, { Created: '2018-02-12T15:30:21Z' }), /PasswordDigest/],
		['other app key', headersFor(V.newlineDigest, { Username: 'someoneElse' }), /Username/],
		['no X-AKSK', { authorization: AKSK_AUTHORIZATION }, /X-AKSK header missing/],
		['no Authorization', { 'x-aksk': headersFor(V.newlineDigest)['x-aksk'] }, /Authorization header missing/],
		['wrong Authorization', { ...headersFor(V.newlineDigest), authorization: 'AKSK realm="SDP",profile="Other",type="Appkey"' }, /literal/],
		['incomplete X-AKSK', { authorization: AKSK_AUTHORIZATION, 'x-aksk': 'UsernameToken Username="x"' }, /incomplete/],
		['bad Created format', headersFor(V.newlineDigest, { Created: '2018-02-12 15:30:20' }), /Created is not/],
	])('%s → refused', (_name, headers, reason) => {
		const result = verify(headers);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(reason);
	});

	test('a different URL → refused', () => {
		expect(verify(headersFor(V.newlineDigest), { urls: ['https://example.com:8443/voice/fee'] }).ok).toBe(false);
	});

	test('expired Created (16 min with a 15 min window) → refused; inside → accepted', () => {
		const headers = headersFor(V.newlineDigest);
		expect(verify(headers, { nowMs: CREATED_MS + 16 * 60000 }).ok).toBe(false);
		expect(verify(headers, { nowMs: CREATED_MS - 16 * 60000 - 8 * 3600000 }).ok).toBe(false);
		expect(verify(headers, { nowMs: CREATED_MS + 14 * 60000 }).ok).toBe(true);
	});

	test('Created in Beijing time (UTC+8 written with Z) is accepted', () => {
		// now (UTC) is 8 hours before the Created reading.
		expect(verify(headersFor(V.newlineDigest), { nowMs: CREATED_MS - 8 * 3600000 + 60000 }).ok).toBe(true);
	});
});

describe('helpers', () => {
	test('isCreatedFresh accepts both clock readings, edges included', () => {
		expect(isCreatedFresh(0, 900000, 900)).toBe(true);
		expect(isCreatedFresh(0, 900001, 900)).toBe(false);
		expect(isCreatedFresh(8 * 3600000, 0, 900)).toBe(true);
	});

	test('candidateUrls: exact URL, without query, with the request query', () => {
		expect(candidateUrls('https://n8n.example.com/webhook/x/webhook', 'token=abc')).toEqual([
			'https://n8n.example.com/webhook/x/webhook',
			'https://n8n.example.com/webhook/x/webhook?token=abc',
		]);
		expect(rawQueryOf('/webhook/x/webhook?token=abc&b=1')).toBe('token=abc&b=1');
		expect(rawQueryOf('/webhook/x/webhook')).toBeUndefined();
	});

	test('verifyToken and safeEqual', () => {
		expect(verifyToken('s3cret', 's3cret')).toBe(true);
		expect(verifyToken('s3cret', ['s3cret', 'x'])).toBe(true);
		expect(verifyToken('s3cret', 's3creT')).toBe(false);
		expect(verifyToken('s3cret', 's3cret1')).toBe(false);
		expect(verifyToken('s3cret', undefined)).toBe(false);
		expect(verifyToken('s3cret', '')).toBe(false);
		expect(safeEqual('a', 'a')).toBe(true);
		expect(safeEqual('a', 'ab')).toBe(false);
	});
});

describe('dedupe', () => {
	const rec = (s: string, i = 'i') => ({ sessionId: s, icid: i });

	test('drops remembered keys and repeats inside one push', () => {
		const first = dropDeliveredRecords([rec('a'), rec('b'), rec('a')], undefined);
		expect(first.fresh).toEqual([rec('a'), rec('b')]);
		expect(first.duplicates).toBe(1);
		const second = dropDeliveredRecords([rec('a'), rec('c'), rec('a', 'other')], first.keys);
		expect(second.fresh).toEqual([rec('c'), rec('a', 'other')]);
		expect(second.keys).toEqual(['a|i', 'b|i', 'c|i', 'a|other']);
	});

	test('memory is bounded FIFO', () => {
		let keys: string[] = [];
		for (let i = 0; i < 12; i++) keys = dropDeliveredRecords([rec(`s${i}`)], keys, 10).keys;
		expect(keys).toHaveLength(10);
		expect(keys[0]).toBe('s2|i');
		// s0 was forgotten, s5 is still remembered.
		expect(dropDeliveredRecords([rec('s0'), rec('s5')], keys, 10).fresh).toEqual([rec('s0')]);
	});

	test('garbage in static data is ignored', () => {
		expect(dropDeliveredRecords([rec('a')], 'not an array').fresh).toHaveLength(1);
		expect(dropDeliveredRecords([rec('a')], [1, null, 'a|i']).fresh).toHaveLength(0);
	});
});

describe('call timeline (disconnect durations)', () => {
	test('callback: durations of the B leg', () => {
		let memory: TimelineMemory = {};
		const steps: Array<[Parameters<typeof applyStatusEvent>[1], string]> = [
			['callout', '2026-01-01 00:00:00'],
			['alerting', '2026-01-01 00:00:01'],
			['answer', '2026-01-01 00:00:04'],
			['callout', '2026-01-01 00:00:06'],
			['alerting', '2026-01-01 00:00:07'],
			['answer', '2026-01-01 00:00:10'],
		];
		for (const [event, time] of steps) memory = applyStatusEvent(memory, event, 's', time).memory;
		const result = applyStatusEvent(memory, 'disconnect', 's', '2026-01-01 00:00:30');
		expect(result.durations).toEqual({ ringSeconds: 3, talkSeconds: 20, legs: 2 });
		expect(result.memory).toEqual({});
	});

	test('unanswered: ring until the hang-up, talk 0', () => {
		let memory: TimelineMemory = {};
		memory = applyStatusEvent(memory, 'callout', 's', '2026-01-01 00:00:00').memory;
		memory = applyStatusEvent(memory, 'alerting', 's', '2026-01-01 00:00:01').memory;
		expect(applyStatusEvent(memory, 'disconnect', 's', '2026-01-01 00:00:46').durations).toEqual({
			ringSeconds: 45,
			talkSeconds: 0,
			legs: 1,
		});
	});

	test('unknown call → no durations, no change; memory bounded', () => {
		expect(applyStatusEvent({}, 'disconnect', 'x', '2026-01-01 00:00:46')).toEqual({ memory: {}, changed: false });
		let memory: TimelineMemory = {};
		for (let i = 0; i < 5; i++) memory = applyStatusEvent(memory, 'callout', `s${i}`, '2026-01-01 00:00:00', 3).memory;
		expect(Object.keys(memory)).toEqual(['s2', 's3', 's4']);
	});
});
