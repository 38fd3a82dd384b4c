import { createHmac } from 'crypto';
import { useEmulatorWithReceiver } from '../helpers/emulatorWithReceiver';
import { api, b64, notifyBody, PATHS } from './client';

interface FeePush {
	eventType: string;
	feeLst: Array<Record<string, unknown>>;
}

describe('emulator push delivery (§8.1, §8.2)', () => {
	const env = useEmulatorWithReceiver(
		{ timeScale: 0.001, ports: 100 },
		{ simulatedStartTime: null, cdrMergeWindowMs: 100, cdrRetryScheduleMs: [3600000, 3600000, 3600000, 3600000, 3600000, 3600000], pushSigning: 'newline' },
	);
	const { urls } = env;
	const fees = () => env.receiver.requests.filter((r) => r.path === '/fee');
	const place = async (count: number): Promise<string[]> => {
		const responses = await Promise.all(Array.from({ length: count }, () => api(env.emulator, PATHS.callNotify, notifyBody(urls()))));
		return responses.map((r) => {
			expect(r.json?.resultcode).toBe('0');
			return String(r.json?.sessionId);
		});
	};

	it('merges CDRs of calls ending in the same second into one push', async () => {
		// A fixed simulated start makes every identical call end at the same callEndTime.
		env.emulator.configure({ simulatedStartTime: '2024-05-01T08:00:00Z', cdrMergeWindowMs: 300 });
		const ids = await place(5);
		await env.emulator.waitForIdle();
		expect(fees()).toHaveLength(1);
		const body = fees()[0].json as FeePush;
		expect(body.eventType).toBe('fee');
		expect(body.feeLst.map((f) => f.sessionId).sort()).toEqual([...ids].sort());
		expect(new Set(body.feeLst.map((f) => f.callEndTime))).toEqual(new Set(['2024-05-01 08:00:07']));
		const call = env.emulator.calls()[0];
		expect(call.pushes.find((p) => p.kind === 'cdr')).toMatchObject({ batchSize: 5, state: 'delivered' });
	});

	it('keeps CDRs with different callEndTime in separate pushes', async () => {
		env.emulator.configure({ simulatedStartTime: '2024-05-01T08:00:00Z', cdrMergeWindowMs: 300, scripts: { '+8613700000009': { ringSeconds: 10 } } });
		await place(2);
		const res = await api(env.emulator, PATHS.callNotify, notifyBody({ ...urls(), calleeNbr: '+8613700000009' }));
		expect(res.json?.resultcode).toBe('0');
		await env.emulator.waitForIdle();
		env.emulator.configure({ scripts: {} });
		expect(fees().map((f) => (f.json as FeePush).feeLst.length).sort()).toEqual([1, 2]);
	});

	it('caps a push at 50 CDRs and splits the rest', async () => {
		env.emulator.configure({ simulatedStartTime: '2024-05-01T08:00:00Z', cdrMergeWindowMs: 400, ports: 60 });
		const ids = await place(55);
		await env.emulator.waitForIdle(15000);
		const sizes = fees().map((f) => (f.json as FeePush).feeLst.length).sort((a, b) => b - a);
		expect(sizes).toEqual([50, 5]);
		const pushed = fees().flatMap((f) => (f.json as FeePush).feeLst.map((x) => x.sessionId));
		expect(new Set(pushed)).toEqual(new Set(ids));
	});

	it('retries a CDR until 200 (500, 500, 200 → 3 attempts) and never retries status pushes', async () => {
		let feeAttempts = 0;
		env.receiver.setStatus((req) => {
			if (req.path === '/status') return 500;
			feeAttempts++;
			return feeAttempts <= 2 ? 500 : 200;
		});
		env.emulator.configure({ cdrRetryScheduleMs: [10000, 10000, 10000, 10000, 10000, 10000] });
		const [sessionId] = await place(1);
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(fees().map((f) => f.status)).toEqual([500, 500, 200]);
		const cdr = call.pushes.find((p) => p.kind === 'cdr');
		expect(cdr).toMatchObject({ attempts: 3, state: 'delivered', statusCode: 200 });
		expect(cdr?.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
		// Each retry is a fresh signature (new nonce).
		expect(new Set(fees().map((f) => f.headers['x-aksk'])).size).toBe(3);
		const status = call.pushes.filter((p) => p.kind === 'status');
		expect(status.map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'disconnect']);
		expect(status.every((p) => p.attempts === 1 && p.state === 'failed' && p.statusCode === 500)).toBe(true);
		expect(env.receiver.requests.filter((r) => r.path === '/status')).toHaveLength(4);
	});

	it('gives a CDR up after the last scheduled retry', async () => {
		env.receiver.setStatus((req) => (req.path === '/fee' ? 503 : 200));
		env.emulator.configure({ cdrRetryScheduleMs: [5000, 5000] });
		const [sessionId] = await place(1);
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(call.pushes.find((p) => p.kind === 'cdr')).toMatchObject({ attempts: 3, state: 'givenUp' });
		expect(fees()).toHaveLength(3);
	});

	it('records a network error for an unreachable URL and still settles', async () => {
		env.emulator.configure({ cdrRetryScheduleMs: [1] });
		const res = await api(env.emulator, PATHS.callNotify, notifyBody({ statusUrl: b64('http://127.0.0.1:9/status'), feeUrl: b64('http://127.0.0.1:9/fee') }));
		const call = await env.emulator.waitForCall(String(res.json?.sessionId), 'settled');
		expect(call.pushes.every((p) => p.statusCode === null && typeof p.error === 'string')).toBe(true);
		expect(call.pushes.find((p) => p.kind === 'cdr')?.state).toBe('givenUp');
	});

	it('signs pushes per mode: none, concat, newline (UTC+8 Created)', async () => {
		const verify = (mode: 'concat' | 'newline') => {
			const r = env.receiver.requests[env.receiver.requests.length - 1];
			const m = /Nonce="([^"]+)", Created="([^"]+)"/.exec(String(r.headers['x-aksk'])) as RegExpExecArray;
			const digest = /PasswordDigest="([^"]+)"/.exec(String(r.headers['x-aksk']))?.[1];
			const url = env.receiver.url(r.path);
			const message = mode === 'newline' ? `${url}\n${m[1]}\n${m[2]}` : `${url}${m[1]}${m[2]}`;
			expect(digest).toBe(createHmac('sha256', env.emulator.config.appSecret).update(message).digest('base64'));
			// Created is Beijing time written with a Z: about 8 h ahead of UTC.
			expect(Date.parse(m[2]) - Date.now()).toBeGreaterThan(7.9 * 3600 * 1000);
		};
		for (const mode of ['none', 'concat', 'newline'] as const) {
			env.receiver.requests.length = 0;
			env.emulator.configure({ pushSigning: mode });
			const [sessionId] = await place(1);
			await env.emulator.waitForCall(sessionId, 'settled');
			if (mode === 'none') {
				expect(env.receiver.requests.every((r) => r.headers.authorization === undefined && r.headers['x-aksk'] === undefined)).toBe(true);
			} else {
				verify(mode);
			}
		}
	});
});
