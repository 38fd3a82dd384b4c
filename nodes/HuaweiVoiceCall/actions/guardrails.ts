import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { PHONE_NUMBER_PATTERN } from '../../shared/platform/fields';
import { FieldError } from '../validation';

/**
 * Guardrails: limits on the calls this node places, checked in the router after validation and
 * before anything is sent, for every call-placing operation. They matter most when the node is an
 * AI agent's tool (an agent can ask for any number at any hour), so the tool variant offers them
 * with defaults; in a workflow they are off until added.
 *
 * - Allowed Numbers: every number that rings (the callee; for a callback also A) must be on the
 *   list or start with one of its prefixes (`+86138*`).
 * - Max Calls per Execution: calls this node placed in the current execution, kept in the node's
 *   context, which n8n stores with the execution (docs/n8n.md §12): across the items, the runs in
 *   a loop and an AI Agent's tool calls of one execution. Through n8n's MCP Server Trigger every
 *   tool call is a webhook request and an execution of its own, so there it limits one tool call
 *   only (measured in e2e/tests/mcp-tool.e2e.test.ts).
 * - Max Calls per Hour: calls this node placed in the last 60 minutes, across executions, kept in
 *   the memory of the n8n process (like the trigger's memory, trigger/memory.ts): the limit an MCP
 *   client meets. It starts from zero when n8n restarts, and in queue mode each worker counts its own.
 * - Quiet Hours: no calls between a start and an end time of day in a time zone (Asia/Shanghai by
 *   default), read with `Intl.DateTimeFormat`.
 *
 * A refusal is an error of the item that names the rule, the number and what to do next, worded
 * for a person and for an agent alike; the refused call is never sent.
 */

export const GUARDRAILS_PARAMETER = 'guardrails';
/** Node-context key of the number of calls this node placed in the current execution. */
export const PLACED_CALLS_CONTEXT_KEY = 'huaweiVoiceCallPlacedCalls';
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const HOUR_MS = 60 * 60 * 1000;
const MAX_LIMIT = 10_000;

/** The operations that place calls: where Guardrails are shown (every other operation ignores them). */
const CALL_PLACING_OPERATIONS = ['placeCall', 'placeCallAndWait', 'send', 'sendAndWaitForResponse'];
/** Request fields of numbers that ring: callback A and B, notification and verification callee. */
const CALLED_NUMBER_FIELDS = ['callerNbr', 'calleeNbr'] as const;

/** The options of both declarations (their defaults are what an added option starts with). */
function options(): INodeProperties[] {
	return [
		{
			displayName: 'Allowed Numbers',
			name: 'allowedNumbers',
			type: 'string',
			default: '',
			placeholder: 'e.g. +8613800000001, +86139*',
			description:
				'Only these numbers may be called: every number that rings (the callee, and for Place Call also the caller A). Separate them with commas, spaces or new lines; end an entry with * to allow every number that starts with it, e.g. +86139*.',
		},
		{
			displayName: 'Max Calls per Execution',
			name: 'maxCallsPerExecution',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_LIMIT },
			default: 3,
			description:
				'How many calls this node may place in one execution: over all items, the runs of a loop and the tool calls of an AI Agent. Through the MCP Server Trigger every tool call is its own execution; use Max Calls per Hour there.',
		},
		{
			displayName: 'Max Calls per Hour',
			name: 'maxCallsPerHour',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: MAX_LIMIT },
			default: 20,
			description:
				'How many calls this node may place in any 60 minutes, across executions. Counted in the memory of the n8n process: it starts from zero when n8n restarts, and in queue mode each worker counts its own calls.',
		},
		{
			displayName: 'Quiet Hours',
			name: 'quietHours',
			type: 'fixedCollection',
			default: { window: { start: '21:00', end: '08:00', timeZone: DEFAULT_TIME_ZONE } },
			description: 'A time of day without calls, e.g. the night',
			options: [
				{
					displayName: 'Window',
					name: 'window',
					values: [
						{
							displayName: 'End',
							name: 'end',
							type: 'string',
							default: '08:00',
							placeholder: 'e.g. 08:00',
							description: 'When calls may be placed again, HH:MM (24-hour)',
						},
						{
							displayName: 'Start',
							name: 'start',
							type: 'string',
							default: '21:00',
							placeholder: 'e.g. 21:00',
							description: 'When the quiet hours begin, HH:MM (24-hour). A window may run past midnight (21:00 to 08:00).',
						},
						{
							displayName: 'Time Zone',
							name: 'timeZone',
							type: 'string',
							default: DEFAULT_TIME_ZONE,
							placeholder: 'e.g. Asia/Shanghai',
							description: 'The IANA time zone the times are in, e.g. Asia/Shanghai (Beijing time)',
						},
					],
				},
			],
		},
	];
}

const showForCallPlacing = { operation: CALL_PLACING_OPERATIONS };

/**
 * Two declarations of one parameter: off by default in workflows, with defaults for the tool
 * variant (`@tool` is true for the `…Tool` node type n8n derives for AI agents).
 */
export const guardrailsProperties: INodeProperties[] = [
	{
		displayName:
			'An AI agent can ask this tool to call any number at any time. Guardrails limit which numbers it may call, how often and when; a refused call is never sent, and the agent gets an error that says why. Set Allowed Numbers to the numbers this agent should reach.',
		name: 'toolGuardrailsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...showForCallPlacing, '@tool': [true] } },
	},
	{
		displayName: 'Guardrails',
		name: GUARDRAILS_PARAMETER,
		type: 'collection',
		placeholder: 'Add Guardrail',
		default: {},
		description: 'Limits on the calls this node places: allowed numbers, how many, and quiet hours',
		displayOptions: { show: showForCallPlacing, hide: { '@tool': [true] } },
		options: options(),
	},
	{
		displayName: 'Guardrails',
		name: GUARDRAILS_PARAMETER,
		type: 'collection',
		placeholder: 'Add Guardrail',
		// The tool variant's defaults: a few calls per run and per hour, none at night (Beijing time).
		default: {
			maxCallsPerExecution: 3,
			maxCallsPerHour: 20,
			quietHours: { window: { start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' } },
		},
		description: 'Limits on the calls the agent can place through this tool: allowed numbers, how many, and quiet hours',
		displayOptions: { show: { ...showForCallPlacing, '@tool': [true] } },
		options: options(),
	},
];

interface AllowedNumbers {
	exact: Set<string>;
	prefixes: string[];
	/** The entries as the user wrote them, for messages. */
	entries: string[];
}

interface QuietHours {
	startMinute: number;
	endMinute: number;
	start: string;
	end: string;
	timeZone: string;
}

export interface Guardrails {
	allowed?: AllowedNumbers;
	maxCallsPerExecution?: number;
	maxCallsPerHour?: number;
	quietHours?: QuietHours;
}

export interface Refusal {
	message: string;
	description: string;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

function allowedNumbers(value: unknown): AllowedNumbers | undefined {
	const entries = text(value)
		.split(/[\s,;]+/)
		.filter((entry) => entry !== '');
	if (entries.length === 0) return undefined;
	const allowed: AllowedNumbers = { exact: new Set(), prefixes: [], entries };
	for (const entry of entries) {
		if (entry.endsWith('*')) {
			const prefix = entry.slice(0, -1);
			if (!/^\+\d{1,29}$/.test(prefix)) {
				throw new FieldError(
					'Guardrails: Allowed Numbers',
					`Guardrails: Allowed Numbers has an invalid prefix: "${entry}"`,
					'A prefix is a + with at least the country code, then *, e.g. +86138*.',
				);
			}
			allowed.prefixes.push(prefix);
		} else if (PHONE_NUMBER_PATTERN.test(entry)) {
			allowed.exact.add(entry);
		} else {
			throw new FieldError(
				'Guardrails: Allowed Numbers',
				`Guardrails: Allowed Numbers has an entry that is neither a number nor a prefix: "${entry.slice(0, 40)}"`,
				'Write numbers in E.164 form with a leading +, e.g. +8613800000001, or a prefix ending in *, e.g. +86138*. Separate entries with commas, spaces or new lines.',
			);
		}
	}
	return allowed;
}

function limit(value: unknown, field: string): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(text(value));
	if (!Number.isInteger(number) || number < 1 || number > MAX_LIMIT) {
		throw new FieldError(field, `${field} must be a whole number from 1 to ${MAX_LIMIT}`, `Enter how many calls are allowed, e.g. 3.`);
	}
	return number;
}

function minuteOfDay(value: unknown, field: string): number {
	const match = /^(\d{1,2}):(\d{2})$/.exec(text(value));
	if (!match || Number(match[1]) > 23 || Number(match[2]) > 59) {
		throw new FieldError(field, `${field} must be a time of day as HH:MM, not "${text(value).slice(0, 20)}"`, 'Use the 24-hour clock, e.g. 21:00 or 08:00.');
	}
	return Number(match[1]) * 60 + Number(match[2]);
}

/** The hour and minute it is now in `timeZone`, as minutes since midnight. */
export function minuteInTimeZone(nowMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(nowMs);
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value ?? 0);
	return (part('hour') % 24) * 60 + part('minute');
}

function isTimeZone(timeZone: string): boolean {
	try {
		minuteInTimeZone(0, timeZone);
		return true;
	} catch {
		return false;
	}
}

function quietHours(value: unknown): QuietHours | undefined {
	const window = (value as IDataObject | undefined)?.window as IDataObject | undefined;
	if (window === undefined) return undefined;
	const timeZone = text(window.timeZone) || DEFAULT_TIME_ZONE;
	if (!isTimeZone(timeZone)) {
		throw new FieldError(
			'Guardrails: Quiet Hours: Time Zone',
			`Guardrails: Quiet Hours: Time Zone "${timeZone.slice(0, 40)}" is not a time zone`,
			'Use an IANA time zone name, e.g. Asia/Shanghai, Asia/Hong_Kong or Europe/Berlin.',
		);
	}
	const startMinute = minuteOfDay(window.start, 'Guardrails: Quiet Hours: Start');
	const endMinute = minuteOfDay(window.end, 'Guardrails: Quiet Hours: End');
	if (startMinute === endMinute) {
		throw new FieldError(
			'Guardrails: Quiet Hours',
			'Guardrails: Quiet Hours: Start and End are the same time',
			'Give the window in which no calls are placed, e.g. Start 21:00 and End 08:00, or remove Quiet Hours.',
		);
	}
	const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
	return { startMinute, endMinute, start: hhmm(startMinute), end: hhmm(endMinute), timeZone };
}

/** Reads and checks the Guardrails once per run (they are node-level, like Options). */
export function readGuardrails(this: IExecuteFunctions): Guardrails {
	return parseGuardrails(this.getNodeParameter(GUARDRAILS_PARAMETER, 0, {}) as IDataObject);
}

/** The Guardrails parameter → the rules; a FieldError names the option that is wrong. */
export function parseGuardrails(raw: IDataObject): Guardrails {
	return {
		allowed: allowedNumbers(raw.allowedNumbers),
		maxCallsPerExecution: limit(raw.maxCallsPerExecution, 'Guardrails: Max Calls per Execution'),
		maxCallsPerHour: limit(raw.maxCallsPerHour, 'Guardrails: Max Calls per Hour'),
		quietHours: quietHours(raw.quietHours),
	};
}

function isAllowed(number: string, allowed: AllowedNumbers): boolean {
	return allowed.exact.has(number) || allowed.prefixes.some((prefix) => number.startsWith(prefix));
}

function listForMessage(entries: string[]): string {
	return entries.length <= 4 ? entries.join(', ') : `${entries.slice(0, 4).join(', ')}, … (${entries.length} entries)`;
}

function calledNumbers(body: IDataObject): string[] {
	return CALLED_NUMBER_FIELDS.map((field) => body[field]).filter((value): value is string => typeof value === 'string');
}

function inQuietHours(quiet: QuietHours, minute: number): boolean {
	return quiet.startMinute < quiet.endMinute
		? minute >= quiet.startMinute && minute < quiet.endMinute
		: minute >= quiet.startMinute || minute < quiet.endMinute;
}

/** The rules that do not count calls: numbers and time of day. */
export function refusalOf(guardrails: Guardrails, body: IDataObject, nowMs: number): Refusal | undefined {
	const numbers = calledNumbers(body);
	if (guardrails.allowed) {
		const outside = numbers.find((number) => !isAllowed(number, guardrails.allowed as AllowedNumbers));
		if (outside !== undefined) {
			return {
				message: `${outside} is not in the allowed numbers of this node (${listForMessage(guardrails.allowed.entries)}): the call was not placed`,
				description:
					'Guardrails → Allowed Numbers lets this node call only these numbers and prefixes. Check the number with the user. If it is right, whoever manages this workflow must add it to Allowed Numbers; do not try other numbers instead.',
			};
		}
	}
	const quiet = guardrails.quietHours;
	if (quiet) {
		const minute = minuteInTimeZone(nowMs, quiet.timeZone);
		if (inQuietHours(quiet, minute)) {
			const now = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
			return {
				message: `No calls between ${quiet.start} and ${quiet.end} (${quiet.timeZone}), and it is ${now} there now: the call to ${numbers.join(' and ')} was not placed`,
				description: `Guardrails → Quiet Hours of this node. Tell the user that the call can be placed from ${quiet.end} ${quiet.timeZone} time, and try again then; do not retry before.`,
			};
		}
	}
	return undefined;
}

// Calls placed per node in the last hour, in this process (see the file comment).
const recentCalls = new Map<string, number[]>();

function hourScope(context: IExecuteFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
}

function recentOf(scope: string, nowMs: number): number[] {
	const kept = (recentCalls.get(scope) ?? []).filter((at) => at > nowMs - HOUR_MS);
	if (kept.length === 0) recentCalls.delete(scope);
	else recentCalls.set(scope, kept);
	return kept;
}

/**
 * The node's context in this execution, or undefined where there is none: a webhook context that
 * runs a tool without run data of its own gives it an empty one, on which getContext throws
 * (docs/n8n.md §12). Such a run then counts as an execution of its own.
 */
function nodeContext(context: IExecuteFunctions): IDataObject | undefined {
	try {
		return context.getContext('node') as IDataObject;
	} catch {
		return undefined;
	}
}

/** Calls this node placed earlier in this execution. */
function placedInExecution(context: IExecuteFunctions): number {
	const value = nodeContext(context)?.[PLACED_CALLS_CONTEXT_KEY];
	return typeof value === 'number' ? value : 0;
}

export interface CallBudget {
	/** Whether one more call may be placed now; a refusal says why not. Counts it when allowed. */
	take(body: IDataObject): Refusal | undefined;
	/** Gives back a call that was counted but never sent. */
	giveBack(count?: number): void;
	/** Writes the execution's count into the node context (n8n stores it with the execution). */
	commit(): void;
}

/**
 * The counting rules over one run: `take` is synchronous, so two runs of the node in one process
 * can never both take the last call of the hour.
 */
export function callBudget(context: IExecuteFunctions, guardrails: Guardrails, nowMs: number): CallBudget {
	const scope = hourScope(context);
	let inExecution = placedInExecution(context);
	const taken: number[] = [];
	return {
		take(body) {
			const numbers = calledNumbers(body).join(' and ');
			const perExecution = guardrails.maxCallsPerExecution;
			if (perExecution !== undefined && inExecution >= perExecution) {
				return {
					message: `This node may place at most ${perExecution} call${perExecution === 1 ? '' : 's'} per execution and has placed ${inExecution}: the call to ${numbers} was not placed`,
					description:
						'Guardrails → Max Calls per Execution. Tell the user that the limit for this run is reached; a new execution (e.g. the next request) may call again. Do not retry in this one.',
				};
			}
			const perHour = guardrails.maxCallsPerHour;
			if (perHour !== undefined) {
				const recent = recentOf(scope, nowMs);
				if (recent.length >= perHour) {
					const nextAt = new Date(recent[recent.length - perHour] + HOUR_MS);
					const minutes = Math.max(1, Math.ceil((nextAt.getTime() - nowMs) / 60_000));
					return {
						message: `This node may place at most ${perHour} call${perHour === 1 ? '' : 's'} per hour and placed ${recent.length} in the last 60 minutes: the call to ${numbers} was not placed`,
						description: `Guardrails → Max Calls per Hour. The next call is possible in ${minutes} minute${minutes === 1 ? '' : 's'} (at ${nextAt.toISOString().slice(0, 16).replace('T', ' ')} UTC). Tell the user, and do not retry before then.`,
					};
				}
				recent.push(nowMs);
				recentCalls.set(scope, recent);
				taken.push(nowMs);
			}
			inExecution++;
			return undefined;
		},
		giveBack(count = 1) {
			for (let i = 0; i < count; i++) {
				inExecution = Math.max(0, inExecution - 1);
				const at = taken.pop();
				if (at === undefined) continue;
				const recent = recentCalls.get(scope) ?? [];
				const index = recent.lastIndexOf(at);
				if (index >= 0) recent.splice(index, 1);
			}
		},
		commit() {
			const stored = nodeContext(context);
			if (stored) stored[PLACED_CALLS_CONTEXT_KEY] = inExecution;
		},
	};
}
