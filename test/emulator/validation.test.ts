import { startEmulator, type Emulator } from '../../emulator';
import { api, b64, callbackBody, notifyBody, PATHS } from './client';

type Case = [name: string, body: Record<string, unknown>, code: string, descPattern?: RegExp];

const LONG_URL = `http://127.0.0.1:1/${'a'.repeat(90)}`;

const CALLBACK_CASES: Case[] = [
	['missing displayNbr', callbackBody({ displayNbr: undefined }), '1010002', /displayNbr/],
	['missing calleeNbr', callbackBody({ calleeNbr: undefined }), '1010002', /calleeNbr/],
	['displayNbr not an app number', callbackBody({ displayNbr: '+8675599999999' }), '1010023'],
	['displayCalleeNbr not an app number', callbackBody({ displayCalleeNbr: '+8675599999999' }), '1010023'],
	['displayNbr without +', callbackBody({ displayNbr: '8675528000001' }), '1010023'],
	['callerNbr bad format', callbackBody({ callerNbr: '13700000001' }), '1010024'],
	['callerNbr too short', callbackBody({ callerNbr: '+123' }), '1010024'],
	['callerNbr too long', callbackBody({ callerNbr: `+${'1'.repeat(31)}` }), '1010024'],
	['calleeNbr bad', callbackBody({ calleeNbr: '+86 137' }), '1010002', /^Invalid request\.The number format is incorrect \(calleeNbr\)\.$/],
	['maxDuration too big', callbackBody({ maxDuration: 1441 }), '1010002', /maxDuration/],
	['maxDuration negative', callbackBody({ maxDuration: -1 }), '1010002', /maxDuration/],
	['maxDuration not integer', callbackBody({ maxDuration: 1.5 }), '1010002', /maxDuration/],
	['maxDuration as string', callbackBody({ maxDuration: '30' }), '1010002', /maxDuration/],
	['lastMinToUE enum', callbackBody({ maxDuration: 5, lastMinToUE: 'toc' }), '1010002', /lastMinToUE/],
	['calleeMedia enum', callbackBody({ calleeMedia: 'some' }), '1010002', /calleeMedia/],
	['playPreVoice JSON boolean', callbackBody({ playPreVoice: true }), '1010002', /playPreVoice/],
	['recordFlag "yes"', callbackBody({ recordFlag: 'yes' }), '1010002', /recordFlag/],
	['returnIdlePort JSON boolean', callbackBody({ returnIdlePort: true }), '1010002', /returnIdlePort/],
	['partyTypeRequiredInDisconnect bad', callbackBody({ partyTypeRequiredInDisconnect: 'TRUE' }), '1010002', /partyTypeRequiredInDisconnect/],
	['userData too long', callbackBody({ userData: 'x'.repeat(257) }), '1010002', /userData/],
	['userData with braces', callbackBody({ userData: 'a{b}' }), '1010002', /userData/],
	['userData with Chinese', callbackBody({ userData: '订单123' }), '1010002', /userData/],
	['statusUrl not base64', callbackBody({ statusUrl: 'http://example.com/status' }), '1010002', /statusUrl/],
	['statusUrl base64 of ftp URL', callbackBody({ statusUrl: b64('ftp://example.com/status') }), '1010002', /statusUrl/],
	['feeUrl with a forbidden character', callbackBody({ feeUrl: b64('http://example.com/fee?a=1') }), '1010002', /feeUrl/],
	['feeUrl longer than 128 encoded', callbackBody({ feeUrl: b64(LONG_URL) }), '1010002', /feeUrl/],
	// Standard base64 of this URL contains '/', so its URL-safe form ('_') must be refused.
	['feeUrl URL-safe base64', callbackBody({ feeUrl: b64('http://example.com/hook?').replace(/\//g, '_') }), '1010002', /feeUrl/],
	['preVoice not approved', callbackBody({ playPreVoice: 'true', preVoice: 'unknown.wav' }), '1010002', /preVoice/],
	['waitVoice not approved', callbackBody({ waitVoice: 'nope.wav' }), '1010002', /waitVoice/],
	['lastMinVoice not approved', callbackBody({ maxDuration: 5, lastMinVoice: 'nope.wav' }), '1010002', /lastMinVoice/],
	['recordHintTone not approved', callbackBody({ recordFlag: 'true', recordHintTone: 'nope.wav' }), '1010002', /recordHintTone/],
];

const seg = (s: Record<string, unknown>) => notifyBody({ playInfoList: [s] });

const NOTIFY_CASES: Case[] = [
	['missing playInfoList', notifyBody({ playInfoList: undefined }), '1010002', /playInfoList/],
	['empty playInfoList', notifyBody({ playInfoList: [] }), '1010002', /playInfoList/],
	['six segments', notifyBody({ playInfoList: Array.from({ length: 6 }, () => ({ notifyVoice: 'notifyvoice.wav' })) }), '1010002', /playInfoList/],
	['displayNbr unknown', notifyBody({ displayNbr: '+8675500000000' }), '1010023'],
	['calleeNbr bad', notifyBody({ calleeNbr: 'abc' }), '1010002', /calleeNbr/],
	['both notifyVoice and templateId', seg({ notifyVoice: 'notifyvoice.wav', templateId: 'tpl-static-01' }), '1010002', /notifyVoice/],
	['neither notifyVoice nor templateId', seg({ collectInd: 1 }), '1010002', /templateId/],
	['notifyVoice not approved', seg({ notifyVoice: 'other.wav' }), '1010002', /notifyVoice/],
	['unknown template', seg({ templateId: 'tpl-missing' }), '1012003'],
	['unapproved template', seg({ templateId: 'tpl-pending-01' }), '1012002'],
	['too few templateParas', seg({ templateId: 'tpl-notice-01', templateParas: ['x'] }), '1012004'],
	['missing templateParas', seg({ templateId: 'tpl-notice-01' }), '1012004'],
	['templateParas on a static template', seg({ templateId: 'tpl-static-01', templateParas: ['x'] }), '1012004'],
	['TXT_20 too long', seg({ templateId: 'tpl-notice-01', templateParas: ['x'.repeat(21), '1'] }), '1012005', /^templateParas\[0\] \(TXT_20\) of templateParas does not meet template requirements\.$/],
	['NUM_6 not digits', seg({ templateId: 'tpl-notice-01', templateParas: ['ok', '12a'] }), '1012005', /templateParas\[1\] \(NUM_6\)/],
	['NUM_6 too many digits', seg({ templateId: 'tpl-notice-01', templateParas: ['ok', '1234567'] }), '1012005', /NUM_6/],
	['value over 32 UTF-8 bytes', seg({ templateId: 'tpl-notice-01', templateParas: ['保安亭保安亭保安亭保安亭', '1'] }), '1012005', /TXT_20/],
	['DATE format', seg({ templateId: 'tpl-meeting-01', templateParas: ['2024-01-01', '10:00'] }), '1012005', /DATE/],
	['collectInd 33', seg({ notifyVoice: 'notifyvoice.wav', collectInd: 33 }), '1010002', /collectInd/],
	['collectInd string', seg({ notifyVoice: 'notifyvoice.wav', collectInd: '1' }), '1010002', /collectInd/],
	['replay without collection', seg({ notifyVoice: 'notifyvoice.wav', replayAfterCollection: 'true', collectContentTriggerReplaying: '1' }), '1010002', /replayAfterCollection/],
	['replay without trigger', seg({ notifyVoice: 'notifyvoice.wav', collectInd: 1, replayAfterCollection: 'true' }), '1010002', /collectContentTriggerReplaying/],
	['replayAfterCollection JSON boolean', seg({ notifyVoice: 'notifyvoice.wav', collectInd: 1, replayAfterCollection: true }), '1010002', /replayAfterCollection/],
	['userData braces', notifyBody({ userData: '{x}' }), '1010002', /userData/],
	['returnIdlePort boolean', notifyBody({ returnIdlePort: false }), '1010002', /returnIdlePort/],
];

describe('emulator validation (§13.3)', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		// Calls that pass validation must not linger: they end in a few ms of real time.
		emulator = await startEmulator({ config: { timeScale: 0.0001, ports: 100 } });
	});
	afterAll(async () => {
		await emulator.stop();
	});
	afterEach(() => emulator.reset());

	const check = async (path: string, cases: Case[]) => {
		for (const [name, body, code, descPattern] of cases) {
			const res = await api(emulator, path, body);
			expect({ name, code: res.json?.resultcode }).toEqual({ name, code });
			expect(res.status).toBeGreaterThanOrEqual(400);
			if (descPattern) expect({ name, desc: res.json?.resultdesc }).toEqual({ name, desc: expect.stringMatching(descPattern) });
			if (code === '1010002') expect(String(res.json?.resultdesc)).toMatch(/^Invalid request\./);
		}
		expect(emulator.calls()).toHaveLength(0);
	};

	it('click2Call: each rule gives its documented code', async () => {
		await check(PATHS.click2Call, CALLBACK_CASES);
	});

	it('callnotify: each rule gives its documented code', async () => {
		await check(PATHS.callNotify, NOTIFY_CASES);
	});

	it('HTTP statuses come from the codes table', async () => {
		const display = await api(emulator, PATHS.click2Call, callbackBody({ displayNbr: '+8675599999999' }));
		expect([display.status, display.json?.resultdesc]).toEqual([403, 'Invalid display number.']);
		const caller = await api(emulator, PATHS.click2Call, callbackBody({ callerNbr: 'x' }));
		expect([caller.status, caller.json?.resultdesc]).toEqual([403, 'Invalid caller number.']);
	});

	it('accepts valid edge values (and ignores unknown fields)', async () => {
		const ok: Array<[string, Record<string, unknown>]> = [
			['maxDuration 0', callbackBody({ maxDuration: 0 })],
			['maxDuration 1440 with tone options', callbackBody({ maxDuration: 1440, lastMinToUE: 'tob', lastMinVoice: 'lastmin.wav' })],
			['all enums', callbackBody({ calleeMedia: 'fail', playPreVoice: 'false', recordFlag: 'false', partyTypeRequiredInDisconnect: 'true' })],
			['approved files', callbackBody({ playPreVoice: 'true', preVoice: 'prevoice.wav', waitVoice: 'waitvoice.wav' })],
			['userData 256', callbackBody({ userData: 'u'.repeat(256) })],
			// Port 9 on loopback: a valid URL whose pushes fail fast, so nothing leaves the machine.
			['allowed URL chars', callbackBody({ statusUrl: b64('https://127.0.0.1:9/a-b_c/d.e?x&y#z'), feeUrl: b64('http://127.0.0.1:9/fee') })],
			['unknown field', callbackBody({ isRecord: 'true' })],
			['standard base64 with "/"', callbackBody({ feeUrl: b64('http://127.0.0.1:9/hook?') })],
			['bindNbr', callbackBody({ bindNbr: '+8675520000000' })],
		];
		for (const [name, body] of ok) {
			const res = await api(emulator, PATHS.click2Call, body);
			expect({ name, code: res.json?.resultcode }).toEqual({ name, code: '0' });
		}
		const notifyOk: Array<[string, Record<string, unknown>]> = [
			['template with CJK value ≤ 32 bytes', seg({ templateId: 'tpl-notice-01', templateParas: ['1栋保安亭', '123456'] })],
			['date/time template', seg({ templateId: 'tpl-meeting-01', templateParas: ['2024/01/31', '09:30:00'] })],
			['static template', seg({ templateId: 'tpl-static-01' })],
			['five segments with replay', notifyBody({ playInfoList: [...Array.from({ length: 4 }, () => ({ notifyVoice: 'notifyvoice.wav' })), { notifyVoice: 'notifyvoice.wav', collectInd: 32, replayAfterCollection: 'true', collectContentTriggerReplaying: '1' }] })],
		];
		for (const [name, body] of notifyOk) {
			const res = await api(emulator, PATHS.callNotify, body);
			expect({ name, code: res.json?.resultcode }).toEqual({ name, code: '0' });
		}
	});

	it('recordFlag "true" on an app without recording → 1012012', async () => {
		emulator.configure({ recordingEnabled: false });
		try {
			const res = await api(emulator, PATHS.click2Call, callbackBody({ recordFlag: 'true' }));
			expect([res.json?.resultcode, res.json?.resultdesc]).toEqual(['1012012', 'Application does not open recording function.']);
			expect((await api(emulator, PATHS.click2Call, callbackBody({ recordFlag: 'false' }))).json?.resultcode).toBe('0');
		} finally {
			emulator.configure({ recordingEnabled: true });
		}
	});

	it('callStop needs lower-case sessionid and signal call_stop', async () => {
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ sessionId: 'x', signal: 'call_stop' }, /sessionid/],
			[{ signal: 'call_stop' }, /sessionid/],
			[{ sessionid: 'x' }, /signal/],
			[{ sessionid: 'x', signal: 'stop' }, /call_stop/],
		];
		for (const [body, pattern] of cases) {
			const res = await api(emulator, PATHS.callStop, body);
			expect(res.json?.resultcode).toBe('1010002');
			expect(String(res.json?.resultdesc)).toMatch(pattern);
		}
	});

	it('callVerify validates its fields', async () => {
		const base = { displayNbr: '+8675528000001', calleeNbr: '+8613700000002', verifyCode: '1234' };
		expect((await api(emulator, PATHS.callVerify, { ...base, verifyCode: '123456789' })).json?.resultcode).toBe('1010002');
		expect((await api(emulator, PATHS.callVerify, { ...base, times: 10 })).json?.resultcode).toBe('1010002');
		expect((await api(emulator, PATHS.callVerify, { ...base, displayNbr: '+8600000000' })).json?.resultcode).toBe('1010023');
		expect((await api(emulator, PATHS.callVerify, base)).json?.resultcode).toBe('0');
	});
});
