import { createHmac } from 'crypto';
import { startEmulator, type Emulator } from '../../emulator';
import { AKSK_AUTHORIZATION } from '../../nodes/shared/transport/aksk';
import { api, callbackBody, PATHS, send, signedHeaders } from './client';

const AUTH = AKSK_AUTHORIZATION;

/** Hand-made X-AKSK with crypto only (not the package signer): the independent check. */
function handSigned(secret: string, appKey: string, nonce: string, created: string, separator = ', '): string {
	const digest = createHmac('sha256', secret).update(nonce + created, 'utf8').digest('base64');
	return ['UsernameToken Username="' + appKey + '"', `PasswordDigest="${digest}"`, `Nonce="${nonce}"`, `Created="${created}"`].join(separator);
}

function createdAt(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

describe('emulator auth (§3.4, §13.2)', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ config: { timeScale: 0.001, clockWindowSeconds: 300 } });
	});
	afterAll(async () => {
		await emulator.stop();
	});
	afterEach(() => emulator.reset());

	const post = (headers: Record<string, string>) => send(emulator.baseUrl, 'POST', PATHS.click2Call, { body: callbackBody(), headers });
	const xaksk = (parts: { user?: string; digest?: string; nonce?: string; created?: string; token?: boolean }) => {
		const nonce = parts.nonce ?? 'ABCDEF0123456789';
		const created = parts.created ?? createdAt(Date.now());
		const digest = parts.digest ?? createHmac('sha256', emulator.config.appSecret).update(nonce + created).digest('base64');
		const attrs: string[] = [];
		if (parts.user !== '') attrs.push(`Username="${parts.user ?? emulator.config.appKey}"`);
		if (digest !== '') attrs.push(`PasswordDigest="${digest}"`);
		if (nonce !== '') attrs.push(`Nonce="${nonce}"`);
		if (created !== '') attrs.push(`Created="${created}"`);
		return `${parts.token === false ? '' : 'UsernameToken '}${attrs.join(', ')}`;
	};

	const cases: Array<[string, Record<string, string>, string, number]> = [];
	beforeAll(() => {
		const good = xaksk({});
		cases.push(
			['no Authorization', { 'X-AKSK': good }, '1023006', 400],
			['WSSE scheme', { Authorization: 'WSSE realm="SDP",profile="UsernameToken",type="Appkey"', 'X-AKSK': good }, '1023006', 400],
			['no realm', { Authorization: 'AKSK profile="UsernameToken",type="Appkey"', 'X-AKSK': good }, '1023007', 400],
			['no profile', { Authorization: 'AKSK realm="SDP",type="Appkey"', 'X-AKSK': good }, '1023008', 400],
			['wrong realm', { Authorization: 'AKSK realm="SDPX",profile="UsernameToken",type="Appkey"', 'X-AKSK': good }, '1023009', 400],
			['wrong profile', { Authorization: 'AKSK realm="SDP",profile="Token",type="Appkey"', 'X-AKSK': good }, '1023010', 400],
			['wrong type', { Authorization: 'AKSK realm="SDP",profile="UsernameToken",type="app_key"', 'X-AKSK': good }, '1023011', 400],
			['no type', { Authorization: 'AKSK realm="SDP",profile="UsernameToken"', 'X-AKSK': good }, '1023012', 400],
			['no X-AKSK', { Authorization: AUTH }, '1023033', 400],
			['no Username', { Authorization: AUTH, 'X-AKSK': xaksk({ user: '' }) }, '1023034', 400],
			['no Nonce', { Authorization: AUTH, 'X-AKSK': xaksk({ nonce: '' }) }, '1023035', 400],
			['no Created', { Authorization: AUTH, 'X-AKSK': xaksk({ created: '' }) }, '1023036', 400],
			['no PasswordDigest', { Authorization: AUTH, 'X-AKSK': xaksk({ digest: '' }) }, '1023037', 400],
			['no UsernameToken word', { Authorization: AUTH, 'X-AKSK': xaksk({ token: false }) }, '1023038', 400],
			['unknown app key', { Authorization: AUTH, 'X-AKSK': xaksk({ user: 'someOtherAppKey' }) }, '1010003', 403],
			['stale Created', { Authorization: AUTH, 'X-AKSK': xaksk({ created: createdAt(Date.now() - 3600 * 1000) }) }, '1010013', 401],
			['Created in the future beyond UTC+8', { Authorization: AUTH, 'X-AKSK': xaksk({ created: createdAt(Date.now() + 12 * 3600 * 1000) }) }, '1010013', 401],
			['malformed Created', { Authorization: AUTH, 'X-AKSK': xaksk({ created: '2024-01-01 10:00:00' }) }, '1010013', 401],
			['Created with fractions', { Authorization: AUTH, 'X-AKSK': xaksk({ created: new Date().toISOString() }) }, '1010013', 401],
			['wrong digest', { Authorization: AUTH, 'X-AKSK': xaksk({ digest: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=' }) }, '1010010', 401],
			['bad nonce characters', { Authorization: AUTH, 'X-AKSK': xaksk({ nonce: 'abc-def' }) }, '1023006', 400],
		);
	});

	it('rejects each documented auth failure with its code, text and HTTP status, and places no call', async () => {
		for (const [name, headers, code, status] of cases) {
			const res = await post(headers);
			expect({ name, code: res.json?.resultcode, status: res.status }).toEqual({ name, code, status });
			expect(typeof res.json?.resultdesc).toBe('string');
		}
		expect(emulator.calls()).toHaveLength(0);
		const log = emulator.requests();
		expect(log).toHaveLength(cases.length);
		expect(log.map((r) => r.resultcode)).toEqual(cases.map((c) => c[2]));
		expect(log[0].resultdesc).toBe('Authorization not contained in the HTTP header.');
	});

	it('checks in the documented order: realm before X-AKSK, attributes before the app key', async () => {
		const both = await post({ Authorization: 'AKSK profile="UsernameToken",type="Appkey"' });
		expect(both.json?.resultcode).toBe('1023007');
		const userAndDigest = await post({ Authorization: AUTH, 'X-AKSK': xaksk({ user: '', digest: 'x' }) });
		expect(userAndDigest.json?.resultcode).toBe('1023034');
		const appAndClock = await post({ Authorization: AUTH, 'X-AKSK': xaksk({ user: 'other', created: '2001-01-01T00:00:00Z' }) });
		expect(appAndClock.json?.resultcode).toBe('1010003');
	});

	it('accepts both ", " and "," separators', async () => {
		const nonce = 'SEPARATOR0001';
		const created = createdAt(Date.now());
		for (const separator of [', ', ',']) {
			const res = await post({ Authorization: AUTH, 'X-AKSK': handSigned(emulator.config.appSecret, emulator.config.appKey, nonce, created, separator) });
			expect(res.json?.resultcode).toBe('0');
		}
	});

	it('accepts Created read as UTC and as UTC+8, within the configured window only', async () => {
		const now = Date.now();
		for (const created of [createdAt(now), createdAt(now + 8 * 3600 * 1000), createdAt(now - 200 * 1000), createdAt(now + 8 * 3600 * 1000 + 200 * 1000)]) {
			const res = await post({ Authorization: AUTH, 'X-AKSK': handSigned(emulator.config.appSecret, emulator.config.appKey, 'WINDOW01', created) });
			expect({ created, code: res.json?.resultcode }).toEqual({ created, code: '0' });
		}
		for (const created of [createdAt(now - 400 * 1000), createdAt(now + 8 * 3600 * 1000 + 400 * 1000), createdAt(now + 4 * 3600 * 1000)]) {
			const res = await post({ Authorization: AUTH, 'X-AKSK': handSigned(emulator.config.appSecret, emulator.config.appKey, 'WINDOW02', created) });
			expect({ created, code: res.json?.resultcode }).toEqual({ created, code: '1010013' });
		}
		// The package signer's two time-zone modes both pass.
		expect((await post(signedHeaders(emulator, { timezone: 'utc' }))).json?.resultcode).toBe('0');
		expect((await post(signedHeaders(emulator, { timezone: 'utc+8' }))).json?.resultcode).toBe('0');
	});

	it('independent check: a hand-signed request (crypto.createHmac) passes; one changed character of secret, nonce or created fails', async () => {
		const secret = emulator.config.appSecret;
		const key = emulator.config.appKey;
		const nonce = 'A1B2C3D4E5F60718293A4B5C6D7E8F90';
		const created = createdAt(Date.now());
		const ok = await post({ Authorization: AUTH, 'X-AKSK': handSigned(secret, key, nonce, created) });
		expect(ok.status).toBe(200);
		expect(ok.json?.resultcode).toBe('0');

		const flip = (s: string, i: number): string => s.slice(0, i) + (s[i] === 'X' ? 'Y' : 'X') + s.slice(i + 1);
		// Wrong secret: digest mismatch.
		const badSecret = await post({ Authorization: AUTH, 'X-AKSK': handSigned(flip(secret, 3), key, nonce, created) });
		expect([badSecret.status, badSecret.json?.resultcode]).toEqual([401, '1010010']);
		// Digest computed over one nonce, header carrying a nonce one character off.
		const digest = createHmac('sha256', secret).update(nonce + created).digest('base64');
		const otherNonce = flip(nonce, 0);
		const badNonce = await post({ Authorization: AUTH, 'X-AKSK': `UsernameToken Username="${key}", PasswordDigest="${digest}", Nonce="${otherNonce}", Created="${created}"` });
		expect([badNonce.status, badNonce.json?.resultcode]).toEqual([401, '1010010']);
		// Created one second off (still inside the window): digest mismatch.
		const secondsDigit = created.charAt(created.length - 2);
		const otherCreated = created.slice(0, -2) + (secondsDigit === '0' ? '1' : '0') + 'Z';
		const badCreated = await post({ Authorization: AUTH, 'X-AKSK': `UsernameToken Username="${key}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${otherCreated}"` });
		expect([badCreated.status, badCreated.json?.resultcode]).toEqual([401, '1010010']);
		// The spec's worked example (§3.2) reproduces with crypto.
		expect(createHmac('sha256', 'My_App_Secret_123').update('66C92B11FF8A425FB8D4CCFE0ED9ED1F2018-02-12T15:30:20Z').digest('base64')).toBe(
			'HPuINYTO+HfXk8AysCvA2j9ToYYFv3NILWKK2xKIwHE=',
		);
	});

	it('authenticates the record GET too', async () => {
		const res = await send(emulator.baseUrl, 'GET', `${PATHS.record}?fileName=x.wav&recordDomain=y`, {});
		expect([res.status, res.json?.resultcode]).toEqual([400, '1023006']);
	});

	it('answers unknown URIs, other versions and wrong methods with 404 / 1010006 JSON', async () => {
		for (const [method, path] of [
			['POST', '/rest/httpsessions/callnotify/v1.0'],
			['POST', '/rest/httpsessions/callNotify/v2.0'],
			['POST', '/rest/httpsessions/click2Call/v1.0'],
			['GET', PATHS.click2Call],
			['POST', '/nothing'],
		]) {
			const res = await send(emulator.baseUrl, method, path, { body: {}, headers: signedHeaders(emulator) });
			expect({ path, status: res.status, code: res.json?.resultcode, desc: res.json?.resultdesc }).toEqual({ path, status: 404, code: '1010006', desc: 'Invalid Rest API.' });
		}
	});

	it('sends Connection: close and closes the socket even when the client asks for keep-alive', async () => {
		const res = await api(emulator, PATHS.click2Call, callbackBody(), { ...signedHeaders(emulator), Connection: 'keep-alive' });
		expect(res.headers.connection).toBe('close');
		expect(res.serverClosed).toBe(true);
		expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
	});

	it('rejects a non-JSON body with 1010002 after auth', async () => {
		const res = await api(emulator, PATHS.click2Call, 'displayNbr=+8675528000001');
		expect([res.status, res.json?.resultcode]).toEqual([403, '1010002']);
		expect(String(res.json?.resultdesc)).toMatch(/^Invalid request\..*JSON/);
		const array = await api(emulator, PATHS.click2Call, '[]');
		expect(array.json?.resultcode).toBe('1010002');
	});
});
