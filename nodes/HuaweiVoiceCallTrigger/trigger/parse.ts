import type { IDataObject } from 'n8n-workflow';

import { parseCdrRecord } from './cdr';
import { isPlainObject } from './fields';
import { jsonDepth, MAX_PUSH_DEPTH, shapeProblem } from './pushShape';
import { parseStatus, STATUS_EVENTS, type StatusEvent } from './status';

/**
 * Push body → output items (docs/platform.md §8.3 status notifications, §8.4 CDR notifications).
 * Pure functions: no n8n context, no clock. A body that is not a documented push shape is refused
 * with the reason the trigger sends back in its 400 reply.
 */

/** The events a workflow can start on: the status events and `cdr`. */
export type TriggerEvent = StatusEvent | 'cdr';
export const TRIGGER_EVENTS: readonly TriggerEvent[] = [...STATUS_EVENTS, 'cdr'];

export type ParsedPush =
	| { ok: true; kind: 'status'; event: StatusEvent; item: IDataObject }
	| { ok: true; kind: 'cdr'; items: IDataObject[] }
	| { ok: false; reason: string };

/** Validates a parsed JSON body and turns it into items. */
export function parsePush(body: unknown): ParsedPush {
	if (!isPlainObject(body)) return { ok: false, reason: 'The body is not a JSON object' };
	const problem = shapeProblem(body);
	if (problem !== undefined) return { ok: false, reason: problem };
	const { eventType } = body;
	if (typeof eventType !== 'string' || eventType === '') {
		return { ok: false, reason: 'Not a Huawei Voice Call push: eventType is missing' };
	}
	if (eventType === 'fee') {
		const { feeLst } = body;
		if (!Array.isArray(feeLst)) return { ok: false, reason: 'feeLst is missing or not an array' };
		if (feeLst.length === 0) return { ok: false, reason: 'feeLst is empty' };
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

/** Parses the raw body text (UTF-8, optional BOM), refusing deep nesting before JSON.parse walks it. */
export function parsePushText(text: string): ParsedPush {
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') return { ok: false, reason: 'The body is empty' };
	if (jsonDepth(trimmed) > MAX_PUSH_DEPTH) {
		return { ok: false, reason: `The body is nested deeper than ${MAX_PUSH_DEPTH} levels` };
	}
	let body: unknown;
	try {
		body = JSON.parse(trimmed);
	} catch (error) {
		return { ok: false, reason: `The body is not valid JSON (${(error as Error).message.slice(0, 80)})` };
	}
	return parsePush(body);
}
