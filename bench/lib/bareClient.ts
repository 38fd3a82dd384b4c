/*
 * The baseline client: what a user gets from a plain HTTP Request loop. One signed request per
 * call of `send`, with the same headers and body the node sends, a fresh AK/SK signature each
 * time, no pacing and no retry.
 */
import { request } from 'undici';

import { ENDPOINTS } from '../../nodes/shared/platform/endpoints';
import { buildAkskHeaders } from '../../nodes/shared/transport/aksk';

export interface BareCredentials {
	baseUrl: string;
	appKey: string;
	appSecret: string;
}

export interface BareAnswer {
	statusCode: number;
	resultcode: string;
	ms: number;
}

export async function sendSigned(
	creds: BareCredentials,
	method: 'GET' | 'POST',
	endpoint: string,
	body?: Record<string, unknown>,
	timeoutMs = 30_000,
): Promise<BareAnswer> {
	const started = performance.now();
	const response = await request(`${creds.baseUrl}${endpoint}`, {
		method,
		headers: {
			'content-type': 'application/json;charset=UTF-8',
			accept: 'application/json',
			...buildAkskHeaders(creds.appKey, creds.appSecret),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
		// The platform closes every connection after its answer; so does the node.
		reset: true,
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs,
	});
	const text = await response.body.text();
	let resultcode = '';
	try {
		resultcode = String((JSON.parse(text) as { resultcode?: unknown }).resultcode ?? '');
	} catch {
		resultcode = '';
	}
	return { statusCode: response.statusCode, resultcode, ms: performance.now() - started };
}

export const CALL_NOTIFY = ENDPOINTS.callNotify.path;

/** The body the node sends for Voice Notification → Send with one voice-file segment. */
export function notifyBody(displayNbr: string, calleeNbr: string): Record<string, unknown> {
	return { displayNbr, calleeNbr, playInfoList: [{ notifyVoice: 'notifyvoice.wav' }] };
}
