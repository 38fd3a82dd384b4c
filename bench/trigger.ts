/*
 * Benchmark 3: trigger throughput in a real n8n.
 *
 * One n8n 2.41.1 (e2e/lib/n8n.ts) with three published one-node workflows: our Huawei Voice Call
 * Trigger (default parameters: every event, duplicate CDRs dropped) and two baselines, n8n's own
 * Webhook node (POST, responseMode onReceived) of version 2 and of version 1. n8n runs the webhook
 * phase of every trigger inside its expression isolate, except for its own Webhook node of a
 * version other than 1 (docs/n8n.md §7): version 1 takes the same path as our trigger (what our
 * own code costs), version 2 the fast path no community node can take today. For each kind of push
 * (status events; CDR pushes of 50 records) the same bounded load goes to each target: PUSHES
 * requests at CONCURRENCY, in rounds whose order of targets is reversed every other round (so drift
 * from a growing database falls on every target alike), with a drain (all executions finished)
 * before each phase.
 *
 * Reported per phase: replies per second (what the platform sees), p50/p99 of the 200 reply,
 * executions per second to the last finished execution, and the count check: executions (and
 * CDR items, with distinct sessionId+icid) equal to what was sent — nothing lost, nothing doubled.
 * Push bodies are real ones: captured from the emulator's pushes of one notification call.
 */
import { request } from 'undici';

import { startEmulator } from '../emulator';
import { delay, proc } from '../dev/node.cjs';
import {
	FINISHED,
	listAllExecutions,
	publicApi,
	startN8n,
	waitForWebhook,
	webhookUrl,
	type N8nExecution,
	type N8nInstance,
} from '../e2e/lib/n8n';
import { TRIGGER_TYPE, TRIGGER_VERSION } from '../e2e/lib/examples';
import { startReceiver } from '../test/helpers/receiver';
import { DISPLAY } from './lib/engine';
import { CALL_NOTIFY, sendSigned } from './lib/bareClient';
import { lanes, percentile, say, withTimeout } from './lib/util';

export interface TriggerConfig {
	pushes: number;
	concurrency: number;
	warmup: number;
	/** Rounds per kind of push; round r sends pushes/rounds to every target, in reverse order every other round. */
	rounds: number;
	/** Extra environment for n8n (diagnostics, e.g. N8N_EXPRESSION_ENGINE_POOL_SIZE). */
	n8nEnv?: Record<string, string>;
	/** Targets (default TARGETS). */
	targets?: Target[];
}

type Kind = 'status' | 'cdr';
/**
 * Our trigger, n8n's Webhook node v2 (no isolate in the webhook phase), n8n's Webhook node v1, and
 * for diagnostics our trigger with Drop Duplicate CDRs off (no memory, no static-data copy).
 */
export type Target = 'trigger' | 'webhook' | 'webhookV1' | 'triggerNoDedupe';
export const TARGETS: Target[] = ['webhook', 'webhookV1', 'trigger'];
const OURS = new Set<Target>(['trigger', 'triggerNoDedupe']);

export interface TriggerPhase {
	kind: Kind;
	target: Target;
	sent: number;
	non200: number;
	errors: number;
	sendMs: number;
	repliesPerSecond: number;
	p50Ms: number;
	p99Ms: number;
	executions: number;
	failedExecutions: number;
	/** Items the workflow received (CDR records for CDR pushes to the trigger). */
	items: number;
	expectedItems: number;
	distinctCdrKeys?: number;
	/** From the first send to the last execution's stoppedAt. */
	endToEndMs: number;
	executionsPerSecond: number;
}

export interface TriggerResult {
	n8nVersion: string;
	startMs: number;
	phases: TriggerPhase[];
	/** Executions/s of our trigger ÷ each Webhook node's, per kind. */
	ratios: Record<Kind, { webhook: number; webhookV1: number }>;
	/** Extra n8n environment of this run (diagnostics), if any. */
	n8nEnv?: Record<string, string>;
	lostOrDoubled: number;
	notes: string[];
}

const TRIGGER_WF = 'BenchHuaweiTrig1';
/** The trigger's version: the one new nodes get, unless BENCH_TRIGGER_VERSION says (1 costs n8n an expression per push). */
const BENCH_TRIGGER_VERSION = Number(proc.env.BENCH_TRIGGER_VERSION || TRIGGER_VERSION);
const WEBHOOK_WF = 'BenchN8nWebhook1';
const TRIGGER_WEBHOOK_ID = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e401';
const NODEDUPE_WF = 'BenchHuaweiTrigNoDedupe';
const NODEDUPE_WEBHOOK_ID = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e404';
const WEBHOOK_WEBHOOK_ID = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e402';
const WEBHOOK_PATH = 'bench-webhook';
const WEBHOOK_V1_WF = 'BenchN8nWebhookV1';
const WEBHOOK_V1_WEBHOOK_ID = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e403';
const WEBHOOK_V1_PATH = 'bench-webhook-v1';
const TRIGGER_NODE = 'Huawei Voice Call Trigger';

const workflows = [
	{
		id: TRIGGER_WF,
		name: 'Bench: Huawei Voice Call Trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: '7a0c1e52-4c1e-4f0e-9a57-3a3e2f1d9c11',
				name: TRIGGER_NODE,
				type: TRIGGER_TYPE,
				typeVersion: BENCH_TRIGGER_VERSION,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				parameters: {},
			},
		],
	},
	{
		id: WEBHOOK_WF,
		name: 'Bench: n8n Webhook node',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: '7a0c1e52-4c1e-4f0e-9a57-3a3e2f1d9c12',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: WEBHOOK_WEBHOOK_ID,
				parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
			},
		],
	},
	{
		id: WEBHOOK_V1_WF,
		name: 'Bench: n8n Webhook node v1',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		nodes: [
			{
				id: '7a0c1e52-4c1e-4f0e-9a57-3a3e2f1d9c13',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 1,
				position: [0, 0],
				webhookId: WEBHOOK_V1_WEBHOOK_ID,
				parameters: { httpMethod: 'POST', path: WEBHOOK_V1_PATH, responseMode: 'onReceived', options: {} },
			},
		],
	},
];

workflows.push({
	...workflows[0],
	id: NODEDUPE_WF,
	name: 'Bench: Huawei Voice Call Trigger, Drop Duplicate CDRs off',
	nodes: [{ ...workflows[0].nodes[0], id: '7a0c1e52-4c1e-4f0e-9a57-3a3e2f1d9c14', webhookId: NODEDUPE_WEBHOOK_ID, parameters: { dropDuplicates: false } }],
});

const WORKFLOW_OF: Record<Target, string> = { trigger: TRIGGER_WF, webhook: WEBHOOK_WF, webhookV1: WEBHOOK_V1_WF, triggerNoDedupe: NODEDUPE_WF };

interface Templates {
	status: Array<Record<string, unknown>>;
	cdr: Record<string, unknown>;
}

/** Real push bodies: one notification call in the emulator, pushed to a local receiver. */
async function captureTemplates(): Promise<Templates> {
	const receiver = await startReceiver();
	const emu = await startEmulator({ config: { timeScale: 0.001, cdrMergeWindowMs: 20 } });
	try {
		const url = Buffer.from(receiver.url('/push')).toString('base64');
		const answer = await sendSigned(
			{ baseUrl: emu.baseUrl, appKey: emu.config.appKey, appSecret: emu.config.appSecret },
			'POST',
			CALL_NOTIFY,
			{ displayNbr: DISPLAY, calleeNbr: '+8613800000001', playInfoList: [{ notifyVoice: 'notifyvoice.wav' }], statusUrl: url, feeUrl: url },
		);
		if (answer.resultcode !== '0') throw new Error(`template call refused: ${answer.resultcode}`);
		await emu.waitForIdle(10_000);
		const [call] = emu.calls();
		const status = call.pushes.filter((p) => p.kind === 'status').map((p) => p.body as Record<string, unknown>);
		const cdr = call.pushes.find((p) => p.kind === 'cdr')?.body as { feeLst?: Array<Record<string, unknown>> } | undefined;
		if (status.length === 0 || !cdr?.feeLst?.[0]) throw new Error('the emulator pushed no status events or CDR');
		return { status, cdr: cdr.feeLst[0] };
	} finally {
		await emu.stop();
		await receiver.stop();
	}
}

function statusBody(t: Templates, tag: string, i: number): Record<string, unknown> {
	const template = t.status[i % t.status.length];
	const info = template.statusInfo as Record<string, unknown>;
	const call = Math.floor(i / t.status.length);
	return { ...template, statusInfo: { ...info, sessionId: `${tag}-${call}@bench` } };
}

function cdrBody(t: Templates, tag: string, i: number): Record<string, unknown> {
	const feeLst = Array.from({ length: 50 }, (_, r) => ({
		...t.cdr,
		sessionId: `${tag}-${i}-${r}@bench`,
		icid: `ICID${tag}${i}x${r}`.replace(/[^0-9A-Za-z]/g, ''),
	}));
	return { eventType: 'fee', feeLst };
}

function targetUrl(n8n: N8nInstance, target: Target): string {
	if (target === 'trigger') return webhookUrl(n8n, TRIGGER_WEBHOOK_ID, 'webhook');
	if (target === 'triggerNoDedupe') return webhookUrl(n8n, NODEDUPE_WEBHOOK_ID, 'webhook');
	return webhookUrl(n8n, undefined, target === 'webhook' ? WEBHOOK_PATH : WEBHOOK_V1_PATH);
}

/** Sends `count` pushes with `concurrency` lanes; latencies of every reply. */
async function load(url: string, count: number, concurrency: number, body: (i: number) => Record<string, unknown>) {
	const latencies: number[] = [];
	let non200 = 0;
	let errors = 0;
	const payloads = Array.from({ length: count }, (_, i) => JSON.stringify(body(i)));
	const started = performance.now();
	await lanes(count, concurrency, async (i) => {
		const t0 = performance.now();
		try {
			const response = await request(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json;charset=UTF-8' },
				body: payloads[i],
				headersTimeout: 30_000,
				bodyTimeout: 30_000,
			});
			await response.body.text();
			if (response.statusCode !== 200) non200++;
		} catch {
			errors++;
		}
		latencies.push(performance.now() - t0);
	});
	return { latencies, non200, errors, sendMs: performance.now() - started };
}

/** Waits until `count` executions of the workflow have finished (bounded; cheap polling while any runs). */
async function drain(n8n: N8nInstance, workflowId: string, count: number, timeoutMs = 120_000): Promise<N8nExecution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const running = await publicApi(n8n, 'GET', `/executions?workflowId=${workflowId}&status=running&limit=1`);
		const busy = (running.json as { data?: unknown[] } | undefined)?.data?.length ?? 0;
		if (busy === 0) {
			const executions = await listAllExecutions(n8n, { workflowId });
			const finished = executions.filter((e) => FINISHED.has(e.status));
			if (finished.length >= count && finished.length === executions.length) return executions;
		}
		if (Date.now() > deadline) throw new Error(`${workflowId}: executions still not finished after ${timeoutMs / 1000} s`);
		await delay(500);
	}
}

function triggerItems(execution: N8nExecution) {
	const run = execution.data?.resultData.runData[TRIGGER_NODE]?.[0];
	return (run?.data?.main[0] ?? []).map((item) => item.json);
}

export async function triggerBench(config: TriggerConfig): Promise<TriggerResult> {
	const notes: string[] = [];
	const templates = await captureTemplates();
	say('  trigger: starting n8n …');
	const started = Date.now();
	// HUAWEI_VOICECALL_PACKAGE_DIR: measure another build of the package (e.g. a patched copy) in the same set-up.
	const n8n = await startN8n({
		workflows,
		publish: [TRIGGER_WF, WEBHOOK_WF, WEBHOOK_V1_WF, NODEDUPE_WF],
		packageDir: proc.env.HUAWEI_VOICECALL_PACKAGE_DIR || undefined,
		env: config.n8nEnv,
	});
	const startMs = Date.now() - started;
	const expected: Record<Target, number> = { trigger: 0, webhook: 0, webhookV1: 0, triggerNoDedupe: 0 };
	const targets = config.targets ?? TARGETS;
	try {
		// Registration probes: {} is not a Huawei push (400, no execution); the Webhook node runs once.
		for (const target of ['trigger', 'triggerNoDedupe'] as Target[]) {
			const probe = await waitForWebhook(n8n, targetUrl(n8n, target), { body: {}, timeoutMs: 60_000 });
			if (probe.status !== 400) notes.push(`${target} probe answered ${probe.status} (expected 400)`);
		}
		for (const target of ['webhook', 'webhookV1'] as Target[]) {
			await waitForWebhook(n8n, targetUrl(n8n, target), { body: { probe: true }, timeoutMs: 60_000 });
			expected[target] += 1;
		}

		say(`  trigger: warm-up (${config.warmup} status + ${config.warmup} CDR pushes per target) …`);
		for (const target of targets) {
			await load(targetUrl(n8n, target), config.warmup, config.concurrency, (i) => statusBody(templates, `warm-${target}`, i));
			await load(targetUrl(n8n, target), config.warmup, config.concurrency, (i) => cdrBody(templates, `warmcdr-${target}`, i));
			expected[target] += 2 * config.warmup;
		}
		for (const target of targets) await drain(n8n, WORKFLOW_OF[target], expected[target]);

		const label: Record<Target, string> = {
			trigger: 'our trigger',
			webhook: 'n8n Webhook node v2',
			webhookV1: 'n8n Webhook node v1',
			triggerNoDedupe: 'our trigger, Drop Duplicate CDRs off',
		};
		const phases: TriggerPhase[] = [];
		const perRound = Math.ceil(config.pushes / config.rounds);
		for (const kind of ['status', 'cdr'] as Kind[]) {
			const totals = new Map<Target, { phase: TriggerPhase; latencies: number[]; keys: Set<string> }>();
			for (let round = 0; round < config.rounds; round++) {
				// Every other round in reverse order: drift over the run (a growing database, a warming
				// JIT, the machine's load) weighs on every target alike.
				const order = round % 2 === 0 ? targets : [...targets].reverse();
				for (const target of order) {
					const count = Math.min(perRound, config.pushes - round * perRound);
					if (count <= 0) continue;
					say(`  trigger: ${kind} round ${round + 1}/${config.rounds}: ${count} pushes → ${label[target]} (concurrency ${config.concurrency}) …`);
					const workflowId = WORKFLOW_OF[target];
					const before = new Set((await listAllExecutions(n8n, { workflowId })).map((e) => e.id));
					const phaseStart = Date.now();
					const tag = `${kind}-${target}-${round}`;
					const result = await load(targetUrl(n8n, target), count, config.concurrency, (i) =>
						kind === 'status' ? statusBody(templates, tag, i) : cdrBody(templates, tag, i),
					);
					expected[target] += count;
					await drain(n8n, workflowId, expected[target]);
					// Only this round's executions; with data where items must be counted.
					const withData = OURS.has(target);
					const mine = (await listAllExecutions(n8n, { workflowId, includeData: withData })).filter((e) => !before.has(e.id));
					const total = totals.get(target) ?? {
						phase: {
							kind,
							target,
							sent: 0,
							non200: 0,
							errors: 0,
							sendMs: 0,
							repliesPerSecond: 0,
							p50Ms: 0,
							p99Ms: 0,
							executions: 0,
							failedExecutions: 0,
							items: 0,
							expectedItems: 0,
							distinctCdrKeys: withData && kind === 'cdr' ? 0 : undefined,
							endToEndMs: 0,
							executionsPerSecond: 0,
						},
						latencies: [],
						keys: new Set<string>(),
					};
					totals.set(target, total);
					const p = total.phase;
					let items = mine.length;
					if (withData) {
						const all = mine.flatMap(triggerItems);
						items = all.length;
						if (kind === 'cdr') for (const json of all) total.keys.add(`${String(json.sessionId)}|${String(json.icid)}`);
					}
					const lastStop = Math.max(...mine.map((e) => (e.stoppedAt ? Date.parse(e.stoppedAt) : phaseStart)));
					p.sent += count;
					p.non200 += result.non200;
					p.errors += result.errors;
					p.sendMs += result.sendMs;
					total.latencies.push(...result.latencies);
					p.executions += mine.length;
					p.failedExecutions += mine.filter((e) => e.status !== 'success').length;
					p.items += items;
					p.expectedItems += kind === 'cdr' && withData ? count * 50 : count;
					p.endToEndMs += lastStop - phaseStart;
				}
			}
			for (const target of targets) {
				const total = totals.get(target);
				if (!total) continue;
				const p = total.phase;
				p.repliesPerSecond = p.sent / (p.sendMs / 1000);
				p.executionsPerSecond = p.executions / (p.endToEndMs / 1000);
				p.p50Ms = percentile(total.latencies, 50);
				p.p99Ms = percentile(total.latencies, 99);
				if (p.distinctCdrKeys !== undefined) p.distinctCdrKeys = total.keys.size;
				phases.push(p);
			}
		}
		const rate = (kind: Kind, target: Target) => phases.find((p) => p.kind === kind && p.target === target)?.executionsPerSecond ?? NaN;
		const ratio = (kind: Kind) => ({ webhook: rate(kind, 'trigger') / rate(kind, 'webhook'), webhookV1: rate(kind, 'trigger') / rate(kind, 'webhookV1') });
		const lostOrDoubled = phases.reduce(
			(sum, p) =>
				sum +
				Math.abs(p.executions - p.sent) +
				Math.abs(p.items - p.expectedItems) +
				(p.distinctCdrKeys === undefined ? 0 : Math.abs(p.distinctCdrKeys - p.expectedItems)) +
				p.non200 +
				p.errors,
			0,
		);
		return {
			n8nVersion: '2.41.1',
			startMs,
			phases,
			ratios: { status: ratio('status'), cdr: ratio('cdr') },
			lostOrDoubled,
			notes,
			n8nEnv: config.n8nEnv,
		};
	} finally {
		await withTimeout(n8n.stop(), 60_000, 'Stopping n8n').catch((error: unknown) => notes.push(String(error)));
	}
}
