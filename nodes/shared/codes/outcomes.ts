/**
 * What a call came to, derived from the platform's cause codes (the `outcome` entries of the tables
 * in callCauses.ts). The trigger puts it on disconnect and CDR items; "call and wait" branches on it.
 */
import { describeDisconnectPoint, describeHangupCause, describeQ850Cause, describeSipStatus } from './callCauses';

/**
 * `answered`: the called party (callback: B) answered. `noInput`: a notification was answered but
 * no digits were collected (8008). `blocked`: the platform's frequency or blacklist control (7001–7005).
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

/** Every outcome with a sentence a workflow builder can show. */
export const CALL_OUTCOMES: Readonly<Record<CallOutcome, string>> = Object.freeze({
	answered: 'The called party answered',
	noAnswer: 'Nobody answered',
	busy: 'The line was busy',
	rejected: 'The called party declined or hung up while it rang',
	unreachable: 'The phone was off or out of reach',
	invalidNumber: 'The number does not exist',
	cancelled: 'The call was ended before it connected, or by the Terminate API',
	noInput: 'The call was answered but no keys were pressed',
	blocked: 'The platform blocked the call (frequency control or blacklist)',
	failed: 'The call failed for another reason (see the cause texts)',
});

/** Whether an outcome means somebody picked up the phone. */
export function wasAnswered(outcome: CallOutcome): boolean {
	return outcome === 'answered' || outcome === 'noInput';
}

/** Hang-up cause (`stateCode` of the disconnect) → outcome; codes without one say `failed`. */
export function outcomeOfHangupCause(stateCode: number): CallOutcome {
	return describeHangupCause(stateCode)?.outcome ?? 'failed';
}

/** Q.850 cause of an unanswered leg → outcome, or undefined when the cause says nothing useful. */
export function outcomeOfQ850Cause(cause: number): CallOutcome | undefined {
	return describeQ850Cause(cause)?.outcome;
}

/** SIP status of a failed leg → outcome, or undefined. */
export function outcomeOfSipStatus(status: number): CallOutcome | undefined {
	return describeSipStatus(status)?.outcome;
}

/** Disconnect point (`ulFailReason`) → outcome, or undefined. */
export function outcomeOfDisconnectPoint(point: number): CallOutcome | undefined {
	return describeDisconnectPoint(point)?.outcome;
}
