import {
	candidateUrls,
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
	test('both digest variants reproduce the documented values', () => {
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
