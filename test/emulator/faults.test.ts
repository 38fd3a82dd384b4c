import { AUTH_FAILURE_CODES, defaultConfig, FAULT_KINDS, startEmulator, type Emulator, type FaultKind } from '../../emulator';
import { delay, http } from '../../dev/node.cjs';
import { api, callbackBody, notifyBody, PATHS, send, signedHeaders } from './client';

/** Polls `check` every 10 ms until it holds (bounded). */
async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await delay(10);
	}
}

/** A signed request the client abandons (destroys its socket) once `abandonWhen` holds. */
function abandonedRequest(emulator: Emulator, path: string, body: unknown): { socketClosed: Promise<void>; abandon(): void } {
	const payload = JSON.stringify(body);
	const req = http.request(`${emulator.baseUrl}${path}`, {
		method: 'POST',
		agent: false,
		headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': String(Buffer.byteLength(payload)), ...signedHeaders(emulator) },
	});
	const socketClosed = new Promise<void>((resolve) => {
		req.on('error', () => resolve());
		req.on('close', () => resolve());
	});
	req.end(payload);
	return { socketClosed, abandon: () => req.destroy() };
}

describe('emulator fault injection', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ config: { timeScale: 0.001 } });
	});
	afterAll(async () => {
		await emulator.stop();
	});
	beforeEach(() => {
		emulator.reset();
		emulator.configure({ faults: {}, scripts: {} });
	});

	it('forced result code: answered with the table text and status, nothing placed, limited by times', async () => {
		emulator.configure({ faults: { click2Call: { resultCode: '1011006', times: 2 } } });
		for (let i = 0; i < 2; i++) {
			const res = await api(emulator, PATHS.click2Call, callbackBody());
			expect([res.status, res.json]).toEqual([503, { resultcode: '1011006', resultdesc: 'Under traffic control status.' }]);
		}
		expect(emulator.calls()).toHaveLength(0);
		const third = await api(emulator, PATHS.click2Call, callbackBody());
		expect(third.json?.resultcode).toBe('0');
		expect(emulator.requests().map((r) => r.fault ?? null)).toEqual(['resultCode 1011006', 'resultCode 1011006', null]);
	});

	it('forced code on other endpoints only affects that endpoint', async () => {
		emulator.configure({ faults: { record: { resultCode: '1020166' } } });
		const rec = await send(emulator.baseUrl, 'GET', `${PATHS.record}?fileName=a.wav&recordDomain=b`, { headers: signedHeaders(emulator) });
		expect(rec.json?.resultcode).toBe('1020166');
		expect((await api(emulator, PATHS.callNotify, notifyBody())).json?.resultcode).toBe('0');
	});

	it('delay: the response comes no sooner than delayMs', async () => {
		emulator.configure({ faults: { callNotify: { delayMs: 150, times: 1 } } });
		const started = Date.now();
		const res = await api(emulator, PATHS.callNotify, notifyBody());
		expect(Date.now() - started).toBeGreaterThanOrEqual(145);
		expect(res.json?.resultcode).toBe('0');
		const fast = Date.now();
		await api(emulator, PATHS.callNotify, notifyBody());
		expect(Date.now() - fast).toBeLessThan(145);
	});

	it('dropBeforeAccept: the connection is reset and no call is placed', async () => {
		emulator.configure({ faults: { click2Call: { drop: 'dropBeforeAccept', times: 1 } } });
		await expect(api(emulator, PATHS.click2Call, callbackBody())).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(emulator.calls()).toHaveLength(0);
		expect(emulator.requests()[0]).toMatchObject({ endpoint: 'click2Call', resultcode: null, httpStatus: null, fault: 'dropBeforeAccept' });
	});

	it('dropAfterAccept: the connection is reset but the call IS placed (request accepted, response lost)', async () => {
		emulator.configure({ faults: { callNotify: { drop: 'dropAfterAccept' } } });
		await expect(api(emulator, PATHS.callNotify, notifyBody())).rejects.toThrow(/socket hang up|ECONNRESET/);
		const [call] = emulator.calls();
		expect(call).toBeDefined();
		const log = emulator.requests()[0];
		expect(log).toMatchObject({ fault: 'dropAfterAccept', sessionId: call.sessionId, httpStatus: null });
		const ended = await emulator.waitForCall(call.sessionId, 'settled');
		expect(ended.disconnect?.stateCode).toBe(0);
	});

	it('dropAfterAccept on callStop still stops the call', async () => {
		emulator.configure({ scripts: { '+8613700000002': { outcome: 'manual' } }, manualTimeoutMs: 20000 });
		const placed = await api(emulator, PATHS.click2Call, callbackBody());
		const sessionId = String(placed.json?.sessionId);
		emulator.configure({ faults: { callStop: { drop: 'dropAfterAccept' } } });
		await expect(api(emulator, PATHS.callStop, { sessionid: sessionId, signal: 'call_stop' })).rejects.toThrow(/socket hang up|ECONNRESET/);
		const call = await emulator.waitForCall(sessionId, 'ended');
		expect(call.disconnect?.stateCode).toBe(8017);
	});

	it('malformedBody: HTTP 200 with a truncated non-JSON body, and the call is placed', async () => {
		emulator.configure({ faults: { click2Call: { malformedBody: true, times: 1 } } });
		const res = await api(emulator, PATHS.click2Call, callbackBody());
		expect(res.status).toBe(200);
		expect(res.json).toBeUndefined();
		expect(res.text.startsWith('{"resultcode"')).toBe(true);
		expect(emulator.calls()).toHaveLength(1);
	});

	it('a faulted request is still logged with its body', async () => {
		emulator.configure({ faults: { callVerify: { resultCode: '1010001' } } });
		const body = { displayNbr: '+8675528000001', calleeNbr: '+8613700000002', verifyCode: '12' };
		const res = await api(emulator, PATHS.callVerify, body);
		expect([res.status, res.json?.resultcode]).toEqual([500, '1010001']);
		expect(emulator.requests()[0]).toMatchObject({ endpoint: 'callVerify', body, resultcode: '1010001', httpStatus: 500 });
	});

	it('resultCode with resultDesc and httpStatus: another reading of a code (the flow-control text of 1010010)', async () => {
		emulator.configure({
			faults: { callNotify: { resultCode: '1010010', resultDesc: 'The flow control upper limit is reached on the platform.', httpStatus: 503, times: 1 } },
		});
		const res = await api(emulator, PATHS.callNotify, notifyBody());
		expect([res.status, res.json]).toEqual([503, { resultcode: '1010010', resultdesc: 'The flow control upper limit is reached on the platform.' }]);
		expect(emulator.calls()).toHaveLength(0);
	});

	it('slowAnswer: the call is placed at once, the answer comes only after slowAnswerMs', async () => {
		emulator.configure({ faults: { callNotify: { slowAnswerMs: 300, times: 1 } } });
		const started = Date.now();
		let answered = false;
		const pending = api(emulator, PATHS.callNotify, notifyBody()).then((res) => {
			answered = true;
			return res;
		});
		await until(() => emulator.calls().length === 1, 'the call to be placed');
		expect(answered).toBe(false);
		const res = await pending;
		expect(Date.now() - started).toBeGreaterThanOrEqual(295);
		expect(res.json).toMatchObject({ resultcode: '0', sessionId: emulator.calls()[0].sessionId });
		expect(emulator.requests()[0]).toMatchObject({ fault: 'slowAnswer 300ms', resultcode: '0', sessionId: emulator.calls()[0].sessionId });
		expect(emulator.requests()[0].answerLost).toBeUndefined();
	});

	it('slowAnswer past the client\'s patience: the call stays placed and the log says the answer was lost', async () => {
		emulator.configure({ faults: { click2Call: { slowAnswerMs: 200, times: 1 } } });
		const request = abandonedRequest(emulator, PATHS.click2Call, callbackBody());
		await until(() => emulator.calls().length === 1, 'the call to be placed');
		request.abandon();
		await request.socketClosed;
		await until(() => emulator.requests()[0]?.answerLost === true, 'the lost answer to be logged');
		expect(emulator.requests()[0]).toMatchObject({ resultcode: '0', httpStatus: 200, sessionId: emulator.calls()[0].sessionId });
	});

	it('gatewayError: an HTML page without a result code; nothing is placed, or (afterAccept) the call is', async () => {
		emulator.configure({ faults: { callNotify: { gatewayError: { status: 502 }, times: 1 } } });
		const bad = await api(emulator, PATHS.callNotify, notifyBody());
		expect(bad.status).toBe(502);
		expect(bad.json).toBeUndefined();
		expect(bad.headers['content-type']).toBe('text/html');
		expect(bad.text).toContain('502 Bad Gateway');
		expect(emulator.calls()).toHaveLength(0);

		emulator.configure({ faults: { callNotify: { gatewayError: { status: 504, afterAccept: true }, times: 1 } } });
		const late = await api(emulator, PATHS.callNotify, notifyBody());
		expect([late.status, late.json]).toEqual([504, undefined]);
		expect(late.text).toContain('504 Gateway Time-out');
		expect(emulator.calls()).toHaveLength(1);
		expect(emulator.requests().map((r) => [r.fault, r.httpStatus, r.resultcode, Boolean(r.sessionId)])).toEqual([
			['gateway 502', 502, null, false],
			['gateway 504 after accept', 504, null, true],
		]);
	});

	describe('random faults', () => {
		const RATES: Partial<Record<FaultKind, number>> = {
			resetBeforeAccept: 0.05,
			resetAfterAccept: 0.05,
			serverError: 0.05,
			gatewayError: 0.05,
			gatewayTimeout: 0.05,
			malformedJson: 0.05,
			flowControl: 0.1,
			portLimit: 0.05,
			authFailure: 0.1,
		};

		/** Sends `count` notifications one after another; returns each request's kind (or 'none'). */
		async function drawSequence(count: number, seed: number): Promise<string[]> {
			emulator.reset();
			// Enough ports that the calls still running never exhaust them: a real 1020165 would look
			// like an unplaced request without a fault, depending on how fast earlier calls ended.
			emulator.configure({ ports: 1000, randomFaults: { seed, rates: RATES } });
			for (let i = 0; i < count; i++) {
				await api(emulator, PATHS.callNotify, notifyBody()).catch(() => undefined);
			}
			return emulator.requests().map((r) => r.faultKind ?? 'none');
		}

		afterEach(() => emulator.configure({ randomFaults: null, ports: defaultConfig().ports }));

		it('one seed gives the same faults in the same order; another seed other ones', async () => {
			const first = await drawSequence(60, 7);
			const again = await drawSequence(60, 7);
			const other = await drawSequence(60, 8);
			expect(again).toEqual(first);
			expect(other).not.toEqual(first);
			expect(new Set(first).size).toBeGreaterThan(4);
		});

		it('each kind does what it says: placed or not, answered how', async () => {
			await drawSequence(200, 11);
			const placedBy = new Set(emulator.calls().map((call) => call.sessionId));
			const byKind = new Map<string, typeof log>();
			const log = emulator.requests();
			for (const entry of log) byKind.set(entry.faultKind ?? 'none', [...(byKind.get(entry.faultKind ?? 'none') ?? []), entry]);
			for (const [kind, entries] of byKind) {
				for (const entry of entries) {
					const placed = entry.sessionId !== undefined && placedBy.has(entry.sessionId);
					switch (kind) {
						case 'none':
						case 'resetAfterAccept':
						case 'gatewayTimeout':
						case 'malformedJson':
							expect([kind, placed]).toEqual([kind, true]);
							break;
						default:
							expect([kind, placed]).toEqual([kind, false]);
					}
					if (kind === 'authFailure') expect(AUTH_FAILURE_CODES).toContain(entry.resultcode);
					if (kind === 'flowControl') expect(['1011006', '1010009', '1010010']).toContain(entry.resultcode);
					if (kind === 'flowControl' && entry.resultcode === '1010010') expect([entry.httpStatus, entry.resultdesc]).toEqual([503, expect.stringMatching(/flow control/)]);
					if (kind === 'portLimit') expect(entry.resultcode).toBe('1020165');
					if (kind === 'serverError') expect([entry.httpStatus, ['1010001', '1020002'].includes(String(entry.resultcode))]).toEqual([500, true]);
					if (kind === 'gatewayError') expect([502, 503]).toContain(entry.httpStatus);
					if (kind.startsWith('reset')) expect(entry.httpStatus).toBeNull();
				}
			}
			// Every configured kind came up in 200 draws.
			expect([...byKind.keys()].sort()).toEqual(['none', ...Object.keys(RATES)].sort());
		});

		it('only the chosen endpoints draw; a fixed fault of an endpoint wins', async () => {
			emulator.configure({ randomFaults: { seed: 1, rates: { portLimit: 1 }, endpoints: ['click2Call'] } });
			expect((await api(emulator, PATHS.callNotify, notifyBody())).json?.resultcode).toBe('0');
			expect((await api(emulator, PATHS.click2Call, callbackBody())).json?.resultcode).toBe('1020165');
			emulator.configure({ faults: { click2Call: { resultCode: '1011006', times: 1 } } });
			expect((await api(emulator, PATHS.click2Call, callbackBody())).json?.resultcode).toBe('1011006');
			expect((await api(emulator, PATHS.click2Call, callbackBody())).json?.resultcode).toBe('1020165');
		});

		it('bad settings are refused with a message naming them', () => {
			expect(() => emulator.configure({ randomFaults: { seed: 1, rates: { portLimit: 0.7, flowControl: 0.7 } } })).toThrow(/sum to at most 1/);
			expect(() => emulator.configure({ randomFaults: { seed: 1, rates: { nonsense: 0.1 } as never } })).toThrow(/unknown kind "nonsense"/);
			expect(() => emulator.configure({ randomFaults: { seed: 1.5, rates: {} } })).toThrow(/seed/);
			expect(FAULT_KINDS).toContain('slowAnswer');
		});
	});

	describe('restart', () => {
		it('keeps the port, the calls and the request log; refuses connections while down; cuts open requests', async () => {
			const before = await api(emulator, PATHS.callNotify, notifyBody());
			expect(before.json?.resultcode).toBe('0');
			// A slow answer in progress: its call is placed, its answer never comes.
			emulator.configure({ faults: { callNotify: { slowAnswerMs: 5000, times: 1 } } });
			const cut = api(emulator, PATHS.callNotify, notifyBody()).then(
				() => 'answered',
				(error: Error) => error.message,
			);
			await until(() => emulator.calls().length === 2, 'the slow call to be placed');
			let refused: string | undefined;
			const restarted = emulator.restart({ downMs: 300 });
			await until(() => emulator.requests()[1]?.fault?.includes('cut by restart') === true, 'the open request to be cut');
			await api(emulator, PATHS.callNotify, notifyBody()).catch((error: Error & { code?: string }) => {
				refused = error.code;
			});
			await restarted;
			expect(await cut).toMatch(/socket hang up|ECONNRESET/);
			expect(refused).toBe('ECONNREFUSED');
			const after = await api(emulator, PATHS.callNotify, notifyBody());
			expect(after.json?.resultcode).toBe('0');
			expect(emulator.calls()).toHaveLength(3);
			expect(emulator.requests().map((r) => r.fault ?? null)).toEqual([null, 'slowAnswer 5000ms, cut by restart', null]);
			await emulator.waitForIdle();
		});
	});
});
