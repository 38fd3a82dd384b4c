import { startEmulator, type Emulator } from '../../emulator';
import { api, callbackBody, notifyBody, PATHS, send, signedHeaders } from './client';

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
});
