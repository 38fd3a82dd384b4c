import type { IDataObject } from 'n8n-workflow';

import { CALL_OUTCOMES, wasAnswered, type CallOutcome } from '../../../shared/codes';

/**
 * What a waiting operation makes of a push the trigger forwarded to it: keep waiting, or resume
 * on which branch with which fields. Pure functions, so every mapping is unit-tested.
 *
 * - Send and Wait for Response (`response`): the first collectInfo decides (the callee's keys);
 *   a disconnect or a CDR without keys ends as No Response with the call's outcome.
 * - Place Call and Wait (`callEnd`): the disconnect (or, if that push was lost, the CDR) decides:
 *   Answered when the callee answered, else Not Answered.
 * - callout, alerting and answer never decide: the execution keeps waiting.
 */

export type WaitKind = 'response' | 'callEnd';
export type ResponseType = 'approval' | 'digits';

export interface WaitSettings {
	kind: WaitKind;
	responseType?: ResponseType;
	approveKeys?: string;
	declineKeys?: string;
}

/** What the waiting node's outcome can be: the call's outcome, or that no push came in time. */
export type WaitOutcome = CallOutcome | 'timedOut';

export const TIMED_OUT_TEXT = 'No final status push arrived within Limit Wait Time';

/** `approved`/`declined`: the approval keys; `otherKeys`: other keys; `none`: no keys. */
export type ApprovalResponse = 'approved' | 'declined' | 'otherKeys' | 'none';

export type Decision = { final: false; reason: string } | { final: true; branch: number; fields: IDataObject };

/** Index of the branch for "nobody decided" (No Response / Not Answered): always the last one. */
export function fallbackBranch(settings: WaitSettings): number {
	return settings.kind === 'callEnd' || settings.responseType === 'digits' ? 1 : 2;
}

export function branchCount(settings: WaitSettings): number {
	return fallbackBranch(settings) + 1;
}

const CALL_OUTCOME_NAMES = Object.keys(CALL_OUTCOMES);

function callOutcomeOf(push: IDataObject): CallOutcome {
	return typeof push.outcome === 'string' && CALL_OUTCOME_NAMES.includes(push.outcome)
		? (push.outcome as CallOutcome)
		: 'failed';
}

/** The fields every resumed item carries about the call, from the deciding push. */
function callFields(push: IDataObject, outcome: CallOutcome): IDataObject {
	return {
		outcome,
		outcomeText: CALL_OUTCOMES[outcome],
		answered: wasAnswered(outcome),
		decidedBy: push.event === 'cdr' ? 'cdr' : push.event,
		stateCode: push.stateCode ?? null,
		stateText: push.stateText ?? null,
		ringSeconds: push.ringSeconds ?? null,
		talkSeconds: push.talkSeconds ?? null,
		durationsKnown: push.durationsKnown === true,
		decidedAt: push.timestampIso ?? push.callEndTimeIso ?? null,
	};
}

function approvalResponse(digits: string, settings: WaitSettings): ApprovalResponse {
	if (digits === '') return 'none';
	if (digits === settings.approveKeys) return 'approved';
	if (settings.declineKeys !== undefined && settings.declineKeys !== '' && digits === settings.declineKeys) return 'declined';
	return 'otherKeys';
}

function decideResponse(settings: WaitSettings, push: IDataObject): Decision {
	const last = fallbackBranch(settings);
	if (push.event === 'collectInfo') {
		const digits = typeof push.digits === 'string' ? push.digits : '';
		const fields: IDataObject = {
			...callFields(push, 'answered'),
			// The call may still be ending: the talk time is not known yet.
			talkSeconds: null,
			durationsKnown: false,
			responseSeconds: push.responseSeconds ?? null,
			digits,
		};
		if (settings.responseType === 'digits') {
			return { final: true, branch: digits === '' ? last : 0, fields };
		}
		const response = approvalResponse(digits, settings);
		fields.response = response;
		fields.approved = response === 'approved';
		return { final: true, branch: response === 'approved' ? 0 : response === 'declined' ? 1 : last, fields };
	}
	// A disconnect that overtook its collectInfo (pushes relayed by different processes) carries
	// the digits the trigger saw: decide from them as the collectInfo would have.
	const collected = Array.isArray(push.collectedDigits) ? push.collectedDigits.filter((d) => typeof d === 'string' && d !== '') : [];
	if (push.event === 'disconnect' && collected.length > 0) {
		const decision = decideResponse(settings, { ...push, event: 'collectInfo', digits: collected[0] });
		if (decision.final) {
			decision.fields.decidedBy = 'disconnect';
			decision.fields.talkSeconds = push.talkSeconds ?? null;
			decision.fields.durationsKnown = push.durationsKnown === true;
		}
		return decision;
	}
	if (push.event === 'disconnect' || push.event === 'cdr') {
		const fields: IDataObject = { ...callFields(push, callOutcomeOf(push)), digits: '' };
		if (settings.responseType !== 'digits') {
			fields.response = 'none';
			fields.approved = false;
		}
		return { final: true, branch: last, fields };
	}
	return { final: false, reason: `${String(push.event)} does not decide the response` };
}

function decideCallEnd(push: IDataObject): Decision {
	if (push.event !== 'disconnect' && push.event !== 'cdr') {
		return { final: false, reason: `${String(push.event)} does not end the call` };
	}
	const outcome = callOutcomeOf(push);
	return { final: true, branch: wasAnswered(outcome) ? 0 : 1, fields: callFields(push, outcome) };
}

export function decide(settings: WaitSettings, push: IDataObject): Decision {
	return settings.kind === 'response' ? decideResponse(settings, push) : decideCallEnd(push);
}

/** The item of a wait that no push ended in time (continues on the fallback branch). */
export function timedOutFields(settings: WaitSettings): IDataObject {
	const fields: IDataObject = {
		outcome: 'timedOut',
		outcomeText: TIMED_OUT_TEXT,
		answered: false,
		decidedBy: 'timeout',
		stateCode: null,
		stateText: null,
		ringSeconds: null,
		talkSeconds: null,
		durationsKnown: false,
	};
	if (settings.kind === 'response') fields.digits = '';
	if (settings.kind === 'response' && settings.responseType !== 'digits') {
		fields.response = 'none';
		fields.approved = false;
	}
	return fields;
}
