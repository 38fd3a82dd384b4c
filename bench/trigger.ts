/*
 * Benchmark 3: trigger throughput in a real n8n.
 *
 * One n8n 2.41.1 (e2e/lib/n8n.ts) with two published one-node workflows: our Huawei Voice Call
 * Trigger (default parameters: every event, duplicate CDRs dropped) and n8n's own Webhook node
 * (POST, responseMode onReceived), the baseline. For each kind of push (status events; CDR pushes
 * of 50 records) the same bounded load goes to each target: PUSHES requests at CONCURRENCY, the
 * Webhook node first (so any drift from a growing database goes against our trigger), with a
 * drain (all executions finished) before each phase.
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
import { startReceiver } from '../test/helpers/receiver';
import { DISPLAY } from './lib/engine';
import { CALL_NOTIFY, sendSigned } from './lib/bareClient';
import { lanes, percentile, say, withTimeout } from './lib/util';

export interface TriggerConfig {
	pushes: number;
	concurrency: number;
	warmup: number;
	/** Extra environment for n8n (diagnostics, e.g. N8N_EXPRESSION_ENGINE_POOL_SIZE). */
	n8nEnv?: Record<string, string>;
}

type Kind = 'status' | 'cdr';
type Target = 'trigger' | 'webhook';

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
	/** Replies/s of our trigger ÷ the Webhook node's, per kind. */
	ratios: Record<Kind, number>;
	lostOrDoubled: number;
	notes: string[];
}

const TRIGGER_WF = 'BenchHuaweiTrig1';
const WEBHOOK_WF = 'BenchN8nWebhook1';
const TRIGGER_WEBHOOK_ID = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e401';
const WEBHOOK_WEBHOOK_ID = '5d1e8c4a-2b7f-4a61-9c3e-b0a1c2d3e402';
const WEBHOOK_PATH = 'bench-webhook';
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
				type: 'n8n-nodes-huawei-voicecall.huaweiVoiceCallTrigger',
				typeVersion: 1,
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
];

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
	return target === 'trigger' ? webhookUrl(n8n, TRIGGER_WEBHOOK_ID, 'webhook') : webhookUrl(n8n, undefined, WEBHOOK_PATH);
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
	const n8n = await startN8n({ workflows, publish: [TRIGGER_WF, WEBHOOK_WF], packageDir: proc.env.HUAWEI_VOICECALL_PACKAGE_DIR || undefined, env: config.n8nEnv });
	const startMs = Date.now() - started;
	const expected: Record<Target, number> = { trigger: 0, webhook: 0 };
	try {
		// Registration probes: {} is not a Huawei push (400, no execution); the Webhook node runs once.
		const probeTrigger = await waitForWebhook(n8n, targetUrl(n8n, 'trigger'), { body: {}, timeoutMs: 60_000 });
		if (probeTrigger.status !== 400) notes.push(`trigger probe answered ${probeTrigger.status} (expected 400)`);
		await waitForWebhook(n8n, targetUrl(n8n, 'webhook'), { body: { probe: true }, timeoutMs: 60_000 });
		expected.webhook += 1;

		say(`  trigger: warm-up (${config.warmup} status + ${config.warmup} CDR pushes per target) …`);
		for (const target of ['webhook', 'trigger'] as Target[]) {
			await load(targetUrl(n8n, target), config.warmup, config.concurrency, (i) => statusBody(templates, `warm-${target}`, i));
			await load(targetUrl(n8n, target), config.warmup, config.concurrency, (i) => cdrBody(templates, `warmcdr-${target}`, i));
			expected[target] += 2 * config.warmup;
		}
		await drain(n8n, WEBHOOK_WF, expected.webhook);
		await drain(n8n, TRIGGER_WF, expected.trigger);

		const phases: TriggerPhase[] = [];
		for (const kind of ['status', 'cdr'] as Kind[]) {
			for (const target of ['webhook', 'trigger'] as Target[]) {
				say(`  trigger: ${config.pushes} ${kind} pushes → ${target === 'trigger' ? 'our trigger' : 'n8n Webhook node'} (concurrency ${config.concurrency}) …`);
				const workflowId = target === 'trigger' ? TRIGGER_WF : WEBHOOK_WF;
				const before = new Set((await listAllExecutions(n8n, { workflowId })).map((e) => e.id));
				const phaseStart = Date.now();
				const tag = `${kind}-${target}`;
				const result = await load(targetUrl(n8n, target), config.pushes, config.concurrency, (i) =>
					kind === 'status' ? statusBody(templates, tag, i) : cdrBody(templates, tag, i),
				);
				expected[target] += config.pushes;
				await drain(n8n, workflowId, expected[target]);
				// Only this phase's executions; with data where items must be counted.
				const withData = target === 'trigger';
				const mine = (await listAllExecutions(n8n, { workflowId, includeData: withData })).filter((e) => !before.has(e.id));
				let items = mine.length;
				let distinctCdrKeys: number | undefined;
				if (withData) {
					const all = mine.flatMap(triggerItems);
					items = all.length;
					if (kind === 'cdr') distinctCdrKeys = new Set(all.map((json) => `${String(json.sessionId)}|${String(json.icid)}`)).size;
				}
				const lastStop = Math.max(...mine.map((e) => (e.stoppedAt ? Date.parse(e.stoppedAt) : phaseStart)));
				const endToEndMs = lastStop - phaseStart;
				phases.push({
					kind,
					target,
					sent: config.pushes,
					non200: result.non200,
					errors: result.errors,
					sendMs: result.sendMs,
					repliesPerSecond: config.pushes / (result.sendMs / 1000),
					p50Ms: percentile(result.latencies, 50),
					p99Ms: percentile(result.latencies, 99),
					executions: mine.length,
					failedExecutions: mine.filter((e) => e.status !== 'success').length,
					items,
					expectedItems: kind === 'cdr' && target === 'trigger' ? config.pushes * 50 : config.pushes,
					distinctCdrKeys,
					endToEndMs,
					executionsPerSecond: mine.length / (endToEndMs / 1000),
				});
			}
		}
		const rate = (kind: Kind, target: Target) => phases.find((p) => p.kind === kind && p.target === target)?.repliesPerSecond ?? NaN;
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
			ratios: { status: rate('status', 'trigger') / rate('status', 'webhook'), cdr: rate('cdr', 'trigger') / rate('cdr', 'webhook') },
			lostOrDoubled,
			notes,
		};
	} finally {
		await withTimeout(n8n.stop(), 60_000, 'Stopping n8n').catch((error: unknown) => notes.push(String(error)));
	}
}
