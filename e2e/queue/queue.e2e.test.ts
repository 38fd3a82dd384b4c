/*
 * Queue mode end to end: n8n 2.41.1 as teams run it at scale, on this machine (e2e/lib/queue.ts):
 * PostgreSQL and Redis of our own, `n8n start` (main) with production webhooks OFF, two
 * `n8n worker --concurrency=1` and two `n8n webhook` processes, our package installed in each.
 * The emulator runs in this process; its pushes go to the first webhook process.
 *
 * What is proven here, and how:
 * - Pushes are handled by webhook processes: main answers 404 for production webhooks, and the
 *   webhook process that received a push is the one that logged "Enqueued execution <id>".
 * - Action-node executions run on workers: the worker logged "Worker started execution <id>".
 * - Every example workflow runs (manual ones offloaded to workers, trigger ones via webhook-1).
 * - Bulk sending from two workers at once against one app's port limit loses no item and places
 *   no call twice (counted in the emulator).
 * - The trigger's memory across two webhook processes is measured (CDR re-sends, durations) and
 *   printed; example 7's PostgreSQL dedupeKey pattern delivers every CDR exactly once.
 *
 * Break-it switch (to show the suite fails; never set in CI): QUEUE_E2E_WITHOUT_PACKAGE=<process>
 * (e.g. webhook-1, worker-2) starts that process without our package.
 */
import { startEmulator, type EmulatedCall, type Emulator } from '../../emulator';
import { delay, proc, repoRoot } from '../../dev/node.cjs';
import {
	CREDENTIAL_ID,
	emulatorCredential,
	EXAMPLE_EMULATOR_CONFIG,
	EXAMPLE_POSTGRES_CREDENTIAL,
	POSTGRES_CREDENTIAL_TYPE,
	TRIGGER_TYPE,
	loadExamples,
	publishWorkflows,
	triggerUrl,
	triggerWorkflowIds,
	type WorkflowJson,
} from '../lib/examples';
import { keepWakeTokens } from '../lib/artifacts';
import {
	FINISHED,
	httpRequest,
	inParallel,
	listAllExecutions,
	runWorkflowManually,
	waitForExecutions,
	waitForWebhook,
	type HttpResult,
	type N8nExecution,
	type N8nInstance,
} from '../lib/n8n';
import { startQueueCluster, type ExecutionTrace, type QueueCluster } from '../lib/queue';
import { actionNode, codeNode, firstJson, itemsOf, triggerNode, webhookStart, workflow } from '../lib/workflows';

const WITHOUT_PACKAGE = proc.env.QUEUE_E2E_WITHOUT_PACKAGE ?? '';
const spec = (name: string) => (WITHOUT_PACKAGE === name ? { withoutPackage: true } : {});

const DISPLAY = '+8675528000001';
const NOTIFY_CALLEE = '+8613900000101';
const NOTIFY_DIGITS = '7';
const BULK_PER_EXECUTION = 30;
const BULK_PORTS = 5;
const bulkCallee = (batch: number, index: number) => `+8613910${batch}${String(index).padStart(5, '0')}`;
/** Example 7's own database (n8n's is `n8n`). */
const EXAMPLES_DB = 'voicecall_examples';
/** Distinguishes this run's pushes from anything else in the database. */
const RUN = Date.now().toString(36);

const HOOKS = {
	status: 'e2e0c0de-0000-4000-8000-0000000000a1',
	cdrMeasure: 'e2e0c0de-0000-4000-8000-0000000000a2',
	statusMeasure: 'e2e0c0de-0000-4000-8000-0000000000a3',
	onceNoTriggerDedupe: 'e2e0c0de-0000-4000-8000-0000000000a4',
	notify: 'e2e0c0de-0000-4000-8000-0000000000b1',
	bulk: 'e2e0c0de-0000-4000-8000-0000000000b2',
};
const EXAMPLE_7 = 'HwExample7OnceDb';

let emulator: Emulator;
let cluster: QueueCluster;
let main: N8nInstance;
let examples: WorkflowJson[];
let ours: Record<'status' | 'notify' | 'bulk' | 'cdrMeasure' | 'statusMeasure' | 'onceNoTriggerDedupe', WorkflowJson>;
/** Replies of the registration probes: webhook process → workflow id → what answered. */
const probes: Record<string, Record<string, string>> = {};

/**
 * Our trigger refuses a body that is not a Huawei push with 400 and `{ message }` alone. n8n answers
 * 400 too when the workflow's node type is not installed in the process ("Unrecognized node type"),
 * but with its own error body (`code`, `message`, `stacktrace`), so the status alone proves nothing.
 */
function answeredBy(reply: HttpResult): string {
	const keys = reply.json && typeof reply.json === 'object' ? Object.keys(reply.json).sort().join() : '';
	return reply.status === 400 && keys === 'message' ? 'our trigger (400)' : `${reply.status} ${reply.text.slice(0, 160)}`;
}
/** Example workflows that ran in this suite (the last test checks that none was left out). */
const exercised = new Set<string>();

function buildOurs(webhookBase: string): typeof ours {
	const statusUrl = `${webhookBase}/webhook/${HOOKS.status}/webhook`;
	const notification = (calleeNbr: string, extra: Record<string, unknown> = {}) => ({
		resource: 'notification',
		operation: 'send',
		displayNbr: DISPLAY,
		calleeNbr,
		playSegments: { segment: [{ type: 'template', templateId: 'tpl-notice-01', parameterList: 'Press a key, 123456', collectDigits: 1 }] },
		...extra,
	});
	// Example 7 as shipped, but with the trigger's own duplicate memory off: every re-send reaches PostgreSQL.
	const example7 = loadExamples(repoRoot, webhookBase, CREDENTIAL_ID, { postgres: EXAMPLE_POSTGRES_CREDENTIAL }).find((wf) => wf.id === EXAMPLE_7);
	if (!example7) throw new Error(`examples/ has no workflow ${EXAMPLE_7}`);
	const noTriggerDedupe = JSON.parse(JSON.stringify(example7)) as WorkflowJson;
	noTriggerDedupe.id = 'E2eQOnceNoDedup1';
	noTriggerDedupe.name = 'e2e queue: example 7 with the trigger dedupe off';
	const trigger = noTriggerDedupe.nodes.find((node) => node.type === TRIGGER_TYPE) as WorkflowJson['nodes'][number];
	trigger.webhookId = HOOKS.onceNoTriggerDedupe;
	trigger.parameters = { ...trigger.parameters, dropDuplicates: false };

	return {
		status: workflow('E2eQStatusTrig01', 'e2e queue: status trigger', [triggerNode(HOOKS.status, ['collectInfo', 'disconnect'])]),
		notify: workflow('E2eQNotifyDtmf01', 'e2e queue: notify with DTMF', [
			webhookStart('e2e-q-notify', HOOKS.notify, 'lastNode'),
			// The CDR also goes to the status trigger, which acknowledges it without running (cdr not selected).
			actionNode('Notify', notification('={{ $json.body.number }}', { additionalFields: { statusUrl, feeUrl: statusUrl, userData: 'e2e-q-notify' } })),
		]),
		bulk: workflow('E2eQBulkNotify01', 'e2e queue: bulk notifications', [
			webhookStart('e2e-q-bulk', HOOKS.bulk, 'onReceived'),
			codeNode('Numbers', 'const { numbers, batch } = $input.first().json.body;\nreturn numbers.map((number) => ({ json: { number, batch } }));'),
			actionNode('Notify', {
				...notification('={{ $json.number }}', { additionalFields: { userData: '={{ $json.batch }}' } }),
				playSegments: { segment: [{ type: 'template', templateId: 'tpl-notice-01', parameterList: 'Bulk, 123456' }] },
				options: { maxConcurrent: 5 },
			}),
		]),
		cdrMeasure: workflow('E2eQMeasureCdr01', 'e2e queue: CDR memory measurement', [triggerNode(HOOKS.cdrMeasure, ['cdr'])]),
		statusMeasure: workflow('E2eQMeasureSts01', 'e2e queue: durations measurement', [triggerNode(HOOKS.statusMeasure, ['disconnect'])]),
		onceNoTriggerDedupe: noTriggerDedupe,
	};
}

const triggerWorkflows = (): WorkflowJson[] => [...Object.values(ours), ...examples].filter((wf) => triggerWorkflowIds([wf]).length > 0);

beforeAll(async () => {
	emulator = await startEmulator({
		config: {
			...EXAMPLE_EMULATOR_CONFIG,
			timeScale: 0.01,
			scripts: {
				...EXAMPLE_EMULATOR_CONFIG.scripts,
				[NOTIFY_CALLEE]: { digits: [NOTIFY_DIGITS] },
				// Bulk callees ring 20 s (0.2 s real): calls hold their port long enough for the limit to bite.
				...Object.fromEntries([1, 2].flatMap((batch) => Array.from({ length: BULK_PER_EXECUTION }, (_, i) => [bulkCallee(batch, i), { ringSeconds: 20 }]))),
			},
		},
	});
	cluster = await startQueueCluster({
		workers: [
			{ concurrency: 1, ...spec('worker-1') },
			{ concurrency: 1, ...spec('worker-2') },
		],
		// Debug on the webhook processes: the trigger logs each relay's answer at debug level.
		webhooks: [
			{ ...spec('webhook-1'), env: { N8N_LOG_LEVEL: 'debug' } },
			{ ...spec('webhook-2'), env: { N8N_LOG_LEVEL: 'debug' } },
		],
		main: spec('main'),
		imports: async ({ postgres, webhookBaseUrls }) => {
			await postgres.createDatabase(EXAMPLES_DB);
			examples = loadExamples(repoRoot, webhookBaseUrls[0], CREDENTIAL_ID, { postgres: EXAMPLE_POSTGRES_CREDENTIAL });
			ours = buildOurs(webhookBaseUrls[0]);
			return {
				credentials: [
					emulatorCredential(emulator),
					{
						...EXAMPLE_POSTGRES_CREDENTIAL,
						type: POSTGRES_CREDENTIAL_TYPE,
						data: { host: postgres.host, port: postgres.port, database: EXAMPLES_DB, user: postgres.user, password: postgres.password, ssl: 'disable' },
					},
				],
				workflows: [...Object.values(ours), ...examples],
			};
		},
	});
	main = cluster.main;
	await publishWorkflows(main, [...triggerWorkflows().map((wf) => wf.id), ours.notify.id, ours.bulk.id]);
	// Pushes are sent once: every trigger must be registered on both webhook processes before a call
	// is placed. A body that is not a Huawei push gets 400 from our trigger (and starts nothing).
	for (const hook of cluster.webhooks) {
		probes[hook.name] = {};
		for (const wf of triggerWorkflows()) {
			const reply = await waitForWebhook(main, triggerUrl(hook.baseUrl, wf), { body: { probe: true }, timeoutMs: 60_000 });
			probes[hook.name][wf.id] = answeredBy(reply);
		}
	}
}, 600_000);

afterAll(async () => {
	await cluster?.stop();
	keepWakeTokens(emulator, 'queue');
	await emulator?.stop();
});

// ---------------------------------------------------------------------------------------------
// Helpers

async function post(url: string, body: unknown): Promise<HttpResult> {
	return await httpRequest(url, { method: 'POST', body, timeoutMs: 60_000 });
}

/** Where the executions ran; fails with the traces when one has no worker or no enqueuing process. */
async function traces(executions: N8nExecution[]): Promise<Record<string, ExecutionTrace>> {
	const found = await cluster.waitForTraces(executions.map((e) => e.id));
	for (const [id, trace] of Object.entries(found)) {
		if (trace.ranOn.length === 0 || trace.enqueuedBy.length === 0) throw new Error(`Execution ${id} has no complete trace: ${JSON.stringify(trace)}`);
	}
	return found;
}

const workerNames = () => cluster.workers.map((w) => w.name);

/** Runs a manual example on a worker (offloaded by main) and checks where it ran. */
async function runExample(id: string, triggerName = 'Start'): Promise<N8nExecution> {
	exercised.add(id);
	const execution = await runWorkflowManually(main, id, triggerName, 60_000);
	expect(execution.status).toBe('success');
	const trace = (await traces([execution]))[execution.id];
	expect(trace.enqueuedBy).toEqual(['main']);
	expect(workerNames()).toContain(trace.ranOn[0]);
	return execution;
}

/** Executions started by pushes: enqueued by the webhook process that got the push, run on a worker. */
async function expectFromWebhookProcess(executions: N8nExecution[], webhookProcess = 'webhook-1'): Promise<void> {
	const found = await traces(executions);
	for (const execution of executions) {
		expect(found[execution.id].enqueuedBy).toEqual([webhookProcess]);
		expect(workerNames()).toContain(found[execution.id].ranOn[0]);
	}
}

/** One line on stdout (the lint rules forbid `console`). */
const say = (line: string) => proc.stdout.write(`${line}\n`);

const MARKER_PREFIX = 'q-marker-';
let markerSeq = 0;
const isMarker = (execution: N8nExecution) => String(cdrItem(execution).sessionId).startsWith(MARKER_PREFIX);

/**
 * Every execution of a CDR workflow once everything sent so far has run, without the markers. An
 * execution that must not exist cannot be awaited, a marker can: one marker CDR per webhook
 * process, sent after every other push was answered. n8n creates a push's execution right after
 * the node's webhook() returns, so once the markers' executions exist, so do those of every push
 * answered before; then all of them must finish (and the count stay put for a second, as a margin).
 */
async function settledCdrExecutions(wf: WorkflowJson, timeoutMs = 180_000): Promise<N8nExecution[]> {
	const template = (await notifyCall()).cdr as Record<string, unknown>;
	const markers = cluster.webhooks.map((hook) => `${MARKER_PREFIX}${RUN}-${++markerSeq}-${hook.name}@queue.emulator`);
	for (const [i, hook] of cluster.webhooks.entries()) {
		const reply = await post(triggerUrl(hook.baseUrl, wf), { eventType: 'fee', feeLst: [{ ...template, sessionId: markers[i], icid: `MARKER${markerSeq}x${i}` }] });
		expect(reply.status).toBe(200);
	}
	await waitForExecutions(main, (e) => markers.includes(String(cdrItem(e).sessionId)), { workflowId: wf.id, count: markers.length, timeoutMs });
	const deadline = Date.now() + timeoutMs;
	let previous = -1;
	let stable = 0;
	for (;;) {
		const all = await listAllExecutions(main, { workflowId: wf.id });
		const done = all.every((e) => FINISHED.has(e.status));
		stable = done && all.length === previous ? stable + 1 : 0;
		previous = all.length;
		if (stable >= 2) return (await listAllExecutions(main, { workflowId: wf.id, includeData: true })).filter((e) => !isMarker(e));
		if (Date.now() > deadline) throw new Error(`${wf.id}: ${all.length} executions, not all finished after ${timeoutMs} ms`);
		await delay(500);
	}
}

/** One real notification call through the cluster, for its push bodies (status events and CDR). */
let templateCall: Promise<EmulatedCall> | undefined;
function notifyCall(): Promise<EmulatedCall> {
	templateCall ??= (async () => {
		const reply = await post(`${cluster.webhooks[0].baseUrl}/webhook/e2e-q-notify`, { number: NOTIFY_CALLEE });
		if (reply.status !== 200) throw new Error(`POST e2e-q-notify → ${reply.status} ${reply.text}`);
		const sessionId = String((reply.json as { sessionId?: string }).sessionId);
		return await emulator.waitForCall(sessionId, 'settled', 30_000);
	})();
	return templateCall;
}

const triggerItem = (execution: N8nExecution) => firstJson(execution, 'Trigger') ?? {};
/** The CDR item of an execution: the trigger node is "Trigger" in ours, "On CDR" in the examples. */
const cdrItem = (execution: N8nExecution) => firstJson(execution, 'Trigger') ?? firstJson(execution, 'On CDR') ?? {};
const platformSeconds = (time: unknown) => Date.parse(`${String(time).replace(' ', 'T')}Z`) / 1000;

// ---------------------------------------------------------------------------------------------

describe('the cluster', () => {
	test('main serves no production webhooks; both webhook processes serve every published trigger', async () => {
		for (const wf of triggerWorkflows()) {
			const onMain = await post(triggerUrl(main.baseUrl, wf), { probe: true });
			expect(onMain.status).toBe(404);
		}
		const expected = Object.fromEntries(triggerWorkflows().map((wf) => [wf.id, 'our trigger (400)']));
		expect(probes).toEqual({ 'webhook-1': expected, 'webhook-2': expected });
	});

	test('a push is handled by the webhook process that received it; its execution runs on a worker', async () => {
		const executions: N8nExecution[] = [];
		for (const hook of cluster.webhooks) {
			const marker = `q-route-${RUN}-${hook.name}@callenabler.emulator`;
			const reply = await post(triggerUrl(hook.baseUrl, ours.status), {
				eventType: 'disconnect',
				statusInfo: { sessionId: marker, timestamp: '2026-11-24 12:00:00', stateCode: 0 },
			});
			expect(reply.status).toBe(200);
			const [execution] = await waitForExecutions(main, (e) => triggerItem(e).sessionId === marker, { workflowId: ours.status.id, timeoutMs: 60_000 });
			expect(execution.status).toBe('success');
			expect(triggerItem(execution)).toMatchObject({ event: 'disconnect', sessionId: marker, outcome: 'answered' });
			await expectFromWebhookProcess([execution], hook.name);
			executions.push(execution);
		}
		expect(executions).toHaveLength(2);
	});

	test('action-node executions run on a worker: a notification with DTMF, answered through the webhook process', async () => {
		const call = await notifyCall();
		const [sent] = await waitForExecutions(main, (e) => firstJson(e, 'Notify')?.sessionId === call.sessionId, {
			workflowId: ours.notify.id,
			timeoutMs: 60_000,
		});
		expect(firstJson(sent, 'Notify')).toMatchObject({ resultcode: '0', calleeNbr: NOTIFY_CALLEE });
		await expectFromWebhookProcess([sent]);

		const statusExecutions = await waitForExecutions(main, (e) => triggerItem(e).sessionId === call.sessionId, {
			workflowId: ours.status.id,
			count: 2,
			timeoutMs: 60_000,
		});
		const items = statusExecutions.map(triggerItem);
		expect(items.find((item) => item.event === 'collectInfo')).toMatchObject({ digits: NOTIFY_DIGITS, userData: 'e2e-q-notify' });
		expect(items.find((item) => item.event === 'disconnect')).toMatchObject({ outcome: 'answered', userData: 'e2e-q-notify' });
		await expectFromWebhookProcess(statusExecutions);
		expect(call.digitsCollected).toEqual([NOTIFY_DIGITS]);
		// Every push (5 status events and the CDR) was answered 200 by webhook-1.
		expect(call.pushes.map((push) => push.state)).toEqual(call.pushes.map(() => 'delivered'));
	});
});

describe('example workflows (examples/*.json) in queue mode', () => {
	test('1: TTS notification to a list of numbers, on a worker', async () => {
		const execution = await runExample('HwExample1Notify');
		const sent = itemsOf(execution, 'Send voice notification').map((item) => item.json);
		expect(sent.map((item) => item.calleeNbr)).toEqual(['+8613800000011', '+8613800000012', '+8613800000013']);
		expect(sent.every((item) => item.resultcode === '0' && typeof item.sessionId === 'string')).toBe(true);
	});

	test('2: click-to-call with recording; 2b downloads the WAV from the CDR (binary data in PostgreSQL)', async () => {
		const execution = await runExample('HwExample2CallRc');
		const sessionId = firstJson(execution, 'Call agent, then customer')?.sessionId;
		expect(typeof sessionId).toBe('string');
		exercised.add('HwExample2CdrRec');
		const [onCdr] = await waitForExecutions(main, (e) => firstJson(e, 'On CDR')?.sessionId === sessionId, {
			workflowId: 'HwExample2CdrRec',
			timeoutMs: 60_000,
		});
		expect(onCdr.status).toBe('success');
		const [download] = itemsOf(onCdr, 'Download recording');
		expect(download.binary?.data).toMatchObject({ mimeType: 'audio/wav' });
		expect(download.json.fileSize).toBe(emulator.config.recordingBytes);
		await expectFromWebhookProcess([onCdr]);
	});

	test('3: confirmation call; 3b routes 1 to Confirmed and 2 to Cancelled', async () => {
		const execution = await runExample('HwExample3Dtmf01');
		const sessionIds = itemsOf(execution, 'Ask for confirmation').map((item) => item.json.sessionId);
		expect(sessionIds).toHaveLength(2);
		exercised.add('HwExample3DtmfRx');
		const handled = await waitForExecutions(main, (e) => sessionIds.includes(firstJson(e, 'On digits')?.sessionId), {
			workflowId: 'HwExample3DtmfRx',
			count: 2,
			timeoutMs: 60_000,
		});
		const decisions = handled.map((e) => firstJson(e, 'Confirmed') ?? firstJson(e, 'Cancelled') ?? firstJson(e, 'No valid answer'));
		expect(decisions).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ order: 'order-100231', decision: 'confirmed' }),
				expect.objectContaining({ order: 'order-100232', decision: 'cancelled' }),
			]),
		);
		await expectFromWebhookProcess(handled);
	});

	test('4: a long call is hung up by 4b (Wait on a worker, then Terminate) 10 seconds after the answer', async () => {
		const execution = await runExample('HwExample4LongCl');
		const sessionId = String(firstJson(execution, 'Call support line')?.sessionId);
		const call = await emulator.waitForCall(sessionId, 'ended', 60_000);
		expect(call.disconnect?.stateCode).toBe(8017);
		exercised.add('HwExample4HangUp');
		const [hangUp] = await waitForExecutions(main, (e) => firstJson(e, 'Hang up')?.sessionId === sessionId, {
			workflowId: 'HwExample4HangUp',
			timeoutMs: 30_000,
		});
		expect(firstJson(hangUp, 'Hang up')).toMatchObject({ sessionId, terminated: true });
		await expectFromWebhookProcess([hangUp]);
	}, 120_000);

	test('8: 2FA fallback: the voice verification calls are placed from a worker', async () => {
		const execution = await runExample('HwExample8VoiceOtp');
		const calls = itemsOf(execution, 'Call with the code').map((item) => item.json);
		expect(calls.map((item) => [item.calleeNbr, item.resultcode])).toEqual([
			['+8613800000081', '0'],
			['+8613800000083', '0'],
		]);
		const bodies = emulator.requests().filter((r) => r.endpoint === 'callVerify' && calls.some((c) => c.sessionId === r.sessionId));
		// Sent concurrently: compare without order.
		expect(bodies.map((r) => (r.body as { verifyCode: string }).verifyCode).sort()).toEqual(['482913', '90517']);
	});
});

describe('bulk sending from two workers at once', () => {
	test(`2 × ${BULK_PER_EXECUTION} notifications against an app with ${BULK_PORTS} ports: every item placed once, none lost`, async () => {
		const previousPorts = emulator.config.ports;
		emulator.configure({ ports: BULK_PORTS });
		try {
			const batches = [1, 2].map((batch) => ({ batch: `bulk-${batch}`, numbers: Array.from({ length: BULK_PER_EXECUTION }, (_, i) => bulkCallee(batch, i)) }));
			const callees = new Set(batches.flatMap((b) => b.numbers));
			const before = new Set((await listAllExecutions(main, { workflowId: ours.bulk.id })).map((e) => e.id));
			// Both at once, one through each webhook process; each worker (concurrency 1) takes one.
			const replies = await Promise.all(batches.map((body, i) => post(`${cluster.webhooks[i].baseUrl}/webhook/e2e-q-bulk`, body)));
			expect(replies.map((r) => r.status)).toEqual([200, 200]);
			const executions = await waitForExecutions(main, (e) => !before.has(e.id), { workflowId: ours.bulk.id, count: 2, timeoutMs: 240_000 });
			expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
			const found = await traces(executions);
			expect(new Set(executions.map((e) => found[e.id].ranOn[0]))).toEqual(new Set(workerNames()));

			// Every item accounted for: one output per input, accepted, with its own sessionId.
			const outputs = executions.flatMap((e) => itemsOf(e, 'Notify').map((item) => item.json));
			expect(outputs).toHaveLength(2 * BULK_PER_EXECUTION);
			expect(outputs.filter((item) => item.resultcode !== '0' || item.error !== undefined)).toEqual([]);
			expect(new Set(outputs.map((item) => item.calleeNbr))).toEqual(callees);
			const sessionIds = new Set(outputs.map((item) => String(item.sessionId)));
			expect(sessionIds.size).toBe(2 * BULK_PER_EXECUTION);

			// Each callee called exactly once, by the platform's own count.
			const requests = emulator.requests().filter((r) => r.endpoint === 'callNotify' && callees.has(String((r.body as { calleeNbr?: string }).calleeNbr)));
			const accepted = requests.filter((r) => r.resultcode === '0');
			const refused = requests.filter((r) => r.resultcode === '1020165');
			const perCallee = new Map<string, number>();
			for (const r of accepted) perCallee.set(String((r.body as { calleeNbr: string }).calleeNbr), (perCallee.get(String((r.body as { calleeNbr: string }).calleeNbr)) ?? 0) + 1);
			expect([...perCallee.values()].every((count) => count === 1)).toBe(true);
			expect(perCallee.size).toBe(2 * BULK_PER_EXECUTION);
			expect(requests.length).toBe(accepted.length + refused.length);
			const calls = emulator.calls().filter((call) => callees.has(String(call.request.calleeNbr)));
			expect(new Set(calls.map((call) => call.sessionId))).toEqual(sessionIds);
			// The port limit really was hit: otherwise this would not test pacing across workers.
			expect(refused.length).toBeGreaterThan(0);
			const seconds = (Math.max(...executions.map((e) => Date.parse(String(e.stoppedAt)))) - Math.min(...executions.map((e) => Date.parse(e.startedAt)))) / 1000;
			say(`[queue] bulk: 2 executions on ${[...new Set(Object.values(found).map((t) => t.ranOn[0]))].join(' + ')}, ${accepted.length} calls placed, ${refused.length} × 1020165 absorbed, 0 failed, 0 duplicates, ${seconds.toFixed(1)} s`);
			for (const call of calls) await emulator.waitForCall(call.sessionId, 'ended', 30_000);
		} finally {
			emulator.configure({ ports: previousPorts });
		}
	}, 300_000);
});

describe('example 7: every CDR exactly once with PostgreSQL (dedupeKey)', () => {
	const cdrPush = (tag: string, i: number, template: Record<string, unknown>) => ({
		eventType: 'fee',
		feeLst: [{ ...template, sessionId: `${tag}-${i}@queue.emulator`, icid: `ICID${tag.replace(/[^0-9A-Za-z]/g, '')}x${i}` }],
	});

	/**
	 * 20 distinct CDR pushes alternately to the two webhook processes, then the same 20 re-sent, 10 at
	 * once, each to the OTHER process than its original. Returns the executions once settled.
	 */
	async function pushTwice(wf: WorkflowJson, tag: string): Promise<{ executions: N8nExecution[]; keys: string[] }> {
		const template = (await notifyCall()).cdr as Record<string, unknown>;
		const urls = cluster.webhooks.map((hook) => triggerUrl(hook.baseUrl, wf));
		const bodies = Array.from({ length: 20 }, (_, i) => cdrPush(tag, i, template));
		const originals = await Promise.all(bodies.map((body, i) => post(urls[i % 2], body)));
		expect(originals.map((r) => r.status)).toEqual(bodies.map(() => 200));
		const resent = await inParallel(bodies, 10, async (body, i) => (await post(urls[(i + 1) % 2], body)).status);
		expect(resent).toEqual(bodies.map(() => 200));
		const keys = bodies.map((body) => `cdr|${body.feeLst[0].sessionId}|${body.feeLst[0].icid}`);
		// The workflow's other executions (its "run once" branch) are not ours.
		const all = await settledCdrExecutions(wf);
		return { executions: all.filter((e) => keys.includes(String(cdrItem(e).dedupeKey))), keys };
	}

	function expectExactlyOnce(result: { executions: N8nExecution[]; keys: string[] }, label: string): void {
		const { executions, keys } = result;
		expect(executions.filter((e) => e.status !== 'success').map((e) => e.id)).toEqual([]);
		const work = executions.flatMap((e) => itemsOf(e, 'Process the CDR').map((item) => item.json));
		expect(work.map((item) => item.dedupeKey).sort()).toEqual([...keys].sort());
		expect(work.every((item) => typeof item.sessionId === 'string' && String(item.dedupeKey).includes(String(item.sessionId)))).toBe(true);
		const stoppedAtPostgres = executions.filter((e) => itemsOf(e, 'Process the CDR').length === 0).length;
		say(`[queue] exactly once (${label}): 40 pushes → ${executions.length} executions, ${stoppedAtPostgres} stopped at PostgreSQL as duplicates, ${work.length} "Process the CDR" items for ${keys.length} CDRs`);
	}

	test('the table is created by the example\'s own "run once" branch, on a worker', async () => {
		const execution = await runExample(EXAMPLE_7, 'Create the table (run once)');
		expect(execution.data?.resultData.runData['Create table']).toHaveLength(1);
		expect((await cluster.postgres.query("SELECT to_regclass('huawei_cdr_delivered') IS NOT NULL", EXAMPLES_DB)).trim()).toBe('t');
	});

	test('as shipped: 20 CDRs, re-sent across two webhook processes → exactly 20 processed', async () => {
		const result = await pushTwice(examples.find((wf) => wf.id === EXAMPLE_7) as WorkflowJson, `q7-${RUN}`);
		expectExactlyOnce(result, 'as shipped');
		expect((await cluster.postgres.query(`SELECT count(*) FROM huawei_cdr_delivered WHERE session_id LIKE 'q7-${RUN}-%'`, EXAMPLES_DB)).trim()).toBe('20');
		// Both webhook processes handled pushes, and every execution ran on a worker.
		const found = await traces(result.executions);
		expect(new Set(Object.values(found).map((trace) => trace.enqueuedBy.join()))).toEqual(new Set(cluster.webhooks.map((hook) => hook.name)));
		expect(Object.values(found).every((trace) => workerNames().includes(trace.ranOn[0]))).toBe(true);
	});

	test('with the trigger\'s own memory off, every re-send reaches PostgreSQL and is stopped there', async () => {
		const result = await pushTwice(ours.onceNoTriggerDedupe, `q7n-${RUN}`);
		// Deterministic here: all 40 pushes run the workflow, and PostgreSQL lets 20 through.
		expect(result.executions).toHaveLength(40);
		expectExactlyOnce(result, 'trigger dedupe off');
		expect(result.executions.filter((e) => itemsOf(e, 'Process the CDR').length === 0)).toHaveLength(20);
	});
});

describe("the trigger's memory across two webhook processes (measured, printed)", () => {
	test('CDR re-sends: 200 CDRs re-sent to the same process, then to the other one; 200 more sent to both at the same moment', async () => {
		const template = (await notifyCall()).cdr as Record<string, unknown>;
		const wf = ours.cdrMeasure;
		const urls = cluster.webhooks.map((hook) => triggerUrl(hook.baseUrl, wf));
		const count = 200;
		const indexes = Array.from({ length: count }, (_, i) => i);
		const body = (tag: string, i: number) => ({
			eventType: 'fee',
			feeLst: [{ ...template, sessionId: `${tag}-${RUN}-${i}@queue.emulator`, icid: `ICID${tag}${RUN}x${i}` }],
		});
		const keysOf = (tag: string) => new Set(indexes.map((i) => `cdr|${tag}-${RUN}-${i}@queue.emulator|ICID${tag}${RUN}x${i}`));
		/** Sends every CDR `tag`-i to each URL `targets(i)` gives (at the same moment when more than one). */
		const round = async (tag: string, targets: (i: number) => string[]): Promise<N8nExecution[]> => {
			const statuses = (await inParallel(indexes, 10, async (i) => await Promise.all(targets(i).map(async (url) => (await post(url, body(tag, i))).status)))).flat();
			// No push is refused: the platform would re-send a CDR that did not get a 200.
			expect(statuses.filter((s) => s !== 200)).toEqual([]);
			return await settledCdrExecutions(wf);
		};
		/** Guaranteed: nothing lost, nothing invented, every item well-formed, every execution succeeded. */
		const deliveries = (executions: N8nExecution[], keys: Set<string>, maxPerKey: number): number[] => {
			expect(executions.filter((e) => e.status !== 'success')).toEqual([]);
			const items = executions.flatMap((e) => itemsOf(e, 'Trigger').map((item) => item.json)).filter((item) => keys.has(String(item.dedupeKey)));
			expect(new Set(items.map((item) => item.dedupeKey))).toEqual(keys);
			for (const item of items) {
				expect(item).toMatchObject({ event: 'cdr', eventType: 'fee' });
				expect(item.dedupeKey).toBe(`cdr|${String(item.sessionId)}|${String(item.icid)}`);
			}
			const perKey = new Map<unknown, number>();
			for (const item of items) perKey.set(item.dedupeKey, (perKey.get(item.dedupeKey) ?? 0) + 1);
			expect(Math.max(...perKey.values())).toBeLessThanOrEqual(maxPerKey);
			return [1, 2, 3].map((n) => [...perKey.values()].filter((seen) => seen === n).length);
		};

		const first = await round('qm', (i) => [urls[i % 2]]);
		const afterSame = await round('qm', (i) => [urls[i % 2]]);
		const afterOther = await round('qm', (i) => [urls[(i + 1) % 2]]);
		const [once, twice, thrice] = deliveries(afterOther, keysOf('qm'), 3);
		const atOnce = await round('qx', () => urls);
		const [onceAtOnce, twiceAtOnce] = deliveries(atOnce.filter((e) => keysOf('qx').has(String(cdrItem(e).dedupeKey))), keysOf('qx'), 2);
		say(
			`[queue] CDR memory: ${count} CDRs, each to one of 2 webhook processes → ${first.length} executions; re-sent to the same process → ` +
				`+${afterSame.length - first.length} executions; re-sent to the other process → +${afterOther.length - afterSame.length} ` +
				`(delivered once: ${once}, twice: ${twice}, three times: ${thrice}); ${count} more CDRs, each sent to both processes at the same moment → ` +
				`${onceAtOnce + 2 * twiceAtOnce} executions (delivered once: ${onceAtOnce}, twice: ${twiceAtOnce})`,
		);
	}, 300_000);

	test('durations: 100 calls × 4 status pushes, alternating between the processes (and, for comparison, 100 calls each on one process)', async () => {
		const call = await notifyCall();
		const templates = call.pushes
			.filter((push) => push.kind === 'status' && ['callout', 'alerting', 'answer', 'disconnect'].includes(push.eventType))
			.map((push) => push.body as { eventType: string; statusInfo: Record<string, unknown> });
		expect(templates.map((t) => t.eventType)).toEqual(['callout', 'alerting', 'answer', 'disconnect']);
		const time = Object.fromEntries(templates.map((t) => [t.eventType, platformSeconds(t.statusInfo.timestamp)]));
		const expected = { ringSeconds: time.answer - time.alerting, talkSeconds: time.disconnect - time.answer };
		const urls = cluster.webhooks.map((hook) => triggerUrl(hook.baseUrl, ours.statusMeasure));

		const measure = async (tag: string, target: (callIndex: number, pushIndex: number) => string) => {
			const calls = 100;
			const sessionId = (k: number) => `${tag}-${k}@queue.emulator`;
			const statuses: number[] = [];
			await inParallel(Array.from({ length: calls }, (_, k) => k), 10, async (k) => {
				// One call's pushes in order, each after the previous one was answered, as the platform sends them.
				for (const [j, template] of templates.entries()) {
					statuses.push((await post(target(k, j), { ...template, statusInfo: { ...template.statusInfo, sessionId: sessionId(k) } })).status);
				}
			});
			expect(statuses.filter((s) => s !== 200)).toEqual([]);
			const ids = new Set(Array.from({ length: calls }, (_, k) => sessionId(k)));
			// Every disconnect starts exactly one execution: wait for all of them (none lost).
			const executions = await waitForExecutions(main, (e) => ids.has(String(triggerItem(e).sessionId)), {
				workflowId: ours.statusMeasure.id,
				count: calls,
				timeoutMs: 180_000,
				intervalMs: 1_000,
			});
			expect(executions).toHaveLength(calls);
			const items = executions.map(triggerItem);
			expect(new Set(items.map((item) => item.sessionId))).toEqual(ids);
			for (const item of items) {
				expect(item).toMatchObject({ event: 'disconnect', eventType: 'disconnect' });
				expect(item.dedupeKey).toBe(`status|disconnect|${String(item.sessionId)}|${String(templates[3].statusInfo.timestamp)}`);
			}
			const known = items.filter((item) => item.durationsKnown === true);
			const correct = known.filter((item) => item.ringSeconds === expected.ringSeconds && item.talkSeconds === expected.talkSeconds);
			// A duration that is given (not null) but differs from the pushes' times is wrong.
			const wrong = items.filter(
				(item) => (item.ringSeconds !== null && item.ringSeconds !== expected.ringSeconds) || (item.talkSeconds !== null && item.talkSeconds !== expected.talkSeconds),
			);
			const shapes = new Map<string, number>();
			for (const item of items) {
				const shape = `ring ${String(item.ringSeconds)}, talk ${String(item.talkSeconds)}, known ${String(item.durationsKnown)}`;
				shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
			}
			return { calls, correct: correct.length, wrong: wrong.length, shapes: [...shapes].map(([shape, n]) => `${n} × (${shape})`).join(', ') };
		};

		const describeResult = (r: Awaited<ReturnType<typeof measure>>) => `${r.correct}/${r.calls} correct, ${r.wrong} wrong [${r.shapes}]`;
		const alternating = await measure(`qd-alt-${RUN}`, (k, j) => urls[(k + j) % 2]);
		const oneProcess = await measure(`qd-one-${RUN}`, (k) => urls[k % 2]);
		say(
			`[queue] durations (ring ${expected.ringSeconds} s, talk ${expected.talkSeconds} s): the 4 pushes of each call alternating between 2 webhook processes → ${describeResult(alternating)}; ` +
				`all 4 on one process → ${describeResult(oneProcess)}`,
		);
	}, 300_000);
});

describe('call and wait in queue mode', () => {
	// Resumes go to /webhook-waiting/<execution id> on the webhook processes (main serves none here;
	// N8N_WEBHOOK_URL is webhook-1's), and the resumed execution continues on a worker.

	test('5a: approve by phone on a worker, resumed through the webhook process', async () => {
		const execution = await runExample('HwExample5Apprv1');
		exercised.add('HwExample5Relay1');
		expect(firstJson(execution, 'Approved')).toEqual({ order: '100511', decision: 'approved' });
		expect(execution.data?.resultData.runData.Declined).toBeUndefined();
	});

	test('5b: escalation across three waits in one execution: the third engineer takes it, the fourth is never called', async () => {
		const before = emulator.requests().length;
		const execution = await runExample('HwExample5Escal1');
		expect(firstJson(execution, 'Taken')).toEqual({ incident: 'INC-5521', takenBy: '+8613800000523' });
		const called = emulator
			.requests()
			.slice(before)
			.filter((r) => r.endpoint === 'callNotify' && r.resultcode === '0')
			.map((r) => (r.body as { calleeNbr: string }).calleeNbr);
		expect(called).toEqual(['+8613800000521', '+8613800000522', '+8613800000523']);
	});

	test('the deciding pushes re-sent to both webhook processes at once: still exactly one resume', async () => {
		const before = emulator.requests().length;
		const execution = await runExample('HwExample5Apprv1');
		const placed = emulator.requests().slice(before).find((r) => r.endpoint === 'callNotify' && r.resultcode === '0');
		const call = await emulator.waitForCall(String(placed?.sessionId), 'settled', 30_000);
		const relay = examples.find((wf) => wf.id === 'HwExample5Relay1') as WorkflowJson;
		const finals = call.pushes.filter((push) => push.eventType === 'collectInfo' || push.eventType === 'disconnect').map((push) => push.body);
		expect(finals).toHaveLength(2);
		const replies = await Promise.all(
			cluster.webhooks.flatMap((hook) => finals.flatMap((body) => [1, 2].map(async () => await post(triggerUrl(hook.baseUrl, relay), body)))),
		);
		expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
		// n8n answers every one of them that the execution was resumed already (logged by the relay);
		// wait for those answers from both processes, then count the resumes.
		const deadline = Date.now() + 60_000;
		const answered = () =>
			cluster.webhooks.map((hook) => hook.logEntries().filter((entry) => entry.message.includes(`→ execution ${execution.id}: alreadyResumed`)).length);
		while (answered().reduce((a, b) => a + b, 0) < replies.length) {
			if (Date.now() > deadline) throw new Error(`Relay answers seen: ${JSON.stringify(answered())}`);
			await delay(200);
		}
		const again = await listAllExecutions(main, { workflowId: 'HwExample5Apprv1', includeData: true });
		const mine = again.filter((e) => e.id === execution.id);
		expect(mine).toHaveLength(1);
		expect(mine[0].status).toBe('success');
		expect(mine[0].data?.resultData.runData.Approved).toHaveLength(1);
	});
});

test('every example workflow ran in queue mode', () => {
	expect([...exercised].sort()).toEqual(examples.map((wf) => wf.id).sort());
});

test('stopping the cluster leaves nothing running', async () => {
	await cluster.stop();
	expect(cluster.stillRunning()).toEqual([]);
});
