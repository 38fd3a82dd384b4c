/**
 * Strict AK/SK header check (docs/platform.md §3.4, §13.2), in the documented order. Returns the failing
 * resultcode, or null when the request is authentic. The signer and parsers are the package's own
 * (nodes/shared/transport/aksk.ts) so the emulator and the credential cannot drift apart; the
 * independent-check test signs with crypto directly to catch a shared mistake.
 */
import { isCreatedFresh, parseCreated } from '../nodes/shared/platform/time';
import { computePasswordDigest, parseAuthorizationHeader, parseXAkskHeader } from '../nodes/shared/transport/aksk';

export interface AuthInput {
	authorization: string | undefined;
	xAksk: string | undefined;
	appKey: string;
	appSecret: string;
	clockWindowSeconds: number;
	nowMs: number;
}

const NONCE_PATTERN = /^[0-9A-Za-z]{1,128}$/;

/** Constant-time-ish string comparison (length leak only), good enough for a dev emulator. */
function sameString(a: string, b: string): boolean {
	if (a.length !== b.length) return false;
	let diff = 0;
	for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
	return diff === 0;
}

export function checkAuth(input: AuthInput): string | null {
	// 1. Authorization: presence, then realm, profile and type (presence before value, per attribute).
	if (input.authorization === undefined || input.authorization.trim() === '') return '1023006';
	const { scheme, attributes } = parseAuthorizationHeader(input.authorization);
	// Any other scheme (e.g. the legacy WSSE) is "not an AKSK Authorization header".
	if (scheme !== 'AKSK') return '1023006';
	if (attributes.realm === undefined) return '1023007';
	if (attributes.realm !== 'SDP') return '1023009';
	if (attributes.profile === undefined) return '1023008';
	if (attributes.profile !== 'UsernameToken') return '1023010';
	if (attributes.type === undefined) return '1023012';
	if (attributes.type !== 'Appkey') return '1023011';

	// 2. X-AKSK: presence, then the attributes in the numeric order of their codes.
	if (input.xAksk === undefined || input.xAksk.trim() === '') return '1023033';
	const token = parseXAkskHeader(input.xAksk);
	if (token.Username === undefined || token.Username === '') return '1023034';
	if (token.Nonce === undefined || token.Nonce === '') return '1023035';
	if (token.Created === undefined || token.Created === '') return '1023036';
	if (token.PasswordDigest === undefined || token.PasswordDigest === '') return '1023037';
	if (!token.hasUsernameToken) return '1023038';
	// A nonce outside the documented 1–128 [0-9A-Za-z] is a malformed header: generic auth failure.
	if (!NONCE_PATTERN.test(token.Nonce)) return '1023006';

	// 3. The app, the clock, then the digest.
	if (token.Username !== input.appKey) return '1010003';
	const created = parseCreated(token.Created);
	// A malformed Created can never be inside the window, so it reads as "Time out limit." too.
	if (created === undefined || !isCreatedFresh(created, input.nowMs, input.clockWindowSeconds)) return '1010013';
	const expected = computePasswordDigest(input.appSecret, token.Nonce, token.Created);
	if (!sameString(expected, token.PasswordDigest)) return '1010010';
	return null;
}
