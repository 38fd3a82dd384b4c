/*
 * End to end: one real n8n 2.41.1 with this package installed the way users get it, the platform
 * emulator in this process, published workflows that place calls with our action node, and the
 * emulator's pushes reaching our trigger. Results are read from n8n's public API.
 */
import { startEmulator, type Emulator, type EmulatedCall } from '../../emulator';
import { delay, repoRoot } from '../../dev/node.cjs';
import {
	ACTION_TYPE,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	CREDENTIAL_TYPE,
	emulatorCredential,
	EXAMPLE_EMULATOR_CONFIG,
	TRIGGER_TYPE,
	loadExamples,
	publishWorkflows,
	skippedExamples,
	triggerUrl,
	triggerWorkflowIds,
	type WorkflowJson,
} from '../lib/examples';
import { keepWakeTokens } from '../lib/artifacts';
import {
	freePort,
	httpRequest,
	listExecutions,
	restApi,
	runWorkflowManually,
	startN8n,
	waitForExecutions,
	waitForWebhook,
	webhookUrl,
	type N8nExecution,
	type N8nInstance,
} from '../lib/n8n';
import { actionNode, firstJson, itemsOf, triggerNode, webhookStart, workflow } from '../lib/workflows';

const DISPLAY = '+8675528000001';
const NOTIFY_CALLEE = '+8613900000001';
const NOTIFY_DIGITS = '7';
const CALLER = '+8613900000011';
const CALLEE = '+8613900000012';
const LONG_CALLEE = '+8613900000013';

const STATUS_HOOK = 'e2e0a1b2-0000-4000-8000-00000000a001';
const CDR_HOOK = 'e2e0a1b2-0000-4000-8000-00000000a002';
/** A trigger of version 1, as in workflows made before version 2 existed. */
const V1_HOOK = 'e2e0a1b2-0000-4000-8000-00000000a003';

/** Polls the in-process emulator (bounded) until the call satisfies `check`. */
async function waitForCallState(emulator: Emulator, sessionId: string, check: (call: EmulatedCall) => boolean, timeoutMs = 15_000): Promise<EmulatedCall> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const call = emulator.calls().find((candidate) => candidate.sessionId === sessionId);
		if (call && check(call)) return call;
		if (Date.now() > deadline) throw new Error(`Call ${sessionId} did not reach the expected state: ${JSON.stringify(call?.phase)}`);
		await delay(50);
	}
}

let emulator: Emulator;
let n8n: N8nInstance;
let examples: WorkflowJson[];
let statusUrl = '';
let ours: Record<'notify' | 'status' | 'statusV1' | 'callback' | 'cdr' | 'terminate', WorkflowJson>;

beforeAll(async () => {
	emulator = await startEmulator({
		config: {
			...EXAMPLE_EMULATOR_CONFIG,
			timeScale: 0.01,
			scripts: {
				...EXAMPLE_EMULATOR_CONFIG.scripts,
				[NOTIFY_CALLEE]: { digits: [NOTIFY_DIGITS] },
				[LONG_CALLEE]: { talkSeconds: 100_000 },
			},
		},
	});
	const port = await freePort([Number(new URL(emulator.baseUrl).port)]);
	const baseUrl = `http://127.0.0.1:${port}`;
	statusUrl = `${baseUrl}/webhook/${STATUS_HOOK}/webhook`;
	const cdrUrl = `${baseUrl}/webhook/${CDR_HOOK}/webhook`;

	ours = {
		notify: workflow('E2eHwNotifyDtmf1', 'e2e: notify with DTMF', [
			webhookStart('e2e-notify', 'e2e0a1b2-0000-4000-8000-00000000b001'),
			actionNode('Notify', {
				resource: 'notification',
				operation: 'send',
				displayNbr: DISPLAY,
				calleeNbr: '={{ $json.body.number }}',
				playSegments: {
					segment: [{ type: 'template', templateId: 'tpl-notice-01', parameterList: 'Press a key, 123456', collectDigits: 1 }],
				},
				additionalFields: { statusUrl, userData: 'e2e-notify' },
			}),
		]),
		status: workflow('E2eHwStatusTrig1', 'e2e: status trigger', [triggerNode(STATUS_HOOK, ['collectInfo', 'disconnect'])]),
		statusV1: workflow('E2eHwStatusTrgV1', 'e2e: status trigger, version 1', [triggerNode(V1_HOOK, ['disconnect'], {}, 1)]),
		callback: workflow('E2eHwCallback001', 'e2e: callback with recording', [
			webhookStart('e2e-callback', 'e2e0a1b2-0000-4000-8000-00000000b002'),
			actionNode('Place Call', {
				resource: 'callback',
				operation: 'placeCall',
				callerNbr: '={{ $json.body.partyA }}',
				calleeNbr: '={{ $json.body.partyB }}',
				displayNbr: DISPLAY,
				additionalFields: { recordFlag: true, statusUrl, feeUrl: cdrUrl },
			}),
		]),
		cdr: workflow('E2eHwCdrRecord01', 'e2e: CDR to recording', [
			triggerNode(CDR_HOOK, ['cdr']),
			actionNode('Download', { resource: 'recording', operation: 'download' }),
		]),
		terminate: workflow('E2eHwTerminate01', 'e2e: terminate', [
			webhookStart('e2e-terminate', 'e2e0a1b2-0000-4000-8000-00000000b003'),
			actionNode('Terminate', { resource: 'call', operation: 'terminate', sessionId: '={{ $json.body.sessionId }}' }),
		]),
	};
	examples = loadExamples(repoRoot, baseUrl);
	const all = [...Object.values(ours), ...examples];

	n8n = await startN8n({
		port,
		credentials: [
			emulatorCredential(emulator),
		],
		workflows: all,
	});
	await publishWorkflows(n8n, [...Object.values(ours).map((wf) => wf.id), ...triggerWorkflowIds(examples)]);
	// Pushes are sent once: every trigger must be registered before a call is placed. A body that
	// is not a Huawei push gets 400 (and starts nothing) once the webhook exists.
	for (const wf of [ours.status, ours.statusV1, ours.cdr, ...examples.filter((example) => triggerWorkflowIds([example]).length)]) {
		const reply = await waitForWebhook(n8n, triggerUrl(n8n.baseUrl, wf), { body: { probe: true } });
		expect(reply.status).toBe(400);
	}
}, 240_000);

afterAll(async () => {
	await n8n?.stop();
	keepWakeTokens(emulator, 'voicecall');
	await emulator?.stop();
});

/** Runs one of our Webhook-started workflows and returns the action node's first output item. */
async function start(pathName: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
	const reply = await waitForWebhook(n8n, webhookUrl(n8n, undefined, pathName), { body });
	if (reply.status !== 200) {
		const [last] = await listExecutions(n8n, { includeData: true, limit: 1 });
		throw new Error(`POST /webhook/${pathName} → ${reply.status} ${reply.text}; last execution: ${JSON.stringify(last?.data?.resultData.error ?? last?.status)}`);
	}
	return reply.json as Record<string, unknown>;
}

const statusItem = (execution: N8nExecution) => firstJson(execution, 'Trigger') ?? {};

test('notification with DTMF: the trigger gets the digits the callee pressed and the disconnect with its outcome', async () => {
	const sent = await start('e2e-notify', { number: NOTIFY_CALLEE });
	expect(sent).toMatchObject({ resultcode: '0', calleeNbr: NOTIFY_CALLEE });
	const sessionId = String(sent.sessionId);

	const executions = await waitForExecutions(n8n, (e) => statusItem(e).sessionId === sessionId, {
		workflowId: ours.status.id,
		count: 2,
		timeoutMs: 30_000,
	});
	const items = executions.map(statusItem);
	expect(executions.every((e) => e.status === 'success' && e.mode === 'webhook')).toBe(true);
	const collect = items.find((item) => item.event === 'collectInfo');
	const disconnect = items.find((item) => item.event === 'disconnect');
	expect(collect).toMatchObject({ digits: NOTIFY_DIGITS, digitInfo: NOTIFY_DIGITS, userData: 'e2e-notify' });
	expect(disconnect).toMatchObject({ outcome: 'answered', answered: true, userData: 'e2e-notify' });
	expect(typeof disconnect?.stateText).toBe('string');

	const call = await emulator.waitForCall(sessionId, 'settled');
	expect(call.digitsCollected).toEqual([NOTIFY_DIGITS]);
	// Every status push n8n got was answered 200 (callout, alerting, answer, collectInfo, disconnect).
	expect(call.pushes.filter((push) => push.kind === 'status').every((push) => push.state === 'delivered')).toBe(true);
});

test('callback with recording: the CDR starts Recording → Download and the WAV arrives as binary data', async () => {
	const placed = await start('e2e-callback', { partyA: CALLER, partyB: CALLEE });
	expect(placed.resultcode).toBe('0');
	const sessionId = String(placed.sessionId);

	const [execution] = await waitForExecutions(n8n, (e) => statusItem(e).sessionId === sessionId, {
		workflowId: ours.cdr.id,
		timeoutMs: 30_000,
	});
	expect(execution.status).toBe('success');
	const cdr = statusItem(execution);
	expect(cdr).toMatchObject({ event: 'cdr', callType: 'callback', recordFlag: 1 });
	const call = await emulator.waitForCall(sessionId, 'settled');
	expect(cdr.recordObjectName).toBe(call.cdr?.recordObjectName);

	const [download] = itemsOf(execution, 'Download');
	expect(download.json).toMatchObject({ fileName: cdr.recordObjectName, recordDomain: cdr.recordDomain });
	expect(download.json.fileSize).toBe(emulator.config.recordingBytes);
	expect(download.binary?.data).toMatchObject({ fileName: cdr.recordObjectName, mimeType: 'audio/wav', fileExtension: 'wav' });
	expect(String(download.binary?.data.fileSize)).toMatch(/^\d+(\.\d+)? [kK]?B$/);
});

test('terminate: our node hangs up a live call; the disconnect (8017) reaches the trigger and the emulator ends the call', async () => {
	const placed = await start('e2e-callback', { partyA: CALLER, partyB: LONG_CALLEE });
	const sessionId = String(placed.sessionId);
	await waitForCallState(emulator, sessionId, (call) => call.phase === 'talking');

	const stopped = await start('e2e-terminate', { sessionId });
	expect(stopped).toMatchObject({ terminated: true, resultcode: '0' });

	const call = await emulator.waitForCall(sessionId, 'ended');
	expect(call.state).toBe('ended');
	expect(call.disconnect?.stateCode).toBe(8017);

	const [execution] = await waitForExecutions(n8n, (e) => statusItem(e).sessionId === sessionId && statusItem(e).event === 'disconnect', {
		workflowId: ours.status.id,
		timeoutMs: 30_000,
	});
	expect(String(statusItem(execution).stateCode)).toBe('8017');
	expect(statusItem(execution).outcome).toBe('cancelled');

	// Terminating it again is refused by the platform, and our node says so.
	const again = await httpRequest(webhookUrl(n8n, undefined, 'e2e-terminate'), { method: 'POST', body: { sessionId } });
	expect(again.status).toBe(500);
});

test('a malformed push is answered 400 and starts no execution', async () => {
	const before = (await listExecutions(n8n, { workflowId: ours.status.id })).length;
	// (A non-JSON content type is refused by n8n itself with 415 before the node sees it.)
	const notAPush = await httpRequest(statusUrl, { method: 'POST', body: { hello: 'world' } });
	const noStatusInfo = await httpRequest(statusUrl, { method: 'POST', body: { eventType: 'answer' } });
	expect(notAPush.status).toBe(400);
	expect(noStatusInfo.status).toBe(400);
	// An execution that must not happen cannot be awaited; a valid push sent afterwards can. Once it
	// has run, exactly one execution (its own) may have been added.
	const marker = `e2e-marker-${Date.now()}@callenabler.emulator`;
	const valid = await httpRequest(statusUrl, {
		method: 'POST',
		body: { eventType: 'disconnect', statusInfo: { sessionId: marker, timestamp: '2026-11-24 12:00:00', stateCode: 0 } },
	});
	expect(valid.status).toBe(200);
	await waitForExecutions(n8n, (e) => statusItem(e).sessionId === marker, { workflowId: ours.status.id, timeoutMs: 30_000 });
	expect((await listExecutions(n8n, { workflowId: ours.status.id })).length).toBe(before + 1);
});

test('a trigger of version 1 (workflows made before version 2) answers and delivers like version 2', async () => {
	const v1Url = triggerUrl(n8n.baseUrl, ours.statusV1);
	const before = (await listExecutions(n8n, { workflowId: ours.statusV1.id })).length;
	const malformed = await httpRequest(v1Url, { method: 'POST', body: { eventType: 'answer' } });
	expect(malformed.status).toBe(400);
	const marker = `e2e-v1-${Date.now()}@callenabler.emulator`;
	const valid = await httpRequest(v1Url, {
		method: 'POST',
		body: { eventType: 'disconnect', statusInfo: { sessionId: marker, timestamp: '2026-11-24 12:00:00', stateCode: 0 } },
	});
	expect(valid.status).toBe(200);
	expect(valid.text).toBe('');
	const [execution] = await waitForExecutions(n8n, (e) => statusItem(e).sessionId === marker, { workflowId: ours.statusV1.id, timeoutMs: 30_000 });
	expect(statusItem(execution)).toMatchObject({ event: 'disconnect', sessionId: marker, durationsKnown: false });
	expect((await listExecutions(n8n, { workflowId: ours.statusV1.id })).length).toBe(before + 1);
});

test('credential test through n8n succeeds against the emulator and fails with a wrong APP_Secret', async () => {
	const credentials = (appSecret: string) => ({
		credentials: {
			id: CREDENTIAL_ID,
			name: CREDENTIAL_NAME,
			type: CREDENTIAL_TYPE,
			data: { baseUrl: emulator.baseUrl, appKey: emulator.config.appKey, appSecret },
		},
	});
	const ok = await restApi(n8n, 'POST', '/credentials/test', credentials(emulator.config.appSecret));
	expect(ok.status).toBe(200);
	expect((ok.json as { data: unknown }).data).toMatchObject({ status: 'OK' });

	const wrong = await restApi(n8n, 'POST', '/credentials/test', credentials('wrongSecret000000000000000000'));
	expect(wrong.status).toBe(200);
	const result = (wrong.json as { data: { status: string; message: string } }).data;
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(/APP_Secret/);
});

describe('example workflows (examples/*.json, as `npm start` imports them)', () => {
	const byId = (id: string) => examples.find((wf) => wf.id === id) as WorkflowJson;

	const runManually = (id: string, timeoutMs?: number): Promise<N8nExecution> => runWorkflowManually(n8n, id, 'Start', timeoutMs);

	test('1: TTS notification to a list of numbers sends one call per item', async () => {
		const execution = await runManually('HwExample1Notify');
		const sent = itemsOf(execution, 'Send voice notification').map((item) => item.json);
		expect(sent.map((item) => item.calleeNbr)).toEqual(['+8613800000011', '+8613800000012', '+8613800000013']);
		expect(sent.every((item) => item.resultcode === '0' && typeof item.sessionId === 'string')).toBe(true);
		const requests = emulator.requests().filter((r) => r.endpoint === 'callNotify' && r.resultcode === '0');
		expect(requests.map((r) => (r.body as { playInfoList: unknown }).playInfoList)).toContainEqual([
			{ templateId: 'tpl-notice-01', templateParas: ['Alice', '402913'] },
		]);
	});

	test('2: click-to-call with recording, then 2b downloads the recording from the CDR', async () => {
		const execution = await runManually('HwExample2CallRc');
		const sessionId = firstJson(execution, 'Call agent, then customer')?.sessionId;
		expect(typeof sessionId).toBe('string');
		const [onCdr] = await waitForExecutions(n8n, (e) => firstJson(e, 'On CDR')?.sessionId === sessionId, {
			workflowId: 'HwExample2CdrRec',
			timeoutMs: 30_000,
		});
		expect(onCdr.status).toBe('success');
		const [download] = itemsOf(onCdr, 'Download recording');
		expect(download.binary?.data).toMatchObject({ mimeType: 'audio/wav' });
		expect(download.json.fileSize).toBeGreaterThan(0);
	});

	test('3: confirmation call, 3b routes 1 to Confirmed and 2 to Cancelled', async () => {
		const execution = await runManually('HwExample3Dtmf01');
		const sessionIds = itemsOf(execution, 'Ask for confirmation').map((item) => item.json.sessionId);
		expect(sessionIds).toHaveLength(2);
		const handled = await waitForExecutions(n8n, (e) => sessionIds.includes(firstJson(e, 'On digits')?.sessionId), {
			workflowId: 'HwExample3DtmfRx',
			count: 2,
			timeoutMs: 30_000,
		});
		const decisions = handled.map((e) => firstJson(e, 'Confirmed') ?? firstJson(e, 'Cancelled') ?? firstJson(e, 'No valid answer'));
		expect(decisions).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ order: 'order-100231', decision: 'confirmed' }),
				expect.objectContaining({ order: 'order-100232', decision: 'cancelled' }),
			]),
		);
	});

	test('4: a long call is hung up by 4b 10 seconds after the callee answered', async () => {
		const execution = await runManually('HwExample4LongCl');
		const sessionId = String(firstJson(execution, 'Call support line')?.sessionId);
		const call = await emulator.waitForCall(sessionId, 'ended', 40_000);
		expect(call.disconnect?.stateCode).toBe(8017);
		const [hangUp] = await waitForExecutions(n8n, (e) => firstJson(e, 'Hang up')?.terminated === true, {
			workflowId: 'HwExample4HangUp',
			timeoutMs: 20_000,
		});
		expect(firstJson(hangUp, 'Hang up')).toMatchObject({ sessionId, terminated: true });
	}, 90_000);

	test('5a: approve by phone: the manager presses 1, the execution continues on Approved', async () => {
		const execution = await runManually('HwExample5Apprv1');
		expect(firstJson(execution, 'Approved')).toEqual({ order: '100511', decision: 'approved' });
		expect(execution.data?.resultData.runData.Declined).toBeUndefined();
		expect(execution.data?.resultData.runData['Nobody decided']).toBeUndefined();
	});

	test('5b: escalation: 1st declines, 2nd does not answer, the 3rd takes it, the 4th is never called', async () => {
		const before = emulator.requests().length;
		const execution = await runManually('HwExample5Escal1', 60_000);
		expect(firstJson(execution, 'Taken')).toEqual({ incident: 'INC-5521', takenBy: '+8613800000523' });
		expect(execution.data?.resultData.runData['Nobody took it']).toBeUndefined();
		const called = emulator
			.requests()
			.slice(before)
			.filter((r) => r.endpoint === 'callNotify' && r.resultcode === '0')
			.map((r) => (r.body as { calleeNbr: string }).calleeNbr);
		expect(called).toEqual(['+8613800000521', '+8613800000522', '+8613800000523']);
		// Each call's wait ended with its own call's outcome (a late push of an earlier call cannot end a later wait).
		const waits = (execution.data?.resultData.runData['Call and ask to confirm'] ?? []).map((run) =>
			(run.data?.main ?? []).flatMap((branch) => branch ?? []).map((item) => [item.json.calleeNbr, item.json.outcome, item.json.response]),
		);
		expect(waits).toEqual([
			[['+8613800000521', 'answered', 'declined']],
			[['+8613800000522', 'noAnswer', 'none']],
			[['+8613800000523', 'answered', 'approved']],
		]);
	}, 90_000);

	test('8: 2FA fallback: only the people whose SMS was not delivered get a call that reads their code', async () => {
		const before = emulator.requests().length;
		const execution = await runManually('HwExample8VoiceOtp');
		const calls = itemsOf(execution, 'Call with the code').map((item) => item.json);
		expect(calls.map((item) => [item.calleeNbr, item.userData, item.resultcode])).toEqual([
			['+8613800000081', 'otp-login-7731', '0'],
			['+8613800000083', 'otp-login-7733', '0'],
		]);
		// The code is in the request, never in the node's output.
		expect(JSON.stringify(calls)).not.toMatch(/482913|90517/);
		// The two calls are sent concurrently: compare the requests in callee order.
		const requests = emulator
			.requests()
			.slice(before)
			.filter((r) => r.endpoint === 'callVerify')
			.sort((a, b) => String((a.body as { calleeNbr: string }).calleeNbr).localeCompare(String((b.body as { calleeNbr: string }).calleeNbr)));
		expect(requests.map((r) => r.body)).toEqual([
			// returnIdlePort: the node asks for the free ports by default, to pace to them.
			{ displayNbr: '+8675528000001', calleeNbr: '+8613800000081', verifyCode: '482913', times: 2, userData: 'otp-login-7731', returnIdlePort: 'true' },
			{ displayNbr: '+8675528000001', calleeNbr: '+8613800000083', verifyCode: '90517', times: 2, userData: 'otp-login-7733', returnIdlePort: 'true' },
		]);
		for (const item of calls) {
			const call = await emulator.waitForCall(String(item.sessionId), 'ended', 30_000);
			expect(call.cdr).toMatchObject({ serviceType: '001', ttsPlayTimes: 2, userData: item.userData });
		}
	});

	test('examples that need PostgreSQL are left out here (the queue-mode suite runs them)', () => {
		const skipped = skippedExamples(repoRoot);
		expect(skipped.length).toBeGreaterThan(0);
		for (const { name, needs } of skipped) {
			expect(needs).toEqual(['postgres']);
			expect(examples.some((wf) => wf.name === name)).toBe(false);
		}
	});

	test('every trigger example is published and the examples reference the created credential', () => {
		for (const id of triggerWorkflowIds(examples)) expect(byId(id).nodes.some((node) => node.type === TRIGGER_TYPE)).toBe(true);
		for (const wf of examples) {
			for (const node of wf.nodes.filter((candidate) => candidate.type === ACTION_TYPE)) {
				expect(node.credentials?.[CREDENTIAL_TYPE]).toEqual({ id: CREDENTIAL_ID, name: CREDENTIAL_NAME });
			}
		}
	});
});
