/**
 * The HTTP side of the emulator: routing, short connections (`Connection: close` on every response
 * and the socket closed after it, docs/platform.md §2/§11.4), the request log, fault injection, and the five
 * platform endpoints. The inspection/control API lives in control.ts, the browser console in
 * console.ts, the response helpers in http.ts.
 */
import { http, net } from '../dev/node.cjs';
import { ENDPOINTS, type EndpointName as PlatformEndpoint } from '../nodes/shared/platform/endpoints';
import { gatewayPage, RECORD_NOT_FOUND, resultReply, type Reply } from './replies';
import { checkAuth } from './auth';
import type { EmulatedCallType } from './calls';
import type { EndpointName } from './config';
import type { RequestLogEntry, ServerContext } from './context';
import { handleControl } from './control';
import { describeFault } from './faults';
import { JSON_TYPE, readBody, sendBody, sendJson, type IncomingMessage, type ServerResponse } from './http';
import { streamWav } from './recordings';
import {
	validateCallNotify,
	validateCallStop,
	validateCallVerify,
	validateClick2Call,
	type Body,
	type ValidationFailure,
} from './validate';

type Server = ReturnType<typeof http.createServer>;
type Socket = InstanceType<typeof net.Socket>;

/** "METHOD path" → endpoint, from the shared endpoint list (test/emulator/client.ts pins the documented paths). */
const ROUTES: Record<string, EndpointName> = Object.fromEntries(
	(Object.entries(ENDPOINTS) as Array<[PlatformEndpoint, (typeof ENDPOINTS)[PlatformEndpoint]]>).map(([name, { method, path }]) => [
		`${method} ${path}`,
		name,
	]),
);

function failureReply(failure: ValidationFailure): Reply {
	return resultReply(failure.code, failure.detail);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function placeCall(ctx: ServerContext, type: EmulatedCallType, body: Body): Reply {
	const placed = ctx.calls.place(type, body);
	if (!placed) return resultReply('1020165');
	const reply = resultReply('0');
	(reply.body as Record<string, unknown>).sessionId = placed.sessionId;
	if (body.returnIdlePort === 'true') (reply.body as Record<string, unknown>).idlePort = placed.idlePort;
	reply.sessionId = placed.sessionId;
	return reply;
}

/** Runs one authenticated platform request (validation, then the action). */
function handleEndpoint(ctx: ServerContext, endpoint: EndpointName, body: Body, query: URLSearchParams): Reply {
	const config = ctx.config;
	switch (endpoint) {
		case 'click2Call': {
			const failure = validateClick2Call(body, config);
			return failure ? failureReply(failure) : placeCall(ctx, 'callback', body);
		}
		case 'callNotify': {
			const failure = validateCallNotify(body, config);
			return failure ? failureReply(failure) : placeCall(ctx, 'notify', body);
		}
		case 'callVerify': {
			const failure = validateCallVerify(body, config);
			return failure ? failureReply(failure) : placeCall(ctx, 'verify', body);
		}
		case 'callStop': {
			const failure = validateCallStop(body);
			if (failure) return failureReply(failure);
			const sessionId = body.sessionid as string;
			// The platform "returns a failure" for an ended call without a documented code: 1010002.
			if (!ctx.calls.terminate(sessionId)) {
				return resultReply('1010002', 'The session does not exist or the call has ended.');
			}
			return { ...resultReply('0'), sessionId };
		}
		case 'record': {
			const fileName = query.get('fileName');
			const recordDomain = query.get('recordDomain');
			if (!fileName) return resultReply('1010002', 'The fileName is missing.');
			if (!recordDomain) return resultReply('1010002', 'The recordDomain is missing.');
			const now = Date.now();
			const known = ctx.recordings.has(fileName, now) || config.recordings.includes(fileName);
			if (!known || recordDomain !== ctx.recordDomain()) {
				return {
					status: RECORD_NOT_FOUND.httpStatus,
					body: { resultcode: RECORD_NOT_FOUND.resultcode, resultdesc: RECORD_NOT_FOUND.resultdesc },
				};
			}
			const expires = Math.floor(now / 1000) + config.recordingUrlTtlSeconds;
			const location = `${ctx.baseUrl()}/files/${encodeURIComponent(fileName)}?expires=${expires}`;
			return { status: 301, body: null, headers: { Location: location } };
		}
	}
}

async function handleApi(ctx: ServerContext, endpoint: EndpointName, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	// A restart (Emulator.restart) resets every open connection: a request it interrupts is not
	// carried on afterwards, as a platform process that went down would not.
	const generation = ctx.generation();
	const raw = await readBody(req);
	// Cut off while its body was arriving: the platform never saw a whole request.
	if (ctx.generation() !== generation) return;
	const text = raw === null ? '' : raw.toString('utf8');
	let parsed: unknown;
	let jsonOk = false;
	if (endpoint === 'record') {
		parsed = Object.fromEntries(url.searchParams);
		jsonOk = true;
	} else if (raw !== null) {
		try {
			parsed = JSON.parse(text);
			jsonOk = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
		} catch {
			parsed = text;
		}
	}
	const entry: RequestLogEntry = {
		id: ctx.requests.length + 1,
		time: new Date().toISOString(),
		endpoint,
		method: req.method ?? '',
		path: url.pathname + url.search,
		headers: { ...req.headers },
		body: parsed,
		resultcode: null,
		resultdesc: null,
		httpStatus: null,
	};
	ctx.requests.push(entry);
	ctx.inFlight.add(entry);
	try {
		await carryOut(ctx, endpoint, req, res, url, { entry, raw, parsed, jsonOk, generation });
	} finally {
		ctx.inFlight.delete(entry);
	}
}

/** Fault injection and the endpoint's work for one logged request, up to its answer. */
async function carryOut(
	ctx: ServerContext,
	endpoint: EndpointName,
	req: IncomingMessage,
	res: ServerResponse,
	url: URL,
	{ entry, raw, parsed, jsonOk, generation }: { entry: RequestLogEntry; raw: Buffer | null; parsed: unknown; jsonOk: boolean; generation: number },
): Promise<void> {
	const taken = ctx.faults.take(endpoint);
	const fault = taken?.fault;
	if (fault) entry.fault = describeFault(fault);
	if (taken?.kind) entry.faultKind = taken.kind;
	// The restart marks the entries of the requests it cuts (ctx.inFlight).
	const interrupted = (): boolean => ctx.generation() !== generation;
	if (fault?.delayMs) {
		await ctx.ioTimers.sleep(fault.delayMs);
		if (interrupted()) return;
	}
	if (fault?.drop === 'dropBeforeAccept') {
		req.socket.destroy();
		logLine(ctx, entry);
		return;
	}
	if (fault?.gatewayError && !fault.gatewayError.afterAccept) {
		// A gateway that could not reach the platform: nothing is done.
		entry.httpStatus = fault.gatewayError.status;
		logLine(ctx, entry);
		sendBody(res, fault.gatewayError.status, 'text/html', gatewayPage(fault.gatewayError.status));
		return;
	}

	let reply: Reply;
	const authFailure = checkAuth({
		authorization: headerValue(req, 'authorization'),
		xAksk: headerValue(req, 'x-aksk'),
		appKey: ctx.config.appKey,
		appSecret: ctx.config.appSecret,
		clockWindowSeconds: ctx.config.clockWindowSeconds,
		nowMs: Date.now(),
	});
	if (fault?.resultCode !== undefined) {
		// A forced code replaces all processing (even auth): nothing is placed or stopped.
		reply = resultReply(fault.resultCode);
		if (fault.resultDesc !== undefined && reply.body) reply.body.resultdesc = fault.resultDesc;
		if (fault.httpStatus !== undefined) reply.status = fault.httpStatus;
	} else if (authFailure) {
		reply = resultReply(authFailure);
	} else if (raw === null) {
		reply = resultReply('1010002', 'The request body is too large.');
	} else if (!jsonOk) {
		reply = resultReply('1010002', 'The request body is not a JSON object.');
	} else {
		reply = handleEndpoint(ctx, endpoint, parsed as Body, url.searchParams);
	}

	entry.sessionId = reply.sessionId;
	if (fault?.drop === 'dropAfterAccept') {
		// "Request accepted, response lost": the work above is done, the client sees a reset.
		req.socket.destroy();
		logLine(ctx, entry);
		return;
	}
	if (fault?.gatewayError) {
		// The platform did the work, the gateway gave up waiting for its answer (504).
		entry.httpStatus = fault.gatewayError.status;
		logLine(ctx, entry);
		sendBody(res, fault.gatewayError.status, 'text/html', gatewayPage(fault.gatewayError.status));
		return;
	}
	entry.httpStatus = reply.status;
	entry.resultcode = reply.body ? String(reply.body.resultcode) : null;
	entry.resultdesc = reply.body ? String(reply.body.resultdesc) : null;
	if (fault?.slowAnswerMs !== undefined) {
		// The work is done; the answer comes late (after the client's timeout, the answer is lost).
		await ctx.ioTimers.sleep(fault.slowAnswerMs);
		if (interrupted()) return;
		if (req.socket.destroyed) entry.answerLost = true;
	}
	logLine(ctx, entry);
	if (req.socket.destroyed) return;
	if (fault?.malformedBody) {
		const garbage = '{"resultcode":"0","resultdesc":"Succ';
		sendBody(res, 200, JSON_TYPE, garbage);
		return;
	}
	sendJson(res, reply.status, reply.body, reply.headers);
}

function logLine(ctx: ServerContext, entry: RequestLogEntry): void {
	if (!ctx.config.logRequests || !ctx.log) return;
	const outcome = entry.httpStatus === null ? 'dropped' : `${entry.httpStatus} ${entry.resultcode ?? ''}`;
	ctx.log(`${entry.time} ${entry.method} ${entry.path} → ${outcome}${entry.sessionId ? ` ${entry.sessionId}` : ''}${entry.fault ? ` [fault: ${entry.fault}]` : ''}`);
}

function handleFile(ctx: ServerContext, url: URL, res: ServerResponse): void {
	const name = decodeURIComponent(url.pathname.slice('/files/'.length));
	const expires = Number(url.searchParams.get('expires'));
	const now = Date.now();
	const known = ctx.recordings.has(name, now) || ctx.config.recordings.includes(name);
	if (!known || !Number.isFinite(expires) || expires * 1000 < now) {
		sendJson(res, RECORD_NOT_FOUND.httpStatus, {
			resultcode: RECORD_NOT_FOUND.resultcode,
			resultdesc: RECORD_NOT_FOUND.resultdesc,
		});
		return;
	}
	streamWav(res, ctx.config.recordingBytes, { Connection: 'close' });
}

async function route(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://emulator.local');
	const method = req.method ?? 'GET';
	const path = url.pathname;
	if (path === '/emulator' || path.startsWith('/emulator/')) {
		await handleControl(ctx, req, res, url);
		return;
	}
	if (path.startsWith('/files/') && (method === 'GET' || method === 'HEAD')) {
		req.resume();
		handleFile(ctx, url, res);
		return;
	}
	const endpoint = ROUTES[`${method} ${path}`];
	if (endpoint) {
		await handleApi(ctx, endpoint, req, res, url);
		return;
	}
	// Wrong URI, version or method: 404 with 1010006, as JSON (§2 "Wrong URL", §13.1).
	req.resume();
	const reply = resultReply('1010006');
	ctx.requests.push({
		id: ctx.requests.length + 1,
		time: new Date().toISOString(),
		endpoint: 'unknown',
		method,
		path: url.pathname + url.search,
		headers: { ...req.headers },
		body: null,
		resultcode: '1010006',
		resultdesc: String(reply.body?.resultdesc),
		httpStatus: reply.status,
	});
	sendJson(res, reply.status, reply.body);
}

export function createEmulatorServer(ctx: ServerContext): { server: Server; closeAll(): Promise<void> } {
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		route(ctx, req, res).catch((error: unknown) => {
			if (!res.headersSent) sendJson(res, 500, { resultcode: '1010001', resultdesc: 'Internal system error.' });
			ctx.log?.(`internal error: ${String(error)}`);
		});
	});
	// Short connections: no keep-alive, so a client never reuses a socket the platform would close.
	server.keepAliveTimeout = 1;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return {
		server,
		closeAll: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}
