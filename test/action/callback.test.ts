import type { Emulator } from '../../emulator';
import { base64Encode } from '../../nodes/HuaweiVoiceCall/validation';
import {
	A,
	B,
	DISPLAY,
	DISPLAY_2,
	FAST_OPTIONS,
	emulator,
	items,
	nodeError,
	placeCallParameters as placeCall,
	received,
	runAction,
} from './setup';

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterEach(() => emu.reset());
afterAll(async () => await emu.stop());

describe('Voice Callback → Place Call', () => {
	it('sends only the required fields (and asks for the free ports), the callee display number defaulting to the caller display number', async () => {
		const run = await runAction(emu, placeCall({ callerNbr: '+86 138-0000-0001', calleeNbr: '+86 (138) 0000 0002' }));
		const [request] = received(emu, 'click2Call');
		// returnIdlePort: the pacing reads the free ports from the answer; the item does not show them.
		expect(request.body).toEqual({ displayNbr: DISPLAY, callerNbr: A, displayCalleeNbr: DISPLAY, calleeNbr: B, returnIdlePort: 'true' });
		expect(run.items).toHaveLength(1);
		const json = run.items[0].json;
		expect(json).toEqual({
			sessionId: request.sessionId,
			resultcode: '0',
			resultdesc: 'Success.',
			callerNbr: A,
			calleeNbr: B,
			displayNbr: DISPLAY,
			displayCalleeNbr: DISPLAY,
		});
		expect(String(json.sessionId)).toMatch(/@/);
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(emu.calls().map((call) => call.sessionId)).toEqual([json.sessionId]);
	});

	it('sends every additional field exactly as documented (Base64 URLs, string booleans)', async () => {
		const statusUrl = `${emu.baseUrl}/status`;
		const feeUrl = `${emu.baseUrl}/fee`;
		const run = await runAction(
			emu,
			placeCall({
				displayCalleeNbr: DISPLAY_2,
				additionalFields: {
					maxDuration: 30,
					lastMinVoice: 'lastmin.wav',
					lastMinToUE: 'toa',
					playPreVoice: true,
					preVoice: 'prevoice.wav',
					waitVoice: 'waitvoice.wav',
					calleeMedia: 'none',
					recordFlag: true,
					recordHintTone: 'recordhint.wav',
					partyTypeRequiredInDisconnect: true,
					returnIdlePort: true,
					statusUrl,
					feeUrl,
					userData: 'order-123',
					bindNbr: '+8675520000000',
				},
			}),
		);
		const [request] = received(emu, 'click2Call');
		expect(request.body).toEqual({
			displayNbr: DISPLAY,
			callerNbr: A,
			displayCalleeNbr: DISPLAY_2,
			calleeNbr: B,
			maxDuration: 30,
			lastMinVoice: 'lastmin.wav',
			lastMinToUE: 'toa',
			playPreVoice: 'true',
			preVoice: 'prevoice.wav',
			waitVoice: 'waitvoice.wav',
			calleeMedia: 'none',
			recordFlag: 'true',
			recordHintTone: 'recordhint.wav',
			partyTypeRequiredInDisconnect: 'true',
			returnIdlePort: 'true',
			statusUrl: base64Encode(statusUrl),
			feeUrl: base64Encode(feeUrl),
			userData: 'order-123',
			bindNbr: '+8675520000000',
		});
		expect(run.items[0].json).toMatchObject({
			resultcode: '0',
			idlePort: 9,
			displayCalleeNbr: DISPLAY_2,
			userData: 'order-123',
		});
	});

	it('sends booleans the user switched off as "false", and nothing it did not add', async () => {
		const run = await runAction(emu, placeCall({ additionalFields: { recordFlag: false, playPreVoice: false, maxDuration: 0, returnIdlePort: false } }));
		const [request] = received(emu, 'click2Call');
		expect(request.body).toEqual({
			displayNbr: DISPLAY,
			callerNbr: A,
			displayCalleeNbr: DISPLAY,
			calleeNbr: B,
			maxDuration: 0,
			playPreVoice: 'false',
			recordFlag: 'false',
			returnIdlePort: 'false',
		});
		expect(run.items[0].json).not.toHaveProperty('idlePort');
	});

	it.each([
		['a number without +', { calleeNbr: '13800000002' }, 'Callee Number (B) is not a valid phone number', '+8613800000001'],
		['an empty caller', { callerNbr: '={{ "" }}' }, 'Caller Number (A) is empty', '+8613800000001'],
		['a bad display number', { displayNbr: '0755-2800' }, 'Caller Display Number is not a valid phone number', 'E.164'],
		['userData with braces', { additionalFields: { userData: '{"id":1}' } }, 'User Data contains "{" or "}"', 'plain ID'],
		['a status URL with =', { additionalFields: { statusUrl: 'https://a.example/x?y=1' } }, 'Status URL contains characters', 'webhook'],
		['max duration 1441', { additionalFields: { maxDuration: 1441 } }, 'Max Duration (Minutes) must be a whole number from 0 to 1440', 'between 0 and 1440'],
		['pre-voice without Play Pre-Voice', { additionalFields: { preVoice: 'prevoice.wav' } }, 'Pre-Voice File is set but Play Pre-Voice is not on', 'turn it on'],
		['a hint tone without Record', { additionalFields: { recordHintTone: 'recordhint.wav', recordFlag: false } }, 'Record Hint Tone is set but Record is not on', 'Record'],
		['a last-minute voice without max duration', { additionalFields: { lastMinVoice: 'lastmin.wav' } }, 'needs Max Duration (Minutes) above 0', 'Max Duration'],
		['a voice file name with a space', { additionalFields: { waitVoice: 'wait voice.wav' } }, 'Wait Voice File is not a valid voice file name', 'letters, digits'],
	])('rejects %s before sending anything', async (_name, extra, message, hint) => {
		const run = await runAction(emu, placeCall(extra));
		const error = nodeError(run);
		expect(error.message).toContain(message);
		expect(error.description).toContain(hint);
		expect(error.context?.itemIndex).toBe(0);
		expect(emu.requests()).toHaveLength(0);
	});

	it('without Continue on Fail, one invalid item fails the node before any call is placed', async () => {
		const input = items(3, (i) => ({ phone: i === 2 ? 'not-a-number' : `+861380000001${i}` }));
		const run = await runAction(emu, placeCall({ calleeNbr: '={{ $json.phone }}' }), { input });
		const error = nodeError(run);
		expect(error.message).toContain('Callee Number (B)');
		expect(error.context?.itemIndex).toBe(2);
		expect(emu.requests()).toHaveLength(0);
	});

	it('with Continue on Fail, a bad item becomes an error item and the others are called', async () => {
		const input = items(3, (i) => ({ phone: i === 1 ? '12345' : `+861380000001${i}` }));
		const run = await runAction(emu, placeCall({ calleeNbr: '={{ $json.phone }}' }), { input, continueOnFail: true });
		expect(run.items).toHaveLength(3);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(run.items[0].json).toMatchObject({ resultcode: '0', calleeNbr: '+8613800000010' });
		expect(run.items[2].json).toMatchObject({ resultcode: '0', calleeNbr: '+8613800000012' });
		expect(run.items[1].json).toEqual({
			error: 'Callee Number (B) is not a valid phone number: "12345"',
			mayHaveBeenPlaced: false,
			description: expect.stringContaining('+8613800000001'),
		});
		expect(received(emu, 'click2Call').map((r) => (r.body as { calleeNbr: string }).calleeNbr).sort()).toEqual([
			'+8613800000010',
			'+8613800000012',
		]);
	});

	it('with Continue on Fail, a platform refusal becomes an error item with the Huawei result code', async () => {
		const run = await runAction(emu, placeCall({ displayNbr: '+8675599999999' }), { continueOnFail: true });
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json).toMatchObject({ code: '1010023', error: expect.stringContaining('1010023'), mayHaveBeenPlaced: false });
		expect(String(run.items[0].json.description)).toMatch(/number/i);
		expect(run.items[0].pairedItem).toEqual({ item: 0 });
		expect(JSON.stringify(run.items)).not.toContain(emu.config.appSecret);
	});

	it('a platform error without Continue on Fail fails the node with the code, meaning and fix', async () => {
		emu.configure({ recordingEnabled: false });
		try {
			const run = await runAction(emu, placeCall({ additionalFields: { recordFlag: true } }));
			const error = nodeError(run);
			expect(error.message).toContain('1012012');
			expect(error.description).toMatch(/record/i);
			expect(JSON.stringify(error)).not.toContain(emu.config.appSecret);
			expect(received(emu, 'click2Call')).toHaveLength(1);
		} finally {
			emu.configure({ recordingEnabled: true });
		}
	});

	it('a connection dropped after the platform accepted: the item fails with "may have been placed", sent exactly once', async () => {
		emu.configure({ faults: { click2Call: { drop: 'dropAfterAccept', times: 1 } } });
		try {
			const run = await runAction(emu, placeCall());
			const error = nodeError(run);
			expect(error.message).toContain('may or may not have been placed');
			expect(error.description).toContain('not repeated');
			expect(received(emu, 'click2Call')).toHaveLength(1);
			expect(emu.calls()).toHaveLength(1);
		} finally {
			emu.configure({ faults: {} });
		}
	});

	it('refuses n8n\'s whole-node "Retry On Fail" (it would call people twice) before sending anything', async () => {
		const run = await runAction(emu, placeCall(), { retryOnFail: true });
		const error = nodeError(run);
		expect(error.message).toContain('Retry On Fail');
		expect(error.description).toContain('Retry When Not Accepted');
		expect(received(emu, 'click2Call')).toHaveLength(0);
		expect(emu.calls()).toHaveLength(0);
	});

	it('allows "Retry On Fail" for operations that do not place calls (Terminate)', async () => {
		const run = await runAction(emu, { resource: 'call', operation: 'terminate', sessionId: 'no-such-session', options: FAST_OPTIONS }, { retryOnFail: true });
		expect(nodeError(run).message).not.toContain('Retry On Fail');
		expect(received(emu, 'callStop').length).toBeGreaterThanOrEqual(1);
	});
});
