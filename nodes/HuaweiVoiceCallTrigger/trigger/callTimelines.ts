import type { CallOutcome } from '../../shared/codes';
import { secondsBetween } from '../../shared/platform/time';
import type { StatusEvent } from './status';

/**
 * Ring and talk time for the `disconnect` status event. The disconnect carries only its own time,
 * so the durations come from the call's earlier callout/alerting/answer events, which the trigger
 * remembers whether or not their events start the workflow.
 *
 * Process memory, for the reason given in deliveredCdrs.ts: static data would lose events of
 * concurrent or overlapping pushes (docs/n8n.md §1). The platform pushes the events of one call in
 * order, each after the previous one was answered (docs/platform.md §8.1), and the trigger records
 * an event before it answers, so one process sees them in order.
 *
 * Bounded without ever dropping a call in progress that is younger than CALL_MAX_AGE_MS: a call is
 * removed at its disconnect; when the memory is full, only calls older than that age are dropped
 * (their disconnect was lost), and if none is, the new call is not tracked: its disconnect then
 * says `durationsKnown: false` instead of giving wrong times.
 */

export const TRACKED_CALLS_CAPACITY = 20_000;

/** Longer than any call the platform allows a limit for: 1440 minutes of talk plus ringing (§4.1). */
export const CALL_MAX_AGE_MS = 25 * 60 * 60 * 1000;

/** What is remembered of one call: the times of the last dialled leg, as the platform wrote them. */
export interface CallTimeline {
	firstSeenMs: number;
	/** Legs dialled so far (callback: 1 = A, 2 = B). */
	legs: number;
	alerting?: string;
	answer?: string;
	/** The digits of the call's collectInfo events, in order. */
	digits?: string[];
}

export interface DisconnectDurations {
	/** Ringing of the last dialled leg: alerting → answer, or alerting → hang-up when unanswered. */
	ringSeconds: number | null;
	/** Last dialled leg: answer → hang-up; 0 when it was not answered. */
	talkSeconds: number | null;
	/** Legs dialled (callback: 2 once B was called); null when no earlier event was seen. */
	legs: number | null;
	/** Whether the durations are exact. False when this process saw none (or not all) of the earlier events. */
	durationsKnown: boolean;
	/** The digits collected during the call, in order; null when no earlier event was seen. */
	collectedDigits: string[] | null;
}

export class CallTimelines {
	/** sessionId → timeline; Map order = first seen, oldest first. */
	private readonly calls = new Map<string, CallTimeline>();

	/** Calls not tracked because the memory was full of younger calls. */
	untracked = 0;

	constructor(
		readonly capacity: number = TRACKED_CALLS_CAPACITY,
		readonly maxAgeMs: number = CALL_MAX_AGE_MS,
	) {}

	get size(): number {
		return this.calls.size;
	}

	peek(sessionId: string): Readonly<CallTimeline> | undefined {
		return this.calls.get(sessionId);
	}

	/** Records callout, alerting, answer or the digits of a collectInfo. False when the call could not be tracked (memory full). */
	record(event: Exclude<StatusEvent, 'disconnect'>, sessionId: string, time: unknown, nowMs: number, digits = ''): boolean {
		const at = typeof time === 'string' ? time : undefined;
		let call = this.calls.get(sessionId);
		if (call === undefined) {
			if (!this.makeRoom(nowMs)) {
				this.untracked++;
				return false;
			}
			call = { firstSeenMs: nowMs, legs: event === 'callout' ? 0 : 1 };
			this.calls.set(sessionId, call);
		}
		if (event === 'callout') {
			// A new leg (callback: B after A answered): its own ring and answer times start now.
			call.legs++;
			delete call.alerting;
			delete call.answer;
		} else if (event === 'alerting') {
			call.alerting = at;
		} else if (event === 'answer') {
			call.answer = at;
		} else {
			(call.digits ??= []).push(digits);
		}
		return true;
	}

	/** The disconnect: the call's durations from what was remembered, and the call is forgotten. */
	disconnect(sessionId: string, time: unknown, outcome: CallOutcome): DisconnectDurations {
		const call = this.calls.get(sessionId);
		this.calls.delete(sessionId);
		return durationsAt(call, time, outcome);
	}

	private makeRoom(nowMs: number): boolean {
		if (this.calls.size < this.capacity) return true;
		for (const [sessionId, call] of this.calls) {
			if (nowMs - call.firstSeenMs <= this.maxAgeMs) break;
			this.calls.delete(sessionId);
		}
		return this.calls.size < this.capacity;
	}
}

/**
 * Durations of a call that ended at `time` with `outcome`, from its remembered timeline. Never a
 * guess: a call the platform reports as answered whose answer was not seen gets null talk time.
 */
export function durationsAt(call: Readonly<CallTimeline> | undefined, time: unknown, outcome: CallOutcome): DisconnectDurations {
	if (call === undefined) {
		return { ringSeconds: null, talkSeconds: null, legs: null, durationsKnown: false, collectedDigits: null };
	}
	const answeredByCause = outcome === 'answered' || outcome === 'noInput';
	const ringSeconds = call.alerting === undefined ? null : secondsBetween(call.alerting, call.answer ?? time);
	let talkSeconds: number | null;
	if (call.answer !== undefined) talkSeconds = secondsBetween(call.answer, time);
	else talkSeconds = answeredByCause ? null : 0;
	// An answered call must have rung; an unanswered one may have failed before ringing (busy).
	const durationsKnown = talkSeconds !== null && (ringSeconds !== null || !answeredByCause);
	return { ringSeconds, talkSeconds, legs: call.legs, durationsKnown, collectedDigits: [...(call.digits ?? [])] };
}

/** At a collectInfo: ringing of the answered leg, and seconds from the answer to the key press (null when not seen). */
export function responseTimes(
	call: Readonly<CallTimeline> | undefined,
	time: unknown,
): { ringSeconds: number | null; responseSeconds: number | null } {
	return {
		ringSeconds: call?.alerting === undefined ? null : secondsBetween(call.alerting, call.answer ?? time),
		responseSeconds: call?.answer === undefined ? null : secondsBetween(call.answer, time),
	};
}
