/**
 * What the pacing knows about the app's call ports (1020165 = all of them busy), and when the next
 * one should free up. Pure bookkeeping: the caller passes the clock in every call.
 *
 * 1. Free ports. An accepted call-placing request can carry `idlePort`, the ports still free after
 *    it took one (docs/platform.md §4.2). The newest such answer, minus the sends started after it,
 *    is how many more sends the platform will accept right now, so the pacing stops at 0 instead
 *    of sending into a refusal.
 * 2. When a port frees up. A port frees up when a call ends. The calls that hold the ports when
 *    they are all busy are, oldest first, the last `ports` calls this run placed (ports: the
 *    smallest `idlePort + calls placed so far` seen, or the calls placed before the first refusal).
 *    Calls of one bulk run last about equally long, so the oldest of them ends first, at its answer
 *    time plus the hold time. The hold time is learnt as an interval: a refused probe, or the
 *    moment the ports filled up, says the oldest call was still running (a lower bound); the first
 *    accepted send afterwards says it had ended (an upper bound). Intervals of successive ends are
 *    intersected, and the next probe goes to the middle of what is left, so the interval halves
 *    with every probe and the probes soon land just after the port frees up, with hardly a refusal.
 *    An observation outside the interval (calls of different lengths) starts it again from that
 *    observation. Once a probe is later than the whole interval, the model has failed for this
 *    call, and the probes fall back to waits that grow from a small step (probeDelay).
 *
 * Only timing depends on this model: it decides when the next send goes out, never whether an
 * item is sent again (pacing.ts decides that, from the platform's answer).
 */

/** How far apart two ends may be, as a share of the hold time, and still count as equally long calls. */
const HOLD_DRIFT_SHARE = 0.02;

/** Answer times kept for the model (a run rarely has more ports than this). */
const TRACKED_CALLS = 10_000;

export interface HoldInterval {
	lo: number;
	hi: number;
}

export class PortGauge {
	/** Sends the platform will still accept (from the newest idle-port answer); undefined when not known. */
	private credit: number | undefined;

	/** Number of the send whose answer set `credit`: an older answer is stale. */
	private creditSend = 0;

	/**
	 * When the platform took each accepted call, oldest first (the newest TRACKED_CALLS): the middle
	 * of its request, as the platform acts between our send and its answer.
	 */
	private readonly takenAt: number[] = [];

	/** When the platform answered the newest idle-port report (the middle of that request). */
	private reportTakenAt: number | undefined;

	/** Calls accepted in this run. */
	private acceptedCount = 0;

	/** The ports this run can use: the smallest idle + calls placed seen; undefined until known. */
	private portsInUse: number | undefined;

	/** How long a call holds its port (ms), learnt from earlier ends; undefined until one was seen. */
	private hold: HoldInterval | undefined;

	/** While every port is busy: when we learnt it (an answer's arrival); undefined while ports are free. */
	private busyKnownAt: number | undefined;

	/** While every port is busy: the latest platform moment the oldest call was known to be still running. */
	private stillBusyAt: number | undefined;

	/** Request durations (send → answer), smoothed: the time resolution of every observation. */
	private latencyMs: number | undefined;

	constructor(private readonly minGapFloorMs = 10) {}

	/** Whether every port is believed busy (a refusal, or the newest answer left none free). */
	get busy(): boolean {
		return this.busyKnownAt !== undefined;
	}

	/** The learnt hold interval (for tests and diagnostics). */
	get holdInterval(): Readonly<HoldInterval> | undefined {
		return this.hold;
	}

	get ports(): number | undefined {
		return this.portsInUse;
	}

	/** The smallest wait between two probes: below the request time, the answers cannot tell times apart. */
	get minGapMs(): number {
		return Math.max(this.minGapFloorMs, 2 * (this.latencyMs ?? 0));
	}

	/** Whether a new send may start: always while probing, else while the platform has free ports. */
	mayStart(): boolean {
		return this.busyKnownAt !== undefined || this.credit === undefined || this.credit > 0;
	}

	/** The free ports are used up and nothing is in flight: every port is busy, without a refusal. */
	exhausted(): boolean {
		return this.busyKnownAt === undefined && this.credit !== undefined && this.credit <= 0;
	}

	started(): void {
		if (this.credit !== undefined) this.credit--;
	}

	/**
	 * An accepted send: number `send` (in start order), sent at `sentAt` and answered at `nowMs`,
	 * with the platform's idle ports when it reported them. Of the sends still in flight,
	 * `startedEarlier` started before it (the platform most likely took their ports first) and
	 * `startedLater` after it (they will take ports the idle count still shows as free).
	 */
	accepted(
		send: number,
		sentAt: number,
		nowMs: number,
		idlePorts: number | undefined,
		startedEarlier: number,
		startedLater: number,
	): void {
		const tookMs = Math.max(0, nowMs - sentAt);
		this.latencyMs = this.latencyMs === undefined ? tookMs : 0.8 * this.latencyMs + 0.2 * tookMs;
		const takenAt = sentAt + tookMs / 2;
		if (this.busyKnownAt !== undefined && sentAt >= this.busyKnownAt) {
			// A probe was accepted while all ports were busy: the oldest call ended between stillBusyAt
			// and the probe's arrival. (A send started before the ports filled up proves nothing.)
			const oldest = this.oldestCall();
			if (oldest !== undefined && this.stillBusyAt !== undefined) {
				this.observe({ lo: this.stillBusyAt - oldest, hi: takenAt - oldest });
			}
			if (this.busySince !== undefined) {
				const waited = nowMs - this.busySince;
				this.waitMs = this.waitMs === undefined ? waited : 0.7 * this.waitMs + 0.3 * waited;
			}
			this.busyKnownAt = undefined;
			this.stillBusyAt = undefined;
			this.busySince = undefined;
		}
		this.takenAt.push(takenAt);
		if (this.takenAt.length > TRACKED_CALLS) this.takenAt.shift();
		this.acceptedCount++;
		if (send < this.creditSend) return;
		this.creditSend = send;
		this.reportTakenAt = takenAt;
		if (idlePorts === undefined || !Number.isFinite(idlePorts) || idlePorts < 0) {
			this.credit = undefined;
			return;
		}
		this.credit = idlePorts - startedLater;
		// Before any call ended, idle + our calls holding a port = the ports we can use; once calls
		// end, the sum grows, so the smallest one seen is the estimate.
		const usable = idlePorts + this.acceptedCount + startedEarlier;
		this.portsInUse = this.portsInUse === undefined ? usable : Math.min(this.portsInUse, usable);
	}

	/** A 1020165 answer to a send from `sentAt`, at `nowMs`: every port is busy. */
	refused(sentAt: number, nowMs: number): void {
		this.credit = undefined;
		this.portsInUse ??= Math.max(1, this.acceptedCount);
		const takenAt = sentAt + Math.max(0, nowMs - sentAt) / 2;
		this.busyKnownAt = Math.max(this.busyKnownAt ?? nowMs, nowMs);
		this.stillBusyAt = Math.max(this.stillBusyAt ?? takenAt, takenAt);
		this.busySince ??= nowMs;
	}

	/** Every port became busy without a refusal (`exhausted()` with nothing in flight). */
	markBusy(nowMs: number): void {
		this.credit = undefined;
		this.portsInUse ??= Math.max(1, this.acceptedCount);
		this.busyKnownAt = nowMs;
		// The newest answer said no port is free at the moment the platform handled it.
		this.stillBusyAt = this.reportTakenAt ?? nowMs;
		this.busySince = nowMs;
	}

	/** The first wait where the model has nothing to say: a quarter of how long waits for a port lasted. */
	firstStepMs(fallbackMs: number, capMs: number): number {
		if (this.waitMs === undefined) return fallbackMs;
		return Math.min(capMs, Math.max(this.minGapMs, this.waitMs / 4));
	}

	/**
	 * When to probe next while every port is busy: the model's moment (see the file comment), or
	 * undefined when it has nothing to say (no end seen yet, or this call outlasted the interval).
	 */
	nextProbeAt(nowMs: number): number | undefined {
		const oldest = this.oldestCall();
		if (oldest === undefined || this.hold === undefined || this.stillBusyAt === undefined) return undefined;
		if (!this.regular) return undefined;
		const lo = Math.max(this.hold.lo, this.stillBusyAt - oldest);
		const hi = this.hold.hi;
		if (lo >= hi) return undefined;
		// Sent at that moment, the probe reaches the platform a little later: on the safe side of the
		// interval, and sending earlier by the smoothed request time was measured to refuse more.
		return Math.max(nowMs, hi - lo <= this.minGapMs ? oldest + hi : oldest + (lo + hi) / 2);
	}

	/** When the platform took the call expected to end first: the oldest of the last `ports` calls. */
	private oldestCall(): number | undefined {
		if (this.portsInUse === undefined || this.takenAt.length === 0) return undefined;
		return this.takenAt[Math.max(0, this.takenAt.length - this.portsInUse)];
	}

	private observe(seen: HoldInterval): void {
		if (!(seen.hi > 0) || seen.lo > seen.hi) return;
		const lo = Math.max(0, seen.lo);
		const previous = this.hold;
		this.hold = { lo, hi: seen.hi };
		if (previous === undefined) {
			// Nothing to compare with yet: assume calls of equal length until an end says otherwise.
			this.regular = true;
			return;
		}
		const merged = { lo: Math.max(previous.lo, lo), hi: Math.min(previous.hi, seen.hi) };
		if (merged.lo <= merged.hi) {
			this.hold = merged;
			this.regular = true;
			return;
		}
		// Apart: by less than the clock's resolution (timers, request times), the same hold time
		// that drifted; by more, calls of different lengths.
		const apart = Math.max(lo - previous.hi, previous.lo - seen.hi);
		this.regular = apart <= Math.max(this.minGapMs, HOLD_DRIFT_SHARE * seen.hi);
	}

	/** Since when every port has been busy (the first refusal or full answer of this wait). */
	private busySince: number | undefined;

	/** How long it took for a port to free up once all were busy, smoothed. */
	private waitMs: number | undefined;

	/** Whether the last end agreed with the ones before (calls of about equal length). */
	private regular = false;
}
