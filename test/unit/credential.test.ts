import type { ICredentialTestRequest, IHttpRequestOptions } from 'n8n-workflow';

import { HuaweiVoiceCallApi } from '../../credentials/HuaweiVoiceCallApi.credentials';
import { computePasswordDigest, parseXAkskHeader } from '../../nodes/shared/transport/aksk';

import vectors from '../fixtures/spec-vectors.json';

const SECRET = vectors.testCredential.appSecret;

async function sign(credentials: Record<string, unknown>, options: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	const credential = new HuaweiVoiceCallApi();
	if (typeof credential.authenticate !== 'function') throw new Error('authenticate must be a function');
	return await credential.authenticate(credentials as never, options);
}

describe('Huawei Voice Call API credential', () => {
	const credentials = { baseUrl: 'https://rtccall.example:443', appKey: vectors.testCredential.appKey, appSecret: SECRET };

	test('describes the documented fields with the secret as a password', () => {
		const credential = new HuaweiVoiceCallApi();
		expect(credential.name).toBe('huaweiVoiceCallApi');
		expect(credential.displayName).toBe('Huawei Voice Call API');
		const byName = Object.fromEntries(credential.properties.map((p) => [p.name, p]));
		expect(byName.baseUrl.default).toBe('https://rtccall.cn-north-1.myhuaweicloud.cn:443');
		expect(byName.appSecret.typeOptions?.password).toBe(true);
		const advanced = byName.advanced.options as Array<{ name: string; default: unknown }>;
		expect(advanced.find((o) => o.name === 'createdTimezone')?.default).toBe('utc');
		expect(advanced.find((o) => o.name === 'allowUnauthorizedCerts')?.default).toBe(false);
	});

	test('authenticate adds both headers, keeps existing ones, and signs verifiably', async () => {
		const before = Date.now();
		const signed = await sign(credentials, {
			url: 'https://rtccall.example:443/rest/httpsessions/callStop/v2.0',
			method: 'POST',
			headers: { 'Content-Type': 'application/json;charset=UTF-8' },
			body: { sessionid: 'x', signal: 'call_stop' },
		});
		const headers = signed.headers as Record<string, string>;
		expect(headers['Content-Type']).toBe('application/json;charset=UTF-8');
		expect(headers.Authorization).toBe('AKSK realm="SDP",profile="UsernameToken",type="Appkey"');
		const parsed = parseXAkskHeader(headers['X-AKSK']);
		expect(parsed.Username).toBe(credentials.appKey);
		expect(parsed.PasswordDigest).toBe(computePasswordDigest(SECRET, parsed.Nonce!, parsed.Created!));
		const created = Date.parse(parsed.Created!);
		expect(created).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(created).toBeLessThanOrEqual(Date.now());
		expect(signed.body).toEqual({ sessionid: 'x', signal: 'call_stop' });
		expect(JSON.stringify(signed)).not.toContain(SECRET);
	});

	test('every call (a retry included) gets a fresh nonce and digest', async () => {
		const options = { url: 'https://x/rest', method: 'GET' as const };
		const a = parseXAkskHeader(((await sign(credentials, options)).headers as Record<string, string>)['X-AKSK']);
		const b = parseXAkskHeader(((await sign(credentials, options)).headers as Record<string, string>)['X-AKSK']);
		expect(a.Nonce).not.toBe(b.Nonce);
		expect(a.PasswordDigest).not.toBe(b.PasswordDigest);
	});

	test('the UTC+8 option writes Beijing time with a Z', async () => {
		const signed = await sign({ ...credentials, advanced: { createdTimezone: 'utc+8' } }, { url: 'https://x', method: 'GET' });
		const created = Date.parse(parseXAkskHeader((signed.headers as Record<string, string>)['X-AKSK']).Created!);
		const skew = created - Date.now();
		expect(skew).toBeGreaterThan(8 * 3600_000 - 5_000);
		expect(skew).toBeLessThan(8 * 3600_000 + 5_000);
	});

	test('the connection test asks for a recording address (never places a call) and maps every auth code to a hint', () => {
		const test = new HuaweiVoiceCallApi().test as ICredentialTestRequest;
		expect(test.request.method).toBe('GET');
		expect(test.request.url).toBe('/rest/provision/voice/record/v1.0');
		expect(test.request.ignoreHttpStatusErrors).toBe(true);
		expect(test.request.disableFollowRedirect).toBe(true);
		const codes = (test.rules ?? []).map((rule) => (rule.properties as { value: string }).value);
		for (const code of ['1023006', '1023007', '1023008', '1023009', '1023010', '1023011', '1023012', '1023033', '1023034', '1023035', '1023036', '1023037', '1023038', '1010003', '1010010', '1010013']) {
			expect(codes).toContain(code);
		}
		const messages = (test.rules ?? []).map((rule) => (rule.properties as { message: string }).message);
		expect(messages.find((m) => m.includes('1010010'))).toMatch(/APP_Secret/);
		expect(messages.find((m) => m.includes('1010013'))).toMatch(/clock/);
		expect(messages.find((m) => m.includes('1010003'))).toMatch(/APP_Key/);
		expect(messages.find((m) => m.includes('1010006'))).toMatch(/access address/i);
		expect(messages.find((m) => m.includes('1010013'))).toContain('"Created" Time Zone');
	});
});
