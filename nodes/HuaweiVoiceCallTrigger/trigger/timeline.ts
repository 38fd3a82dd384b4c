import { secondsBetween, type StatusEvent } from './parse';

/**
 * Durations for the `disconnect` status event. The event itself carries only its own timestamp, so
 * ring and talk times are computable only from the call's earlier `callout`/`alerting`/`answer`
 * events. The trigger remembers those (bounded, in the node's static data) whether or not their
 * events are selected. Pure functions: the caller stores the returned memory.
 */

/** What is remembered per sessionId: the current (last dialled) leg's times, platform format. */
export interface LegTimes {
	/** Legs dialled so far (callback: 1 = A, 2 = B). */
	legs: number;
	alerting?: string;
	answer?: string;
}

export type TimelineMemory = Record<string, LegTimes>;

/** At most this many calls in progress are remembered; the oldest are forgotten first. */
export const MAX_TRACKED_CALLS = 1000;

export interface DisconnectDurations {
	/** Ringing of the last dialled leg: alerting → answer, or alerting → hang-up when unanswered. */
	ringSeconds: number | null;
	/** Last dialled leg's answer → hang-up; 0 when it rang but was not answered. */
	talkSeconds: number | null;
	/** Number of legs dialled (callback: 2 once B was called). */
	legs: number;
}

export interface TimelineUpdate {
	memory: TimelineMemory;
	/** Whether `memory` differs from the input (store it only then). */
	changed: boolean;
	/** Set for a disconnect whose earlier events were seen. */
	durations?: DisconnectDurations;
}

/** Applies one status event to the memory and, for a disconnect, computes the durations. */
export function applyStatusEvent(
	previous: TimelineMemory,
	event: StatusEvent,
	sessionId: string,
	timestamp: unknown,
	maxCalls: number = MAX_TRACKED_CALLS,
): TimelineUpdate {
	if (event === 'collectInfo') return { memory: previous, changed: false };
	const memory: TimelineMemory = { ...previous };
	const known = Object.prototype.hasOwnProperty.call(memory, sessionId) ? memory[sessionId] : undefined;
	const time = typeof timestamp === 'string' ? timestamp : undefined;

	if (event === 'disconnect') {
		if (known === undefined) return { memory: previous, changed: false };
		delete memory[sessionId];
		const ringSeconds =
			known.alerting === undefined ? null : secondsBetween(known.alerting, known.answer ?? time);
		let talkSeconds: number | null;
		if (known.answer !== undefined) talkSeconds = secondsBetween(known.answer, time);
		else talkSeconds = known.alerting === undefined ? null : 0;
		return { memory, changed: true, durations: { ringSeconds, talkSeconds, legs: known.legs } };
	}

	let entry: LegTimes;
	if (event === 'callout') {
		entry = { legs: (known?.legs ?? 0) + 1 };
	} else {
		entry = { ...(known ?? { legs: 1 }) };
		if (event === 'alerting') entry.alerting = time;
		if (event === 'answer') entry.answer = time;
	}
	// Re-insert so the key order is "least recently updated first", then trim the oldest.
	delete memory[sessionId];
	memory[sessionId] = entry;
	const keys = Object.keys(memory);
	for (let i = 0; i < keys.length - maxCalls; i++) delete memory[keys[i]];
	return { memory, changed: true };
}
