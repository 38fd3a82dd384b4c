import { createHash } from 'crypto';

/**
 * The CDRs a trigger node has delivered, so that a re-sent one does not run the workflow again.
 * The platform re-sends a CDR push until it gets a 200, up to 6 times an hour apart
 * (docs/platform.md §8.1); a record is identified by its `dedupeKey` (sessionId + icid).
 *
 * This is process memory, not workflow static data: n8n saves static data last-write-wins, so
 * concurrent or overlapping pushes overwrite each other's keys (docs/n8n.md §1). `claim` checks and
 * records in one synchronous step, so within one Node.js process two pushes of the same CDR can
 * never both be fresh, however they interleave.
 *
 * Bounded: the most recent `capacity` keys are kept, as fixed-size digests, oldest forgotten first.
 */

export const DELIVERED_CDRS_CAPACITY = 100_000;

/**
 * The platform stops re-sending about 6 hours after a call. A key forgotten sooner than this (more
 * than `capacity` CDRs in that time) is counted, so the trigger can warn that a re-send of it would
 * run again.
 */
export const CDR_RESEND_WINDOW_MS = 7 * 60 * 60 * 1000;

/**
 * 96 bits of SHA-256 as 16 base64url characters: fixed-size memory whatever the key's length, and a
 * chance of two different CDRs colliding that is negligible (about 1 in 10^19 for 100,000 keys).
 */
export function digestKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 16);
}

const DIGEST = /^[A-Za-z0-9_-]{16}$/;

/** How many of the newest digests `recent()` returns (the static-data copy: about 20 KB). */
export const RECENT_CDRS_KEPT = 1000;

export class DeliveredCdrs {
	/** digest → when it was first delivered (epoch ms). */
	private readonly digests = new Map<string, number>();

	/**
	 * The digests in delivery order, as a ring once full: `oldest` is the next one forgotten. (Not the
	 * Map's own order: taking its first entry again and again after deleting the previous ones walks
	 * the deleted slots, which grew to 67 µs per CDR, and growing, at 100,000 keys.)
	 */
	private readonly order: string[] = [];

	private oldest = 0;

	/** Keys forgotten inside the re-send window because the memory was full. */
	forgottenEarly = 0;

	constructor(readonly capacity: number = DELIVERED_CDRS_CAPACITY) {}

	get size(): number {
		return this.digests.size;
	}

	has(key: string): boolean {
		return this.digests.has(digestKey(key));
	}

	/**
	 * For each key, in order: true when it was not delivered before (it is recorded now), false for a
	 * duplicate, also of an earlier key in the same list. Synchronous on purpose (see above).
	 */
	claim(keys: readonly string[], nowMs: number): boolean[] {
		return keys.map((key) => this.add(digestKey(key), nowMs));
	}

	/** Adds digests delivered elsewhere (a copy from static data); unknown strings are ignored. */
	remember(digests: unknown, nowMs: number): void {
		if (!Array.isArray(digests)) return;
		for (const digest of digests) {
			// Every push reads the whole copy: the known digests (nearly all) cost one lookup.
			if (typeof digest !== 'string' || this.digests.has(digest)) continue;
			if (DIGEST.test(digest)) this.add(digest, nowMs);
		}
	}

	/** The newest digests (at most RECENT_CDRS_KEPT), oldest first: the static-data copy. */
	recent(): string[] {
		const count = Math.min(RECENT_CDRS_KEPT, this.order.length);
		const newest: string[] = new Array<string>(count);
		const end = this.order.length < this.capacity ? this.order.length : this.oldest + this.order.length;
		for (let i = 0; i < count; i++) newest[i] = this.order[(end - count + i) % this.order.length];
		return newest;
	}

	private add(digest: string, nowMs: number): boolean {
		if (this.digests.has(digest)) return false;
		this.digests.set(digest, nowMs);
		if (this.order.length < this.capacity) {
			this.order.push(digest);
			return true;
		}
		const forgotten = this.order[this.oldest];
		const deliveredAt = this.digests.get(forgotten) ?? nowMs;
		this.digests.delete(forgotten);
		if (nowMs - deliveredAt < CDR_RESEND_WINDOW_MS) this.forgottenEarly++;
		this.order[this.oldest] = digest;
		this.oldest = (this.oldest + 1) % this.capacity;
		return true;
	}
}
