import { NodeApiError, type JsonObject } from 'n8n-workflow';

import { ACTION_NODE } from '../helpers/actionNode';
import { delay } from '../../dev/node.cjs';
import { probeDelay, retryDelay, runPaced, type PacingOptions } from '../../nodes/shared/transport/pacing';
import { HuaweiApiError } from '../../nodes/shared/transport/request';

const node = ACTION_NODE;

const portLimit = () =>
	new HuaweiApiError(
		node,
		{ statusCode: 503, resultcode: '1020165', resultdesc: 'The appkey call port of using exceeds the limited.' },
		0,
	);
const flowControl = () =>
	new HuaweiApiError(node, { statusCode: 503, resultcode: '1011006', resultdesc: 'Under traffic control status.' }, 0);
const parameterError = () => new HuaweiApiError(node, { statusCode: 403, resultcode: '1010002', resultdesc: 'Invalid request.' }, 0);
const lostConnection = () =>
	new NodeApiError(node, { code: 'ECONNRESET' } as JsonObject, {
		message: 'The connection to Huawei Voice Call was lost before it answered (ECONNRESET): the call may or may not have been placed',
	});

/** A virtual clock: waits advance it instantly, so back-off is checked without real time. */
function virtualClock() {
	let now = 0;
	const waits: number[] = [];
	return {
		waits,
		options: {
			now: () => now,
			wait: async (ms: number) => {
				waits.push(ms);
				now += ms;
			},
			random: () => 1,
		} satisfies PacingOptions,
		get now() {
			return now;
		},
	};
}

/** A deferred promise per task call, so a test decides when each "send" finishes. */
function gate() {
	let open!: () => void;
	const promise = new Promise<void>((resolve) => (open = resolve));
	return { promise, open };
}

describe('runPaced', () => {
	it('returns one result per index in input order, whatever order the sends finish in', async () => {
		const gates = [gate(), gate(), gate(), gate()];
		const started: number[] = [];
		const finished: number[] = [];
		const run = runPaced(
			[0, 1, 2, 3],
			async (index) => {
				started.push(index);
				await gates[index].promise;
				finished.push(index);
				return `item ${index}`;
			},
			{ maxConcurrent: 4 },
		);
		while (started.length < 4) await delay(1);
		// Finish in reverse order, one at a time.
		for (const index of [3, 2, 1, 0]) {
			gates[index].open();
			while (!finished.includes(index)) await delay(1);
		}
		const results = await run;
		expect(finished).toEqual([3, 2, 1, 0]);
		expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.status))).toEqual([
			'item 0',
			'item 1',
			'item 2',
			'item 3',
		]);
	});

	it('passes the real item indexes (skipping items that never started)', async () => {
		const seen: number[] = [];
		const results = await runPaced([2, 5, 7], async (index) => {
			seen.push(index);
			return index * 10;
		});
		expect(seen.sort()).toEqual([2, 5, 7]);
		expect(results).toEqual([
			{ status: 'fulfilled', value: 20, attempts: 1 },
			{ status: 'fulfilled', value: 50, attempts: 1 },
			{ status: 'fulfilled', value: 70, attempts: 1 },
		]);
	});

	it('never has more than maxConcurrent sends in flight, and uses the whole bound', async () => {
		let inFlight = 0;
		let peak = 0;
		const indexes = Array.from({ length: 40 }, (_, i) => i);
		await runPaced(
			indexes,
			async () => {
				inFlight++;
				peak = Math.max(peak, inFlight);
				for (let i = 0; i < 3; i++) await Promise.resolve();
				inFlight--;
			},
			{ maxConcurrent: 3 },
		);
		expect(peak).toBe(3);
	});

	it('retries a flow-control answer until it succeeds, waiting with exponential back-off', async () => {
		const clock = virtualClock();
		const attempts: number[] = [];
		const results = await runPaced(
			[0],
			async (_index, attempt) => {
				attempts.push(attempt);
				if (attempt < 4) throw flowControl();
				return 'ok';
			},
			{ ...clock.options, retryWaitMs: 1000, maxRetries: 6 },
		);
		expect(results[0]).toEqual({ status: 'fulfilled', value: 'ok', attempts: 4 });
		expect(attempts).toEqual([1, 2, 3, 4]);
		expect(clock.waits).toEqual([1000, 2000, 4000]);
	});

	it('gives up after maxRetries flow-control re-sends and reports the last answer', async () => {
		const clock = virtualClock();
		let calls = 0;
		const results = await runPaced(
			[0],
			async () => {
				calls++;
				throw flowControl();
			},
			{ ...clock.options, retryWaitMs: 10, maxRetries: 2 },
		);
		expect(calls).toBe(3);
		expect(results[0].status).toBe('rejected');
		expect(results[0]).toMatchObject({ attempts: 3 });
		expect((results[0] as { error: HuaweiApiError }).error.resultCode).toBe('1011006');
	});

	it('busy ports: probes start at 100 ms and grow 10 % per refused probe, capped at Retry Wait', async () => {
		const clock = virtualClock();
		const results = await runPaced(
			[0],
			async (_index, attempt) => {
				if (attempt <= 40) throw portLimit();
				return 'ok';
			},
			{ ...clock.options, random: () => 0.5, retryWaitMs: 2000, maxRetries: 1 },
		);
		expect(results[0]).toMatchObject({ status: 'fulfilled', attempts: 41 });
		expect(clock.waits.slice(0, 3)).toEqual([100, 110, 121]);
		for (let i = 1; i < clock.waits.length; i++) expect(clock.waits[i]).toBeGreaterThanOrEqual(clock.waits[i - 1]);
		expect(Math.max(...clock.waits)).toBe(2000);
	});

	it('busy ports: an item gives up once it has waited the port budget, however many tries that took', async () => {
		const clock = virtualClock();
		let calls = 0;
		const results = await runPaced(
			[0],
			async () => {
				calls++;
				throw portLimit();
			},
			{ ...clock.options, retryWaitMs: 1000, portWaitBudgetMs: 10_000 },
		);
		expect(results[0]).toMatchObject({ status: 'rejected' });
		expect((results[0] as { error: HuaweiApiError }).error.resultCode).toBe('1020165');
		expect(clock.now).toBeGreaterThanOrEqual(10_000);
		expect(clock.now).toBeLessThan(10_000 + 1100);
		expect(calls).toBeGreaterThan(6);
	});

	it('busy ports: a burst refused together counts as one refusal, and an accepted send resets the probe wait', async () => {
		expect(probeDelay(1, 100, 5000, () => 0.5)).toBe(100);
		expect(probeDelay(2, 100, 5000, () => 0.5)).toBe(110);
		expect(probeDelay(100, 100, 5000, () => 0.5)).toBe(5000);
		expect(probeDelay(1, 100, 5000, () => 0)).toBe(90);
		expect(probeDelay(1, 100, 5000, () => 1)).toBe(110);
		const clock = virtualClock();
		let refusalsLeft = 4;
		await runPaced(
			[0, 1, 2, 3, 4, 5],
			async (index) => {
				await Promise.resolve();
				// The first four sends (a parallel burst) are refused; everything after succeeds.
				if (refusalsLeft > 0 && index < 4) {
					refusalsLeft--;
					throw portLimit();
				}
				return index;
			},
			{ ...clock.options, random: () => 0.5, maxConcurrent: 4, retryWaitMs: 5000 },
		);
		// One pause of the first probe wait, not four growing ones.
		expect(clock.waits).toEqual([100]);
	});

	it.each([
		['a parameter error', parameterError],
		['a lost connection', lostConnection],
		['a plain exception', () => new Error('boom')],
	])('never retries %s', async (_name, makeError) => {
		const clock = virtualClock();
		let calls = 0;
		const results = await runPaced(
			[0],
			async () => {
				calls++;
				throw makeError();
			},
			{ ...clock.options, maxRetries: 6 },
		);
		expect(calls).toBe(1);
		expect(clock.waits).toEqual([]);
		expect(results[0]).toMatchObject({ status: 'rejected', attempts: 1 });
	});

	it('does not retry when "Retry When Not Accepted" is off', async () => {
		let calls = 0;
		const results = await runPaced(
			[0],
			async () => {
				calls++;
				throw portLimit();
			},
			{ retryNotAccepted: false },
		);
		expect(calls).toBe(1);
		expect(results[0].status).toBe('rejected');
	});

	it('caps each wait at the maximum and keeps jitter between 50 % and 100 %', () => {
		expect(retryDelay(1, 5000, 60000, () => 1)).toBe(5000);
		expect(retryDelay(1, 5000, 60000, () => 0)).toBe(2500);
		expect(retryDelay(4, 5000, 60000, () => 1)).toBe(40000);
		expect(retryDelay(6, 5000, 60000, () => 1)).toBe(60000);
		expect(retryDelay(6, 5000, 60000, () => 0)).toBe(30000);
		expect(retryDelay(20, 5000, 60000, () => 0.5)).toBeLessThanOrEqual(60000);
	});

	it('pauses every worker after a not-accepted answer (group back-off), new items included', async () => {
		const clock = virtualClock();
		const startTimes: Array<{ index: number; attempt: number; at: number }> = [];
		let rejected = false;
		await runPaced(
			[0, 1, 2, 3, 4, 5],
			async (index, attempt) => {
				startTimes.push({ index, attempt, at: clock.now });
				if (index === 0 && !rejected) {
					// Refused at once, while item 1 is still in flight.
					rejected = true;
					throw flowControl();
				}
				for (let i = 0; i < 5; i++) await Promise.resolve();
				return index;
			},
			{ ...clock.options, maxConcurrent: 2, retryWaitMs: 500 },
		);
		// Items 0 and 1 start at t=0; item 0 is refused, so everything after it starts at t >= 500.
		const later = startTimes.filter((s) => !(s.at === 0 && (s.index === 0 || s.index === 1) && s.attempt === 1));
		expect(later.length).toBe(5);
		for (const start of later) expect(start.at).toBeGreaterThanOrEqual(500);
	});

	it('after the pause, probes with one send and ramps back up one per accepted send', async () => {
		const clock = virtualClock();
		let inFlight = 0;
		const inFlightAtStart: Array<{ index: number; attempt: number; inFlight: number }> = [];
		let refused = false;
		await runPaced(
			Array.from({ length: 8 }, (_, i) => i),
			async (index, attempt) => {
				inFlight++;
				inFlightAtStart.push({ index, attempt, inFlight });
				try {
					if (index === 0 && !refused) {
						refused = true;
						throw portLimit();
					}
					for (let i = 0; i < 3; i++) await Promise.resolve();
					return index;
				} finally {
					inFlight--;
				}
			},
			{ ...clock.options, maxConcurrent: 4, retryWaitMs: 100 },
		);
		const afterPause = inFlightAtStart.filter((start) => start.index === 0 ? start.attempt > 1 : start.index >= 4);
		// The refused item goes first, alone; then at most 2, 3, ... in flight.
		expect(afterPause[0]).toEqual({ index: 0, attempt: 2, inFlight: 1 });
		expect(Math.max(...afterPause.slice(0, 2).map((start) => start.inFlight))).toBeLessThanOrEqual(2);
		expect(inFlightAtStart.every((start) => start.inFlight <= 4)).toBe(true);
	});

	it('stopOnError: starts no new item after a final failure; in-flight items finish', async () => {
		const started: number[] = [];
		const results = await runPaced(
			[0, 1, 2, 3, 4],
			async (index) => {
				started.push(index);
				await Promise.resolve();
				if (index === 1) throw parameterError();
				return index;
			},
			{ maxConcurrent: 2, stopOnError: true },
		);
		expect(results[0]).toMatchObject({ status: 'fulfilled', value: 0 });
		expect(results[1]).toMatchObject({ status: 'rejected' });
		expect(started).not.toContain(4);
		expect(results[4]).toEqual({ status: 'skipped' });
	});

	it('starts nothing once the execution is cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		let calls = 0;
		const results = await runPaced([0, 1], async () => ++calls, { signal: controller.signal });
		expect(calls).toBe(0);
		expect(results).toEqual([{ status: 'skipped' }, { status: 'skipped' }]);
	});

	it('converges: 50 items against 5 ports held 2 s each all succeed, within 10 % of the port limit', async () => {
		const clock = virtualClock();
		// A fixed pseudo-random sequence (LCG): the jitter is exercised, but every run is the same.
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
		// Virtual time only moves while pacing waits, so only its back-off can free a port.
		const releases: number[] = [];
		const busy = () => releases.filter((at) => at > clock.now).length;
		const attemptsPerItem = new Map<number, number>();
		const results = await runPaced(
			Array.from({ length: 50 }, (_, i) => i),
			async (index) => {
				attemptsPerItem.set(index, (attemptsPerItem.get(index) ?? 0) + 1);
				await Promise.resolve();
				if (busy() >= 5) throw portLimit();
				releases.push(clock.now + 2000);
				return index;
			},
			{ ...clock.options, maxConcurrent: 10, retryWaitMs: 5000, random },
		);
		expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
		expect(releases).toHaveLength(50);
		expect([...attemptsPerItem.values()].some((n) => n > 1)).toBe(true);
		// 10 rounds of 5 calls: the last round can start at 9 × 2 s = 18 s at the earliest. Probes that
		// grow 10 % per refusal overshoot each port release by at most about 10 %.
		expect(clock.now).toBeGreaterThanOrEqual(18_000);
		expect(clock.now).toBeLessThanOrEqual(19_800);
	});
});
