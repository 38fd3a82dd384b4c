import type { IDataObject } from 'n8n-workflow';

import { describeDisconnectPoint, describeHangupCause, describeQ850Cause } from '../../shared/codes';

/**
 * Push body → output items (spec §8.3 status notifications, §8.4 CDR notifications).
 *
 * Pure functions: no n8n context, no clock. Every item keeps the platform's original fields and
 * adds derived ones (event, ISO times, readable cause texts, outcome, durations) so a no-code
 * builder can map them directly.
 */

export type StatusEvent = 'callout' | 'alerting' | 'answer' | 'collectInfo' | 'disconnect';
export type TriggerEvent = StatusEvent | 'cdr';

export const STATUS_EVENTS: readonly StatusEvent[] = [
	'callout',
	'alerting',
	'answer',
	'collectInfo',
	'disconnect',
];
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [...STATUS_EVENTS, 'cdr'];

/** A CDR push carries 1–50 records (§8.4). */
export const MAX_CDR_RECORDS = 50;

/**
 * What a call came to. `answered` = the called party (callback: B) answered; `noInput` = a
 * notification was answered but no digits were collected (8008).
 */
export type CallOutcome =
	| 'answered'
	| 'noAnswer'
	| 'busy'
	| 'rejected'
	| 'unreachable'
	| 'invalidNumber'
	| 'cancelled'
	| 'noInput'
	| 'blocked'
	| 'failed';

export type ParsedPush =
	| { ok: true; kind: 'status'; event: StatusEvent; item: IDataObject }
	| { ok: true; kind: 'cdr'; items: IDataObject[] }
	| { ok: false; reason: string };

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PLATFORM_TIME = /^(\d{4})-(\d{2})-(\d{2})\s+(\d{2}):(\d{2}):(\d{2})$/;

/**
 * Converts the platform's `yyyy-MM-dd HH:mm:ss` (UTC; the double-space variant of the Java demo
 * is accepted) to an ISO-8601 UTC string. Anything else → undefined.
 */
export function platformTimeToIso(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = PLATFORM_TIME.exec(value.trim());
	if (match === null) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
	const ms = Date.UTC(year, month - 1, day, hour, minute, second);
	const date = new Date(ms);
	// Reject impossible dates (month 13, 31 February…) instead of letting Date roll them over.
	if (
		date.getUTCFullYear() !== year ||
		date.getUTCMonth() !== month - 1 ||
		date.getUTCDate() !== day ||
		hour > 23 ||
		minute > 59 ||
		second > 59
	) {
		return undefined;
	}
	return date.toISOString();
}

function toMs(value: unknown): number | undefined {
	const iso = platformTimeToIso(value);
	return iso === undefined ? undefined : Date.parse(iso);
}

/** Whole seconds from `from` to `to` (never negative), or null when either time is missing. */
export function secondsBetween(from: unknown, to: unknown): number | null {
	const a = toMs(from);
	const b = toMs(to);
	if (a === undefined || b === undefined) return null;
	return Math.max(0, Math.round((b - a) / 1000));
}

/** Integer value of a code field the platform sends as a number (or, defensively, a numeric string). */
function toCode(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
	return undefined;
}

/** Adds `<field>Iso` next to every `…Time`/`timestamp` field that holds a platform time. */
function addIsoTimes(source: IDataObject, target: IDataObject): void {
	for (const [key, value] of Object.entries(source)) {
		if (key !== 'timestamp' && !key.endsWith('Time')) continue;
		const iso = platformTimeToIso(value);
		target[`${key}Iso`] = iso ?? null;
	}
}

// ----- outcomes -------------------------------------------------------------------------------

/** §11.1 hang-up cause (`stateCode` of disconnect) → outcome. */
export function outcomeFromStateCode(stateCode: number): CallOutcome {
	switch (stateCode) {
		case 0:
		case 8010: // maximum call duration reached: the call was connected
			return 'answered';
		case 8017: // released by indication, e.g. the terminate API (answered or not is unknown here)
			return 'cancelled';
		case 8003:
		case 8101:
		case 8107:
			return 'noAnswer';
		case 8102:
		case 8108:
			return 'busy';
		case 8004:
		case 8105:
		case 8111:
			return 'rejected';
		case 8103:
		case 8104:
		case 8109:
		case 8110:
			return 'unreachable';
		case 8100:
		case 8106:
			return 'invalidNumber';
		case 8009:
			return 'cancelled';
		case 8008:
			return 'noInput';
		default:
			if (stateCode >= 7001 && stateCode <= 7005) return 'blocked';
			return 'failed';
	}
}

/** Q.850 cause of an unanswered leg → outcome (undefined when the cause says nothing useful). */
export function outcomeFromQ850(cause: number): CallOutcome | undefined {
	switch (cause) {
		case 17:
			return 'busy';
		case 18:
		case 19:
			return 'noAnswer';
		case 21:
			return 'rejected';
		case 1:
		case 22:
		case 28:
			return 'invalidNumber';
		case 2:
		case 3:
		case 20:
		case 27:
		case 34:
		case 38:
		case 41:
		case 42:
		case 44:
		case 47:
			return 'unreachable';
		default:
			return undefined;
	}
}

/** SIP status of a failed leg → outcome. */
export function outcomeFromSipStatus(status: number): CallOutcome | undefined {
	switch (status) {
		case 486:
		case 600:
			return 'busy';
		case 408:
			return 'noAnswer';
		case 603:
			return 'rejected';
		case 404:
		case 484:
		case 604:
			return 'invalidNumber';
		case 410:
		case 480:
		case 503:
			return 'unreachable';
		case 487:
			return 'cancelled';
		default:
			return undefined;
	}
}

/** Disconnect point (`ulFailReason`) → outcome. */
export function outcomeFromDisconnectPoint(point: number): CallOutcome | undefined {
	switch (point) {
		case 100:
			return 'noInput';
		case 514:
			return 'noAnswer';
		case 515:
		case 516:
		case 530:
		case 552:
		case 553:
			return 'cancelled';
		default:
			if (point >= 400 && point <= 699) return outcomeFromSipStatus(point);
			if (point >= 7001 && point <= 8111) return outcomeFromStateCode(point);
			return undefined;
	}
}

/** Outcome of an unanswered leg from its causes, most specific first. */
function failedLegOutcome(q850: number | undefined, record: IDataObject): CallOutcome {
	const fromQ850 = q850 === undefined ? undefined : outcomeFromQ850(q850);
	if (fromQ850 !== undefined) return fromQ850;
	const sip = toCode(record.sipStatusCode);
	const fromSip = sip === undefined ? undefined : outcomeFromSipStatus(sip);
	if (fromSip !== undefined) return fromSip;
	const point = toCode(record.ulFailReason);
	const fromPoint = point === undefined ? undefined : outcomeFromDisconnectPoint(point);
	if (fromPoint !== undefined && fromPoint !== 'answered') return fromPoint;
	// Ringing but never answered, no cause given: nobody picked up.
	if (q850 === 16 || q850 === 31) return 'noAnswer';
	return 'failed';
}

// ----- dedupe keys ----------------------------------------------------------------------------

/**
 * A stable key per delivery, for exactly-once processing downstream (a unique index): the platform
 * re-sends a CDR with the same sessionId and icid; a status event is identified by its call, its
 * type and its time.
 */
export function cdrDedupeKey(record: IDataObject): string {
	const icid = typeof record.icid === 'string' ? record.icid : '';
	return `cdr|${String(record.sessionId)}|${icid}`;
}

export function statusDedupeKey(event: StatusEvent, sessionId: unknown, timestamp: unknown): string {
	return `status|${event}|${String(sessionId)}|${typeof timestamp === 'string' ? timestamp : ''}`;
}

// ----- status notifications -------------------------------------------------------------------

function parseStatus(event: StatusEvent, statusInfo: IDataObject): IDataObject {
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
		if (stateCode === undefined) {
			item.stateText = null;
			item.outcome = 'failed';
		} else {
			item.stateText = describeHangupCause(stateCode)?.en ?? `Unknown hang-up cause ${stateCode}`;
			item.outcome = outcomeFromStateCode(stateCode);
		}
		item.answered = item.outcome === 'answered' || item.outcome === 'noInput';
		// Filled from the call's earlier events by the trigger when it saw them (see timeline.ts).
		item.ringSeconds = null;
		item.talkSeconds = null;
	}
	return item;
}

// ----- CDRs -----------------------------------------------------------------------------------

export type CallType = 'callback' | 'notification' | 'other';

/** serviceType `002` = voice callback; `001` = voice playback (notification and verification code). */
export function callTypeOf(serviceType: unknown): CallType {
	if (serviceType === '002' || serviceType === 2) return 'callback';
	if (serviceType === '001' || serviceType === 1) return 'notification';
	return 'other';
}

function describeQ850(value: unknown): string | null {
	const code = toCode(value);
	if (code === undefined) return null;
	return describeQ850Cause(code)?.en ?? `Unknown Q.850 cause ${code}`;
}

/** One CDR record (FeeInfo) → one output item. */
export function parseCdrRecord(record: IDataObject): IDataObject {
	const callType = callTypeOf(record.serviceType);
	const item: IDataObject = {
		event: 'cdr',
		eventType: 'fee',
		sessionId: record.sessionId,
		userData: record.userData ?? null,
		...record,
		callType,
	};
	item.event = 'cdr';
	item.eventType = 'fee';
	item.dedupeKey = cdrDedupeKey(record);
	addIsoTimes(record, item);

	const callEnd = record.callEndTime ?? record.failTime;
	let outcome: CallOutcome;
	let ringSeconds: number | null;
	let talkSeconds: number | null;
	if (callType === 'callback') {
		const aAnswered = toMs(record.callOutAnswerTime) !== undefined;
		const bAnswered = toMs(record.fwdAnswerTime) !== undefined;
		if (bAnswered) outcome = 'answered';
		else if (aAnswered) outcome = failedLegOutcome(toCode(record.fwdUnaswRsn), record);
		else outcome = failedLegOutcome(toCode(record.callOutUnaswRsn), record);
		talkSeconds = bAnswered ? secondsBetween(record.fwdAnswerTime, record.callEndTime) : 0;
		// Ring time of the last leg that rang: B when it was dialled, else A.
		if (toMs(record.fwdAlertingTime) !== undefined) {
			ringSeconds = secondsBetween(record.fwdAlertingTime, bAnswered ? record.fwdAnswerTime : callEnd);
		} else {
			ringSeconds = secondsBetween(
				record.callOutAlertingTime,
				aAnswered ? record.callOutAnswerTime : callEnd,
			);
		}
	} else {
		const answered = toMs(record.callOutAnswerTime) !== undefined;
		if (answered) {
			const point = toCode(record.ulFailReason);
			outcome = point === 100 ? 'noInput' : 'answered';
		} else {
			outcome = failedLegOutcome(toCode(record.callOutUnaswRsn), record);
		}
		talkSeconds = answered ? secondsBetween(record.callOutAnswerTime, record.callEndTime) : 0;
		ringSeconds = secondsBetween(
			record.callOutAlertingTime,
			answered ? record.callOutAnswerTime : callEnd,
		);
	}
	if (toMs(record.callOutAlertingTime) === undefined && toMs(record.fwdAlertingTime) === undefined) {
		ringSeconds = null;
	}
	item.outcome = outcome;
	item.answered = outcome === 'answered' || outcome === 'noInput';
	item.ringSeconds = ringSeconds;
	item.talkSeconds = talkSeconds;

	if (record.callOutUnaswRsn !== undefined) item.callOutUnaswRsnText = describeQ850(record.callOutUnaswRsn);
	if (record.fwdUnaswRsn !== undefined) item.fwdUnaswRsnText = describeQ850(record.fwdUnaswRsn);
	if (record.ulFailReason !== undefined) {
		const point = toCode(record.ulFailReason);
		item.ulFailReasonText =
			point === undefined
				? null
				: (describeDisconnectPoint(point)?.en ?? `Unknown disconnect point ${point}`);
	}

	const recordObjectName =
		typeof record.recordObjectName === 'string' && record.recordObjectName !== ''
			? record.recordObjectName
			: null;
	const downloadUrl =
		typeof record.recordFileDownloadUrl === 'string' && record.recordFileDownloadUrl !== ''
			? record.recordFileDownloadUrl
			: null;
	item.hasRecording = toCode(record.recordFlag) === 1 && (recordObjectName !== null || downloadUrl !== null);
	item.recordObjectName = record.recordObjectName ?? null;
	item.recordDomain = record.recordDomain ?? null;
	return item;
}

// ----- the push -------------------------------------------------------------------------------

/** Validates a parsed JSON body and turns it into items; `reason` says why a body is refused. */
export function parsePush(body: unknown): ParsedPush {
	if (!isPlainObject(body)) return { ok: false, reason: 'The body is not a JSON object' };
	const { eventType } = body;
	if (typeof eventType !== 'string' || eventType === '') {
		return { ok: false, reason: 'Not a Huawei Voice Call push: eventType is missing' };
	}
	if (eventType === 'fee') {
		const { feeLst } = body;
		if (!Array.isArray(feeLst)) return { ok: false, reason: 'feeLst is missing or not an array' };
		if (feeLst.length === 0) return { ok: false, reason: 'feeLst is empty' };
		if (feeLst.length > MAX_CDR_RECORDS) {
			return { ok: false, reason: `feeLst has more than ${MAX_CDR_RECORDS} records` };
		}
		const items: IDataObject[] = [];
		for (let i = 0; i < feeLst.length; i++) {
			const record: unknown = feeLst[i];
			if (!isPlainObject(record)) return { ok: false, reason: `feeLst[${i}] is not an object` };
			if (typeof record.sessionId !== 'string' || record.sessionId === '') {
				return { ok: false, reason: `feeLst[${i}].sessionId is missing` };
			}
			items.push(parseCdrRecord(record));
		}
		return { ok: true, kind: 'cdr', items };
	}
	if (!(STATUS_EVENTS as readonly string[]).includes(eventType)) {
		return { ok: false, reason: `Unknown eventType "${eventType.slice(0, 40)}"` };
	}
	const { statusInfo } = body;
	if (!isPlainObject(statusInfo)) return { ok: false, reason: 'statusInfo is missing or not an object' };
	if (typeof statusInfo.sessionId !== 'string' || statusInfo.sessionId === '') {
		return { ok: false, reason: 'statusInfo.sessionId is missing' };
	}
	const event = eventType as StatusEvent;
	return { ok: true, kind: 'status', event, item: parseStatus(event, statusInfo) };
}

/** Parses the raw body text (UTF-8, optional BOM) and then the push. */
export function parsePushText(text: string): ParsedPush {
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') return { ok: false, reason: 'The body is empty' };
	let body: unknown;
	try {
		body = JSON.parse(trimmed);
	} catch (error) {
		return { ok: false, reason: `The body is not valid JSON (${(error as Error).message.slice(0, 80)})` };
	}
	return parsePush(body);
}
