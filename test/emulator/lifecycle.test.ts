import { createHmac } from 'crypto';
import { useEmulatorWithReceiver } from '../helpers/emulatorWithReceiver';
import type { ReceivedRequest } from '../helpers/receiver';
import { A_NUMBER, api, B_NUMBER, callbackBody, DISPLAY, notifyBody, PATHS, send, utcMs } from './client';

interface StatusPush {
	eventType: string;
	statusInfo: Record<string, unknown>;
}

describe('emulator call lifecycles (§8.3, §8.4)', () => {
	const env = useEmulatorWithReceiver({ timeScale: 0.001, cdrMergeWindowMs: 5 }, { scripts: {}, statusUrl: null, feeUrl: null });
	const { urls } = env;
	const statusOf = (sessionId: string): StatusPush[] =>
		env.receiver.requests
			.filter((r) => r.path === '/status' && (r.json as StatusPush).statusInfo.sessionId === sessionId)
			.map((r) => r.json as StatusPush);
	const feesOf = (sessionId: string): Record<string, unknown>[] =>
		env.receiver.requests
			.filter((r) => r.path === '/fee')
			.flatMap((r) => (r.json as { feeLst: Record<string, unknown>[] }).feeLst)
			.filter((f) => f.sessionId === sessionId);

	it('callback: A then B legs, signed ordered status pushes, disconnect with partyType, consistent CDR with recording', async () => {
		env.emulator.configure({
			scripts: {
				[A_NUMBER]: { outcome: 'answer', ringSeconds: 2 },
				[B_NUMBER]: { outcome: 'answer', ringSeconds: 4, talkSeconds: 30, hangupBy: 'caller' },
			},
		});
		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), recordFlag: 'true', partyTypeRequiredInDisconnect: 'true', userData: 'order-123' }));
		expect(res.json?.resultcode).toBe('0');
		const sessionId = String(res.json?.sessionId);
		expect(sessionId).toMatch(/^1202_\d+_0_\d{14}@callenabler\d+\.huaweicaas\.com$/);
		const call = await env.emulator.waitForCall(sessionId, 'settled');

		const pushes = statusOf(sessionId);
		expect(pushes.map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'callout', 'alerting', 'answer', 'disconnect']);
		const legA = { caller: DISPLAY, called: A_NUMBER };
		const legB = { caller: DISPLAY, called: B_NUMBER };
		pushes.slice(0, 3).forEach((p) => expect(p.statusInfo).toMatchObject({ ...legA, userData: 'order-123' }));
		pushes.slice(3, 6).forEach((p) => expect(p.statusInfo).toMatchObject(legB));
		const disconnect = pushes[6].statusInfo;
		expect(disconnect).toMatchObject({ caller: DISPLAY, called: A_NUMBER, stateCode: 0, stateDesc: 'The user releases the call.', partyType: '1' });
		const times = pushes.map((p) => utcMs(p.statusInfo.timestamp));
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(pushes.every((p) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(String(p.statusInfo.timestamp)))).toBe(true);

		// Every push: JSON content type and a valid §8.2 "newline" signature over the exact URL.
		const statusRequests = env.receiver.requests.filter((r) => r.path === '/status');
		for (const r of statusRequests) {
			expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
			expect(r.headers.authorization).toBe('AKSK realm="SDP",profile="UsernameToken",type="Appkey"');
			const m = /Username="([^"]+)", PasswordDigest="([^"]+)", Nonce="([^"]+)", Created="([^"]+)"/.exec(String(r.headers['x-aksk']));
			expect(m).not.toBeNull();
			const [, user, digest, nonce, created] = m as RegExpExecArray;
			expect(user).toBe(env.emulator.config.appKey);
			expect(digest).toBe(createHmac('sha256', env.emulator.config.appSecret).update(`${env.receiver.url('/status')}\n${nonce}\n${created}`).digest('base64'));
		}

		const fees = feesOf(sessionId);
		expect(fees).toHaveLength(1);
		const fee = fees[0];
		expect(fee).toMatchObject({
			direction: 0,
			spId: env.emulator.config.spId,
			appKey: env.emulator.config.appKey,
			sessionId,
			callerNum: DISPLAY,
			calleeNum: A_NUMBER,
			fwdDisplayNum: DISPLAY,
			fwdDstNum: B_NUMBER,
			fwdUnaswRsn: 0,
			callOutUnaswRsn: 0,
			ulFailReason: 0,
			sipStatusCode: 0,
			recordFlag: 1,
			serviceType: '002',
			userData: 'order-123',
			recordBucketName: env.emulator.config.recordBucketName,
			recordDomain: env.emulator.baseUrl.replace('http://', ''),
		});
		expect(String(fee.recordObjectName)).toMatch(/^\d+\.wav$/);
		expect(String(fee.recordFileDownloadUrl)).toContain(`${env.emulator.baseUrl}/files/${String(fee.recordObjectName)}`);
		const t = (k: string) => utcMs(fee[k]);
		expect(t('callOutAlertingTime') - t('callOutStartTime')).toBe(1000);
		expect(t('callOutAnswerTime') - t('callOutAlertingTime')).toBe(2000);
		expect(t('fwdStartTime')).toBe(t('callOutAnswerTime'));
		expect(t('fwdAnswerTime') - t('fwdAlertingTime')).toBe(4000);
		expect(t('callEndTime') - t('fwdAnswerTime')).toBe(30000);
		expect(t('recordStartTime')).toBe(t('fwdAnswerTime'));
		// Status timestamps and CDR times describe the same timeline.
		expect(utcMs(pushes[0].statusInfo.timestamp)).toBe(t('callOutStartTime'));
		expect(utcMs(pushes[5].statusInfo.timestamp)).toBe(t('fwdAnswerTime'));
		expect(utcMs(disconnect.timestamp)).toBe(t('callEndTime'));
		// The fee push comes after the disconnect push.
		const lastStatus = env.receiver.requests.findIndex((r) => r.path === '/status' && (r.json as StatusPush).eventType === 'disconnect');
		expect(env.receiver.requests.findIndex((r) => r.path === '/fee')).toBeGreaterThan(lastStatus);

		expect(call.state).toBe('ended');
		expect(call.settled).toBe(true);
		expect(call.pushes.every((p) => p.state === 'delivered' && p.attempts === 1)).toBe(true);
		expect(call.cdr).toEqual(fee);
	});

	it('notification: template + file segments, DTMF collected per segment and pushed as collectInfo, IVR fields in the CDR', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'answer', ringSeconds: 3, digits: ['1', '23'] } } });
		const res = await api(
			env.emulator,
			PATHS.callNotify,
			notifyBody({
				...urls(),
				userData: 'n-1',
				playInfoList: [
					{ templateId: 'tpl-notice-01', templateParas: ['Gate 1', '123456'], collectInd: 1 },
					{ notifyVoice: 'notifyvoice.wav', collectInd: 2 },
				],
			}),
		);
		expect(res.json?.resultcode).toBe('0');
		const sessionId = String(res.json?.sessionId);
		expect(sessionId).toMatch(/^1201_/);
		await env.emulator.waitForCall(sessionId, 'settled');
		const pushes = statusOf(sessionId);
		expect(pushes.map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'collectInfo', 'collectInfo', 'disconnect']);
		expect(pushes[0].statusInfo).toMatchObject({ caller: DISPLAY, called: B_NUMBER, userData: 'n-1' });
		expect(pushes[3].statusInfo).toEqual({ sessionId, timestamp: expect.any(String), digitInfo: '1', userData: 'n-1' });
		expect(pushes[4].statusInfo.digitInfo).toBe('23');
		expect(pushes[5].statusInfo).toMatchObject({ stateCode: 0, caller: DISPLAY, called: B_NUMBER });
		expect(pushes[5].statusInfo.partyType).toBeUndefined();
		const [fee] = feesOf(sessionId);
		expect(fee).toMatchObject({ serviceType: '001', callerNum: DISPLAY, calleeNum: B_NUMBER, dynIVRPath: '1-23', ttsPlayTimes: 1, ulFailReason: 0, recordFlag: 0 });
		expect(fee.fwdDstNum).toBeUndefined();
		expect(fee.fwdAnswerTime).toBeUndefined();
		// answer at 1 + 3 s; segment 1 plays 3 s, digits after 1 s; segment 2 the same: end = answer + 8 s.
		expect(utcMs(fee.dynIVRStartTime)).toBe(utcMs(fee.callOutAnswerTime));
		expect(utcMs(fee.callEndTime) - utcMs(fee.callOutAnswerTime)).toBe(8000);
		expect(utcMs(pushes[3].statusInfo.timestamp) - utcMs(fee.callOutAnswerTime)).toBe(4000);
	});

	it('notification without DTMF input ends with 8008 and ulFailReason 100', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'answer', digits: [] } } });
		const res = await api(env.emulator, PATHS.callNotify, notifyBody({ ...urls(), playInfoList: [{ notifyVoice: 'notifyvoice.wav', collectInd: 1 }] }));
		const sessionId = String(res.json?.sessionId);
		await env.emulator.waitForCall(sessionId, 'settled');
		const pushes = statusOf(sessionId);
		expect(pushes.map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'disconnect']);
		expect(pushes[3].statusInfo.stateCode).toBe(8008);
		const [fee] = feesOf(sessionId);
		expect(fee.ulFailReason).toBe(100);
		expect(utcMs(fee.callEndTime) - utcMs(fee.callOutAnswerTime)).toBe(3000 + 5000);
	});

	it('replayAfterCollection: the trigger replays the segment, other input ends the call', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'answer', digits: ['1', '1', '9'] } } });
		const res = await api(
			env.emulator,
			PATHS.callNotify,
			notifyBody({
				...urls(),
				playInfoList: [
					{ notifyVoice: 'notifyvoice.wav', collectInd: 1, replayAfterCollection: 'true', collectContentTriggerReplaying: '1' },
					{ notifyVoice: 'notifyvoice.wav' },
				],
			}),
		);
		const sessionId = String(res.json?.sessionId);
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(statusOf(sessionId).filter((p) => p.eventType === 'collectInfo').map((p) => p.statusInfo.digitInfo)).toEqual(['1', '1', '9']);
		expect(call.events.filter((e) => e.type === 'playback')).toHaveLength(3);
		expect(call.disconnect?.stateCode).toBe(0);
	});

	const failureCases: Array<[string, number, number, number, number, string[]]> = [
		['busy', 8102, 17, 486, 518, ['callout', 'disconnect']],
		['noAnswer', 8101, 19, 480, 514, ['callout', 'alerting', 'disconnect']],
		['powerOff', 8104, 20, 480, 518, ['callout', 'disconnect']],
		['reject', 8105, 21, 603, 518, ['callout', 'alerting', 'disconnect']],
		['invalidNumber', 8100, 1, 404, 518, ['callout', 'disconnect']],
	];
	it.each(failureCases)('notification to a %s callee: stateCode %i, Q.850 %i, SIP %i, ulFailReason %i', async (outcome, stateCode, q850, sip, ulFailReason, events) => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: outcome as 'busy' } } });
		const res = await api(env.emulator, PATHS.callNotify, notifyBody(urls()));
		const sessionId = String(res.json?.sessionId);
		await env.emulator.waitForCall(sessionId, 'settled');
		const pushes = statusOf(sessionId);
		expect(pushes.map((p) => p.eventType)).toEqual(events);
		expect(pushes[pushes.length - 1].statusInfo).toMatchObject({ stateCode, stateDesc: expect.any(String) });
		const [fee] = feesOf(sessionId);
		expect(fee).toMatchObject({ callOutUnaswRsn: q850, sipStatusCode: sip, ulFailReason, serviceType: '001' });
		expect(fee.failTime).toBe(fee.callEndTime);
		expect(fee.callOutAnswerTime).toBeUndefined();
	});

	it('callback: B busy → 8102 with fwdUnaswRsn 17; A not answering → 8003 with callOutUnaswRsn 19 and no B leg', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'busy' } } });
		let res = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), partyTypeRequiredInDisconnect: 'true' }));
		let sessionId = String(res.json?.sessionId);
		await env.emulator.waitForCall(sessionId, 'settled');
		expect(statusOf(sessionId).map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'callout', 'disconnect']);
		expect(statusOf(sessionId)[4].statusInfo).toMatchObject({ stateCode: 8102, partyType: '2' });
		expect(feesOf(sessionId)[0]).toMatchObject({ fwdUnaswRsn: 17, callOutUnaswRsn: 0, sipStatusCode: 486, ulFailReason: 518 });

		env.emulator.configure({ scripts: { [A_NUMBER]: { outcome: 'noAnswer', ringSeconds: 45 } } });
		res = await api(env.emulator, PATHS.click2Call, callbackBody(urls()));
		sessionId = String(res.json?.sessionId);
		await env.emulator.waitForCall(sessionId, 'settled');
		expect(statusOf(sessionId).map((p) => p.eventType)).toEqual(['callout', 'alerting', 'disconnect']);
		expect(statusOf(sessionId)[2].statusInfo.stateCode).toBe(8003);
		const fee = feesOf(sessionId)[0];
		expect(fee).toMatchObject({ callOutUnaswRsn: 19, fwdUnaswRsn: 0, sipStatusCode: 480, ulFailReason: 514 });
		expect(fee.fwdStartTime).toBeUndefined();
		expect(utcMs(fee.callEndTime) - utcMs(fee.callOutAlertingTime)).toBe(45000);
	});

	it('maxDuration ends the call with 8010 exactly maxDuration minutes after B answered (last-minute tone first)', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'answer', talkSeconds: 600 } } });
		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), maxDuration: 2, partyTypeRequiredInDisconnect: 'true' }));
		const sessionId = String(res.json?.sessionId);
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(call.disconnect).toMatchObject({ stateCode: 8010, partyType: '3' });
		const fee = feesOf(sessionId)[0];
		expect(utcMs(fee.callEndTime) - utcMs(fee.fwdAnswerTime)).toBe(120000);
		const tone = call.events.find((e) => e.type === 'lastMinuteTone');
		expect(tone && utcMs(tone.time) - utcMs(fee.fwdAnswerTime)).toBe(60000);
	});

	it('recording fields only when the talk lasts at least 3 s', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'answer', talkSeconds: 2 } } });
		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), recordFlag: 'true' }));
		await env.emulator.waitForCall(String(res.json?.sessionId), 'settled');
		const fee = feesOf(String(res.json?.sessionId))[0];
		expect(fee.recordFlag).toBe(0);
		expect(fee.recordObjectName).toBeUndefined();
	});

	it('voice verification: single leg, serviceType 001, sessionId 1203_', async () => {
		const res = await api(env.emulator, PATHS.callVerify, { displayNbr: DISPLAY, calleeNbr: B_NUMBER, verifyCode: '4821', times: 2, ...urls() });
		const sessionId = String(res.json?.sessionId);
		expect(sessionId).toMatch(/^1203_/);
		await env.emulator.waitForCall(sessionId, 'settled');
		expect(statusOf(sessionId).map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'disconnect']);
		expect(feesOf(sessionId)[0]).toMatchObject({ serviceType: '001', ttsPlayTimes: 2 });
	});

	it('uses the app-level URLs when the request has none; with neither, nothing is pushed', async () => {
		env.emulator.configure({ statusUrl: env.receiver.url('/status'), feeUrl: env.receiver.url('/fee') });
		let res = await api(env.emulator, PATHS.callNotify, notifyBody());
		let sessionId = String(res.json?.sessionId);
		await env.emulator.waitForCall(sessionId, 'settled');
		expect(statusOf(sessionId)).toHaveLength(4);
		expect(feesOf(sessionId)).toHaveLength(1);

		env.emulator.configure({ statusUrl: null, feeUrl: null });
		const before = env.receiver.requests.length;
		res = await api(env.emulator, PATHS.callNotify, notifyBody());
		sessionId = String(res.json?.sessionId);
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(call.pushes).toHaveLength(0);
		expect(call.cdr).not.toBeNull();
		expect(env.receiver.requests.length).toBe(before);
	});

	it('manual script: driven through the HTTP control API (answer, digits, hang-up)', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'manual' } }, manualTimeoutMs: 20000 });
		const res = await api(env.emulator, PATHS.callNotify, notifyBody({ ...urls(), playInfoList: [{ notifyVoice: 'notifyvoice.wav', collectInd: 4 }] }));
		const sessionId = String(res.json?.sessionId);
		const control = (action: string, body?: unknown) => send(env.emulator.baseUrl, 'POST', `/emulator/calls/${encodeURIComponent(sessionId)}/${action}`, { body: body ?? {} });
		await env.receiver.waitFor((r) => r.path === '/status' && (r.json as StatusPush).eventType === 'alerting');
		// Answer by hand; digits pressed during playback are kept for the collection that follows.
		expect((await control('answer')).status).toBe(200);
		expect((await control('answer')).status).toBe(409);
		expect((await control('digits', { digits: '4321' })).status).toBe(200);
		const collect: ReceivedRequest = await env.receiver.waitFor((r) => r.path === '/status' && (r.json as StatusPush).eventType === 'collectInfo');
		expect((collect.json as StatusPush).statusInfo.digitInfo).toBe('4321');
		await env.emulator.waitForCall(sessionId, 'ended');
		const view = await send(env.emulator.baseUrl, 'GET', `/emulator/calls/${encodeURIComponent(sessionId)}`);
		expect(view.json).toMatchObject({ sessionId, type: 'notify', state: 'ended', digitsCollected: ['4321'] });
		expect((await control('hangup')).status).toBe(409);
	});

	it('manual callback: answer both legs by hand, then the caller hangs up', async () => {
		env.emulator.configure({ scripts: { [A_NUMBER]: { outcome: 'manual' }, [B_NUMBER]: { outcome: 'manual' } }, manualTimeoutMs: 20000 });
		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), partyTypeRequiredInDisconnect: 'true' }));
		const sessionId = String(res.json?.sessionId);
		const ringing = (leg: number) => env.receiver.waitForCount((r) => r.path === '/status' && (r.json as StatusPush).eventType === 'alerting', leg);
		await ringing(1);
		env.emulator.answer(sessionId);
		await ringing(2);
		expect(() => env.emulator.pressDigits(sessionId, '1')).toThrow(/notification/);
		env.emulator.answer(sessionId);
		await env.receiver.waitForCount((r) => r.path === '/status' && (r.json as StatusPush).eventType === 'answer', 2);
		env.emulator.hangUp(sessionId, 'caller');
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(call.disconnect).toMatchObject({ stateCode: 0, partyType: '1' });
		expect(statusOf(sessionId).map((p) => p.eventType)).toEqual(['callout', 'alerting', 'answer', 'callout', 'alerting', 'answer', 'disconnect']);
	});
});
