/**
 * The console's server side: its static files, the Server-Sent Events stream it listens to, the
 * reject action and the script checks its editor relies on. The page itself is tested in a real
 * browser (e2e/browser/).
 */
import { events, http } from '../../dev/node.cjs';
import { startEmulator, type Emulator } from '../../emulator';
import { useEmulatorWithReceiver } from '../helpers/emulatorWithReceiver';
import { A_NUMBER, api, B_NUMBER, callbackBody, notifyBody, PATHS, send } from './client';

interface Snapshot {
	calls: Array<{ sessionId: string; phase: string; state: string }>;
	scripts: Record<string, unknown>;
	totalCalls: number;
	[key: string]: unknown;
}

/** Reads GET /emulator/events; `next()` resolves with the first snapshot (received or coming) that matches. */
function openStream(baseUrl: string): Promise<{
	headers: Record<string, string | string[] | undefined>;
	snapshots: Snapshot[];
	raw: () => string;
	next(predicate: (s: Snapshot) => boolean): Promise<Snapshot>;
	ended: Promise<void>;
	close(): void;
}> {
	return new Promise((resolve, reject) => {
		const req = http.get(`${baseUrl}/emulator/events`, { agent: false }, (res) => {
			const emitter = new events.EventEmitter();
			const snapshots: Snapshot[] = [];
			let text = '';
			let buffer = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => {
				text += chunk;
				buffer += chunk;
				let end: number;
				while ((end = buffer.indexOf('\n\n')) !== -1) {
					const frame = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const data = frame.split('\n').find((line) => line.startsWith('data: '));
					if (frame.includes('event: snapshot') && data) {
						snapshots.push(JSON.parse(data.slice(6)) as Snapshot);
						emitter.emit('snapshot');
					}
				}
			});
			const ended = new Promise<void>((done) => res.on('close', () => done()));
			resolve({
				headers: res.headers,
				snapshots,
				raw: () => text,
				ended,
				close: () => req.destroy(),
				next: (predicate) =>
					new Promise((found, fail) => {
						const check = (): boolean => {
							const match = snapshots.find(predicate);
							if (match) found(match);
							return match !== undefined;
						};
						if (check()) return;
						const signal = AbortSignal.timeout(5000);
						const onSnapshot = (): void => {
							if (check()) cleanup();
						};
						const onAbort = (): void => {
							cleanup();
							fail(new Error(`No matching snapshot within 5 s (${snapshots.length} received)`));
						};
						const cleanup = (): void => {
							emitter.off('snapshot', onSnapshot);
							signal.removeEventListener('abort', onAbort);
						};
						emitter.on('snapshot', onSnapshot);
						signal.addEventListener('abort', onAbort);
					}),
			});
		});
		req.on('error', reject);
	});
}

describe('emulator console: files, live events, reject, script checks', () => {
	const env = useEmulatorWithReceiver({ timeScale: 0.001, manualTimeoutMs: 20000 }, { scripts: {}, defaultScript: { outcome: 'answer', ringSeconds: 3, talkSeconds: 20, digits: ['1'], hangupBy: 'callee' } });
	const { urls } = env;
	/** Resolves once the receiver got `count` status pushes of `eventType` for the call. */
	const pushed = (sessionId: string, eventType: string, count: number) =>
		env.receiver.waitForCount((r) => {
			const push = r.json as { eventType?: string; statusInfo?: { sessionId?: string } } | undefined;
			return r.path === '/status' && push?.eventType === eventType && push.statusInfo?.sessionId === sessionId;
		}, count);

	it('serves only its three files, same-origin only, and links them from the index', async () => {
		const page = await send(env.emulator.baseUrl, 'GET', '/emulator/console');
		expect(page.status).toBe(200);
		expect(page.headers['content-type']).toMatch(/^text\/html/);
		expect(page.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
		expect(page.text).toContain('/emulator/console/console.js');
		expect(page.serverClosed).toBe(true);
		const script = await send(env.emulator.baseUrl, 'GET', '/emulator/console/console.js');
		expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript;charset=UTF-8']);
		expect((await send(env.emulator.baseUrl, 'GET', '/emulator/console/console.css')).status).toBe(200);
		for (const other of ['/emulator/console/index.html', '/emulator/console/..%2Fconfig.ts', '/emulator/console/%2e%2e/console.ts']) {
			expect((await send(env.emulator.baseUrl, 'GET', other)).status).toBe(404);
		}
		const index = await send(env.emulator.baseUrl, 'GET', '/emulator', { headers: { Accept: 'text/html' } });
		expect(index.text).toContain('href="/emulator/console"');
		expect((await send(env.emulator.baseUrl, 'GET', '/emulator')).json).toMatchObject({ console: env.emulator.consoleUrl });
		expect(env.emulator.consoleUrl).toBe(`${env.emulator.baseUrl}/emulator/console`);
	});

	it('streams a snapshot at once and after every change, without the APP_Secret', async () => {
		const stream = await openStream(env.emulator.baseUrl);
		try {
			expect(stream.headers['content-type']).toBe('text/event-stream;charset=UTF-8');
			const first = await stream.next(() => true);
			expect(first).toMatchObject({ calls: [], totalCalls: 0, timeScale: 0.001, baseUrl: env.emulator.baseUrl });
			env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'manual' } } });
			await stream.next((s) => JSON.stringify(s.scripts) === JSON.stringify({ [B_NUMBER]: { outcome: 'manual' } }));
			const placed = await api(env.emulator, PATHS.callNotify, notifyBody(urls()));
			const sessionId = String(placed.json?.sessionId);
			await stream.next((s) => s.calls.some((c) => c.sessionId === sessionId && c.phase === 'ringing'));
			env.emulator.hangUp(sessionId);
			await stream.next((s) => s.calls.some((c) => c.sessionId === sessionId && c.state === 'ended'));
			expect(stream.raw()).not.toContain(env.emulator.config.appSecret);
		} finally {
			stream.close();
		}
	});

	it('ends the stream when the emulator stops', async () => {
		const own: Emulator = await startEmulator({ config: { timeScale: 0.001 } });
		const stream = await openStream(own.baseUrl);
		await stream.next(() => true);
		await own.stop();
		await stream.ended;
		expect(stream.snapshots.length).toBeGreaterThanOrEqual(1);
	});

	it('reject: a ringing callee declines like a scripted reject (8105, Q.850 21, SIP 603); refused once not ringing', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'manual' } } });
		const placed = await api(env.emulator, PATHS.callNotify, notifyBody(urls()));
		const sessionId = String(placed.json?.sessionId);
		await pushed(sessionId, 'alerting', 1);
		const path = `/emulator/calls/${encodeURIComponent(sessionId)}`;
		expect((await send(env.emulator.baseUrl, 'POST', `${path}/reject`)).json).toEqual({ ok: true, sessionId, action: 'reject' });
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(call.disconnect).toMatchObject({ stateCode: 8105, ulFailReason: 518 });
		expect(call.cdr).toMatchObject({ callOutUnaswRsn: 21, sipStatusCode: 603 });

		// The same numbers as the scripted reject.
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'reject', ringSeconds: 1 } } });
		const scripted = await api(env.emulator, PATHS.callNotify, notifyBody(urls()));
		const scriptedCall = await env.emulator.waitForCall(String(scripted.json?.sessionId), 'settled');
		expect(scriptedCall.disconnect).toEqual(call.disconnect);
		expect([scriptedCall.cdr?.callOutUnaswRsn, scriptedCall.cdr?.sipStatusCode]).toEqual([21, 603]);

		const late = await send(env.emulator.baseUrl, 'POST', `${path}/reject`);
		expect([late.status, late.json?.error]).toEqual([409, 'The call has ended.']);
	});

	it('reject on the A leg of a callback → 8111; an answered call cannot be rejected; a hang-up is timed when it happened', async () => {
		env.emulator.configure({ scripts: { [A_NUMBER]: { outcome: 'manual' }, [B_NUMBER]: { outcome: 'manual' } } });
		const first = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), partyTypeRequiredInDisconnect: 'true' }));
		const a = String(first.json?.sessionId);
		await pushed(a, 'alerting', 1);
		env.emulator.reject(a);
		expect((await env.emulator.waitForCall(a, 'ended')).disconnect).toMatchObject({ stateCode: 8111, partyType: '1', ulFailReason: 520 });

		const second = await api(env.emulator, PATHS.click2Call, callbackBody(urls()));
		const b = String(second.json?.sessionId);
		await pushed(b, 'alerting', 1);
		env.emulator.answer(b);
		await pushed(b, 'alerting', 2);
		env.emulator.answer(b);
		await pushed(b, 'answer', 2);
		const refused = await send(env.emulator.baseUrl, 'POST', `/emulator/calls/${encodeURIComponent(b)}/reject`);
		expect([refused.status, refused.json?.error]).toEqual([409, 'The call is talking, not ringing.']);
		env.emulator.hangUp(b, 'callee');
		const ended = await env.emulator.waitForCall(b, 'ended');
		expect(ended.disconnect?.stateCode).toBe(0);
		// The console lists the hang-up at the moment it happened on the call's clock, after B's answer.
		const at = (type: string, match: (e: { leg?: string; note?: string }) => boolean) => Date.parse(String(ended.events.find((e) => e.type === type && match(e))?.simTime));
		const answeredB = at('answer', (e) => e.leg === 'B');
		const hungUp = at('control', (e) => e.note === 'hangup callee');
		expect(hungUp).toBeGreaterThan(answeredB);
		expect(hungUp).toBeLessThanOrEqual(at('disconnect', () => true));
	});

	it('PATCH /emulator/config checks every script field and names the wrong one (the editor shows the message)', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{ scripts: { '8613800000001': { outcome: 'manual' } } }, /"8613800000001" is not a number/],
			[{ scripts: { [B_NUMBER]: { outcome: 'hangup' } } }, /scripts\["\+8613700000002"\]\.outcome must be one of answer, noAnswer/],
			[{ scripts: { [B_NUMBER]: { ringSeconds: -1 } } }, /ringSeconds must be a number of seconds >= 0/],
			[{ scripts: { [B_NUMBER]: { talkSeconds: '20' } } }, /talkSeconds must be a number/],
			[{ scripts: { [B_NUMBER]: { digits: '1' } } }, /digits must be a list/],
			[{ scripts: { [B_NUMBER]: { digits: ['1', 'x'] } } }, /digits must be a list/],
			[{ scripts: { [B_NUMBER]: { hangupBy: 'both' } } }, /hangupBy must be caller or callee/],
			[{ scripts: { [B_NUMBER]: { ring: 3 } } }, /unknown field "ring"/],
			[{ scripts: [] }, /scripts must be an object/],
			[{ defaultScript: { ringSeconds: null } }, /defaultScript\.ringSeconds/],
		];
		for (const [body, message] of cases) {
			const reply = await send(env.emulator.baseUrl, 'PATCH', '/emulator/config', { body });
			expect([reply.status, String(reply.json?.error)]).toEqual([400, expect.stringMatching(message)]);
		}
		// A refused patch leaves the live configuration as it was.
		expect(env.emulator.config.scripts).toEqual({});
		const ok = await send(env.emulator.baseUrl, 'PATCH', '/emulator/config', { body: { scripts: { [B_NUMBER]: { outcome: 'manual', digits: ['1', '', '#'] } } } });
		expect(ok.status).toBe(200);
		expect(env.emulator.config.scripts).toEqual({ [B_NUMBER]: { outcome: 'manual', digits: ['1', '', '#'] } });
	});
});
