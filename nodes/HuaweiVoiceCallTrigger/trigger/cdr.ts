import type { IDataObject } from 'n8n-workflow';

import {
	describeDisconnectPoint,
	describeQ850Cause,
	outcomeOfDisconnectPoint,
	outcomeOfHangupCause,
	outcomeOfQ850Cause,
	outcomeOfSipStatus,
	wasAnswered,
	type CallOutcome,
} from '../../shared/codes';
import { parsePlatformTime, secondsBetween } from '../../shared/platform/time';
import { addIsoTimes, toCode } from './fields';

/**
 * Which service a CDR belongs to: serviceType `002` = voice callback, `001` = voice playback (§8.4).
 * `001` covers voice notification and voice verification code alike, and nothing else in a push
 * tells them apart reliably (the sessionId prefixes are not documented), so a verification call's
 * CDR says `notification` too (§17.16). Match it by its sessionId or userData instead.
 */
export type CdrCallType = 'callback' | 'notification' | 'other';

export function callTypeOf(serviceType: unknown): CdrCallType {
	if (serviceType === '002' || serviceType === 2) return 'callback';
	if (serviceType === '001' || serviceType === 1) return 'notification';
	return 'other';
}

/** The platform re-sends a CDR with the same sessionId and icid (§8.1): the key of one delivery. */
export function cdrDedupeKey(record: IDataObject): string {
	const icid = typeof record.icid === 'string' ? record.icid : '';
	return `cdr|${String(record.sessionId)}|${icid}`;
}

const isTime = (value: unknown): boolean => parsePlatformTime(value) !== undefined;

/** Outcome of an unanswered leg from its causes, most specific first. */
function failedLegOutcome(q850: number | undefined, record: IDataObject): CallOutcome {
	const fromQ850 = q850 === undefined ? undefined : outcomeOfQ850Cause(q850);
	if (fromQ850 !== undefined) return fromQ850;
	const sip = toCode(record.sipStatusCode);
	const fromSip = sip === undefined ? undefined : outcomeOfSipStatus(sip);
	if (fromSip !== undefined) return fromSip;
	const point = toCode(record.ulFailReason);
	if (point !== undefined) {
		// A hang-up cause used as disconnect point: its outcome, `failed` when it has none.
		const fromPoint =
			(point >= 7001 && point <= 7109) || (point >= 8000 && point <= 8111)
				? outcomeOfHangupCause(point)
				: outcomeOfDisconnectPoint(point);
		if (fromPoint !== undefined && fromPoint !== 'answered') return fromPoint;
	}
	// Ringing but never answered, no cause given: nobody picked up.
	if (q850 === 16 || q850 === 31) return 'noAnswer';
	return 'failed';
}

interface CallSummary {
	outcome: CallOutcome;
	ringSeconds: number | null;
	talkSeconds: number | null;
}

/** Callback: A is called first (callOut…), then B (fwd…); the call counts as answered when B answered. */
function summariseCallback(record: IDataObject): CallSummary {
	const end = record.callEndTime ?? record.failTime;
	const aAnswered = isTime(record.callOutAnswerTime);
	const bAnswered = isTime(record.fwdAnswerTime);
	let outcome: CallOutcome;
	if (bAnswered) outcome = 'answered';
	else if (aAnswered) outcome = failedLegOutcome(toCode(record.fwdUnaswRsn), record);
	else outcome = failedLegOutcome(toCode(record.callOutUnaswRsn), record);
	const talkSeconds = bAnswered ? secondsBetween(record.fwdAnswerTime, record.callEndTime) : 0;
	// Ring time of the last leg that rang: B when it was dialled, else A.
	const ringSeconds = isTime(record.fwdAlertingTime)
		? secondsBetween(record.fwdAlertingTime, bAnswered ? record.fwdAnswerTime : end)
		: secondsBetween(record.callOutAlertingTime, aAnswered ? record.callOutAnswerTime : end);
	return { outcome, ringSeconds, talkSeconds };
}

/** Notification and verification code: one leg (callOut…). */
function summariseSingleLeg(record: IDataObject): CallSummary {
	const end = record.callEndTime ?? record.failTime;
	const answered = isTime(record.callOutAnswerTime);
	const outcome: CallOutcome = answered
		? toCode(record.ulFailReason) === 100
			? 'noInput'
			: 'answered'
		: failedLegOutcome(toCode(record.callOutUnaswRsn), record);
	return {
		outcome,
		talkSeconds: answered ? secondsBetween(record.callOutAnswerTime, record.callEndTime) : 0,
		ringSeconds: secondsBetween(record.callOutAlertingTime, answered ? record.callOutAnswerTime : end),
	};
}

function describeQ850(value: unknown): string | null {
	const code = toCode(value);
	if (code === undefined) return null;
	return describeQ850Cause(code)?.en ?? `Unknown Q.850 cause ${code}`;
}

/**
 * One CDR record (FeeInfo, §8.4) → one item: the platform's fields, plus `event: 'cdr'`,
 * `dedupeKey`, `callType`, ISO times, the outcome, exact ring and talk seconds from the record's own
 * times, readable cause texts and the recording fields.
 */
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

	const summary = callType === 'callback' ? summariseCallback(record) : summariseSingleLeg(record);
	item.outcome = summary.outcome;
	item.answered = wasAnswered(summary.outcome);
	item.ringSeconds =
		isTime(record.callOutAlertingTime) || isTime(record.fwdAlertingTime) ? summary.ringSeconds : null;
	item.talkSeconds = summary.talkSeconds;
	// The record carries its own times: its durations never depend on the trigger's memory.
	item.durationsKnown = item.talkSeconds !== null;

	if (record.callOutUnaswRsn !== undefined) item.callOutUnaswRsnText = describeQ850(record.callOutUnaswRsn);
	if (record.fwdUnaswRsn !== undefined) item.fwdUnaswRsnText = describeQ850(record.fwdUnaswRsn);
	if (record.ulFailReason !== undefined) {
		const point = toCode(record.ulFailReason);
		item.ulFailReasonText =
			point === undefined ? null : (describeDisconnectPoint(point)?.en ?? `Unknown disconnect point ${point}`);
	}

	const hasText = (value: unknown) => typeof value === 'string' && value !== '';
	item.hasRecording =
		toCode(record.recordFlag) === 1 && (hasText(record.recordObjectName) || hasText(record.recordFileDownloadUrl));
	item.recordObjectName = record.recordObjectName ?? null;
	item.recordDomain = record.recordDomain ?? null;
	return item;
}
