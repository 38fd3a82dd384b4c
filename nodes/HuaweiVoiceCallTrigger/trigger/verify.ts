import { timingSafeEqual } from 'crypto';

import { isCreatedFresh, parseCreated } from '../../shared/platform/time';
import { hmacSha256Base64, parseAuthorizationHeader, parseXAkskHeader } from '../../shared/transport/aksk';

/**
 * Optional authentication of pushes (§8.2, §17 item 2). Whether the platform signs pushes is
 * undocumented-to-contradictory, so both documented digest variants are accepted:
 *   newline: Base64(HMAC-SHA256(APP_Secret, url + "\n" + nonce + "\n" + created))
 *   concat:  Base64(HMAC-SHA256(APP_Secret, url + nonce + created))
 * where url is the push URL the customer configured (tried with and without its query string).
 * `Created` is accepted within a window around both the UTC and the UTC+8 reading of now.
 * Pure functions: the clock and the URLs are passed in.
 */

export type SignatureVariant = 'newline' | 'concat';

export type VerifyResult = { ok: true; variant: SignatureVariant; url: string } | { ok: false; reason: string };

/** Constant-time string comparison (length is checked first; lengths are not secret here). */
export function safeEqual(expected: string, received: string): boolean {
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(received, 'utf8');
	if (a.length !== b.length) return false;
	return timingSafeEqual(a, b);
}

/** The digest the platform would send for one variant. */
export function pushDigest(
	appSecret: string,
	url: string,
	nonce: string,
	created: string,
	variant: SignatureVariant,
): string {
	const message = variant === 'newline' ? `${url}\n${nonce}\n${created}` : `${url}${nonce}${created}`;
	return hmacSha256Base64(appSecret, message);
}

/**
 * The URLs a signature may have been computed over: the webhook URL, and the same URL with the
 * request's query string (a user may have appended `?token=…` to the URL given to the platform).
 */
export function candidateUrls(webhookUrl: string, rawQuery: string | undefined): string[] {
	const base = webhookUrl.split('?')[0];
	const urls = [webhookUrl, base];
	if (rawQuery !== undefined && rawQuery !== '') urls.push(`${base}?${rawQuery}`);
	return [...new Set(urls)];
}

/** The raw query string of a request URL (`/path?a=1` → `a=1`), or undefined. */
export function rawQueryOf(requestUrl: unknown): string | undefined {
	if (typeof requestUrl !== 'string') return undefined;
	const index = requestUrl.indexOf('?');
	return index === -1 ? undefined : requestUrl.slice(index + 1);
}

function headerValue(headers: Record<string, unknown>, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		if (typeof value === 'string') return value;
		if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	}
	return undefined;
}

export interface VerifySignatureInput {
	headers: Record<string, unknown>;
	appKey: string;
	appSecret: string;
	/** See candidateUrls. */
	urls: string[];
	nowMs: number;
	windowSeconds: number;
}

/** Checks the `Authorization` literal and the `X-AKSK` UsernameToken of a push. */
export function verifyPushSignature(input: VerifySignatureInput): VerifyResult {
	const authorization = headerValue(input.headers, 'authorization');
	if (authorization === undefined) return { ok: false, reason: 'Authorization header missing' };
	const { scheme, attributes } = parseAuthorizationHeader(authorization);
	if (
		scheme !== 'AKSK' ||
		attributes.realm !== 'SDP' ||
		attributes.profile !== 'UsernameToken' ||
		attributes.type !== 'Appkey'
	) {
		return { ok: false, reason: 'Authorization header is not the AKSK UsernameToken literal' };
	}

	const xAksk = headerValue(input.headers, 'x-aksk');
	if (xAksk === undefined) return { ok: false, reason: 'X-AKSK header missing' };
	const token = parseXAkskHeader(xAksk);
	const { Username, PasswordDigest, Nonce, Created } = token;
	if (!token.hasUsernameToken || !Username || !PasswordDigest || !Nonce || !Created) {
		return { ok: false, reason: 'X-AKSK header is incomplete' };
	}
	if (Nonce.length > 128) return { ok: false, reason: 'Nonce is too long' };
	if (input.appSecret === '') return { ok: false, reason: 'The credential has no APP_Secret' };
	if (!safeEqual(input.appKey, Username)) return { ok: false, reason: 'Username is not this APP_Key' };

	const createdMs = parseCreated(Created);
	if (createdMs === undefined) return { ok: false, reason: 'Created is not yyyy-MM-ddTHH:mm:ssZ' };
	if (!isCreatedFresh(createdMs, input.nowMs, input.windowSeconds)) {
		return { ok: false, reason: 'Created is outside the clock window' };
	}

	for (const url of input.urls) {
		for (const variant of ['newline', 'concat'] as const) {
			const expected = pushDigest(input.appSecret, url, Nonce, Created, variant);
			if (safeEqual(expected, PasswordDigest)) return { ok: true, variant, url };
		}
	}
	return { ok: false, reason: 'PasswordDigest does not match' };
}

/** Shared-token check for unsigned pushes: `?token=` must equal the configured token. */
export function verifyToken(expected: string, received: unknown): boolean {
	const value = Array.isArray(received) ? received[0] : received;
	if (typeof value !== 'string' || value === '') return false;
	return safeEqual(expected, value);
}
