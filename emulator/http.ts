/**
 * HTTP helpers shared by the platform endpoints (server.ts), the control API (control.ts) and the
 * console (console.ts): complete responses that close their socket (the platform's short
 * connections, docs/platform.md §2/§11.4), and bounded body reading.
 */
import type { http } from '../dev/node.cjs';

export type IncomingMessage = InstanceType<typeof http.IncomingMessage>;
export type ServerResponse = InstanceType<typeof http.ServerResponse>;

export const JSON_TYPE = 'application/json;charset=UTF-8';

/** Request bodies above this size are refused (the platform endpoints answer 1010002). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Writes a complete response and makes sure the socket closes after it. */
export function sendBody(res: ServerResponse, status: number, contentType: string | null, body: string | Buffer, headers: Record<string, string> = {}): void {
	res.writeHead(status, {
		...headers,
		...(contentType === null ? {} : { 'Content-Type': contentType }),
		'Content-Length': String(Buffer.byteLength(body)),
		Connection: 'close',
	});
	res.end(body);
}

/** A JSON response (`null` = no body at all, e.g. the 301 of the record API). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	sendBody(res, status, body === null ? null : JSON_TYPE, body === null ? '' : JSON.stringify(body), headers);
}

/** The whole request body, or null when it is larger than `maxBytes` or the request failed. */
export function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer | null> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let tooBig = false;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size > maxBytes) tooBig = true;
			else chunks.push(chunk);
		});
		req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
		req.on('error', () => resolve(null));
	});
}
