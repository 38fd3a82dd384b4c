import type { IDataObject } from 'n8n-workflow';

import {
	CDR_RECORDS_MAX,
	COLLECT_DIGITS_MAX,
	SESSION_ID_MAX_LENGTH,
	USER_DATA_MAX_LENGTH,
} from '../../shared/platform/fields';

/**
 * What a push may look like before the trigger parses it: size, nesting and field lengths from the
 * documented push formats (docs/platform.md §8.3, §8.4). A push outside them is refused with 400
 * and starts nothing, so an oversized or hostile body never becomes an execution (a 10,000-deep
 * value was once accepted and then broke n8n's executions API).
 */

/** Largest accepted body. A CDR push of 50 records is about 60 KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Containers from the root down: a CDR push needs 3 (body → feeLst → record), a status push 2
 * (body → statusInfo). One more level is allowed for an object-valued field the documents do not
 * list yet.
 */
export const MAX_PUSH_DEPTH = 4;

/** The longest documented push field (recordFileDownloadUrl, String(1-1024)); the cap for fields without a documented length. */
export const MAX_PUSH_STRING_LENGTH = 1024;

/**
 * The longest field name accepted. The documented ones have at most 21 characters
 * (recordFileDownloadUrl); unknown fields are kept, but a name of kilobytes is not a push.
 */
export const MAX_PUSH_FIELD_NAME_LENGTH = 64;

/** Documented lengths of the push fields (§8.3 StatusInfo, §8.4 FeeInfo); other strings get MAX_PUSH_STRING_LENGTH. */
export const PUSH_FIELD_MAX_LENGTH: Readonly<Record<string, number>> = Object.freeze({
	eventType: 32,
	sessionId: SESSION_ID_MAX_LENGTH,
	userData: USER_DATA_MAX_LENGTH,
	stateDesc: 128,
	digitInfo: COLLECT_DIGITS_MAX,
	spId: 32,
	appKey: 32,
	icid: 64,
	bindNum: 32,
	callerNum: 32,
	calleeNum: 128,
	fwdDisplayNum: 32,
	fwdDstNum: 32,
	dynIVRPath: 256,
	recordObjectName: 128,
	recordBucketName: 128,
	recordDomain: 128,
	recordFileDownloadUrl: 1024,
	serviceType: 32,
	hostName: 128,
});

/** Every `…Time` field is String(1-128) in §8.4. */
const TIME_FIELD_MAX_LENGTH = 128;

/**
 * The deepest nesting of a JSON text (0 for a scalar), counted without parsing it, so that a deep
 * body is refused before JSON.parse has to walk it. Brackets inside strings do not count.
 */
export function jsonDepth(text: string): number {
	let depth = 0;
	let deepest = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const char = text.charCodeAt(i);
		if (inString) {
			if (char === 0x5c) i++; // backslash: skip the escaped character
			else if (char === 0x22) inString = false;
		} else if (char === 0x22) {
			inString = true;
		} else if (char === 0x7b || char === 0x5b) {
			depth++;
			if (depth > deepest) deepest = depth;
		} else if (char === 0x7d || char === 0x5d) {
			depth--;
		}
	}
	return deepest;
}

/** The deepest nesting of a parsed value, stopping as soon as it passes `limit`. */
export function valueDepth(value: unknown, limit: number = MAX_PUSH_DEPTH): number {
	if (typeof value !== 'object' || value === null) return 0;
	if (limit <= 0) return 1;
	let deepest = 0;
	for (const child of Object.values(value as IDataObject)) {
		deepest = Math.max(deepest, valueDepth(child, limit - 1));
		if (deepest >= limit) break;
	}
	return deepest + 1;
}

function maxLengthOf(field: string): number {
	if (Object.prototype.hasOwnProperty.call(PUSH_FIELD_MAX_LENGTH, field)) return PUSH_FIELD_MAX_LENGTH[field];
	if (field.endsWith('Time') || field === 'timestamp') return TIME_FIELD_MAX_LENGTH;
	return MAX_PUSH_STRING_LENGTH;
}

/** A field path for a message, short enough for the 400 reply (it never echoes a hostile body). */
function shown(path: string): string {
	return path.length > 120 ? `${path.slice(0, 117)}...` : path;
}

/**
 * The first overlong field name or string under `value`: where it is (`.field`, `[index]` steps from
 * `value`; for a field name, the object holding it) and what is wrong, or undefined.
 */
function findOverlong(value: unknown): [where: string, problem: string] | undefined {
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const found = findOverlong(value[i]);
			if (found) return [`[${i}]${found[0]}`, found[1]];
		}
		return undefined;
	}
	if (typeof value !== 'object' || value === null) return undefined;
	// The path is only built once something is found: a CDR push has about 1,700 fields.
	for (const field of Object.keys(value)) {
		if (field.length > MAX_PUSH_FIELD_NAME_LENGTH) {
			return ['', `has a field name longer than ${MAX_PUSH_FIELD_NAME_LENGTH} characters`];
		}
		const child = (value as IDataObject)[field];
		if (typeof child === 'string') {
			const max = maxLengthOf(field);
			if (child.length > max) return [`.${field}`, `is longer than ${max} characters`];
		} else if (typeof child === 'object' && child !== null) {
			const found = findOverlong(child);
			if (found) return [`.${field}${found[0]}`, found[1]];
		}
	}
	return undefined;
}

/**
 * The first field name or string longer than its limit, as a message for the 400 reply, or
 * undefined. Call it on a body whose depth was checked (the walk is as deep as the body).
 */
export function overlongField(value: unknown, path = ''): string | undefined {
	const found = findOverlong(value);
	if (found === undefined) return undefined;
	const where = path === '' ? found[0].replace(/^\./, '') : `${path}${found[0]}`;
	return `${where === '' ? 'The body' : shown(where)} ${found[1]}`;
}

/** Why a parsed body is not the shape of a push (too deep, too many records, an overlong field), or undefined. */
export function shapeProblem(body: unknown): string | undefined {
	if (valueDepth(body) > MAX_PUSH_DEPTH) return `The body is nested deeper than ${MAX_PUSH_DEPTH} levels`;
	const feeLst = (body as IDataObject | null)?.feeLst;
	if (Array.isArray(feeLst) && feeLst.length > CDR_RECORDS_MAX) {
		return `feeLst has more than ${CDR_RECORDS_MAX} records`;
	}
	return overlongField(body);
}
