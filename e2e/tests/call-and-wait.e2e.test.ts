/*
 * "Call and wait" in a real n8n 2.41.1 with the emulator as the callee: a workflow places a call
 * with Send and Wait for Response (or Place Call and Wait), the execution waits, the emulator's
 * pushes reach the published Huawei Voice Call Trigger, which relays them to the waiting
 * execution, and the execution continues on the branch the callee chose, exactly once.
 */
import { startEmulator, type Emulator } from '../../emulator';
import { delay } from '../../dev/node.cjs';
import { ACTION_TYPE, CREDENTIAL_REF, emulatorCredential, TRIGGER_TYPE, TRIGGER_VERSION } from '../lib/examples';
import { keepWakeTokens } from '../lib/artifacts';
import {
	freePort,
	httpRequest,
	listAllExecutions,
	publicApi,
	startN8n,
	waitForExecutions,
	waitForWebhook,
	webhookUrl,
	type N8nExecution,
	type N8nInstance,
} from '../lib/n8n';

const DISPLAY = '+8675528000001';
const CALLEE = {
	approves: '+8613900000101',
	declines: '+8613900000102',
	noAnswer: '+8613900000103',
	manual: '+8613900000104',
	busy: '+8613900000105',
	caller: '+8613900000106',
};
const RELAY_HOOK = 'e2e3a17e-0000-4000-8000-000000000001';

let seq = 0;
const id = () => `e2e3a17e-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

function connect(from: string, to: string[][]) {
	return { [from]: { main: to.map((targets) => targets.map((node) => ({ node, type: 'main', index: 0 }))) } };
}

/** Webhook (answers at once) → the waiting node → one No Operation node per output. */
function waitingWorkflow(wfId: string, hookPath: string, waitNode: Record<string, unknown>, outputs: string[]) {
	const ends = outputs.map((name, index) => ({ id: id(), name: `On ${name}`, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [480, index * 160], parameters: {} }));
	return {
		id: wfId,
		name: `e2e wait: ${wfId}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: id(), name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: id(), parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'onReceived', options: {} } },
			{ id: id(), name: 'Call', type: ACTION_TYPE, typeVersion: 1, position: [240, 0], credentials: CREDENTIAL_REF, parameters: waitNode },
			...ends,
		],
		connections: { ...connect('Start', [['Call']]), ...connect('Call', ends.map((end) => [end.name])) },
	};
}

let emulator: Emulator;
let n8n: N8nInstance;
let relayUrl = '';

const approvalNode = (extra: Record<string, unknown> = {}) => ({
	resource: 'notification',
	operation: 'sendAndWaitForResponse',
	displayNbr: DISPLAY,
	calleeNbr: '={{ $json.body.number }}',
	playSegments: { segment: [{ type: 'template', templateId: 'tpl-notice-01', parameterList: 'Approve order, 100042' }] },
	additionalFields: { statusUrl: relayUrl, userData: '={{ $json.body.ref }}' },
	...extra,
});

const WF = {
	approval: { id: 'E2eWaitApproval1', path: 'e2e-wait-approval' },
	timeout: { id: 'E2eWaitTimeout01', path: 'e2e-wait-timeout' },
	callback: { id: 'E2eWaitCallback1', path: 'e2e-wait-callback' },
};

beforeAll(async () => {
	emulator = await startEmulator({
		config: {
			timeScale: 0.01,
			statusUrl: null,
			feeUrl: null,
			manualTimeoutMs: 600_000,
			scripts: {
				[CALLEE.approves]: { digits: ['1'] },
				[CALLEE.declines]: { digits: ['2'] },
				[CALLEE.noAnswer]: { outcome: 'noAnswer', ringSeconds: 30 },
				[CALLEE.manual]: { outcome: 'manual' },
				[CALLEE.busy]: { outcome: 'busy' },
			},
		},
	});
	const port = await freePort([Number(new URL(emulator.baseUrl).port)]);
	relayUrl = `http://127.0.0.1:${port}/webhook/${RELAY_HOOK}/webhook`;
	const relay = {
		id: 'E2eWaitRelayTrg',
		name: 'e2e wait: relay trigger',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [{ id: id(), name: 'Trigger', type: TRIGGER_TYPE, typeVersion: TRIGGER_VERSION, position: [0, 0], webhookId: RELAY_HOOK, parameters: {} }],
		connections: {},
	};
	const workflows = [
		relay,
		waitingWorkflow(WF.approval.id, WF.approval.path, approvalNode(), ['Approved', 'Declined', 'No Response']),
		waitingWorkflow(WF.timeout.id, WF.timeout.path, approvalNode({ limitWaitTime: true, limitType: 'afterTimeInterval', resumeAmount: 2, resumeUnit: 'seconds' }), ['Approved', 'Declined', 'No Response']),
		waitingWorkflow(
			WF.callback.id,
			WF.callback.path,
			{
				resource: 'callback',
				operation: 'placeCallAndWait',
				callerNbr: CALLEE.caller,
				calleeNbr: '={{ $json.body.number }}',
				displayNbr: DISPLAY,
				additionalFields: { statusUrl: relayUrl, userData: '={{ $json.body.ref }}' },
			},
			['Answered', 'Not Answered'],
		),
	];
	n8n = await startN8n({
		port,
		credentials: [
			emulatorCredential(emulator),
		],
		workflows,
		publish: workflows.map((wf) => wf.id),
		// The trigger logs each relay's outcome (debug for the expected ones): the tests wait for them.
		env: { N8N_LOG_LEVEL: 'debug' },
	});
	expect((await waitForWebhook(n8n, relayUrl, { body: { probe: true } })).status).toBe(400);
}, 240_000);

afterAll(async () => {
	await n8n?.stop();
	keepWakeTokens(emulator, 'call-and-wait');
	await emulator?.stop();
});

/** Starts a waiting workflow and returns its execution once it waits, with the call it placed. */
async function startWaiting(wf: { id: string; path: string }, body: Record<string, unknown>): Promise<{ executionId: string; sessionId: string }> {
	const known = new Set((await listAllExecutions(n8n, { workflowId: wf.id })).map((e) => e.id));
	const reply = await waitForWebhook(n8n, webhookUrl(n8n, undefined, wf.path), { body });
	expect(reply.status).toBe(200);
	const deadline = Date.now() + 60_000;
	for (;;) {
		const fresh = (await listAllExecutions(n8n, { workflowId: wf.id, includeData: true })).filter((e) => !known.has(e.id));
		const started = fresh.find((e) => callItem(e)?.sessionId !== undefined);
		if (started) return { executionId: started.id, sessionId: String(callItem(started)?.sessionId) };
		if (fresh.some((e) => e.status === 'error')) throw new Error(`The execution failed: ${JSON.stringify(fresh[0].data?.resultData.error)}`);
		if (Date.now() > deadline) throw new Error(`No execution of ${wf.id} placed its call: ${JSON.stringify(fresh.map((e) => e.status))}`);
		await delay(200);
	}
}

/** The Call node's item on whichever output it is (the waiting item, or the resumed one). */
function callItem(execution: N8nExecution): Record<string, unknown> | undefined {
	const outputs = execution.data?.resultData.runData.Call?.at(-1)?.data?.main ?? [];
	return outputs.flatMap((branch) => branch ?? [])[0]?.json;
}

async function finished(executionId: string): Promise<N8nExecution> {
	const [execution] = await waitForExecutions(n8n, (e) => e.id === executionId, { timeoutMs: 120_000 });
	return execution;
}

const branchTaken = (execution: N8nExecution) =>
	Object.keys(execution.data?.resultData.runData ?? {}).filter((node) => node.startsWith('On '));

/** Waits (bounded) until n8n has logged `count` relay outcomes matching `pattern`. */
async function relayOutcomes(pattern: RegExp, count: number): Promise<string[]> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const lines = n8n.logs().split('\n').filter((line) => /Huawei Voice Call Trigger: relay/.test(line) && pattern.test(line));
		if (lines.length >= count) return lines;
		if (Date.now() > deadline) throw new Error(`Expected ${count} relay outcome(s) matching ${pattern}, saw ${lines.length}`);
		await delay(100);
	}
}

async function statusOf(executionId: string): Promise<string> {
	const reply = await publicApi(n8n, 'GET', `/executions/${executionId}`);
	return String((reply.json as { status?: string }).status);
}

test('pressed 1 → Approved, once; the user data comes back intact and the token stays out of every item', async () => {
	const { executionId, sessionId } = await startWaiting(WF.approval, { number: CALLEE.approves, ref: 'order-42' });
	const execution = await finished(executionId);
	expect(execution.status).toBe('success');
	expect({ branch: branchTaken(execution), item: callItem(execution) }).toMatchObject({ branch: ['On Approved'] });
	const item = execution.data?.resultData.runData['On Approved']?.[0]?.data?.main[0]?.[0]?.json;
	expect(item).toMatchObject({ sessionId, outcome: 'answered', response: 'approved', approved: true, digits: '1', decidedBy: 'collectInfo', userData: 'order-42', calleeNbr: CALLEE.approves });

	// The platform got the user's data plus the wake token; no item, node output or other execution shows the token.
	const call = await emulator.waitForCall(sessionId, 'settled');
	expect(String(call.request.userData)).toMatch(new RegExp(`^order-42\\|n8n-wake:${executionId}\\.[0-9a-f]{64}$`));
	const token = String(call.request.userData).split('.').pop() as string;
	const all = await listAllExecutions(n8n, { includeData: true });
	const where = all.flatMap((e) => {
		const text = JSON.stringify(e);
		const paths: string[] = [];
		const walk = (value: unknown, path: string) => {
			if (typeof value === 'string' && value.includes(token)) paths.push(path);
			else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
		};
		if (text.includes(token)) walk(e, `execution ${e.id}`);
		return paths;
	});
	// Only n8n's own record of the execution holds its resume token (as for any waiting execution).
	expect(where).toEqual([`execution ${executionId}.data.resumeToken`]);
	// Every push of the call was answered 200 by the trigger.
	expect(call.pushes.filter((push) => push.kind === 'status').every((push) => push.state === 'delivered')).toBe(true);
});

test('the deciding push re-sent, three times at once: still one resume', async () => {
	const { executionId, sessionId } = await startWaiting(WF.approval, { number: CALLEE.approves, ref: 'order-43' });
	await finished(executionId);
	const call = await emulator.waitForCall(sessionId, 'settled');
	const collect = call.pushes.find((push) => push.eventType === 'collectInfo');
	expect(collect).toBeDefined();
	const replies = await Promise.all([1, 2, 3].map(async () => await httpRequest(relayUrl, { method: 'POST', body: collect?.body })));
	expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200]);
	// Each re-sent push got n8n's answer that the execution was resumed already.
	const resent = await relayOutcomes(new RegExp(`collectInfo of ${sessionId.replace(/[.]/g, '\\.')} → execution ${executionId}: alreadyResumed`), 3);
	expect(resent).toHaveLength(3);
	const executions = (await listAllExecutions(n8n, { workflowId: WF.approval.id, includeData: true })).filter((e) => callItem(e)?.sessionId === sessionId);
	expect(executions).toHaveLength(1);
	expect(executions[0].status).toBe('success');
	expect(executions[0].data?.resultData.runData['On Approved']).toHaveLength(1);
});

test('pressed 2 → Declined', async () => {
	const { executionId } = await startWaiting(WF.approval, { number: CALLEE.declines, ref: 'order-44' });
	const execution = await finished(executionId);
	expect(branchTaken(execution)).toEqual(['On Declined']);
	expect(execution.data?.resultData.runData['On Declined']?.[0]?.data?.main[0]?.[0]?.json).toMatchObject({ response: 'declined', approved: false, digits: '2' });
});

test('no answer → No Response with outcome noAnswer', async () => {
	const { executionId } = await startWaiting(WF.approval, { number: CALLEE.noAnswer, ref: 'order-45' });
	const execution = await finished(executionId);
	expect(branchTaken(execution)).toEqual(['On No Response']);
	expect(execution.data?.resultData.runData['On No Response']?.[0]?.data?.main[0]?.[0]?.json).toMatchObject({ outcome: 'noAnswer', answered: false, response: 'none', decidedBy: 'disconnect' });
});

test('a forged push (wrong token) resumes nothing; the execution is still waiting until the callee answers', async () => {
	const { executionId, sessionId } = await startWaiting(WF.approval, { number: CALLEE.manual, ref: 'order-46' });
	const deadline = Date.now() + 30_000;
	while ((await statusOf(executionId)) !== 'waiting') {
		if (Date.now() > deadline) throw new Error('The execution did not start waiting');
		await delay(200);
	}
	const forged = {
		eventType: 'collectInfo',
		statusInfo: { sessionId, timestamp: '2026-12-01 10:00:00', digitInfo: '1', userData: `order-46|n8n-wake:${executionId}.${'0'.repeat(64)}` },
	};
	expect((await httpRequest(relayUrl, { method: 'POST', body: forged })).status).toBe(200);
	await relayOutcomes(new RegExp(`collectInfo of ${sessionId.replace(/[.]/g, '\\.')} → execution ${executionId}: refused`), 1);
	expect(await statusOf(executionId)).toBe('waiting');

	// The real callee answers and presses 1: now it continues, on Approved.
	const ringing = Date.now() + 30_000;
	while (emulator.calls().find((c) => c.sessionId === sessionId)?.phase !== 'ringingcallee' && emulator.calls().find((c) => c.sessionId === sessionId)?.state !== 'ringing') {
		if (Date.now() > ringing) throw new Error('The call never rang');
		await delay(50);
	}
	emulator.answer(sessionId);
	const collecting = Date.now() + 30_000;
	while (emulator.calls().find((c) => c.sessionId === sessionId)?.phase !== 'collecting') {
		if (Date.now() > collecting) throw new Error('The call never collected digits');
		await delay(50);
	}
	emulator.pressDigits(sessionId, '1');
	const execution = await finished(executionId);
	expect(branchTaken(execution)).toEqual(['On Approved']);
}, 120_000);

test('nobody pushes → timed out after Limit Wait Time, on No Response with outcome timedOut', async () => {
	// The manual callee rings until the end of the test: no final push ever comes.
	const { executionId, sessionId } = await startWaiting(WF.timeout, { number: CALLEE.manual, ref: 'order-47' });
	// n8n's wait tracker looks for due executions once a minute.
	const [execution] = await waitForExecutions(n8n, (e) => e.id === executionId, { timeoutMs: 150_000 });
	expect(branchTaken(execution)).toEqual(['On No Response']);
	expect(execution.data?.resultData.runData['On No Response']?.[0]?.data?.main[0]?.[0]?.json).toMatchObject({
		outcome: 'timedOut',
		decidedBy: 'timeout',
		sessionId,
		userData: 'order-47',
	});
	emulator.hangUp(sessionId);
}, 180_000);

test('Place Call and Wait: answered → Answered with talk time; busy → Not Answered', async () => {
	const answered = await startWaiting(WF.callback, { number: CALLEE.approves, ref: 'cb-1' });
	const busy = await startWaiting(WF.callback, { number: CALLEE.busy, ref: 'cb-2' });
	const [a, b] = [await finished(answered.executionId), await finished(busy.executionId)];
	expect(branchTaken(a)).toEqual(['On Answered']);
	expect(a.data?.resultData.runData['On Answered']?.[0]?.data?.main[0]?.[0]?.json).toMatchObject({ outcome: 'answered', answered: true, decidedBy: 'disconnect', durationsKnown: true, talkSeconds: 20, userData: 'cb-1' });
	expect(branchTaken(b)).toEqual(['On Not Answered']);
	expect(b.data?.resultData.runData['On Not Answered']?.[0]?.data?.main[0]?.[0]?.json).toMatchObject({ outcome: 'busy', answered: false });
});
