/**
 * Test client for the emulator: raw HTTP on a fresh socket per request (no keep-alive), so tests
 * see exactly what the emulator sends, including whether it closes the connection.
 */
import { buildAkskHeaders } from '../../nodes/shared/transport/aksk';
import { http } from '../../dev/node.cjs';
import type { Emulator } from '../../emulator';

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: Record<string, unknown> | undefined;
	/** True when the server closed the socket after the response. */
	serverClosed: boolean;
}

export function send(
	baseUrl: string,
	method: string,
	path: string,
	options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
	const payload =
		options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
	return new Promise((resolve, reject) => {
		const req = http.request(
			`${baseUrl}${path}`,
			{
				method,
				agent: false,
				headers: {
					...(payload !== undefined ? { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
					...options.headers,
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json: Record<string, unknown> | undefined;
					try {
						json = JSON.parse(text) as Record<string, unknown>;
					} catch {
						json = undefined;
					}
					const finish = (serverClosed: boolean): void =>
						resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, serverClosed });
					const socket = req.socket;
					if (!socket || socket.destroyed) return finish(true);
					// The emulator must close first (short connections): wait for its FIN, never close ourselves.
					socket.once('close', () => finish(true));
				});
			},
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/** A request signed with the package's signer (a fresh nonce each time). */
export function signedHeaders(emulator: Emulator, options: { now?: Date; timezone?: 'utc' | 'utc+8' } = {}): Record<string, string> {
	return buildAkskHeaders(emulator.config.appKey, emulator.config.appSecret, options);
}

export function api(emulator: Emulator, path: string, body?: unknown, headers?: Record<string, string>): Promise<RawResponse> {
	return send(emulator.baseUrl, 'POST', path, { body, headers: headers ?? signedHeaders(emulator) });
}

export const PATHS = {
	click2Call: '/rest/httpsessions/click2Call/v2.0',
	callStop: '/rest/httpsessions/callStop/v2.0',
	callNotify: '/rest/httpsessions/callnotify/v2.0',
	callVerify: '/rest/httpsessions/callVerify/v1.0',
	record: '/rest/provision/voice/record/v1.0',
};

export const DISPLAY = '+8675528000001';
export const A_NUMBER = '+8613700000001';
export const B_NUMBER = '+8613700000002';

export function callbackBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { displayNbr: DISPLAY, callerNbr: A_NUMBER, displayCalleeNbr: DISPLAY, calleeNbr: B_NUMBER, ...extra };
}

export function notifyBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { displayNbr: DISPLAY, calleeNbr: B_NUMBER, playInfoList: [{ notifyVoice: 'notifyvoice.wav' }], ...extra };
}

export function b64(url: string): string {
	return Buffer.from(url, 'utf8').toString('base64');
}

/** Parses the CDR/status time format `yyyy-MM-dd HH:mm:ss` (UTC) to epoch ms. */
export function utcMs(value: unknown): number {
	return Date.parse(`${String(value).replace(' ', 'T')}Z`);
}
