/*
 * Benchmark 5: call and wait in a real n8n.
 *
 * Latency: from the moment the emulator sends a call's deciding push (collectInfo with the key
 * pressed) to the resumed execution's end, for Send and Wait for Response (the push goes through
 * our trigger, which relays it to the waiting execution). Baseline in the same run and the same
 * n8n: n8n's own Wait node ("On Webhook Call") resumed by a direct POST to its resume URL, from the
 * POST to the execution's end. Both workflows are Webhook (answers at once) → waiting node → No
 * Operation; samples alternate between the two, after a warm-up; medians are compared.
 *
 * Concurrency: 100 executions wait for 100 calls at once; then every callee presses 1. Each
 * execution must resume exactly once, on Approved.
 */
import { startEmulator, type Emulator } from '../emulator';
import { delay } from '../dev/node.cjs';
import { ACTION_TYPE, CREDENTIAL_REF, emulatorCredential, TRIGGER_TYPE, TRIGGER_VERSION } from '../e2e/lib/examples';
import {
	freePort,
	httpRequest,
	inParallel,
	listAllExecutions,
	publicApi,
	startN8n,
	waitForWebhook,
	webhookUrl,
	type N8nExecution,
	type N8nInstance,
} from '../e2e/lib/n8n';
import { percentile, say } from './lib/util';

export interface CallAndWaitConfig {
	samples: number;
	warmup: number;
	concurrent: number;
	/** More environment for n8n (the `--only callAndWaitSettings` diagnostics). */
	n8nEnv?: Record<string, string>;
}

export interface CallAndWaitResult {
	samples: number;
	oursMedianMs: number;
	oursP90Ms: number;
	waitNodeMedianMs: number;
	waitNodeP90Ms: number;
	/** Our median ÷ the Wait node's. */
	ratio: number;
	concurrent: { executions: number; resumedOnce: number; onApproved: number; extraResumes: number; seconds: number };
	notes: string[];
	/** The extra n8n environment of this run, if any. */
	n8nEnv?: Record<string, string>;
}

const DISPLAY = '+8675528000001';
const RELAY_HOOK = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e5c0';
const OURS = { id: 'BenchWaitHuawei1', path: 'bench-wait-huawei', hook: '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e5c1' };
const N8N = { id: 'BenchWaitN8nNode', path: 'bench-wait-n8n', hook: '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e5c2' };

function waitingWorkflow(id: string, path: string, hook: string, waitNode: Record<string, unknown>, outputs: number) {
	const done = Array.from({ length: outputs }, (_, i) => ({
		id: `${hook.slice(0, 30)}1${i}`,
		name: `Done ${i}`,
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [480, i * 120],
		parameters: {},
	}));
	return {
		id,
		name: `bench: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${hook.slice(0, 30)}01`, name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: hook, parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} } },
			{ id: `${hook.slice(0, 30)}02`, name: 'Wait', position: [240, 0], ...waitNode },
			...done,
		],
		connections: {
			Start: { main: [[{ node: 'Wait', type: 'main', index: 0 }]] },
			Wait: { main: done.map((node) => [{ node: node.name, type: 'main', index: 0 }]) },
		},
	};
}

const callee = (i: number) => `+86139${String(700000 + i).padStart(8, '0')}`;

async function executionOf(n8n: N8nInstance, workflowId: string, known: Set<string>, timeoutMs = 60_000): Promise<N8nExecution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const fresh = (await listAllExecutions(n8n, { workflowId, includeData: true })).filter((e) => !known.has(e.id));
		if (fresh.length > 0) return fresh[0];
		if (Date.now() > deadline) throw new Error(`No new execution of ${workflowId}`);
		await delay(20);
	}
}

async function untilStatus(n8n: N8nInstance, id: string, wanted: (status: string) => boolean, timeoutMs = 60_000): Promise<N8nExecution> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const reply = await publicApi(n8n, 'GET', `/executions/${id}?includeData=true`);
		const execution = reply.json as N8nExecution;
		if (reply.status === 200 && wanted(String(execution.status))) return execution;
		if (Date.now() > deadline) throw new Error(`Execution ${id} is ${String(execution?.status)}`);
		await delay(20);
	}
}

const done = (status: string) => ['success', 'error', 'crashed', 'canceled'].includes(status);

async function untilPhase(emulator: Emulator, sessionId: string, phase: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (emulator.calls().find((call) => call.sessionId === sessionId)?.phase !== phase) {
		if (Date.now() > deadline) throw new Error(`Call ${sessionId} never reached ${phase}`);
		await delay(5);
	}
}

/** One Send and Wait: start, wait until it waits, the callee answers and presses 1; latency push → end. */
async function oursOnce(n8n: N8nInstance, emulator: Emulator, number: string): Promise<number> {
	const known = new Set((await listAllExecutions(n8n, { workflowId: OURS.id })).map((e) => e.id));
	await httpRequest(webhookUrl(n8n, undefined, OURS.path), { method: 'POST', body: { number } });
	const started = await executionOf(n8n, OURS.id, known);
	const waiting = await untilStatus(n8n, started.id, (status) => status === 'waiting');
	const sessionId = emulator.calls().find((call) => call.request.calleeNbr === number && call.state !== 'ended')?.sessionId;
	if (sessionId === undefined) {
		const calls = emulator.calls().filter((call) => call.request.calleeNbr === number);
		throw new Error(
			`Execution ${started.id} waits (last node ${String(waiting.data?.resultData.lastNodeExecuted)}), but the emulator has no live call to ${number}: ${JSON.stringify(calls.map((call) => ({ state: call.state, phase: call.phase })))}`,
		);
	}
	await untilPhase(emulator, sessionId, 'ringing');
	emulator.answer(sessionId);
	await untilPhase(emulator, sessionId, 'collecting');
	emulator.pressDigits(sessionId, '1');
	const finished = await untilStatus(n8n, started.id, done);
	const call = emulator.calls().find((c) => c.sessionId === sessionId);
	const push = call?.pushes.find((p) => p.eventType === 'collectInfo');
	const pushedAt = Date.parse(String(push?.attemptLog[0]?.at));
	return Date.parse(String(finished.stoppedAt)) - pushedAt;
}

/** One Wait node: start, wait until it waits, POST its resume URL; latency POST → end. */
async function waitNodeOnce(n8n: N8nInstance): Promise<number> {
	const known = new Set((await listAllExecutions(n8n, { workflowId: N8N.id })).map((e) => e.id));
	await httpRequest(webhookUrl(n8n, undefined, N8N.path), { method: 'POST', body: {} });
	const started = await executionOf(n8n, N8N.id, known);
	const waiting = await untilStatus(n8n, started.id, (status) => status === 'waiting');
	const token = String((waiting.data as unknown as { resumeToken?: string }).resumeToken);
	const sentAt = Date.now();
	await httpRequest(`${n8n.baseUrl}/webhook-waiting/${started.id}?signature=${token}`, { method: 'POST', body: {} });
	const finished = await untilStatus(n8n, started.id, done);
	return Date.parse(String(finished.stoppedAt)) - sentAt;
}

export async function callAndWaitBench(config: CallAndWaitConfig): Promise<CallAndWaitResult> {
	const numbers = Array.from({ length: config.samples + config.warmup + config.concurrent }, (_, i) => callee(i));
	const emulator = await startEmulator({
		config: {
			// Real pushes of a call are seconds apart (playback, key presses); 0.2 keeps them apart
			// (a 3 s segment plays 0.6 s) while the latency measured starts at the deciding push.
			timeScale: 0.2,
			ports: config.concurrent + 10,
			statusUrl: null,
			feeUrl: null,
			manualTimeoutMs: 600_000,
			scripts: Object.fromEntries(numbers.map((number) => [number, { outcome: 'manual' }])),
		},
	});
	let n8n: N8nInstance | undefined;
	try {
		const relay = {
			id: 'BenchWaitRelay01',
			name: 'bench: relay trigger',
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: [{ id: `${RELAY_HOOK.slice(0, 30)}01`, name: 'Trigger', type: TRIGGER_TYPE, typeVersion: TRIGGER_VERSION, position: [0, 0], webhookId: RELAY_HOOK, parameters: {} }],
			connections: {},
		};
		// The relay URL needs n8n's port before the workflows are imported.
		const port = await freePort([Number(new URL(emulator.baseUrl).port)]);
		const relayUrl = `http://127.0.0.1:${port}/webhook/${RELAY_HOOK}/webhook`;
		const ours = waitingWorkflow(
			OURS.id,
			OURS.path,
			OURS.hook,
			{
				type: ACTION_TYPE,
				typeVersion: 1,
				credentials: CREDENTIAL_REF,
				parameters: {
					resource: 'notification',
					operation: 'sendAndWaitForResponse',
					displayNbr: DISPLAY,
					calleeNbr: '={{ $json.body.number }}',
					playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
					additionalFields: { statusUrl: relayUrl },
				},
			},
			3,
		);
		const waitNode = waitingWorkflow(N8N.id, N8N.path, N8N.hook, { type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters: { resume: 'webhook', httpMethod: 'POST', options: {} } }, 1);
		n8n = await startN8n({
			port,
			env: config.n8nEnv,
			credentials: [
				emulatorCredential(emulator),
			],
			workflows: [relay, ours, waitNode],
			publish: [relay.id, ours.id, waitNode.id],
		});
		await waitForWebhook(n8n, relayUrl, { body: { probe: true } });
		await waitForWebhook(n8n, webhookUrl(n8n, undefined, OURS.path), { body: { number: numbers[0] } });
		await waitForWebhook(n8n, webhookUrl(n8n, undefined, N8N.path), { body: {} });
		// The two probes above started one execution each; let them be, they wait on their own. But
		// first see them waiting: a sample takes "the new execution" to be the one not listed before
		// it started, and a probe listed late would be taken for it.
		for (const workflowId of [OURS.id, N8N.id]) {
			const deadline = Date.now() + 60_000;
			while (!(await listAllExecutions(n8n, { workflowId })).some((e) => e.status === 'waiting')) {
				if (Date.now() > deadline) throw new Error(`The probe execution of ${workflowId} never waited`);
				await delay(20);
			}
		}

		const ours1: number[] = [];
		const wait1: number[] = [];
		for (let i = 1; i < config.warmup + config.samples; i++) {
			const a = await oursOnce(n8n, emulator, numbers[i]);
			const b = await waitNodeOnce(n8n);
			if (i >= config.warmup) {
				ours1.push(a);
				wait1.push(b);
			}
		}
		say(`[bench] call and wait: ours ${ours1.join(', ')} ms; Wait node ${wait1.join(', ')} ms`);

		// 100 executions wait at once, then every callee presses 1.
		const batch = numbers.slice(config.samples + config.warmup, config.samples + config.warmup + config.concurrent);
		const known = new Set((await listAllExecutions(n8n, { workflowId: OURS.id })).map((e) => e.id));
		const started = Date.now();
		await inParallel(batch, 10, async (number) => await httpRequest(webhookUrl(n8n!, undefined, OURS.path), { method: 'POST', body: { number } }));
		const deadline = Date.now() + 300_000;
		let waiting: N8nExecution[] = [];
		for (;;) {
			const fresh = (await listAllExecutions(n8n, { workflowId: OURS.id })).filter((e) => !known.has(e.id));
			waiting = fresh.filter((e) => e.status === 'waiting');
			if (waiting.length >= batch.length) break;
			if (Date.now() > deadline) throw new Error(`Only ${waiting.length} of ${batch.length} executions waiting`);
			await delay(200);
		}
		const calls = emulator.calls().filter((call) => batch.includes(String(call.request.calleeNbr)));
		await inParallel(calls, 20, async (call) => {
			await untilPhase(emulator, call.sessionId, 'ringing');
			emulator.answer(call.sessionId);
			await untilPhase(emulator, call.sessionId, 'collecting');
			emulator.pressDigits(call.sessionId, '1');
		});
		const ids = new Set(waiting.map((e) => e.id));
		let finished: N8nExecution[] = [];
		for (;;) {
			finished = (await listAllExecutions(n8n, { workflowId: OURS.id, includeData: true })).filter((e) => ids.has(e.id) && done(e.status));
			if (finished.length >= ids.size) break;
			if (Date.now() > deadline) {
				const all = (await listAllExecutions(n8n, { workflowId: OURS.id })).filter((e) => ids.has(e.id));
				const statuses: Record<string, number> = {};
				for (const e of all) statuses[e.status] = (statuses[e.status] ?? 0) + 1;
				const relayWarnings = n8n.logs().split('\n').filter((line) => /relay of/.test(line)).slice(-5);
				const phases: Record<string, number> = {};
				for (const call of emulator.calls().filter((c) => batch.includes(String(c.request.calleeNbr)))) phases[call.phase] = (phases[call.phase] ?? 0) + 1;
				throw new Error(
					`Only ${finished.length} of ${ids.size} executions finished (${JSON.stringify(statuses)}; calls ${JSON.stringify(phases)}); last relay warnings: ${relayWarnings.join(' | ')}`,
				);
			}
			await delay(250);
		}
		const seconds = (Date.now() - started) / 1000;
		const onApproved = finished.filter((e) => (e.data?.resultData.runData['Done 0'] ?? []).length === 1).length;
		const extraResumes = finished.reduce((sum, e) => sum + Math.max(0, (e.data?.resultData.runData.Wait ?? []).length - 1), 0);
		const resumedOnce = finished.filter((e) => e.status === 'success' && (e.data?.resultData.runData.Wait ?? []).length === 1).length;

		const median = (values: number[]) => percentile(values, 50);
		return {
			samples: ours1.length,
			oursMedianMs: median(ours1),
			oursP90Ms: percentile(ours1, 90),
			waitNodeMedianMs: median(wait1),
			waitNodeP90Ms: percentile(wait1, 90),
			ratio: median(ours1) / median(wait1),
			concurrent: { executions: finished.length, resumedOnce, onApproved, extraResumes, seconds },
			notes: [],
		};
	} finally {
		await n8n?.stop();
		await emulator.stop();
	}
}
