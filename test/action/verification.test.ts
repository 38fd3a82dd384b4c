import type { Emulator } from '../../emulator';
import { base64Encode } from '../../nodes/HuaweiVoiceCall/validation';
import { DISPLAY, FAST_OPTIONS, emulator, items, nodeError, received, runAction } from './setup';

const CALLEE = '+8613800000071';

const verify = (extra: Record<string, unknown> = {}) => ({
	resource: 'verification',
	operation: 'send',
	displayNbr: DISPLAY,
	calleeNbr: CALLEE,
	verifyCode: '482913',
	options: FAST_OPTIONS,
	...extra,
});

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterEach(() => emu.reset());
afterAll(async () => await emu.stop());

describe('Voice Verification → Send (callVerify)', () => {
	it('sends the required fields (and asks for the free ports), verifyCode as a digit string, and never echoes the code', async () => {
		const run = await runAction(emu, verify());
		const [request] = received(emu, 'callVerify');
		// returnIdlePort: the node asks for the free ports by default, to pace to them (sendCallRequest.ts).
		expect(request.body).toEqual({ displayNbr: DISPLAY, calleeNbr: CALLEE, verifyCode: '482913', returnIdlePort: 'true' });
		expect(run.items).toEqual([
			{
				json: { sessionId: request.sessionId, resultcode: '0', resultdesc: 'Success.', displayNbr: DISPLAY, calleeNbr: CALLEE },
				pairedItem: { item: 0 },
			},
		]);
		expect(String(request.sessionId)).toMatch(/^1203_/);
		expect(JSON.stringify(run.items)).not.toContain('482913');
	});

	it('sends every documented field with the documented JSON types (docs/platform.md §9)', async () => {
		const statusUrl = `${emu.baseUrl}/status`;
		const feeUrl = `${emu.baseUrl}/fee`;
		const run = await runAction(
			emu,
			verify({
				verifyCode: '00123456',
				additionalFields: {
					languageType: 2,
					preTone: 'prevoice.wav',
					posTone: 'testvoice.wav',
					times: 0,
					statusUrl,
					feeUrl,
					returnIdlePort: true,
					userData: 'otp-7781',
				},
			}),
		);
		const [request] = received(emu, 'callVerify');
		expect(request.body).toStrictEqual({
			displayNbr: DISPLAY,
			calleeNbr: CALLEE,
			verifyCode: '00123456',
			languageType: 2,
			preTone: 'prevoice.wav',
			posTone: 'testvoice.wav',
			times: 0,
			statusUrl: base64Encode(statusUrl),
			feeUrl: base64Encode(feeUrl),
			returnIdlePort: 'true',
			userData: 'otp-7781',
		});
		// The wire types exactly: integers for languageType and times, strings for everything else.
		const body = request.body as Record<string, unknown>;
		expect(Object.fromEntries(Object.entries(body).map(([key, value]) => [key, typeof value]))).toEqual({
			displayNbr: 'string',
			calleeNbr: 'string',
			verifyCode: 'string',
			languageType: 'number',
			preTone: 'string',
			posTone: 'string',
			times: 'number',
			statusUrl: 'string',
			feeUrl: 'string',
			returnIdlePort: 'string',
			userData: 'string',
		});
		expect(run.items[0].json).toMatchObject({ resultcode: '0', idlePort: 9, userData: 'otp-7781' });
	});

	it('a code from an expression (a number too) is read as digits; the emulator reads it the requested number of times', async () => {
		const run = await runAction(emu, verify({ verifyCode: '={{ $json.code }}', additionalFields: { times: 2 } }), {
			input: [{ json: { code: 7301 } }],
		});
		expect(received(emu, 'callVerify')[0].body).toMatchObject({ verifyCode: '7301', times: 2 });
		const call = await emu.waitForCall(String(run.items[0].json.sessionId), 'ended');
		expect(call.cdr).toMatchObject({ serviceType: '001', ttsPlayTimes: 2 });
	});

	it.each([
		['an empty code', { verifyCode: '={{ $json.nothing }}' }, 'Verification Code is empty'],
		['nine digits', { verifyCode: '123456789' }, 'Verification Code has 9 digits, at most 8 are allowed'],
		['letters', { verifyCode: '12ab56' }, 'Verification Code must contain only the digits 0-9'],
		['a code with a space', { verifyCode: '123 456' }, 'Verification Code must contain only the digits 0-9'],
		['times 10', { additionalFields: { times: 10 } }, 'Play Times must be a whole number from 0 to 9'],
		['times -1', { additionalFields: { times: -1 } }, 'Play Times must be a whole number from 0 to 9'],
		['times 1.5', { additionalFields: { times: 1.5 } }, 'Play Times must be a whole number from 0 to 9'],
		['a language type that is no integer', { additionalFields: { languageType: 'zh' } }, 'Language Type must be a whole number from 0 to 99'],
		['a language type of 100', { additionalFields: { languageType: 100 } }, 'Language Type must be a whole number from 0 to 99'],
		['a bad pre-tone file name', { additionalFields: { preTone: '提示音.wav' } }, 'Pre-Tone File is not a valid voice file name'],
		['a bad post-tone file name', { additionalFields: { posTone: 'a b.wav' } }, 'Post-Tone File is not a valid voice file name'],
		['a callee without +', { calleeNbr: '13800000071' }, 'Callee Number is not a valid phone number'],
		['a status URL with =', { additionalFields: { statusUrl: 'https://n8n.example.com/webhook?token=1' } }, 'Status URL contains characters Huawei does not allow'],
		['user data with braces', { additionalFields: { userData: '{"otp":1}' } }, 'User Data contains "{" or "}"'],
	])('refuses %s before sending anything', async (_name, extra, message) => {
		const run = await runAction(emu, verify(extra));
		const error = nodeError(run);
		expect(error.message).toContain(message);
		expect(error.context?.itemIndex).toBe(0);
		// The one-time code never appears in an error.
		expect(`${error.message} ${error.description ?? ''}`).not.toMatch(/123456789|12ab56/);
		expect(emu.requests()).toHaveLength(0);
	});

	it('has no Bind Number: callVerify does not document bindNbr, so it is never sent', async () => {
		await runAction(emu, verify({ additionalFields: { bindNbr: '+8675520000000' } }));
		expect(received(emu, 'callVerify')[0].body).not.toHaveProperty('bindNbr');
	});

	it('a voice file the app has not approved: the platform error as an error item with Continue on Fail', async () => {
		const run = await runAction(emu, verify({ additionalFields: { preTone: 'not-approved.wav' } }), { continueOnFail: true });
		expect(run.items[0].json).toMatchObject({ code: '1010002' });
		expect(String(run.items[0].json.description)).toMatch(/preTone/);
	});

	it('one call per item, in parallel, output in input order', async () => {
		const callees = ['+8613800000072', '+8613800000073', '+8613800000074'];
		const run = await runAction(emu, verify({ calleeNbr: '={{ $json.phone }}', verifyCode: '={{ $json.code }}' }), {
			input: items(3, (i) => ({ phone: callees[i], code: `90${i}1` })),
		});
		expect(run.items.map((item) => [item.json.calleeNbr, item.pairedItem])).toEqual(callees.map((phone, i) => [phone, { item: i }]));
		expect(received(emu, 'callVerify').map((r) => (r.body as { verifyCode: string }).verifyCode).sort()).toEqual(['9001', '9011', '9021']);
	});
});
