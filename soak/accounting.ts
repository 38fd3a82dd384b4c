/*
 * The soak's bookkeeping (pure functions, no I/O): from the node's output items and the
 * emulator's own records, count calls per callee, account for every input item, and count which
 * answers were followed by another request for the same callee (a retry).
 *
 * The emulator's records are the ground truth: `calls()` holds every call it placed (a restart
 * keeps them), `requests()` every API request it received, with the fault it injected.
 */
import type { EmulatedCall, RequestLogEntry } from '../emulator';
import { AUTH_FAILURE_CODES } from '../emulator';

/** What one input item became, judged against the emulator's calls for its callee. */
export type ItemOutcome =
	/** A success item with the sessionId of the one call the emulator placed for it. */
	| 'sent'
	/** An error item with mayHaveBeenPlaced: true (0 or 1 calls are both fine). */
	| 'failedMayHaveBeenPlaced'
	/** An error item with mayHaveBeenPlaced: false and no call placed. */
	| 'failedNotPlaced';

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: unknown;
}

export interface Problem {
	item?: number;
	callee?: string;
	what: string;
}

export interface RunAccount {
	items: number;
	outcomes: Record<ItemOutcome, number>;
	/** Of the failedMayHaveBeenPlaced items, how many had their call placed. */
	mayHaveBeenPlacedAndWas: number;
	callsPlaced: number;
	/** Callees called more than once (count − 1 each). */
	duplicates: number;
	/** Input items without exactly one well-formed output item, or whose output contradicts the records. */
	unaccounted: number;
	problems: Problem[];
	/** Requests the emulator received for this run's callees. */
	requests: number;
	/** Requests that drew a random fault, per kind. */
	faultsInjected: Record<string, number>;
	/** Requests cut by the emulator restart. */
	cutByRestart: number;
	/** Answers (by result code or fault) followed by another request for the same callee. */
	retriesAfter: Record<string, number>;
	/** Answers per label (the denominators of retriesAfter). */
	answers: Record<string, number>;
}

/**
 * The label of an answer, for counting retries: the fault kind for answers the node cannot have
 * read (lost or foreign), else the result code; 1010010 says which of its two readings it was.
 */
export function answerLabel(entry: RequestLogEntry): string {
	if (entry.fault?.includes('cut by restart')) return entry.faultKind ? `${entry.faultKind}, cut by restart` : 'cut by restart';
	const lost = ['resetBeforeAccept', 'resetAfterAccept', 'slowAnswer', 'gatewayError', 'gatewayTimeout', 'malformedJson'];
	if (entry.faultKind && lost.includes(entry.faultKind)) return entry.faultKind;
	if (entry.resultcode === null) return `no answer (HTTP ${entry.httpStatus ?? '-'})`;
	if (entry.resultcode === '1010010') return /flow\s*control/i.test(entry.resultdesc ?? '') ? '1010010 flow control' : '1010010 invalid digest';
	return entry.resultcode;
}

/** The labels after which the node may send the same item again: "not accepted, try later" only. */
export const RETRY_ALLOWED = new Set(['1020165', '1011006', '1010009', '1010010 flow control']);

/** Auth failures: never retried (a retry cannot fix a key, a clock or an IP block, and 1020176 punishes it). */
export function isAuthLabel(label: string): boolean {
	return label === '1010010 invalid digest' || label === '1020176' || AUTH_FAILURE_CODES.includes(label) || /^1023\d{3}$/.test(label);
}

function increment(table: Record<string, number>, key: string, by = 1): void {
	table[key] = (table[key] ?? 0) + by;
}

/**
 * Accounts for one node run. `keys[i]` identifies input item i's call (its callee, or the A|B pair
 * of a callback); `keyOfRequest` / `keyOfCall` give the same key for the emulator's records.
 */
export function accountRun(input: {
	keys: string[];
	output: OutputItem[];
	calls: EmulatedCall[];
	requests: RequestLogEntry[];
	keyOfRequest: (body: Record<string, unknown>) => string;
}): RunAccount {
	const { keys, output } = input;
	const mine = new Set(keys);
	const problems: Problem[] = [];
	const outcomes: Record<ItemOutcome, number> = { sent: 0, failedMayHaveBeenPlaced: 0, failedNotPlaced: 0 };

	const callsByKey = new Map<string, EmulatedCall[]>();
	for (const call of input.calls) {
		const key = input.keyOfRequest(call.request as Record<string, unknown>);
		if (!mine.has(key)) continue;
		callsByKey.set(key, [...(callsByKey.get(key) ?? []), call]);
	}
	let callsPlaced = 0;
	let duplicates = 0;
	for (const [key, calls] of callsByKey) {
		callsPlaced += calls.length;
		if (calls.length > 1) {
			duplicates += calls.length - 1;
			problems.push({ callee: key, what: `called ${calls.length} times (${calls.map((c) => c.sessionId).join(', ')})` });
		}
	}

	// Exactly one output item per input item, by pairedItem.
	const byItem = new Map<number, OutputItem[]>();
	for (const item of output) {
		const paired = item.pairedItem as { item?: unknown } | undefined;
		const index = typeof paired?.item === 'number' ? paired.item : -1;
		byItem.set(index, [...(byItem.get(index) ?? []), item]);
	}
	let unaccounted = 0;
	let mayHaveBeenPlacedAndWas = 0;
	const fail = (item: number, what: string) => {
		unaccounted++;
		problems.push({ item, callee: keys[item], what });
	};
	for (const [index, items] of byItem) {
		if (index < 0 || index >= keys.length) problems.push({ what: `${items.length} output item(s) paired with no input item (${index})` });
	}
	keys.forEach((key, index) => {
		const items = byItem.get(index) ?? [];
		if (items.length !== 1) return fail(index, `${items.length} output items`);
		const json = items[0].json;
		const calls = callsByKey.get(key) ?? [];
		if (typeof json.error === 'string') {
			if (typeof json.mayHaveBeenPlaced !== 'boolean') return fail(index, 'error item without a boolean mayHaveBeenPlaced');
			if (json.mayHaveBeenPlaced) {
				outcomes.failedMayHaveBeenPlaced++;
				if (calls.length > 0) mayHaveBeenPlacedAndWas++;
				return;
			}
			if (calls.length > 0) return fail(index, `error item says not placed, but the platform placed ${calls[0].sessionId} (${json.error})`);
			outcomes.failedNotPlaced++;
			return;
		}
		if (typeof json.sessionId !== 'string' || json.sessionId === '') return fail(index, 'neither an error nor a sessionId');
		if (calls.length !== 1 || calls[0].sessionId !== json.sessionId) {
			return fail(index, `reported sent as ${json.sessionId}, the platform has ${calls.length} call(s): ${calls.map((c) => c.sessionId).join(', ')}`);
		}
		outcomes.sent++;
	});

	// Requests per callee in arrival order: an answer followed by another request was retried.
	const requestsByKey = new Map<string, RequestLogEntry[]>();
	let requests = 0;
	let cutByRestart = 0;
	const faultsInjected: Record<string, number> = {};
	const answers: Record<string, number> = {};
	const retriesAfter: Record<string, number> = {};
	for (const entry of input.requests) {
		const body = entry.body;
		if (typeof body !== 'object' || body === null) continue;
		const key = input.keyOfRequest(body as Record<string, unknown>);
		if (!mine.has(key)) continue;
		requests++;
		if (entry.faultKind) increment(faultsInjected, entry.faultKind);
		if (entry.fault?.includes('cut by restart')) cutByRestart++;
		requestsByKey.set(key, [...(requestsByKey.get(key) ?? []), entry]);
	}
	for (const entries of requestsByKey.values()) {
		entries.sort((a, b) => a.id - b.id);
		entries.forEach((entry, position) => {
			const label = answerLabel(entry);
			increment(answers, label);
			if (position < entries.length - 1) increment(retriesAfter, label);
		});
	}
	return { items: keys.length, outcomes, mayHaveBeenPlacedAndWas, callsPlaced, duplicates, unaccounted, problems, requests, faultsInjected, cutByRestart, retriesAfter, answers };
}
