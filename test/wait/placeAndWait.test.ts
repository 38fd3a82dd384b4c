import type { Emulator } from '../../emulator';
import { USER_DATA_MAX_WITH_WAKE_TOKEN } from '../../nodes/shared/wakeToken';
import { DISPLAY, FAST_OPTIONS, emulator, items, nodeError, received, runAction } from '../action/setup';

/*
 * The execute() half of call and wait, in n8n's real engine against the emulator: the call carries
 * the wake token, the run ends waiting, and nothing the node outputs contains the token. The
 * resume half (the trigger's relay, n8n's waiting webhook) is proven in e2e/tests/call-and-wait.
 */

const CALLEE = '+8613800000001';

const sendAndWait = (extra: Record<string, unknown> = {}) => ({
	resource: 'notification',
	operation: 'sendAndWaitForResponse',
	displayNbr: DISPLAY,
	calleeNbr: CALLEE,
	playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
	additionalFields: { userData: 'order-42' },
	options: FAST_OPTIONS,
	...extra,
});

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator({ defaultScript: { outcome: 'manual', ringSeconds: 3, talkSeconds: 8, digits: [], hangupBy: 'callee' } });
});
afterEach(() => {
	emu.reset();
	emu.configure({ faults: {} });
});
afterAll(async () => await emu.stop());

test('one call with the wake token after the user data; the run waits with the call on the No Response branch', async () => {
	const run = await runAction(emu, sendAndWait());
	expect(run.run.status).toBe('waiting');
	const [request] = received(emu, 'callNotify');
	const body = request.body as Record<string, unknown>;
	expect(String(body.userData)).toMatch(/^order-42\|n8n-wake:\d+\.[0-9a-f]{64}$/);
	// No segment collected digits: the last one collects as many as the longest approval keys.
	expect(body.playInfoList).toEqual([{ notifyVoice: 'notifyvoice.wav', collectInd: 1 }]);

	const outputs = run.run.data.resultData.runData['Huawei Voice Call'][0].data?.main ?? [];
	expect(outputs.map((branch) => branch?.length)).toEqual([0, 0, 1]);
	const waiting = outputs[2]?.[0];
	expect(waiting?.pairedItem).toEqual({ item: 0 });
	expect(waiting?.json).toMatchObject({ waiting: true, sessionId: request.sessionId, userData: 'order-42', calleeNbr: CALLEE, displayNbr: DISPLAY });
	const token = String(body.userData).split('.').pop() as string;
	expect(JSON.stringify(run.run.data.resultData.runData)).not.toContain(token);
});

test('Digits: the last segment collects Max Digits; Place Call and Wait: two outputs', async () => {
	await runAction(emu, sendAndWait({ responseType: 'digits', maxDigits: 6 }));
	expect((received(emu, 'callNotify')[0].body as { playInfoList: unknown }).playInfoList).toEqual([{ notifyVoice: 'notifyvoice.wav', collectInd: 6 }]);
	const run = await runAction(emu, { resource: 'callback', operation: 'placeCallAndWait', callerNbr: '+8613800000002', calleeNbr: CALLEE, displayNbr: DISPLAY, options: FAST_OPTIONS });
	expect(run.run.status).toBe('waiting');
	expect(run.run.data.resultData.runData['Huawei Voice Call'][0].data?.main.map((branch) => branch?.length)).toEqual([0, 1]);
});

test.each<[string, Record<string, unknown>, { input?: number }, RegExp]>([
	['two input items', {}, { input: 2 }, /calls one number per execution, and received 2 items/],
	['user data too long for the wake token', { additionalFields: { userData: 'x'.repeat(USER_DATA_MAX_WITH_WAKE_TOKEN + 1) } }, {}, /User Data is too long for a waiting call/],
	['invalid approve keys', { approveKeys: '1a' }, {}, /Approve Keys is not a valid key sequence/],
	['same approve and decline keys', { approveKeys: '1', declineKeys: '1' }, {}, /are the same/],
])('%s → a clear error, and no call', async (_name, extra, { input }, message) => {
	const run = await runAction(emu, sendAndWait(extra), { input: input ? items(input, (i) => ({ i })) : undefined });
	expect(nodeError(run).message).toMatch(message);
	expect(received(emu, 'callNotify')).toHaveLength(0);
});

test('Continue On Fail: a refused call becomes an error item on the No Response branch, never on Approved', async () => {
	emu.configure({ faults: { callNotify: { resultCode: '1010023' } } });
	const run = await runAction(emu, sendAndWait(), { continueOnFail: true });
	const outputs = run.run.data.resultData.runData['Huawei Voice Call'][0].data?.main ?? [];
	expect(outputs.map((branch) => branch?.length)).toEqual([0, 0, 1]);
	expect(outputs[2]?.[0].json).toMatchObject({ code: '1010023', mayHaveBeenPlaced: false });
	expect(run.run.status).not.toBe('waiting');
});

test('Continue On Fail: a lost answer becomes an error item that says the call may have been placed, sent once', async () => {
	emu.configure({ faults: { callNotify: { drop: 'dropAfterAccept' } } });
	const run = await runAction(emu, sendAndWait(), { continueOnFail: true });
	const outputs = run.run.data.resultData.runData['Huawei Voice Call'][0].data?.main ?? [];
	expect(outputs.map((branch) => branch?.length)).toEqual([0, 0, 1]);
	expect(outputs[2]?.[0].json).toMatchObject({ mayHaveBeenPlaced: true, error: expect.stringContaining('may or may not have been placed') });
	expect(received(emu, 'callNotify')).toHaveLength(1);
	expect(emu.calls()).toHaveLength(1);
	// The wake token (the resume token's carrier) stays out of the error item.
	expect(JSON.stringify(outputs)).not.toContain('n8n-wake');
});

test('Retry On Fail is refused: it would call again', async () => {
	const run = await runAction(emu, sendAndWait(), { retryOnFail: true });
	expect(nodeError(run).message).toMatch(/Retry On Fail/);
	expect(received(emu, 'callNotify')).toHaveLength(0);
});
