import { sleep } from 'n8n-workflow';

import { isNotAcceptedError } from './request';

/**
 * Runs one task per item with bounded concurrency, and re-sends an item ONLY when the platform
 * answered "not accepted, try later" (port limit 1020165, flow control 1011006 / 1010009 /
 * 1010010-flow-control; see `isNotAcceptedError`). Everything else — auth and parameter errors,
 * timeouts, lost connections (a call may already ring) — ends the item at once.
 *
 * Group back-off. The call-port limit and flow control apply to the whole app, so one "not
 * accepted" answer means the other sends would most likely be refused too. So, on such an answer:
 * 1. Pause: nobody starts a send until base wait × 2^(retry − 1) (jitter 50–100 %, capped) has
 *    passed. Sends already in flight finish normally. Running calls end meanwhile and free ports.
 * 2. Probe: after the pause only ONE send goes out (the refused item, which goes back to the
 *    front of the queue); each accepted send then allows one more in flight, up to the maximum.
 * Only the items that are actually sent use up attempts, and waits grow with each refusal of the
 * same item, so a large batch settles into the platform's capacity instead of hammering it, and
 * every item still ends after at most 1 + maxRetries sends.
 */

export const PACING_DEFAULTS = {
	maxConcurrent: 5,
	retryNotAccepted: true,
	maxRetries: 6,
	retryWaitMs: 5_000,
	maxRetryWaitMs: 60_000,
} as const;

export interface PacingOptions {
	/** Sends in flight at most (≥ 1). */
	maxConcurrent?: number;
	/** Whether to re-send items that were not accepted. */
	retryNotAccepted?: boolean;
	/** Re-sends per item at most (so at most 1 + maxRetries attempts). */
	maxRetries?: number;
	/** Wait before the first re-send; doubles on each further re-send of the same item. */
	retryWaitMs?: number;
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

/**
 * Runs `task(index, attempt)` for every entry of `indexes` (item indexes, in input order) and
 * returns one result per entry, in the same order, whatever order the sends finished in.
 */
export async function runPaced<T>(
	indexes: readonly number[],
	task: (index: number, attempt: number) => Promise<T>,
	options: PacingOptions = {},
): Promise<Array<PacedResult<T>>> {
	const maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent ?? PACING_DEFAULTS.maxConcurrent));
	const retryNotAccepted = options.retryNotAccepted ?? PACING_DEFAULTS.retryNotAccepted;
	const maxRetries = Math.max(0, Math.floor(options.maxRetries ?? PACING_DEFAULTS.maxRetries));
	const baseMs = Math.max(0, options.retryWaitMs ?? PACING_DEFAULTS.retryWaitMs);
	const capMs = Math.max(baseMs, options.maxRetryWaitMs ?? PACING_DEFAULTS.maxRetryWaitMs);
	const isRetryable = options.isRetryable ?? isNotAcceptedError;
	const now = options.now ?? Date.now;
	const wait = options.wait ?? (async (ms: number) => await sleep(ms));
	const random = options.random ?? Math.random;

	const results: Array<PacedResult<T>> = indexes.map(() => ({ status: 'skipped' }));
	interface Job {
		position: number;
		attempt: number;
		lastError?: unknown;
	}
	const queue: Job[] = indexes.map((_index, position) => ({ position, attempt: 1 }));
	let inFlight = 0;
	let limit = maxConcurrent;
	let resumeAt = 0;
	let stopped = false;
	let wake: (() => void) | undefined;

	const cancelled = () => options.signal?.aborted === true;

	const send = async (job: Job): Promise<void> => {
		try {
			const value = await task(indexes[job.position], job.attempt);
			results[job.position] = { status: 'fulfilled', value, attempts: job.attempt };
			limit = Math.min(maxConcurrent, limit + 1);
		} catch (error) {
			// `job.attempt` is also the number of the re-send this answer would lead to.
			if (retryNotAccepted && job.attempt <= maxRetries && isRetryable(error)) {
				queue.unshift({ position: job.position, attempt: job.attempt + 1, lastError: error });
				resumeAt = Math.max(resumeAt, now() + retryDelay(job.attempt, baseMs, capMs, random));
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
		if (queue.length > 0 && inFlight < limit) {
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
