import { HuaweiApiError } from '../../nodes/shared/transport/request';
import { runPaced, type PacingOptions } from '../../nodes/shared/transport/pacing';
import { ACTION_NODE } from '../helpers/actionNode';

/**
 * Pacing against a simulated platform in virtual time: P call ports, each accepted call holds its
 * port for its hold time, a request takes `latencyMs` (half there, half back), a full platform
 * answers 1020165 and an accepted call reports `idlePort`. Timers run in virtual time, so a run of
 * 1000 calls of 2 s each takes milliseconds and every run with the same seed is the same.
 */

const portLimit = () =>
	new HuaweiApiError(
		ACTION_NODE,
		{ statusCode: 503, resultcode: '1020165', resultdesc: 'The appkey call port of using exceeds the limited.' },
		0,
	);

interface Platform {
	items: number;
	ports: number;
	/** Hold time of call number `n` (0-based, in acceptance order). */
	hold: (n: number, random: () => number) => number;
	latencyMs?: number;
	/** Whether accepted calls report idlePort (Return Idle Port). */
	reportIdle?: boolean;
	options?: PacingOptions;
	seed?: number;
}

interface Outcome {
	/** Accepted calls per second ÷ P / mean hold. */
	ratio: number;
	refused: number;
	accepted: number;
	failed: number;
	/** Accepted calls per item (1 = every item called exactly once). */
	acceptedPerItem: number[];
	/** Every wait the pacing asked for. */
	pacingWaits: number[];
	/** Virtual time of the first 1020165 answer (undefined: none). */
	firstRefusalAt: number | undefined;
}

async function simulate(platform: Platform): Promise<Outcome> {
	const latency = platform.latencyMs ?? 2.5;
	let seed = platform.seed ?? 1;
	const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
	let now = 0;
	let order = 0;
	const timers: Array<{ at: number; order: number; fire: () => void }> = [];
	const wait = (ms: number) =>
		new Promise<void>((resolve) => {
			timers.push({ at: now + Math.max(0, ms), order: order++, fire: resolve });
		});
	const ends: number[] = [];
	const holds: number[] = [];
	const acceptedPerItem = new Array<number>(platform.items).fill(0);
	const pacingWaits: number[] = [];
	let refused = 0;
	let lastEnd = 0;
	let firstRefusalAt: number | undefined;
	const active = () => {
		for (let i = ends.length - 1; i >= 0; i--) if (ends[i] <= now) ends.splice(i, 1);
		return ends.length;
	};
	const task = async (index: number, _attempt: number, report: { idlePorts(count: number): void }) => {
		await wait(latency / 2);
		if (active() >= platform.ports) {
			firstRefusalAt ??= now;
			refused++;
			await wait(latency / 2);
			throw portLimit();
		}
		acceptedPerItem[index]++;
		const hold = platform.hold(holds.length, random);
		holds.push(hold);
		ends.push(now + hold);
		lastEnd = Math.max(lastEnd, now + hold);
		const idle = platform.ports - ends.length;
		await wait(latency / 2);
		if (platform.reportIdle !== false) report.idlePorts(idle);
		return index;
	};
	let done = false;
	const driver = (async () => {
		while (!done) {
			// Let every promise chain settle before time moves on.
			for (let i = 0; i < 20; i++) await Promise.resolve();
			if (done) break;
			if (timers.length === 0) continue;
			timers.sort((a, b) => a.at - b.at || a.order - b.order);
			const next = timers.shift()!;
			now = Math.max(now, next.at);
			next.fire();
		}
	})();
	const results = await runPaced(
		Array.from({ length: platform.items }, (_, i) => i),
		task,
		{
			now: () => now,
			wait: async (ms: number) => {
				pacingWaits.push(ms);
				await wait(ms);
			},
			random,
			...platform.options,
		},
	);
	done = true;
	await driver;
	const meanHold = holds.reduce((sum, hold) => sum + hold, 0) / holds.length;
	return {
		ratio: holds.length / (lastEnd / 1000) / (platform.ports / (meanHold / 1000)),
		refused,
		accepted: holds.length,
		failed: results.filter((result) => result.status !== 'fulfilled').length,
		acceptedPerItem,
		pacingWaits,
		firstRefusalAt,
	};
}

const equal = (ms: number) => () => ms;
const between = (lo: number, hi: number) => (_n: number, random: () => number) => lo + (hi - lo) * random();

describe('pacing against the call-port limit (simulated platform, virtual time)', () => {
	it('stops at the last free port the platform reported instead of sending into 1020165', async () => {
		// 5 ports, 10 s calls: the 6th item waits for the first probe instead of going out at once.
		const reported = await simulate({ items: 6, ports: 5, hold: equal(10_000) });
		expect(reported.failed).toBe(0);
		expect(reported.firstRefusalAt).toBeGreaterThanOrEqual(90);
		// Without the reports, the 6th is sent as soon as a send slot is free, and refused.
		const unreported = await simulate({ items: 6, ports: 5, hold: equal(10_000), reportIdle: false });
		expect(unreported.firstRefusalAt).toBeLessThan(20);
	});

	it('calls of equal length: 1000 items at 50 ports reach 0.97 of P/H with a handful of refusals', async () => {
		const outcome = await simulate({ items: 1000, ports: 50, hold: equal(2000) });
		expect(outcome.failed).toBe(0);
		expect(outcome.accepted).toBe(1000);
		expect(outcome.ratio).toBeGreaterThanOrEqual(0.97);
		expect(outcome.refused).toBeLessThan(30);
	});

	it('calls of equal length without idle-port reports: still 0.95 of P/H', async () => {
		const outcome = await simulate({ items: 1000, ports: 50, hold: equal(2000), reportIdle: false });
		expect(outcome.failed).toBe(0);
		expect(outcome.ratio).toBeGreaterThanOrEqual(0.95);
		expect(outcome.refused).toBeLessThan(200);
	});

	it('calls of different lengths (10 ports, 20–60 s, 60 ms requests): 0.9 of P/H, fewer than 3 refusals per item', async () => {
		for (const seed of [1, 7]) {
			const outcome = await simulate({ items: 200, ports: 10, hold: between(20_000, 60_000), latencyMs: 60, seed });
			expect(outcome.failed).toBe(0);
			expect(outcome.ratio).toBeGreaterThanOrEqual(0.9);
			expect(outcome.refused / 200).toBeLessThan(3);
		}
	});

	it('calls every item exactly once, and no single wait is longer than Retry Wait', async () => {
		const outcome = await simulate({ items: 100, ports: 10, hold: between(20_000, 60_000), options: { retryWaitMs: 5000 } });
		expect(outcome.failed).toBe(0);
		expect(outcome.acceptedPerItem.every((calls) => calls === 1)).toBe(true);
		expect(outcome.pacingWaits.length).toBeGreaterThan(0);
		expect(Math.max(...outcome.pacingWaits)).toBeLessThanOrEqual(5000);
	});
});
