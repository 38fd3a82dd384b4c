import { createHmac } from 'crypto';
import fc from 'fast-check';

import {
	AKSK_AUTHORIZATION,
	buildAkskHeaders,
	buildXAkskHeader,
	computePasswordDigest,
	createNonce,
	parseAuthorizationHeader,
	parseXAkskHeader,
} from '../../nodes/shared/transport/aksk';
import { formatCreated } from '../../nodes/shared/platform/time';
import vectors from '../fixtures/spec-vectors.json';

const example = vectors.requestSigning;

/** An HMAC written out independently of the signer, as docs/platform.md §3.1 defines it. */
function referenceDigest(secret: string, nonce: string, created: string): string {
	return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(nonce + created, 'utf8')).digest().toString('base64');
}

describe('AK/SK signer (docs/platform.md §3)', () => {
	test('worked example of §3.2 gives the documented digest', () => {
		expect(example.passwordDigest).toBe('HPuINYTO+HfXk8AysCvA2j9ToYYFv3NILWKK2xKIwHE=');
		expect(computePasswordDigest(example.appSecret, example.nonce, example.created)).toBe(example.passwordDigest);
	});

	test('worked example builds the documented X-AKSK header', () => {
		const header = buildXAkskHeader(example);
		expect(header).toBe(
			'UsernameToken Username="ZRBRz4bAXoFgEH7o4Ew308eXc1RA", PasswordDigest="HPuINYTO+HfXk8AysCvA2j9ToYYFv3NILWKK2xKIwHE=", Nonce="66C92B11FF8A425FB8D4CCFE0ED9ED1F", Created="2018-02-12T15:30:20Z"',
		);
	});

	test('the Authorization header is the exact literal, with no spaces after commas', () => {
		expect(AKSK_AUTHORIZATION).toBe('AKSK realm="SDP",profile="UsernameToken",type="Appkey"');
		expect(parseAuthorizationHeader(AKSK_AUTHORIZATION)).toEqual({
			scheme: 'AKSK',
			attributes: { realm: 'SDP', profile: 'UsernameToken', type: 'Appkey' },
		});
	});

	test('Created is yyyy-MM-ddTHH:mm:ssZ in UTC, or Beijing time with a Z when asked', () => {
		const now = new Date('2018-02-12T15:30:20.987Z');
		expect(formatCreated(now)).toBe('2018-02-12T15:30:20Z');
		expect(formatCreated(now, 'utc+8')).toBe('2018-02-12T23:30:20Z');
		expect(formatCreated(new Date('2019-12-31T20:00:00.000Z'), 'utc+8')).toBe('2020-01-01T04:00:00Z');
	});

	test('nonces are 32 upper-case hex characters from a CSPRNG and do not repeat', () => {
		const seen = new Set<string>();
		for (let i = 0; i < 2000; i++) {
			const nonce = createNonce();
			expect(nonce).toMatch(/^[0-9A-F]{32}$/);
			seen.add(nonce);
		}
		expect(seen.size).toBe(2000);
	});

	test('every header build uses a fresh nonce', () => {
		const a = parseXAkskHeader(buildAkskHeaders('key', 'secret')['X-AKSK']);
		const b = parseXAkskHeader(buildAkskHeaders('key', 'secret')['X-AKSK']);
		expect(a.Nonce).not.toBe(b.Nonce);
		expect(a.PasswordDigest).not.toBe(b.PasswordDigest);
	});

	test('property: for random keys, secrets, nonces and times the header parses back and the digest verifies independently', () => {
		const nonceArb = fc.stringMatching(/^[0-9A-Za-z]{1,128}$/);
		const keyArb = fc.stringMatching(/^[0-9A-Za-z]{1,40}$/);
		const secretArb = fc.string({ minLength: 1, maxLength: 64, unit: 'grapheme' });
		const timeArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true });
		fc.assert(
			fc.property(keyArb, secretArb, nonceArb, timeArb, fc.constantFrom('utc', 'utc+8'), (appKey, appSecret, nonce, now, timezone) => {
				const headers = buildAkskHeaders(appKey, appSecret, { now, nonce, timezone: timezone as 'utc' | 'utc+8' });
				expect(headers.Authorization).toBe(AKSK_AUTHORIZATION);
				const parsed = parseXAkskHeader(headers['X-AKSK']);
				expect(parsed.hasUsernameToken).toBe(true);
				expect(parsed.Username).toBe(appKey);
				expect(parsed.Nonce).toBe(nonce);
				expect(parsed.Created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
				const offset = timezone === 'utc+8' ? 8 * 3600_000 : 0;
				expect(Date.parse(parsed.Created!) - offset).toBe(Math.floor(now.getTime() / 1000) * 1000);
				expect(parsed.PasswordDigest).toBe(referenceDigest(appSecret, nonce, parsed.Created!));
				expect(Buffer.from(parsed.PasswordDigest!, 'base64')).toHaveLength(32);
				expect(headers['X-AKSK']).not.toContain(appSecret.length >= 8 ? appSecret : '\u0000never');
			}),
			{ numRuns: 500 },
		);
	});

	test('property: a one-character change of secret, nonce or created changes the digest', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[0-9A-Za-z]{8,32}$/),
				fc.stringMatching(/^[0-9A-Za-z]{8,64}$/),
				fc.nat(),
				fc.constantFrom<'secret' | 'nonce' | 'created'>('secret', 'nonce', 'created'),
				(secret, nonce, position, which) => {
					const created = '2018-02-12T15:30:20Z';
					const original = computePasswordDigest(secret, nonce, created);
					const flip = (s: string) => {
						const i = position % s.length;
						const replacement = s[i] === 'A' ? 'B' : 'A';
						return s.slice(0, i) + replacement + s.slice(i + 1);
					};
					const changed =
						which === 'secret'
							? computePasswordDigest(flip(secret), nonce, created)
							: which === 'nonce'
								? computePasswordDigest(secret, flip(nonce), created)
								: computePasswordDigest(secret, nonce, '2018-02-12T15:30:21Z');
					expect(changed).not.toBe(original);
				},
			),
			{ numRuns: 300 },
		);
	});

	test('the X-AKSK parser accepts both documented separators and any attribute order', () => {
		const withSpace = parseXAkskHeader('UsernameToken Username="k", PasswordDigest="d=", Nonce="n", Created="c"');
		const without = parseXAkskHeader('UsernameToken Username="k",PasswordDigest="d=",Nonce="n",Created="c"');
		const reordered = parseXAkskHeader('UsernameToken Created="c",Nonce="n",PasswordDigest="d=",Username="k"');
		const expected = { hasUsernameToken: true, Username: 'k', PasswordDigest: 'd=', Nonce: 'n', Created: 'c' };
		expect(withSpace).toEqual(expected);
		expect(without).toEqual(expected);
		expect(reordered).toEqual(expected);
		expect(parseXAkskHeader('Username="k"')).toEqual({ hasUsernameToken: false, Username: 'k' });
		expect(parseXAkskHeader('UsernameToken username="k"').Username).toBeUndefined();
	});
});
