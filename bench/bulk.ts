/*
 * Benchmark 1: bulk voice notifications against the call-port limit.
 *
 * The emulator (in its own process, like the platform: its timers do not share a thread with the
 * engine) has P ports and every call holds its port for exactly H (a scripted notification of
 * HOLD_SIM_S simulated seconds, time-scaled). No client can place more than P/H calls per second
 * for long; N calls need at least ceil(N/P)·H from the first send to the last hang-up. Achieved
 * rate = N / (time from the first send to the end of the last call), so 1.0 = the limit. The
 * engine's own start (building the items, before the first send) is reported separately.
 *
 * Node: N input items through the real engine, Voice Notification → Send at default options.
 * Baseline: the same N signed requests sent one at a time without pacing or retry (what a plain
 * HTTP Request loop does): it is fast, but every 1020165 answer is a notification that never went out.
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { request } from 'undici';

import { delay } from '../dev/node.cjs';
import { CALL_NOTIFY, notifyBody, sendSigned, type BareCredentials } from './lib/bareClient';
import { benchScript, spawnJsonChild } from './lib/child';
import { DISPLAY, notificationParameters, runAction } from './lib/engine';
import { callee, round, say, withTimeout } from './lib/util';

export interface BulkConfig {
	items: number;
	ports: number;
	/** Simulated hold time of one call (callout → alerting 1 s, ring, one play segment). */
	holdSimSeconds: number;
	timeScale: number;
	/** Node options (default: none = the node's defaults). */
	nodeOptions?: Record<string, unknown>;
	/** Skip the bare-client baseline. */
	skipBaseline?: boolean;
	label?: string;
}

export interface BulkSide {
	label: string;
	items: number;
	accepted: number;
	failedItems: number;
	/** 1020165 answers: absorbed (re-sent later) by the node; lost items for the baseline. */
	portLimitAnswers: number;
	otherErrors: number;
	duplicateCalls: number;
	requests: number;
	/** From the start of the run (engine included) to the first request the platform saw. */
	startMs: number;
	sendMs: number;
	/** From the first request to the end of the last call. */
	makespanMs: number;
	/** Accepted calls per second over the makespan. */
	rate: number;
	/** rate / (P/H). */
	ratioToLimit: number;
	error?: string;
}

export interface BulkResult {
	ports: number;
	holdSeconds: number;
	measuredHoldSeconds: number;
	limitPerSecond: number;
	idealMakespanMs: number;
	node: BulkSide;
	baseline?: BulkSide;
}

function emulatorConfig(config: BulkConfig) {
	const alert = 1;
	const ring = Math.max(0, Math.round(config.holdSimSeconds * 0.25) - alert);
	const play = config.holdSimSeconds - alert - ring;
	return {
		ports: config.ports,
		timeScale: config.timeScale,
		timing: { calloutToAlertSeconds: alert, preVoiceSeconds: 2, playSeconds: play, dtmfSeconds: 1, collectTimeoutSeconds: 5 },
		defaultScript: { outcome: 'answer' as const, ringSeconds: ring, talkSeconds: 0, digits: [], hangupBy: 'callee' as const },
	};
}

interface EmulatorCall {
	request: { calleeNbr?: unknown };
	acceptedAt: string;
	endedAt: string | null;
	settled: boolean;
}

interface EmulatorRequest {
	time: string;
	endpoint: string;
	resultcode: string | null;
}

async function control<T>(baseUrl: string, method: 'GET' | 'POST', path: string): Promise<T> {
	const response = await request(`${baseUrl}${path}`, { method, reset: true });
	const text = await response.body.text();
	if (response.statusCode !== 200) throw new Error(`emulator ${method} ${path}: HTTP ${response.statusCode}`);
	return (text === '' ? {} : JSON.parse(text)) as T;
}

/** Waits until every call has ended and settled (bounded; polls the emulator's control API). */
async function waitIdle(baseUrl: string, timeoutMs: number): Promise<EmulatorCall[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const calls = await control<EmulatorCall[]>(baseUrl, 'GET', '/emulator/calls');
		if (calls.every((call) => call.settled)) return calls;
		if (Date.now() > deadline) throw new Error(`${calls.filter((c) => !c.settled).length} calls still running after ${timeoutMs / 1000} s`);
		await delay(200);
	}
}

/** Counts what happened in the emulator since the last reset. */
async function tally(baseUrl: string, startedAt: number, holdMs: number) {
	const calls = await waitIdle(baseUrl, Math.max(30_000, holdMs * 4));
	const requests = (await control<EmulatorRequest[]>(baseUrl, 'GET', '/emulator/requests')).filter((entry) => entry.endpoint === 'callNotify');
	const firstSend = requests.length ? Math.min(...requests.map((entry) => Date.parse(entry.time))) : startedAt;
	const perCallee = new Map<string, number>();
	let lastEnd = firstSend;
	const holds: number[] = [];
	for (const call of calls) {
		const number = String(call.request.calleeNbr);
		perCallee.set(number, (perCallee.get(number) ?? 0) + 1);
		const accepted = Date.parse(call.acceptedAt);
		const ended = call.endedAt ? Date.parse(call.endedAt) : accepted + holdMs;
		lastEnd = Math.max(lastEnd, ended);
		holds.push(ended - accepted);
	}
	return {
		calls: calls.length,
		duplicates: [...perCallee.values()].reduce((sum, count) => sum + count - 1, 0),
		startMs: firstSend - startedAt,
		makespanMs: lastEnd - firstSend,
		holds,
		requests: requests.length,
		portLimit: requests.filter((entry) => entry.resultcode === '1020165').length,
		other: requests.filter((entry) => entry.resultcode !== '0' && entry.resultcode !== '1020165').length,
	};
}

export async function bulkBench(config: BulkConfig): Promise<BulkResult> {
	const holdMs = config.holdSimSeconds * config.timeScale * 1000;
	const limitPerSecond = config.ports / (holdMs / 1000);
	const idealMakespanMs = Math.ceil(config.items / config.ports) * holdMs;
	const emulator = await spawnJsonChild<BareCredentials>(benchScript('emulatorProcess.js'), [JSON.stringify(emulatorConfig(config))]);
	const creds = emulator.first;
	try {
		// --- node, through the engine, default options
		const input: INodeExecutionData[] = Array.from({ length: config.items }, (_, i) => ({ json: { phone: callee('139', i) } }));
		const parameters = notificationParameters(config.nodeOptions ?? {});
		say(`  bulk${config.label ? ` (${config.label})` : ''}: node, ${config.items} items, P=${config.ports}, H=${holdMs / 1000} s …`);
		const nodeStart = Date.now();
		const run = await withTimeout(runAction(parameters, creds, input), 420_000, 'The bulk node run');
		const nodeSendMs = Date.now() - nodeStart;
		const t = await tally(creds.baseUrl, nodeStart, holdMs);
		const okItems = run.items.filter((item) => item.json.resultcode === '0').length;
		const measuredHold = t.holds.length ? t.holds.reduce((a, b) => a + b, 0) / t.holds.length : holdMs;
		const node: BulkSide = {
			label: config.label ?? 'node (default options)',
			items: config.items,
			accepted: t.calls,
			failedItems: config.items - okItems,
			portLimitAnswers: t.portLimit,
			otherErrors: t.other,
			duplicateCalls: t.duplicates,
			requests: t.requests,
			startMs: t.startMs,
			sendMs: nodeSendMs,
			makespanMs: t.makespanMs,
			rate: t.calls / (t.makespanMs / 1000),
			ratioToLimit: t.calls / (t.makespanMs / 1000) / limitPerSecond,
			error: run.error,
		};
		await control(creds.baseUrl, 'POST', '/emulator/reset');

		let baseline: BulkSide | undefined;
		if (!config.skipBaseline) {
			say('  bulk: baseline, bare client, one request at a time, no pacing …');
			const baseStart = Date.now();
			let accepted = 0;
			for (let i = 0; i < config.items; i++) {
				const answer = await sendSigned(creds, 'POST', CALL_NOTIFY, notifyBody(DISPLAY, callee('139', i)));
				if (answer.resultcode === '0') accepted++;
			}
			const baseSendMs = Date.now() - baseStart;
			const b = await tally(creds.baseUrl, baseStart, holdMs);
			baseline = {
				label: 'bare client, sequential, no pacing',
				items: config.items,
				accepted: b.calls,
				failedItems: config.items - accepted,
				portLimitAnswers: b.portLimit,
				otherErrors: b.other,
				duplicateCalls: b.duplicates,
				requests: b.requests,
				startMs: b.startMs,
				sendMs: baseSendMs,
				makespanMs: b.makespanMs,
				rate: b.calls / (b.makespanMs / 1000),
				ratioToLimit: b.calls / (b.makespanMs / 1000) / limitPerSecond,
			};
			await control(creds.baseUrl, 'POST', '/emulator/reset');
		}
		return {
			ports: config.ports,
			holdSeconds: holdMs / 1000,
			measuredHoldSeconds: round(measuredHold / 1000, 3),
			limitPerSecond,
			idealMakespanMs,
			node,
			baseline,
		};
	} finally {
		await emulator.stop();
	}
}
