import { USER_DATA_MAX_LENGTH } from './platform/fields';

/**
 * The wake token: how a status or CDR push finds the n8n execution that waits for its call
 * ("call and wait", docs/n8n.md §3–4). A resume URL never fits in Huawei's statusUrl (at most 96
 * characters, and `=` is not allowed), so the call carries the execution id and n8n's resume token
 * at the end of its userData, which the platform echoes in every push; the Huawei Voice Call
 * Trigger reads it, strips it from its items and forwards the push to the waiting execution.
 *
 *   userData = <the user's own data> + "|n8n-wake:" + <execution id> + "." + <resume token>
 *
 * The resume token is a secret: whoever has it can resume the execution. It is written only into
 * the request to Huawei; no item, log line or error message carries it.
 */

const MARKER = '|n8n-wake:';
const EXECUTION_ID = /^\d{1,20}$/;
/** n8n's resume token: 32 random bytes as 64 lowercase hex characters (n8n-workflow `generateSecureToken`). */
const RESUME_TOKEN = /^[0-9a-f]{64}$/;
const WAKE_SUFFIX = /\|n8n-wake:(\d{1,20})\.([0-9a-f]{64})$/;

/** The longest wake token: the marker, a 20-digit execution id, the dot and the 64-character token. */
export const WAKE_TOKEN_MAX_LENGTH = MARKER.length + 20 + 1 + 64;

/** What is left of userData's 256 characters for the user's own data next to a wake token. */
export const USER_DATA_MAX_WITH_WAKE_TOKEN = USER_DATA_MAX_LENGTH - WAKE_TOKEN_MAX_LENGTH;

export interface WakeToken {
	executionId: string;
	resumeToken: string;
}

/** Whether an execution id and a resume token have the shape n8n 2.41 gives them. */
export function isWakeToken(value: { executionId?: unknown; resumeToken?: unknown }): value is WakeToken {
	return (
		typeof value.executionId === 'string' &&
		EXECUTION_ID.test(value.executionId) &&
		typeof value.resumeToken === 'string' &&
		RESUME_TOKEN.test(value.resumeToken)
	);
}

/** The user's data with the wake token appended. */
export function appendWakeToken(userData: string | undefined, wake: WakeToken): string {
	if (!isWakeToken(wake)) throw new Error('The execution id or resume token has an unexpected format');
	return `${userData ?? ''}${MARKER}${wake.executionId}.${wake.resumeToken}`;
}

/**
 * Splits a pushed userData into the user's part and the wake token, if it ends with one. A value
 * without a token comes back unchanged.
 */
export function splitWakeToken<T>(userData: T): { userData: T | string; wake?: WakeToken } {
	if (typeof userData !== 'string') return { userData };
	const match = WAKE_SUFFIX.exec(userData);
	if (match === null) return { userData };
	return { userData: userData.slice(0, match.index), wake: { executionId: match[1], resumeToken: match[2] } };
}

/** The resume token in an n8n resume URL (`…/webhook-waiting/<id>?signature=<token>`), or undefined. */
export function resumeTokenOf(resumeUrl: string): string | undefined {
	const match = /[?&]signature=([0-9a-f]{64})(?:&|$)/.exec(resumeUrl);
	return match === null ? undefined : match[1];
}
