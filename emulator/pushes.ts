/**
 * Notification delivery (docs/platform.md §8.1, §8.2): status events are POSTed once each, in call order, never
 * retried; CDRs are merged per (app, URL, callEndTime) into pushes of at most 50 and retried on the
 * configured schedule until a 200.
 */
import { Agent, request } from 'undici';
import { formatCreated } from '../nodes/shared/platform/time';
import { AKSK_AUTHORIZATION, createNonce, hmacSha256Base64 } from '../nodes/shared/transport/aksk';
import type { EmulatorConfig } from './config';
import type { TimerSet } from './timers';

export interface PushAttempt {
	at: string;
	statusCode: number | null;
	error: string | null;
}

export interface PushDelivery {
	kind: 'status' | 'cdr';
	/** `callout`, `alerting`, `answer`, `collectInfo`, `disconnect`, or `fee`. */
	eventType: string;
	url: string;
	body: unknown;
	/** pending → delivered (a 200) | failed (status push, no retry) | givenUp (CDR, retries exhausted). */
	state: 'pending' | 'delivered' | 'failed' | 'givenUp';
	attempts: number;
	/** Last attempt's HTTP status (null when the request itself failed). */
	statusCode: number | null;
	/** Last attempt's network error, if any. */
	error: string | null;
	attemptLog: PushAttempt[];
	/** CDR pushes: how many FeeInfo records the push carried. */
	batchSize?: number;
	/** CDR pushes: the sessionIds in the push. */
	sessionIds?: string[];
}

/** What a queued CDR tells its call: the push it went into, and when that push is finished. */
export interface CdrHooks {
	attach(delivery: PushDelivery): void;
	done(): void;
}

interface Bucket {
	url: string;
	entries: Array<{ fee: Record<string, unknown>; hooks: CdrHooks }>;
	cancel: () => void;
}

export const MAX_CDRS_PER_PUSH = 50;

/** Signing headers of a push (§8.2): HMAC over the exact push URL, nonce and created. */
export function pushSigningHeaders(
	config: Pick<EmulatorConfig, 'appKey' | 'appSecret' | 'pushSigning' | 'pushCreatedTimezone'>,
	url: string,
	now: Date = new Date(),
): Record<string, string> {
	if (config.pushSigning === 'none') return {};
	const nonce = createNonce();
	const created = formatCreated(now, config.pushCreatedTimezone);
	const message = config.pushSigning === 'newline' ? `${url}\n${nonce}\n${created}` : `${url}${nonce}${created}`;
	const digest = hmacSha256Base64(config.appSecret, message);
	return {
		Authorization: AKSK_AUTHORIZATION,
		'X-AKSK': `UsernameToken Username="${config.appKey}", PasswordDigest="${digest}", Nonce="${nonce}", Created="${created}"`,
	};
}

export class PushManager {
	private readonly agent = new Agent();
	private abort = new AbortController();
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		private readonly getConfig: () => EmulatorConfig,
		private readonly timers: TimerSet,
		private readonly onUpdate: () => void,
	) {}

	newDelivery(kind: 'status' | 'cdr', eventType: string, url: string, body: unknown): PushDelivery {
		return { kind, eventType, url, body, state: 'pending', attempts: 0, statusCode: null, error: null, attemptLog: [] };
	}

	/** One POST of a status event; resolves when it is answered or failed (never rejects). */
	async sendStatus(delivery: PushDelivery): Promise<void> {
		const signal = this.abort.signal;
		const ok = await this.attempt(delivery);
		if (signal.aborted) return;
		delivery.state = ok ? 'delivered' : 'failed';
		this.onUpdate();
	}

	/** Adds a CDR to its merge bucket; the bucket is pushed when full or when the window passes quietly. */
	queueCdr(url: string, fee: Record<string, unknown>, hooks: CdrHooks): void {
		const config = this.getConfig();
		const key = `${String(fee.appKey)}\n${url}\n${String(fee.callEndTime)}`;
		let bucket = this.buckets.get(key);
		if (!bucket) {
			bucket = { url, entries: [], cancel: () => undefined };
			this.buckets.set(key, bucket);
		}
		bucket.entries.push({ fee, hooks });
		bucket.cancel();
		if (bucket.entries.length >= MAX_CDRS_PER_PUSH) {
			this.flush(key);
		} else {
			bucket.cancel = this.timers.schedule(() => this.flush(key), config.cdrMergeWindowMs);
		}
	}

	get pendingBuckets(): number {
		return this.buckets.size;
	}

	/** Forget queued CDRs and abandon in-flight pushes (their results are ignored). */
	reset(): void {
		for (const bucket of this.buckets.values()) bucket.cancel();
		this.buckets.clear();
		this.abort.abort();
		this.abort = new AbortController();
	}

	async close(): Promise<void> {
		this.reset();
		await this.agent.destroy();
	}

	private flush(key: string): void {
		const bucket = this.buckets.get(key);
		if (!bucket) return;
		this.buckets.delete(key);
		bucket.cancel();
		const entries = bucket.entries.splice(0, MAX_CDRS_PER_PUSH);
		const body = { eventType: 'fee', feeLst: entries.map((e) => e.fee) };
		const delivery = this.newDelivery('cdr', 'fee', bucket.url, body);
		delivery.batchSize = entries.length;
		delivery.sessionIds = entries.map((e) => String(e.fee.sessionId));
		for (const entry of entries) entry.hooks.attach(delivery);
		void this.deliverCdr(delivery, entries.map((e) => e.hooks), 0);
	}

	private async deliverCdr(delivery: PushDelivery, hooks: CdrHooks[], retriesDone: number): Promise<void> {
		const signal = this.abort.signal;
		const ok = await this.attempt(delivery);
		if (signal.aborted) return;
		const config = this.getConfig();
		if (ok) {
			delivery.state = 'delivered';
		} else if (retriesDone < config.cdrRetryScheduleMs.length) {
			this.onUpdate();
			const wait = config.cdrRetryScheduleMs[retriesDone] * config.timeScale;
			this.timers.schedule(() => void this.deliverCdr(delivery, hooks, retriesDone + 1), wait);
			return;
		} else {
			delivery.state = 'givenUp';
		}
		for (const hook of hooks) hook.done();
		this.onUpdate();
	}

	/** One signed POST; true only for HTTP 200 (any other reply is a failed push, §8.1). */
	private async attempt(delivery: PushDelivery): Promise<boolean> {
		const config = this.getConfig();
		delivery.attempts++;
		const record: PushAttempt = { at: new Date().toISOString(), statusCode: null, error: null };
		delivery.attemptLog.push(record);
		try {
			const res = await request(delivery.url, {
				method: 'POST',
				dispatcher: this.agent,
				signal: this.abort.signal,
				headers: {
					'Content-Type': 'application/json;charset=UTF-8',
					...pushSigningHeaders(config, delivery.url),
				},
				body: JSON.stringify(delivery.body),
				headersTimeout: config.pushTimeoutMs,
				bodyTimeout: config.pushTimeoutMs,
			});
			await res.body.dump();
			record.statusCode = res.statusCode;
		} catch (error) {
			record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
		}
		delivery.statusCode = record.statusCode;
		delivery.error = record.error;
		return record.statusCode === 200;
	}
}
