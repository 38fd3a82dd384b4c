/**
 * The emulator console: a dev-only web page (emulator/console/, plain HTML/CSS/JS, no build step,
 * nothing from the network) that lists the calls live, lets a person act as the callee through the
 * control API, shows every push with its reply, the CDRs and recordings, and edits the call
 * scripts. This module serves its files and the Server-Sent Events stream it listens to.
 *
 * The stream sends a snapshot (the newest calls plus the scripts) at once, then again at most every
 * SNAPSHOT_MIN_INTERVAL_MS while the simulation changes, and a comment line as heartbeat. Its
 * timers are I/O timers (cancelled on stop) and stop() destroys its socket with every other one, so
 * an open console never keeps the emulator process or a jest worker alive.
 */
import { fs, path, repoRoot } from '../dev/node.cjs';
import { SCRIPT_OUTCOMES } from './config';
import type { ServerContext } from './context';
import { sendBody, sendJson, type IncomingMessage, type ServerResponse } from './http';

export const CONSOLE_PATH = '/emulator/console';
export const EVENTS_PATH = '/emulator/events';

/** Calls in one snapshot; older ones stay available from GET /emulator/calls. */
export const CONSOLE_MAX_CALLS = 100;
const SNAPSHOT_MIN_INTERVAL_MS = 150;
const HEARTBEAT_MS = 15_000;
/** How long a browser waits before reconnecting after the stream broke (SSE `retry:`). */
const RECONNECT_MS = 2_000;

// The source folder, also when the emulator runs compiled from .build/ (the files are not compiled).
const CONSOLE_DIR = path.join(repoRoot, 'emulator', 'console');

/** The only files served: a fixed list, so no request path ever reaches the file system. */
const FILES: Record<string, { file: string; type: string }> = {
	'': { file: 'index.html', type: 'text/html;charset=UTF-8' },
	'console.css': { file: 'console.css', type: 'text/css;charset=UTF-8' },
	'console.js': { file: 'console.js', type: 'text/javascript;charset=UTF-8' },
};

/**
 * Same-origin only: the page loads nothing else, and even a value that slipped through escaping
 * could neither run script nor send data elsewhere.
 */
const SECURITY_HEADERS: Record<string, string> = {
	'Content-Security-Policy':
		"default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer',
	'Cache-Control': 'no-store',
};

/** GET /emulator/console[/file]: true when the path was a console path (answered here). */
export function serveConsoleFile(pathname: string, res: ServerResponse): boolean {
	if (pathname !== CONSOLE_PATH && !pathname.startsWith(`${CONSOLE_PATH}/`)) return false;
	const name = pathname.slice(CONSOLE_PATH.length).replace(/^\//, '');
	const entry = FILES[name];
	if (!entry) {
		sendJson(res, 404, { error: `No console file ${name}.` });
		return true;
	}
	// Read on every request: the files are small, and an edited page shows on reload.
	sendBody(res, 200, entry.type, fs.readFileSync(path.join(CONSOLE_DIR, entry.file)), SECURITY_HEADERS);
	return true;
}

/** What the console renders: no secret (the snapshot never carries the APP_Secret). */
export function consoleSnapshot(ctx: ServerContext): Record<string, unknown> {
	const config = ctx.config;
	return {
		baseUrl: ctx.baseUrl(),
		appKey: config.appKey,
		timeScale: config.timeScale,
		manualTimeoutMs: config.manualTimeoutMs,
		outcomes: SCRIPT_OUTCOMES,
		defaultScript: config.defaultScript,
		scripts: config.scripts,
		totalCalls: ctx.calls.size,
		calls: ctx.calls.list(CONSOLE_MAX_CALLS),
	};
}

/** GET /emulator/events: the live stream the console listens to (text/event-stream). */
export function streamEvents(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): void {
	req.resume();
	res.writeHead(200, {
		'Content-Type': 'text/event-stream;charset=UTF-8',
		'Cache-Control': 'no-store',
		// One response per connection, as everywhere in the emulator; this one just lasts.
		Connection: 'close',
	});
	res.write(`retry: ${RECONNECT_MS}\n\n`);

	let closed = false;
	let lastSent = 0;
	let cancelPending: (() => void) | null = null;
	let cancelHeartbeat: () => void = () => undefined;

	const send = (): void => {
		cancelPending = null;
		if (closed) return;
		lastSent = Date.now();
		res.write(`event: snapshot\ndata: ${JSON.stringify(consoleSnapshot(ctx))}\n\n`);
	};
	// Coalesces bursts of changes (a call emits several per step) into one snapshot.
	const onChange = (): void => {
		if (closed || cancelPending) return;
		const wait = Math.max(0, lastSent + SNAPSHOT_MIN_INTERVAL_MS - Date.now());
		cancelPending = ctx.ioTimers.schedule(send, wait);
	};
	const heartbeat = (): void => {
		if (closed) return;
		res.write(': heartbeat\n\n');
		cancelHeartbeat = ctx.ioTimers.schedule(heartbeat, HEARTBEAT_MS);
	};
	const close = (): void => {
		if (closed) return;
		closed = true;
		cancelPending?.();
		cancelHeartbeat();
		ctx.calls.events.off('change', onChange);
		ctx.calls.events.off('stop', close);
		res.end();
	};

	ctx.calls.events.on('change', onChange);
	ctx.calls.events.on('stop', close);
	res.on('close', close);
	send();
	cancelHeartbeat = ctx.ioTimers.schedule(heartbeat, HEARTBEAT_MS);
}
