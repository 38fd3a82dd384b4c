import type { Emulator } from '../../emulator';
import { A, FAST_OPTIONS, emulator, nodeError, placeCallParameters, received, runAction } from './setup';

let emu: Emulator;
beforeAll(async () => {
	// A rings until the test acts, so the call is live when it is terminated.
	emu = await emulator({ scripts: { [A]: { outcome: 'manual' } } });
});
afterEach(() => emu.reset());
afterAll(async () => await emu.stop());

async function liveCall(): Promise<string> {
	const run = await runAction(emu, placeCallParameters());
	return String(run.items[0].json.sessionId);
}

const terminate = (sessionId: string) => ({ resource: 'call', operation: 'terminate', sessionId, options: FAST_OPTIONS });

describe('Call → Terminate', () => {
	it('sends { sessionid, signal: "call_stop" } and reports terminated: true', async () => {
		const sessionId = await liveCall();
		const run = await runAction(emu, terminate(sessionId));
		const [request] = received(emu, 'callStop');
		expect(request.body).toEqual({ sessionid: sessionId, signal: 'call_stop' });
		expect(run.items).toEqual([
			{ json: { sessionId, terminated: true, resultcode: '0', resultdesc: 'Success.' }, pairedItem: { item: 0 } },
		]);
		const call = await emu.waitForCall(sessionId, 'ended');
		expect(call.disconnect?.stateCode).toBe(8017);
	});

	it('takes the session ID from the input item (e.g. the output of Place Call)', async () => {
		const sessionId = await liveCall();
		const run = await runAction(emu, terminate('={{ $json.sessionId }}'), { input: [{ json: { sessionId } }] });
		expect(run.items[0].json).toMatchObject({ sessionId, terminated: true });
		expect(received(emu, 'callStop')[0].body).toEqual({ sessionid: sessionId, signal: 'call_stop' });
	});

	it('a call that already ended: the platform error, as an error item with Continue on Fail', async () => {
		const sessionId = await liveCall();
		await runAction(emu, terminate(sessionId));
		await emu.waitForCall(sessionId, 'ended');
		const run = await runAction(emu, terminate(sessionId), { continueOnFail: true });
		expect(run.items).toHaveLength(1);
		expect(run.items[0].json.code).toMatch(/^\d{7}$/);
		expect(run.items[0].json.error).toContain(String(run.items[0].json.code));
		expect(run.items[0].json).not.toHaveProperty('terminated');
		expect(received(emu, 'callStop')).toHaveLength(2);
	});

	it('an empty session ID fails before sending anything', async () => {
		const run = await runAction(emu, terminate('={{ $json.nothing }}'));
		const error = nodeError(run);
		expect(error.message).toBe('Session ID is empty');
		expect(error.description).toContain('sessionId');
		expect(emu.requests()).toHaveLength(0);
	});
});
