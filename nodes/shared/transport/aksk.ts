import { createHmac, randomBytes } from 'crypto';

import { formatCreated, type CreatedTimezone } from '../platform/time';

/**
 * Huawei Voice Call AK/SK "UsernameToken" signing (docs/platform.md §3).
 *
 * Pure functions only: no I/O, no clock or randomness unless passed in, so the same code signs
 * requests in the credential, verifies pushes in the trigger, and checks signatures in the emulator.
 */

/** The fixed `Authorization` header value. No spaces after the commas, as the docs require. */
export const AKSK_AUTHORIZATION = 'AKSK realm="SDP",profile="UsernameToken",type="Appkey"';

/** A fresh nonce: 32 upper-case hex characters from a CSPRNG (the docs allow 1–128 of [0-9A-Za-z]). */
export function createNonce(): string {
	return randomBytes(16).toString('hex').toUpperCase();
}

/** `Base64(HMAC-SHA256(key = secret, message))` over UTF-8 bytes, standard alphabet with padding. */
export function hmacSha256Base64(secret: string, message: string): string {
	return createHmac('sha256', secret).update(message, 'utf8').digest('base64');
}

/** The request digest of §3.1: HMAC of `nonce + created`, no separator. */
export function computePasswordDigest(appSecret: string, nonce: string, created: string): string {
	return hmacSha256Base64(appSecret, nonce + created);
}

export interface AkskHeaderInput {
	appKey: string;
	appSecret: string;
	nonce: string;
	created: string;
}

/** Builds the `X-AKSK` value with the documented `", "` separator. */
export function buildXAkskHeader({ appKey, appSecret, nonce, created }: AkskHeaderInput): string {
	const digest = computePasswordDigest(appSecret, nonce, created);
	return `UsernameToken Username="${appKey}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${created}"`;
}

/** Both signing headers for one request. Call it once per request: every send needs a fresh nonce. */
export function buildAkskHeaders(
	appKey: string,
	appSecret: string,
	options: { now?: Date; nonce?: string; timezone?: CreatedTimezone } = {},
): { Authorization: string; 'X-AKSK': string } {
	const nonce = options.nonce ?? createNonce();
	const created = formatCreated(options.now ?? new Date(), options.timezone ?? 'utc');
	return {
		Authorization: AKSK_AUTHORIZATION,
		'X-AKSK': buildXAkskHeader({ appKey, appSecret, nonce, created }),
	};
}

/** The attributes of a parsed `X-AKSK` header; any may be missing. */
export interface ParsedXAksk {
	/** Whether the value starts with the `UsernameToken` profile word. */
	hasUsernameToken: boolean;
	Username?: string;
	PasswordDigest?: string;
	Nonce?: string;
	Created?: string;
}

/**
 * Parses an `X-AKSK` value. Accepts `","` and `", "` (any whitespace) between attributes; attribute
 * names are case-sensitive as documented. Used by the trigger's push verification and the emulator.
 */
export function parseXAkskHeader(value: string): ParsedXAksk {
	const trimmed = value.trim();
	const hasUsernameToken = /^UsernameToken(\s|$)/.test(trimmed);
	const rest = hasUsernameToken ? trimmed.slice('UsernameToken'.length) : trimmed;
	const result: ParsedXAksk = { hasUsernameToken };
	const attribute = /([A-Za-z]+)\s*=\s*"([^"]*)"/g;
	let match: RegExpExecArray | null;
	while ((match = attribute.exec(rest)) !== null) {
		const [, name, attrValue] = match;
		if (name === 'Username' || name === 'PasswordDigest' || name === 'Nonce' || name === 'Created') {
			if (result[name] === undefined) result[name] = attrValue;
		}
	}
	return result;
}

/** Parses `AKSK realm="SDP",profile="UsernameToken",type="Appkey"` into its scheme and attributes. */
export function parseAuthorizationHeader(value: string): {
	scheme: string;
	attributes: Record<string, string>;
} {
	const trimmed = value.trim();
	const space = trimmed.indexOf(' ');
	const scheme = space === -1 ? trimmed : trimmed.slice(0, space);
	const attributes: Record<string, string> = {};
	const attribute = /([A-Za-z]+)\s*=\s*"([^"]*)"/g;
	let match: RegExpExecArray | null;
	const rest = space === -1 ? '' : trimmed.slice(space + 1);
	while ((match = attribute.exec(rest)) !== null) {
		if (attributes[match[1]] === undefined) attributes[match[1]] = match[2];
	}
	return { scheme, attributes };
}
