/*
 * Real pushes from the platform emulator to the built trigger node (test/helpers/webhookHost.ts):
 * signed status events and CDRs, event selection, durations, and CDR retries after a lost 200.
 */
import type { IDataObject } from 'n8n-workflow';
import { request } from 'undici';

import { startEmulator, type Emulator, type EmulatedCall } from '../../emulator';
import { buildAkskHeaders } from '../../nodes/shared/transport/aksk';
import { secondsBetween } from '../../nodes/shared/platform/time';
import { startWebhookHost, type WebhookHost } from '../helpers/webhookHost';

const DISPLAY_A = '+8675528000001';
const DISPLAY_B = '+8675528000002';
const CALLER = '+8613800000001';
const CALLEE = '+8613800000002';
const NOTIFY_CALLEE = '+8613800000003';

let emulator: Emulator;
let host: WebhookHost;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function place(uri: string, body: IDataObject): Promise<string> {
	const res = await request(`${emulator.baseUrl}${uri}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json;charset=UTF-8',
			...buildAkskHeaders(emulator.config.appKey, emulator.config.appSecret),
		},
		body: JSON.stringify(body),
	});
	const reply = (await res.body.json()) as IDataObject;
	if (reply.resultcode !== '0') throw new Error(`call refused: ${JSON.stringify(reply)}`);
	return String(reply.sessionId);
}

const byEvent = (event: string) => host.items.filter((item) => item.event === event);

beforeEach(async () => {
	emulator = await startEmulator({
		config: {
			timeScale: 0.002,
			simulatedStartTime: '2026-03-01T08:00:00.000Z',
			cdrMergeWindowMs: 5,
			cdrRetryScheduleMs: [10000, 10000],
			pushSigning: 'newline',
			pushCreatedTimezone: 'utc+8',
			scripts: { [NOTIFY_CALLEE]: { digits: ['5'] } },
		},
	});
	host = await startWebhookHost({
		parameters: { verifySignature: true },
		credentials: { appKey: emulator.config.appKey, appSecret: emulator.config.appSecret },
	});
});

afterEach(async () => {
	await emulator.stop();
	await host.stop();
});

test('callback: selected events become items with readable fields; unselected ones get 200 and start nothing', async () => {
	host.parameters.events = ['answer', 'disconnect', 'cdr'];
	const sessionId = await place('/rest/httpsessions/click2Call/v2.0', {
		displayNbr: DISPLAY_A,
		callerNbr: CALLER,
		displayCalleeNbr: DISPLAY_B,
		calleeNbr: CALLEE,
		recordFlag: 'true',
		statusUrl: b64(host.url),
		feeUrl: b64(host.url),
		userData: 'order-42',
	});
	const call: EmulatedCall = await emulator.waitForCall(sessionId, 'settled');

	// Every push (signed, UTC+8 Created) was answered 200 with an empty body.
	expect(call.pushes.map((p) => p.eventType)).toEqual([
		'callout', 'alerting', 'answer', 'callout', 'alerting', 'answer', 'disconnect', 'fee',
	]);
	expect(call.pushes.every((p) => p.state === 'delivered' && p.attempts === 1)).toBe(true);
	expect(host.requests.map((r) => [r.status, r.responseBody])).toEqual(Array(8).fill([200, '']));
	// Only the selected ones started executions: answer ×2, disconnect, CDR.
	expect(host.requests.map((r) => r.executed)).toEqual([false, false, true, false, false, true, true, true]);
	expect(host.executions.map((e) => e.items.map((i) => i.event))).toEqual([['answer'], ['answer'], ['disconnect'], ['cdr']]);

	const [disconnect] = byEvent('disconnect');
	expect(disconnect).toMatchObject({
		sessionId,
		userData: 'order-42',
		stateCode: 0,
		stateText: 'Normal hang-up after connection',
		outcome: 'answered',
		answered: true,
		ringSeconds: 3,
		talkSeconds: 20,
		legs: 2,
	});
	expect(disconnect.timestampIso).toBe(`${String(disconnect.timestamp).replace(' ', 'T')}.000Z`);

	const [cdr] = byEvent('cdr');
	const fee = call.cdr as IDataObject;
	expect(cdr).toMatchObject({
		...fee,
		sessionId,
		userData: 'order-42',
		callType: 'callback',
		outcome: 'answered',
		answered: true,
		talkSeconds: 20,
		ringSeconds: 3,
		hasRecording: true,
		recordObjectName: fee.recordObjectName,
		recordDomain: fee.recordDomain,
		callEndTimeIso: new Date(`${String(fee.callEndTime).replace(' ', 'T')}Z`).toISOString(),
	});
	expect(cdr.talkSeconds).toBe(secondsBetween(fee.fwdAnswerTime, fee.callEndTime));
});

test('notification with DTMF (console URLs): digits, noInput-free outcome, durations agree with the CDR', async () => {
	emulator.configure({ statusUrl: host.url, feeUrl: host.url });
	host.parameters.events = ['collectInfo', 'disconnect', 'cdr'];
	const sessionId = await place('/rest/httpsessions/callnotify/v2.0', {
		displayNbr: DISPLAY_A,
		calleeNbr: NOTIFY_CALLEE,
		playInfoList: [{ templateId: 'tpl-static-01', templateParas: [], collectInd: 1 }],
		userData: 'survey-7',
	});
	const call = await emulator.waitForCall(sessionId, 'settled');
	expect(call.pushes.map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'collectInfo', 'disconnect', 'fee']);
	expect(host.requests.every((r) => r.status === 200)).toBe(true);
	expect(host.executions).toHaveLength(3);

	expect(byEvent('collectInfo')).toEqual([
		expect.objectContaining({ sessionId, digits: '5', digitInfo: '5', userData: 'survey-7' }),
	]);
	const [disconnect] = byEvent('disconnect');
	const [cdr] = byEvent('cdr');
	expect(cdr).toMatchObject({ callType: 'notification', outcome: 'answered', dynIVRPath: '5', hasRecording: false });
	expect(disconnect).toMatchObject({ outcome: 'answered', legs: 1, ringSeconds: 3 });
	expect(cdr.ringSeconds).toBe(3);
	expect(disconnect.talkSeconds).toBe(cdr.talkSeconds);
	expect(cdr.talkSeconds).toBeGreaterThan(0);
});

test('a failed callback (B busy): outcome and causes in disconnect and CDR', async () => {
	emulator.configure({ scripts: { [CALLEE]: { outcome: 'busy' } } });
	host.parameters.events = ['disconnect', 'cdr'];
	const sessionId = await place('/rest/httpsessions/click2Call/v2.0', {
		displayNbr: DISPLAY_A,
		callerNbr: CALLER,
		displayCalleeNbr: DISPLAY_B,
		calleeNbr: CALLEE,
		statusUrl: b64(host.url),
		feeUrl: b64(host.url),
	});
	await emulator.waitForCall(sessionId, 'settled');
	expect(byEvent('disconnect')[0]).toMatchObject({ stateCode: 8102, stateText: 'Callee busy', outcome: 'busy', answered: false });
	expect(byEvent('cdr')[0]).toMatchObject({ outcome: 'busy', talkSeconds: 0, fwdUnaswRsn: 17, fwdUnaswRsnText: 'User busy' });
});

test('CDR re-sent after a lost 200 runs the workflow once per record', async () => {
	host.parameters.events = ['cdr'];
	host.breakReplies(1, (r) => r.body.includes('"eventType":"fee"'));
	emulator.configure({ statusUrl: host.url, feeUrl: host.url });
	const ids: string[] = [];
	for (const callee of [CALLEE, NOTIFY_CALLEE]) {
		ids.push(
			await place('/rest/httpsessions/callnotify/v2.0', {
				displayNbr: DISPLAY_A,
				calleeNbr: callee,
				playInfoList: [{ templateId: 'tpl-static-01', templateParas: [] }],
			}),
		);
	}
	await emulator.waitForIdle();
	const feeRequests = host.requests.filter((r) => r.body.includes('"eventType":"fee"'));
	const calls = emulator.calls();
	const cdrDeliveries = calls.flatMap((c) => c.pushes).filter((p) => p.kind === 'cdr');
	// One retried push at least: its first attempt got the broken (500) reply, the retry a 200.
	expect(feeRequests[0]).toMatchObject({ status: 200, wireStatus: 500, executed: true });
	expect(feeRequests.slice(1).every((r) => r.wireStatus === 200)).toBe(true);
	expect(cdrDeliveries.every((d) => d.state === 'delivered')).toBe(true);
	expect(Math.max(...cdrDeliveries.map((d) => d.attempts))).toBe(2);
	// Each record reached the workflow exactly once.
	const delivered = byEvent('cdr').map((item) => item.sessionId).sort();
	expect(delivered).toEqual([...ids].sort());
	const retried = feeRequests.find((r, i) => i > 0 && r.body === feeRequests[0].body);
	expect(retried).toMatchObject({ status: 200, executed: false });
});

test('voice verification code: status events and the CDR are understood; the CDR says notification (serviceType 001 covers both)', async () => {
	host.parameters.events = ['callout', 'alerting', 'answer', 'disconnect', 'cdr'];
	const sessionId = await place('/rest/httpsessions/callVerify/v1.0', {
		displayNbr: DISPLAY_A,
		calleeNbr: NOTIFY_CALLEE,
		verifyCode: '4821',
		times: 2,
		statusUrl: b64(host.url),
		feeUrl: b64(host.url),
		userData: 'otp-4821',
	});
	const call = await emulator.waitForCall(sessionId, 'settled');
	expect(call.pushes.map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'disconnect', 'fee']);
	expect(host.requests.every((r) => r.status === 200 && r.executed)).toBe(true);
	expect(byEvent('callout')[0]).toMatchObject({ sessionId, callerNumber: DISPLAY_A, calledNumber: NOTIFY_CALLEE, userData: 'otp-4821' });
	const [disconnect] = byEvent('disconnect');
	const [cdr] = byEvent('cdr');
	expect(disconnect).toMatchObject({ sessionId, outcome: 'answered', answered: true, legs: 1, ringSeconds: 3 });
	expect(cdr).toMatchObject({ sessionId, serviceType: '001', callType: 'notification', outcome: 'answered', ttsPlayTimes: 2, hasRecording: false, userData: 'otp-4821' });
	// Two readings of the code, 3 simulated seconds each.
	expect(cdr.talkSeconds).toBe(6);
	expect(disconnect.talkSeconds).toBe(cdr.talkSeconds);
});
