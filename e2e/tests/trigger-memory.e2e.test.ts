/*
 * The trigger's memory in a real n8n 2.41.1 (one process), under concurrency: CDR de-duplication
 * and disconnect durations, exactly as a new user would try them (a published workflow
 * "Huawei Voice Call Trigger (all events) → No Operation", pushes posted to its production URL).
 * Then an n8n restart between a CDR and its re-send, and between a call's events and its disconnect,
 * showing what the README promises. Each case has its own workflow, so executions are counted per case.
 */
import { delay } from '../../dev/node.cjs';
import { removeScratch, scratchDir } from '../lib/artifacts';
import { TRIGGER_TYPE, TRIGGER_VERSION } from '../lib/examples';
import {
	httpRequest,
	inParallel,
	listAllExecutions,
	startN8n,
	waitForExecutions,
	waitForWebhook,
	webhookUrl,
	type N8nExecution,
	type N8nInstance,
} from '../lib/n8n';

interface CaseWorkflow {
	id: string;
	webhookId: string;
}

const CASES = {
	callsConcurrent: { id: 'E2eMemCalls20000', webhookId: 'e2e1e000-0000-4000-8000-000000000001' },
	callsSequential: { id: 'E2eMemCalls10000', webhookId: 'e2e1e000-0000-4000-8000-000000000002' },
	cdrsConcurrent: { id: 'E2eMemCdrs200x20', webhookId: 'e2e1e000-0000-4000-8000-000000000003' },
	cdrsSequential: { id: 'E2eMemCdrs200x01', webhookId: 'e2e1e000-0000-4000-8000-000000000004' },
	cdrFiveAtOnce: { id: 'E2eMemCdrFiveAt1', webhookId: 'e2e1e000-0000-4000-8000-000000000005' },
	badInput: { id: 'E2eMemBadInput01', webhookId: 'e2e1e000-0000-4000-8000-000000000006' },
	restart: { id: 'E2eMemRestart001', webhookId: 'e2e1e000-0000-4000-8000-000000000007' },
} satisfies Record<string, CaseWorkflow>;

/** "Huawei Voice Call Trigger (all events) → No Operation", the workflow of the probe. */
function triggerWorkflow({ id, webhookId }: CaseWorkflow) {
	return {
		id,
		name: `e2e memory: ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: `${webhookId.slice(0, 30)}01`, name: 'Trigger', type: TRIGGER_TYPE, typeVersion: TRIGGER_VERSION, position: [0, 0], webhookId, parameters: {} },
			{ id: `${webhookId.slice(0, 30)}02`, name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
		connections: { Trigger: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
	};
}

const time = (base: number, plusSeconds: number) => new Date(base + plusSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');

/** The four status pushes of an answered call: ring 3 s (alerting → answer), talk 8 s (answer → disconnect). */
function callPushes(sessionId: string, base: number) {
	const info = (seconds: number, extra: Record<string, unknown> = {}) => ({
		sessionId,
		timestamp: time(base, seconds),
		caller: '+8675528000001',
		called: '+8613900000001',
		...extra,
	});
	return [
		{ eventType: 'callout', statusInfo: info(0) },
		{ eventType: 'alerting', statusInfo: info(1) },
		{ eventType: 'answer', statusInfo: info(4) },
		{ eventType: 'disconnect', statusInfo: info(12, { stateCode: 0, stateDesc: 'The user releases the call.' }) },
	];
}

function cdrPush(sessionId: string, icid: string) {
	return {
		eventType: 'fee',
		feeLst: [
			{
				direction: 0,
				spId: 'e2e',
				appKey: 'e2e',
				icid,
				bindNum: '+8675520000000',
				sessionId,
				callerNum: '+8675528000001',
				calleeNum: '+8613900000001',
				callOutStartTime: '2026-12-01 08:00:00',
				callOutAlertingTime: '2026-12-01 08:00:01',
				callOutAnswerTime: '2026-12-01 08:00:04',
				callEndTime: '2026-12-01 08:00:12',
				ulFailReason: 0,
				serviceType: '001',
			},
		],
	};
}

let n8n: N8nInstance;
let userFolder: string;
let markerSeq = 0;

const urlOf = (wf: CaseWorkflow) => webhookUrl(n8n, wf.webhookId, 'webhook');

async function push(wf: CaseWorkflow, body: unknown): Promise<number> {
	const reply = await httpRequest(urlOf(wf), { method: 'POST', body });
	return reply.status;
}

const triggerItem = (execution: N8nExecution) =>
	(execution.data?.resultData.runData.Trigger?.[0]?.data?.main[0]?.[0]?.json ?? {}) as Record<string, unknown>;

/**
 * All executions of a case once everything sent so far has run. An execution that must not exist
 * cannot be awaited; a marker CDR sent after every other push was answered can: once the marker's
 * execution has finished, every push answered before it has started its execution (n8n starts it
 * right after the node's webhook() returns). Returns the executions without the marker's.
 */
const MARKER_PREFIX = 'e2e-marker-';
const isMarker = (execution: N8nExecution) => String(triggerItem(execution).sessionId).startsWith(MARKER_PREFIX);

async function settledExecutions(wf: CaseWorkflow, expected: number): Promise<N8nExecution[]> {
	const marker = `${MARKER_PREFIX}${++markerSeq}@callenabler.e2e`;
	expect(await push(wf, cdrPush(marker, `marker-${markerSeq}`))).toBe(200);
	await waitForExecutions(n8n, (e) => triggerItem(e).sessionId === marker, { workflowId: wf.id, timeoutMs: 120_000 });
	// Bounded: after the marker, the expected executions are normally all finished already.
	const deadline = Date.now() + 60_000;
	for (;;) {
		const all = (await listAllExecutions(n8n, { workflowId: wf.id, includeData: true })).filter((e) => !isMarker(e));
		const finished = all.filter((e) => ['success', 'error', 'crashed', 'canceled'].includes(e.status));
		if (finished.length >= expected || Date.now() > deadline) return all;
		await delay(500);
	}
}

beforeAll(async () => {
	userFolder = await scratchDir('n8n-e2e-memory-');
	n8n = await startN8n({ userFolder, workflows: Object.values(CASES).map(triggerWorkflow), publish: Object.values(CASES).map((wf) => wf.id) });
	for (const wf of Object.values(CASES)) {
		expect((await waitForWebhook(n8n, urlOf(wf), { body: { probe: true } })).status).toBe(400);
	}
}, 240_000);

afterAll(async () => {
	await n8n?.stop();
	if (userFolder) await removeScratch(userFolder);
});

describe('durations on disconnect: 100 calls, callout → alerting → answer → disconnect in order', () => {
	async function placeCalls(wf: CaseWorkflow, concurrency: number): Promise<void> {
		const base = Date.UTC(2026, 11, 1, 8, 0, 0);
		const calls = Array.from({ length: 100 }, (_, i) => `e2e-call-${wf.id}-${i}@callenabler.e2e`);
		// Each call's pushes go one after another, each after the previous 200, as the platform sends them.
		await inParallel(calls, concurrency, async (sessionId, i) => {
			for (const body of callPushes(sessionId, base + i * 60_000)) expect(await push(wf, body)).toBe(200);
		});
		const executions = await settledExecutions(wf, 400);
		expect(executions).toHaveLength(400);
		expect(executions.every((e) => e.status === 'success')).toBe(true);
		const disconnects = executions.map(triggerItem).filter((item) => item.event === 'disconnect');
		expect(disconnects).toHaveLength(100);
		const correct = disconnects.filter((item) => item.ringSeconds === 3 && item.talkSeconds === 8 && item.durationsKnown === true);
		expect(correct).toHaveLength(100);
	}

	test('20 calls at once: 100 of 100 with ring 3 s and talk 8 s', async () => placeCalls(CASES.callsConcurrent, 20), 300_000);

	test('one push at a time: 100 of 100 with ring 3 s and talk 8 s', async () => placeCalls(CASES.callsSequential, 1), 300_000);
});

describe('CDR de-duplication', () => {
	async function sendTwice(wf: CaseWorkflow, concurrency: number): Promise<void> {
		const pushes = Array.from({ length: 200 }, (_, i) => cdrPush(`e2e-cdr-${wf.id}-${i}@callenabler.e2e`, `icid-${i}`));
		for (const round of [1, 2]) {
			const statuses = await inParallel(pushes, concurrency, async (body) => await push(wf, body));
			expect(statuses.every((status) => status === 200)).toBe(true);
			if (round === 1) await settledExecutions(wf, 200);
		}
		const executions = await settledExecutions(wf, 200);
		expect(executions).toHaveLength(200);
		const keys = executions.map((e) => triggerItem(e).dedupeKey);
		expect(new Set(keys).size).toBe(200);
	}

	test('200 distinct CDRs, then the same 200 re-sent, 20 at once: 200 executions', async () => sendTwice(CASES.cdrsConcurrent, 20), 300_000);

	test('the same, one push at a time: 200 executions', async () => sendTwice(CASES.cdrsSequential, 1), 300_000);

	test('one CDR push sent 5 times at once: 1 execution', async () => {
		const body = cdrPush('e2e-cdr-five@callenabler.e2e', 'icid-five');
		const statuses = await Promise.all(Array.from({ length: 5 }, async () => await push(CASES.cdrFiveAtOnce, body)));
		expect(statuses).toEqual([200, 200, 200, 200, 200]);
		const executions = await settledExecutions(CASES.cdrFiveAtOnce, 1);
		expect(executions.map((e) => triggerItem(e).dedupeKey)).toEqual(['cdr|e2e-cdr-five@callenabler.e2e|icid-five']);
	}, 120_000);
});

describe('bad input gets 400 and starts nothing; valid pushes are kept', () => {
	test('a 10,000-deep field, a 1,000,000-character userData and an over-long sessionId → 400; a 50-record CDR → 50 items', async () => {
		const wf = CASES.badInput;
		const deep = `{"eventType":"answer","statusInfo":{"sessionId":"deep","x":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`;
		const deepReply = await httpRequest(urlOf(wf), { method: 'POST', body: deep, headers: { 'content-type': 'application/json' } });
		expect(deepReply.status).toBe(400);
		expect(await push(wf, { eventType: 'answer', statusInfo: { sessionId: 'long', userData: 'u'.repeat(1_000_000) } })).toBe(400);
		expect(await push(wf, { eventType: 'answer', statusInfo: { sessionId: 's'.repeat(257) } })).toBe(400);
		const fifty = {
			eventType: 'fee',
			feeLst: Array.from({ length: 50 }, (_, i) => ({ ...cdrPush(`e2e-fifty-${i}@callenabler.e2e`, `icid-${i}`).feeLst[0] })),
		};
		expect(await push(wf, fifty)).toBe(200);
		const executions = await settledExecutions(wf, 1);
		expect(executions).toHaveLength(1);
		const items = executions[0].data?.resultData.runData.Trigger?.[0]?.data?.main[0] ?? [];
		expect(items).toHaveLength(50);
	}, 120_000);
});

describe('an n8n restart', () => {
	test('between a CDR and its re-send: the re-send is dropped (static-data copy); between a call\'s events and its disconnect: durations are null, not wrong', async () => {
		const wf = CASES.restart;
		const cdr = cdrPush('e2e-restart-cdr@callenabler.e2e', 'icid-restart');
		expect(await push(wf, cdr)).toBe(200);
		const [beforeCall, afterCall] = [0, 1].map((i) => callPushes(`e2e-restart-call-${i}@callenabler.e2e`, Date.UTC(2026, 11, 1, 9, i, 0)));
		for (const body of beforeCall.slice(0, 3)) expect(await push(wf, body)).toBe(200);
		expect(await settledExecutions(wf, 4)).toHaveLength(4);

		await n8n.stop();
		n8n = await startN8n({ userFolder });
		await waitForWebhook(n8n, urlOf(wf), { body: { probe: true } });

		expect(await push(wf, cdr)).toBe(200);
		expect(await push(wf, beforeCall[3])).toBe(200);
		for (const body of afterCall) expect(await push(wf, body)).toBe(200);
		const executions = await settledExecutions(wf, 4 + 1 + 4);
		const items = executions.map(triggerItem);
		// The CDR ran once in all, before the restart.
		expect(items.filter((item) => item.event === 'cdr')).toHaveLength(1);
		// The call that straddled the restart: its disconnect says the durations are unknown.
		const straddled = items.find((item) => item.event === 'disconnect' && item.sessionId === beforeCall[3].statusInfo.sessionId);
		expect(straddled).toMatchObject({ ringSeconds: null, talkSeconds: null, durationsKnown: false });
		// A call entirely after the restart has exact durations.
		const fresh = items.find((item) => item.event === 'disconnect' && item.sessionId === afterCall[3].statusInfo.sessionId);
		expect(fresh).toMatchObject({ ringSeconds: 3, talkSeconds: 8, durationsKnown: true });
	}, 300_000);
});
