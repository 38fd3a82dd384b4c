import { sleep } from 'n8n-workflow';

import { PortGauge } from './portGauge';
import { HuaweiApiError, isNotAcceptedError } from './request';

/**
 * Runs one task per item with bounded concurrency, and re-sends an item ONLY when the platform
 * answered "not accepted, try later" (port limit 1020165, flow control 1011006 / 1010009 /
 * 1010010-flow-control; see `isNotAcceptedError`). Everything else (auth and parameter errors,
 * timeouts, lost connections: a call may already ring) ends the item at once.
 *
 * Group back-off. The call-port limit and flow control apply to the whole app, so one "not
 * accepted" answer means the other sends would most likely be refused too. So, on such an answer:
 * 1. Pause: nobody starts a send until the wait has passed. Sends already in flight finish.
 * 2. Probe: after the pause only ONE send goes out (the refused item, back at the front of the
 *    queue); each accepted send then allows one more in flight, up to the maximum.
 *
 * How long to wait depends on why the platform refused:
 * - Port limit (1020165): ports free up when running calls end. Call-placing requests ask for
 *   the platform's free ports (`returnIdlePort`), so the pacing stops sending at the last free port
 *   and, while all are busy, aims each probe at the moment the oldest call should end (PortGauge,
 *   portGauge.ts). Where that model has nothing to say (no idlePort, calls of varying length), the
 *   waits grow: waits that double per item overshoot the moment a port frees up by up to 100 % of
 *   the time already waited (measured in bench/: 0.43 of the port limit's throughput). Instead the k-th
 *   refused probe since the last accepted send waits first × 1.1^(k−1), capped at Retry Wait, so
 *   the overshoot stays near 10 %; parallel sends refused in the same pause count once. An item
 *   gives up when it has waited `portWaitBudgetMs` in total (a count would fail items on long calls).
 * - Flow control: the platform asks for a pause (about a minute); waits double per item
 *   (base × 2^(retry−1), jitter 50–100 %, capped) and an item gives up after `maxRetries` re-sends.
 */

export const PACING_DEFAULTS = {
	maxConcurrent: 5,
	retryNotAccepted: true,
	maxRetries: 6,
	retryWaitMs: 5_000,
	maxRetryWaitMs: 60_000,
	portWaitBudgetMs: 600_000,
	firstProbeMs: 100,
} as const;

export interface PacingOptions {
	/** Sends in flight at most (≥ 1). */
	maxConcurrent?: number;
	/** Whether to re-send items that were not accepted. */
	retryNotAccepted?: boolean;
	/** Flow control: re-sends per item at most. */
	maxRetries?: number;
	/** Flow control: wait before the first re-send (doubles per re-send). Port limit: the longest probe wait. */
	retryWaitMs?: number;
	/** Port limit: how long one item may keep waiting for a free call port, in total. */
	portWaitBudgetMs?: number;
	/** Port limit: the first probe wait (it grows 10 % per refused probe). */
	firstProbeMs?: number;
	/** Which retryable errors are the port limit (default: result code 1020165). */
	isPortLimit?: (error: unknown) => boolean;
	/** Upper bound of a single wait. */
	maxRetryWaitMs?: number;
	/** Whether to start no new item once one has failed for good (the node is failing anyway). */
	stopOnError?: boolean;
	/** Whether the execution was cancelled: no new sends after that. */
	signal?: AbortSignal;
	/** Which errors may be re-sent (default: `isNotAcceptedError`). Tests inject their own. */
	isRetryable?: (error: unknown) => boolean;
	/** Clock and waiting, injectable for tests (default `Date.now` and n8n's `sleep`). */
	now?: () => number;
	wait?: (ms: number) => Promise<void>;
	random?: () => number;
}

/** What a send can tell the pacing besides its result. */
export interface SendReport {
	/** The platform's `idlePort` of an accepted call: the call ports still free after it. */
	idlePorts(count: number): void;
}

export type PacedResult<T> =
	| { status: 'fulfilled'; value: T; attempts: number }
	| { status: 'rejected'; error: unknown; attempts: number }
	/** Never started: an earlier item failed with `stopOnError`, or the run was cancelled. */
	| { status: 'skipped' };

/** The wait before re-send number `retry` (1-based): base × 2^(retry−1), jitter 50–100 %, capped. */
export function retryDelay(retry: number, baseMs: number, capMs: number, random: () => number): number {
	const exponential = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
	return Math.min(capMs, Math.round(exponential * (0.5 + random() * 0.5)));
}

/** Port limit: the wait after the k-th refused probe (1-based): first × 1.1^(k−1), jitter ±10 %, capped. */
export function probeDelay(refusals: number, firstMs: number, capMs: number, random: () => number): number {
	const grown = Math.min(capMs, firstMs * 1.1 ** Math.max(0, refusals - 1));
	return Math.min(capMs, Math.round(grown * (0.9 + random() * 0.2)));
}

const isPortLimitError = (error: unknown): boolean => error instanceof HuaweiApiError && error.resultCode === '1020165';

/**
 * Runs `task(index, attempt)` for every entry of `indexes` (item indexes, in input order) and
 * returns one result per entry, in the same order, whatever order the sends finished in.
 */
export async function runPaced<T>(
	indexes: readonly number[],
	task: (index: number, attempt: number, report: SendReport) => Promise<T>,
	options: PacingOptions = {},
): Promise<Array<PacedResult<T>>> {
	const maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent ?? PACING_DEFAULTS.maxConcurrent));
	const retryNotAccepted = options.retryNotAccepted ?? PACING_DEFAULTS.retryNotAccepted;
	const maxRetries = Math.max(0, Math.floor(options.maxRetries ?? PACING_DEFAULTS.maxRetries));
	const baseMs = Math.max(0, options.retryWaitMs ?? PACING_DEFAULTS.retryWaitMs);
	const capMs = Math.max(baseMs, options.maxRetryWaitMs ?? PACING_DEFAULTS.maxRetryWaitMs);
	const isRetryable = options.isRetryable ?? isNotAcceptedError;
	const isPortLimit = options.isPortLimit ?? isPortLimitError;
	const portBudgetMs = Math.max(0, options.portWaitBudgetMs ?? PACING_DEFAULTS.portWaitBudgetMs);
	const firstProbeMs = Math.min(baseMs, Math.max(0, options.firstProbeMs ?? PACING_DEFAULTS.firstProbeMs));
	const probeCapMs = Math.max(firstProbeMs, baseMs);
	const now = options.now ?? Date.now;
	const wait = options.wait ?? (async (ms: number) => await sleep(ms));
	const random = options.random ?? Math.random;
	const ports = new PortGauge();

	const results: Array<PacedResult<T>> = indexes.map(() => ({ status: 'skipped' }));
	interface Job {
		position: number;
		attempt: number;
		/** Flow-control re-sends so far. */
		flowRetries: number;
		firstSentAt?: number;
		lastError?: unknown;
	}
	const queue: Job[] = indexes.map((_index, position) => ({ position, attempt: 1, flowRetries: 0 }));
	let inFlight = 0;
	let limit = maxConcurrent;
	let resumeAt = 0;
	// Port limit, where the model has nothing to say: refused probes since the last accepted send.
	// Sends are numbered; a refusal counts only if its send started after the last counted refusal,
	// so a burst refused together counts once.
	let probeRefusals = 0;
	let sendCounter = 0;
	let countedUpTo = 0;
	const sendsInFlight = new Set<number>();
	let stopped = false;
	let wake: (() => void) | undefined;

	const cancelled = () => options.signal?.aborted === true;
	const inFlightAround = (send: number) => {
		let earlier = 0;
		for (const other of sendsInFlight) if (other < send) earlier++;
		return { earlier, later: sendsInFlight.size - earlier };
	};

	/** While every port is busy: when the next probe goes out. */
	const probeAt = (sendNumber: number): number => {
		const modelled = ports.nextProbeAt(now());
		if (modelled !== undefined) return Math.min(modelled, now() + probeCapMs);
		if (sendNumber > countedUpTo) {
			probeRefusals++;
			countedUpTo = sendCounter;
		}
		return now() + probeDelay(Math.max(1, probeRefusals), ports.firstStepMs(firstProbeMs, probeCapMs), probeCapMs, random);
	};

	/** The wait before re-sending a refused job, or undefined when it may not be re-sent. */
	const retryAt = (job: Job, error: unknown, sendNumber: number, sentAt: number): number | undefined => {
		if (!retryNotAccepted || !isRetryable(error)) return undefined;
		if (isPortLimit(error)) {
			if (now() - (job.firstSentAt ?? now()) >= portBudgetMs) return undefined;
			ports.refused(sentAt, now());
			return probeAt(sendNumber);
		}
		if (job.flowRetries >= maxRetries) return undefined;
		job.flowRetries++;
		return now() + retryDelay(job.flowRetries, baseMs, capMs, random);
	};

	const send = async (job: Job): Promise<void> => {
		const sendNumber = ++sendCounter;
		sendsInFlight.add(sendNumber);
		ports.started();
		const sentAt = now();
		job.firstSentAt ??= sentAt;
		let idlePorts: number | undefined;
		const report: SendReport = {
			idlePorts: (count: number) => {
				idlePorts = count;
			},
		};
		try {
			const value = await task(indexes[job.position], job.attempt, report);
			sendsInFlight.delete(sendNumber);
			results[job.position] = { status: 'fulfilled', value, attempts: job.attempt };
			const wasBusy = ports.busy;
			const around = inFlightAround(sendNumber);
			ports.accepted(sendNumber, sentAt, now(), idlePorts, around.earlier, around.later);
			if (ports.busy) {
				// An answer to a send from before the ports filled up: still one probe at a time.
				limit = 1;
			} else {
				// After a probe, the reported free ports say how many more the platform takes at once;
				// without them, one more send in flight per accepted answer.
				limit = wasBusy && idlePorts !== undefined ? maxConcurrent : Math.min(maxConcurrent, limit + 1);
				probeRefusals = 0;
			}
		} catch (error) {
			sendsInFlight.delete(sendNumber);
			const at = retryAt(job, error, sendNumber, sentAt);
			if (at !== undefined) {
				queue.unshift({ ...job, attempt: job.attempt + 1, lastError: error });
				resumeAt = Math.max(resumeAt, at);
				limit = 1;
			} else {
				results[job.position] = { status: 'rejected', error, attempts: job.attempt };
				if (options.stopOnError) stopped = true;
			}
		} finally {
			inFlight--;
			wake?.();
		}
	};

	while (queue.length > 0 || inFlight > 0) {
		if (queue.length > 0 && (stopped || cancelled())) {
			// No new sends: a re-send that is no longer wanted reports the answer that asked for it.
			for (const job of queue.splice(0)) {
				if (job.attempt > 1) {
					results[job.position] = { status: 'rejected', error: job.lastError, attempts: job.attempt - 1 };
				}
			}
			continue;
		}
		if (queue.length > 0 && inFlight === 0 && ports.exhausted()) {
			// The platform said no port is free: wait for one instead of sending into a refusal.
			ports.markBusy(now());
			resumeAt = Math.max(resumeAt, probeAt(sendCounter + 1));
			limit = 1;
			continue;
		}
		if (queue.length > 0 && inFlight < limit && ports.mayStart()) {
			const remaining = resumeAt - now();
			if (remaining > 0) {
				await wait(remaining);
				continue;
			}
			inFlight++;
			void send(queue.shift() as Job);
			continue;
		}
		// Wait until a send in flight finishes.
		await new Promise<void>((resolve) => (wake = resolve));
		wake = undefined;
	}
	return results;
}
