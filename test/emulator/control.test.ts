import { http } from '../../dev/node.cjs';
import { RECORD_NOT_FOUND } from '../../emulator/replies';
import { useEmulatorWithReceiver } from '../helpers/emulatorWithReceiver';
import { A_NUMBER, api, B_NUMBER, callbackBody, notifyBody, PATHS, send, signedHeaders } from './client';

describe('emulator terminate, ports, recordings and control API', () => {
	const env = useEmulatorWithReceiver({ timeScale: 0.001, manualTimeoutMs: 20000 }, { scripts: {}, ports: 10, recordingBytes: 32058 });
	const { urls } = env;
	const stop = (sessionid: string) => api(env.emulator, PATHS.callStop, { sessionid, signal: 'call_stop' });
	const getRecord = (fileName: string, recordDomain: string) =>
		send(env.emulator.baseUrl, 'GET', `${PATHS.record}?fileName=${encodeURIComponent(fileName)}&recordDomain=${encodeURIComponent(recordDomain)}`, {
			headers: { ...signedHeaders(env.emulator), 'Content-Type': 'application/json;charset=UTF-8' },
		});

	it('callStop releases a live call at once: disconnect 8017 from the platform, then the CDR; a second stop fails', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { outcome: 'manual' } } });
		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ ...urls(), partyTypeRequiredInDisconnect: 'true' }));
		const sessionId = String(res.json?.sessionId);
		await env.receiver.waitForCount((r) => r.path === '/status' && (r.json as { eventType: string }).eventType === 'alerting', 2);
		const stopped = await stop(sessionId);
		expect([stopped.status, stopped.json]).toEqual([200, { resultcode: '0', resultdesc: 'Success.' }]);
		const call = await env.emulator.waitForCall(sessionId, 'settled');
		expect(call.disconnect).toMatchObject({ stateCode: 8017, partyType: '3' });
		expect(call.events.map((e) => e.type).filter((t) => t !== 'control')).toEqual(['callout', 'alerting', 'answer', 'callout', 'alerting', 'disconnect']);
		const fee = env.receiver.requests.find((r) => r.path === '/fee');
		const cdr = (fee?.json as { feeLst: Array<Record<string, unknown>> }).feeLst[0];
		expect(cdr).toMatchObject({ sessionId, ulFailReason: 0 });
		expect(cdr.fwdAlertingTime).toEqual(expect.any(String));
		expect(cdr.fwdAnswerTime).toBeUndefined();

		const again = await stop(sessionId);
		expect([again.status, again.json?.resultcode]).toEqual([403, '1010002']);
		expect(String(again.json?.resultdesc)).toMatch(/^Invalid request\..*ended/);
		const unknown = await stop('1202_1_0_20240101000000@callenabler245.huaweicaas.com');
		expect(unknown.json?.resultcode).toBe('1010002');
	});

	it('holds a port per call for its whole life: idlePort counts down, 1020165 when full, freed at disconnect', async () => {
		env.emulator.configure({ ports: 2, scripts: { [B_NUMBER]: { outcome: 'manual' } } });
		const first = await api(env.emulator, PATHS.callNotify, notifyBody({ returnIdlePort: 'true' }));
		expect(first.json).toMatchObject({ resultcode: '0', idlePort: 1 });
		const second = await api(env.emulator, PATHS.callNotify, notifyBody({ returnIdlePort: 'true' }));
		expect(second.json).toMatchObject({ resultcode: '0', idlePort: 0 });
		const third = await api(env.emulator, PATHS.callNotify, notifyBody({ returnIdlePort: 'true' }));
		expect([third.status, third.json?.resultcode, third.json?.resultdesc]).toEqual([503, '1020165', 'The appkey call port of using exceeds the limited.']);
		expect(third.json?.sessionId).toBeUndefined();
		const noIdle = await api(env.emulator, PATHS.callNotify, notifyBody());
		expect(noIdle.json?.resultcode).toBe('1020165');

		env.emulator.hangUp(String(first.json?.sessionId));
		await env.emulator.waitForCall(String(first.json?.sessionId), 'ended');
		const fourth = await api(env.emulator, PATHS.callNotify, notifyBody({ returnIdlePort: 'true' }));
		expect(fourth.json).toMatchObject({ resultcode: '0', idlePort: 0 });
		const plain = await api(env.emulator, PATHS.click2Call, callbackBody());
		expect(plain.json?.resultcode).toBe('1020165');
		const index = await send(env.emulator.baseUrl, 'GET', '/emulator');
		expect(index.json).toMatchObject({ activePorts: 2, ports: 2 });
	});

	it('record API: 301 with Location and empty body; the file is a valid A-law WAV of the configured size', async () => {
		env.emulator.configure({ scripts: { [B_NUMBER]: { talkSeconds: 10 } }, recordingBytes: 1_000_058 });
		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ recordFlag: 'true' }));
		const call = await env.emulator.waitForCall(String(res.json?.sessionId), 'settled');
		const name = String(call.cdr?.recordObjectName);
		const domain = String(call.cdr?.recordDomain);
		const redirect = await getRecord(name, domain);
		expect(redirect.status).toBe(301);
		expect(redirect.text).toBe('');
		expect(redirect.headers['content-length']).toBe('0');
		expect(redirect.headers.connection).toBe('close');
		const location = String(redirect.headers.location);
		expect(location).toMatch(new RegExp(`^${env.emulator.baseUrl}/files/${name}\\?expires=\\d+$`));
		expect(Number(new URL(location).searchParams.get('expires')) * 1000).toBeGreaterThan(Date.now());

		const file = await new Promise<Buffer>((resolve, reject) => {
			const chunks: Buffer[] = [];
			http
				.get(location, (r) => {
					expect(r.headers['content-type']).toBe('audio/wav');
					r.on('data', (c: Buffer) => chunks.push(c));
					r.on('end', () => resolve(Buffer.concat(chunks)));
				})
				.on('error', reject);
		});
		expect(file.length).toBe(1_000_058);
		expect(file.toString('ascii', 0, 4)).toBe('RIFF');
		expect(file.readUInt32LE(4)).toBe(file.length - 8);
		expect(file.toString('ascii', 8, 12)).toBe('WAVE');
		expect(file.toString('ascii', 12, 16)).toBe('fmt ');
		expect(file.readUInt16LE(20)).toBe(6); // A-law
		expect(file.readUInt16LE(22)).toBe(1); // mono
		expect(file.readUInt32LE(24)).toBe(8000);
		expect(file.readUInt32LE(28)).toBe(8000);
		expect(file.readUInt16LE(32)).toBe(1);
		expect(file.readUInt16LE(34)).toBe(8);
		const dataAt = file.indexOf('data', 36, 'ascii');
		expect(file.readUInt32LE(dataAt + 4)).toBe(file.length - dataAt - 8);
		// A tone, not silence: the samples vary.
		expect(new Set(file.subarray(dataAt + 8, dataAt + 100)).size).toBeGreaterThan(4);
	});

	it('record API and file route: unknown name, wrong domain, expired URL → RECORD_NOT_FOUND', async () => {
		const expected = { resultcode: RECORD_NOT_FOUND.resultcode, resultdesc: RECORD_NOT_FOUND.resultdesc };
		const domain = env.emulator.baseUrl.replace('http://', '');
		const unknown = await getRecord('0000.wav', domain);
		expect([unknown.status, unknown.json]).toEqual([RECORD_NOT_FOUND.httpStatus, expected]);

		const res = await api(env.emulator, PATHS.click2Call, callbackBody({ recordFlag: 'true' }));
		const call = await env.emulator.waitForCall(String(res.json?.sessionId), 'settled');
		const name = String(call.cdr?.recordObjectName);
		expect((await getRecord(name, 'other.domain')).json).toEqual(expected);
		const missing = await send(env.emulator.baseUrl, 'GET', `${PATHS.record}?fileName=${name}`, { headers: signedHeaders(env.emulator) });
		expect(missing.json?.resultcode).toBe('1010002');
		const expired = await send(env.emulator.baseUrl, 'GET', `/files/${name}?expires=${Math.floor(Date.now() / 1000) - 1}`);
		expect([expired.status, expired.json]).toEqual([RECORD_NOT_FOUND.httpStatus, expected]);
		const notAFile = await send(env.emulator.baseUrl, 'GET', `/files/nope.wav?expires=${Math.floor(Date.now() / 1000) + 60}`);
		expect(notAFile.json).toEqual(expected);
	});

	it('inspection API: calls, one call, requests (rejected ones too), config GET/PATCH, reset, index', async () => {
		const ok = await api(env.emulator, PATHS.callNotify, notifyBody({ userData: 'inspect' }));
		await api(env.emulator, PATHS.callNotify, notifyBody({ calleeNbr: 'bad' }));
		const sessionId = String(ok.json?.sessionId);
		await env.emulator.waitForCall(sessionId, 'settled');

		const calls = await send(env.emulator.baseUrl, 'GET', '/emulator/calls');
		expect(calls.json).toEqual([expect.objectContaining({ sessionId, type: 'notify', state: 'ended', request: expect.objectContaining({ userData: 'inspect' }) })]);
		const one = await send(env.emulator.baseUrl, 'GET', `/emulator/calls/${encodeURIComponent(sessionId)}`);
		expect(one.json).toMatchObject({ sessionId, script: { callee: { outcome: 'answer' } }, cdr: { sessionId } });
		expect((await send(env.emulator.baseUrl, 'GET', '/emulator/calls/none')).status).toBe(404);

		const requests = (await send(env.emulator.baseUrl, 'GET', '/emulator/requests')).json as unknown as Array<Record<string, unknown>>;
		expect(requests.map((r) => [r.endpoint, r.resultcode, r.httpStatus])).toEqual([
			['callNotify', '0', 200],
			['callNotify', '1010002', 403],
		]);
		expect(requests[1].body).toMatchObject({ calleeNbr: 'bad' });

		const patched = await send(env.emulator.baseUrl, 'PATCH', '/emulator/config', { body: { ports: 3, scripts: { [A_NUMBER]: { outcome: 'busy' } } } });
		expect(patched.json).toMatchObject({ ports: 3 });
		expect(env.emulator.config.scripts[A_NUMBER]).toEqual({ outcome: 'busy' });
		const bad = await send(env.emulator.baseUrl, 'PATCH', '/emulator/config', { body: { timeScale: 0 } });
		expect(bad.status).toBe(400);
		expect(env.emulator.config.timeScale).toBe(0.001);
		expect((await send(env.emulator.baseUrl, 'GET', '/emulator/config')).json).toMatchObject({ ports: 3, appKey: env.emulator.config.appKey });

		expect((await send(env.emulator.baseUrl, 'POST', '/emulator/reset')).json).toEqual({ ok: true });
		expect(env.emulator.calls()).toHaveLength(0);
		expect(env.emulator.requests()).toHaveLength(0);
		const html = await send(env.emulator.baseUrl, 'GET', '/emulator', { headers: { Accept: 'text/html' } });
		expect(html.text).toContain('<h1>Huawei Voice Call emulator</h1>');
	});

	it('reset frees ports and cancels live calls; waits reject on timeout instead of hanging', async () => {
		env.emulator.configure({ ports: 1, scripts: { [B_NUMBER]: { outcome: 'manual' } } });
		const first = await api(env.emulator, PATHS.callNotify, notifyBody());
		await expect(env.emulator.waitForCall(String(first.json?.sessionId), 'ended', 50)).rejects.toThrow(/Timed out/);
		env.emulator.reset();
		expect((await api(env.emulator, PATHS.callNotify, notifyBody())).json?.resultcode).toBe('0');
		await expect(env.emulator.waitForCall('nope', 'ended', 50)).rejects.toThrow(/No call/);
	});
});
