import type { IDataObject } from 'n8n-workflow';

import { describeHangupCause, outcomeOfHangupCause, wasAnswered, type CallOutcome } from '../../shared/codes';
import { addIsoTimes, toCode } from './fields';

/** Status notification events (docs/platform.md §8.3). */
export type StatusEvent = 'callout' | 'alerting' | 'answer' | 'collectInfo' | 'disconnect';

export const STATUS_EVENTS: readonly StatusEvent[] = ['callout', 'alerting', 'answer', 'collectInfo', 'disconnect'];

/** A status event is identified by its call, its type and its time (for exactly-once downstream). */
export function statusDedupeKey(event: StatusEvent, sessionId: unknown, timestamp: unknown): string {
	return `status|${event}|${String(sessionId)}|${typeof timestamp === 'string' ? timestamp : ''}`;
}

/**
 * One status push (`{ eventType, statusInfo }`) → one item: the platform's fields, plus `event`,
 * `dedupeKey`, ISO times, `callerNumber`/`calledNumber`, `digits` (collectInfo), and for a
 * disconnect the readable cause and the outcome. Durations are added by the trigger, which
 * remembers the call's earlier events (callTimelines.ts).
 */
export function parseStatus(event: StatusEvent, statusInfo: IDataObject): IDataObject {
	const item: IDataObject = {
		event,
		eventType: event,
		sessionId: statusInfo.sessionId,
		userData: statusInfo.userData ?? null,
		...statusInfo,
	};
	item.event = event;
	item.eventType = event;
	addIsoTimes(statusInfo, item);
	if (item.timestampIso === undefined) item.timestampIso = null;
	item.dedupeKey = statusDedupeKey(event, statusInfo.sessionId, statusInfo.timestamp);
	// n8n's expression sandbox refuses `$json.caller` (and `callee`), so the numbers also get names
	// a workflow can read.
	if (statusInfo.caller !== undefined) item.callerNumber = statusInfo.caller;
	if (statusInfo.called !== undefined) item.calledNumber = statusInfo.called;
	if (event === 'collectInfo') {
		item.digits = typeof statusInfo.digitInfo === 'string' ? statusInfo.digitInfo : '';
	}
	if (event === 'disconnect') {
		const stateCode = toCode(statusInfo.stateCode);
		const outcome: CallOutcome = stateCode === undefined ? 'failed' : outcomeOfHangupCause(stateCode);
		item.stateText =
			stateCode === undefined ? null : (describeHangupCause(stateCode)?.en ?? `Unknown hang-up cause ${stateCode}`);
		item.outcome = outcome;
		item.answered = wasAnswered(outcome);
		item.ringSeconds = null;
		item.talkSeconds = null;
	}
	return item;
}
