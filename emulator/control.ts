/**
 * Inspection and control API under /emulator (no auth): what tests and people use to see calls,
 * requests and pushes, drive manual calls, reset, and change the configuration at runtime. The
 * console page and its event stream (console.ts) live under it too.
 */
import { ControlError } from './calls';
import type { EmulatorConfig } from './config';
import { CONSOLE_PATH, EVENTS_PATH, serveConsoleFile, streamEvents } from './console';
import type { ServerContext } from './context';
import { readBody, sendBody, sendJson, type IncomingMessage, type ServerResponse } from './http';

const INDEX = [
	{ method: 'GET', path: '/emulator', what: 'this index' },
	{ method: 'GET', path: CONSOLE_PATH, what: 'the web console: live calls, act as the callee, pushes, CDRs, scripts' },
	{ method: 'GET', path: EVENTS_PATH, what: 'Server-Sent Events: a snapshot of the newest calls and the scripts on every change' },
	{ method: 'GET', path: '/emulator/calls', what: 'every call: request, script, state, events, pushes, CDR' },
	{ method: 'GET', path: '/emulator/calls/{sessionId}', what: 'one call (URL-encode the sessionId)' },
	{ method: 'POST', path: '/emulator/calls/{sessionId}/answer', what: 'answer the ringing leg' },
	{ method: 'POST', path: '/emulator/calls/{sessionId}/reject', what: 'decline the ringing leg (as a scripted reject)' },
	{ method: 'POST', path: '/emulator/calls/{sessionId}/digits', what: 'press digits: {"digits":"1"}' },
	{ method: 'POST', path: '/emulator/calls/{sessionId}/hangup', what: 'hang up: {"party":"caller"|"callee"} (optional)' },
	{ method: 'GET', path: '/emulator/requests', what: 'every API request, including rejected ones' },
	{ method: 'POST', path: '/emulator/reset', what: 'forget calls, requests and pushes; free all ports' },
	{ method: 'GET', path: '/emulator/config', what: 'the live configuration' },
	{ method: 'PATCH', path: '/emulator/config', what: 'change configuration keys (JSON body)' },
];

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
	const raw = await readBody(req);
	if (raw === null) throw new ControlError(413, 'The body is too large.');
	const text = raw.toString('utf8').trim();
	if (text === '') return {};
	let value: unknown;
	let parsed = true;
	try {
		value = JSON.parse(text);
	} catch {
		parsed = false;
	}
	if (!parsed) throw new ControlError(400, 'The body is not valid JSON.');
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new ControlError(400, 'The body must be a JSON object.');
	}
	return value as Record<string, unknown>;
}

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function indexHtml(ctx: ServerContext): string {
	const rows = INDEX.map((r) => `<tr><td>${r.method}</td><td><code>${escapeHtml(r.path)}</code></td><td>${escapeHtml(r.what)}</td></tr>`).join('');
	const calls = ctx.calls
		.list()
		.map((c) => `<li><code>${escapeHtml(c.sessionId)}</code> ${c.type} ${escapeHtml(c.phase)}</li>`)
		.join('');
	return `<!doctype html><meta charset="utf-8"><title>Huawei Voice Call emulator</title>
<h1>Huawei Voice Call emulator</h1><p><a href="${CONSOLE_PATH}">Open the console</a></p>
<p>Base URL <code>${escapeHtml(ctx.baseUrl())}</code>, app key <code>${escapeHtml(ctx.config.appKey)}</code></p>
<table>${rows}</table><h2>Calls</h2><ul>${calls || '<li>none</li>'}</ul>`;
}

export async function handleControl(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
	const method = req.method ?? 'GET';
	if ((method === 'GET' || method === 'HEAD') && url.pathname.startsWith(CONSOLE_PATH)) {
		req.resume();
		if (serveConsoleFile(url.pathname, res)) return;
	}
	if (method === 'GET' && url.pathname === EVENTS_PATH) {
		streamEvents(ctx, req, res);
		return;
	}
	const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
	try {
		if (parts.length === 0 && method === 'GET') {
			req.resume();
			if ((req.headers.accept ?? '').includes('text/html')) {
				return sendBody(res, 200, 'text/html;charset=UTF-8', indexHtml(ctx));
			}
			return sendJson(res, 200, {
				emulator: 'huawei-voicecall',
				baseUrl: ctx.baseUrl(),
				appKey: ctx.config.appKey,
				console: `${ctx.baseUrl()}${CONSOLE_PATH}`,
				activePorts: ctx.calls.activePorts(),
				ports: ctx.config.ports,
				calls: ctx.calls.size,
				requests: ctx.requests.length,
				routes: INDEX,
			});
		}
		const [section, sessionId, action] = parts;
		if (section === 'calls' && method === 'GET' && parts.length === 1) {
			req.resume();
			return sendJson(res, 200, ctx.calls.list());
		}
		if (section === 'calls' && method === 'GET' && parts.length === 2) {
			req.resume();
			const call = ctx.calls.get(sessionId);
			if (!call) throw new ControlError(404, `No call ${sessionId}.`);
			return sendJson(res, 200, call);
		}
		if (section === 'calls' && method === 'POST' && parts.length === 3) {
			const body = await readJson(req);
			if (action === 'answer') ctx.calls.answer(sessionId);
			else if (action === 'reject') ctx.calls.reject(sessionId);
			else if (action === 'digits') ctx.calls.pressDigits(sessionId, body.digits as string);
			else if (action === 'hangup') {
				const party = body.party;
				if (party !== undefined && party !== 'caller' && party !== 'callee') {
					throw new ControlError(400, 'party must be caller or callee.');
				}
				ctx.calls.hangUp(sessionId, party);
			} else throw new ControlError(404, `Unknown action ${action}.`);
			return sendJson(res, 200, { ok: true, sessionId, action });
		}
		if (section === 'requests' && method === 'GET' && parts.length === 1) {
			req.resume();
			return sendJson(res, 200, ctx.requests);
		}
		if (section === 'reset' && method === 'POST' && parts.length === 1) {
			req.resume();
			ctx.reset();
			return sendJson(res, 200, { ok: true });
		}
		if (section === 'config' && parts.length === 1 && method === 'GET') {
			req.resume();
			return sendJson(res, 200, ctx.config);
		}
		if (section === 'config' && parts.length === 1 && method === 'PATCH') {
			const body = await readJson(req);
			try {
				ctx.configure(body as Partial<EmulatorConfig>);
			} catch (error) {
				return sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
			}
			return sendJson(res, 200, ctx.config);
		}
		req.resume();
		throw new ControlError(404, `No control route ${method} ${url.pathname}.`);
	} catch (error) {
		// Control errors carry their status; anything else is an emulator bug, reported as a 500.
		const status = error instanceof ControlError ? error.status : 500;
		return sendJson(res, status, { error: error instanceof Error ? error.message : String(error) });
	}
}
