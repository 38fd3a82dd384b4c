/**
 * Every Continue-On-Fail error item says whether its call may have been placed
 * (`mayHaveBeenPlaced`), through the real engine against the emulator's faults: true exactly when
 * the request went out and its answer was lost or was not the platform's; false for validation
 * errors, platform refusals with a result code and connections never made. The emulator's own
 * records show which of them really placed a call, and that none was sent twice.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Emulator, FaultSpec } from '../../emulator';
import { DISPLAY, emulator, items, received, runAction } from './setup';

const CALLEE = '+8613800000001';
const TIMEOUT_S = 0.4;

const send = (extra: Record<string, unknown> = {}) => ({
	resource: 'notification',
	operation: 'send',
	displayNbr: DISPLAY,
	calleeNbr: CALLEE,
	playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
	options: { retryWait: 0.05, maxRetries: 1, timeout: TIMEOUT_S },
	...extra,
});

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterEach(() => {
	emu.reset();
	emu.configure({ faults: {} });
});
afterAll(async () => await emu.stop());

/** One item with `fault` on callNotify: its output item and what the emulator saw. */
async function sendWith(fault: FaultSpec | undefined, extra: Record<string, unknown> = {}) {
	if (fault) emu.configure({ faults: { callNotify: fault } });
	const run = await runAction(emu, send(extra), { continueOnFail: true });
	expect(run.items).toHaveLength(1);
	expect(run.items[0].pairedItem).toEqual({ item: 0 });
	// A slow answer arrives after the node gave up: wait until the emulator is done with it.
	await emu.waitForIdle(20_000);
	return { json: run.items[0].json as IDataObject, requests: received(emu, 'callNotify').length, calls: emu.calls().length };
}

describe('error items say whether the call may have been placed', () => {
	it('validation error: false, nothing sent', async () => {
		const { json, requests } = await sendWith(undefined, { calleeNbr: '12345' });
		expect(json).toMatchObject({ mayHaveBeenPlaced: false, error: expect.stringContaining('not a valid phone number') });
		expect(requests).toBe(0);
	});

	it.each<[string, FaultSpec, string, number]>([
		['an auth failure', { resultCode: '1010010' }, '1010010', 1],
		['a business refusal', { resultCode: '1010023' }, '1010023', 1],
		['a 500 with a result code', { resultCode: '1010001' }, '1010001', 1],
		['flow control until the retries are used up', { resultCode: '1011006' }, '1011006', 2],
	])('a platform refusal (%s): false, with the code, nothing placed', async (_what, fault, code, sends) => {
		const { json, requests, calls } = await sendWith(fault);
		expect(json).toMatchObject({ code, mayHaveBeenPlaced: false });
		expect([requests, calls]).toEqual([sends, 0]);
	});

	it('the platform cannot be reached (connection refused): false, and the description says no call was placed', async () => {
		// The credential points at an emulator that was stopped: nothing listens on its port.
		const closed = await emulator();
		const gone = { baseUrl: closed.baseUrl, config: closed.config } as Emulator;
		await closed.stop();
		const refused = await runAction(gone, send(), { continueOnFail: true });
		expect(refused.items[0].json).toMatchObject({ mayHaveBeenPlaced: false, error: expect.stringContaining('Could not reach') });
		expect(String(refused.items[0].json.description)).toMatch(/ECONNREFUSED.*no call was placed/);
	});

	it.each<[string, FaultSpec, RegExp, number]>([
		['reset before the platform accepted', { drop: 'dropBeforeAccept' }, /connection .* was lost/, 0],
		['reset after the platform accepted', { drop: 'dropAfterAccept' }, /connection .* was lost/, 1],
		['an answer slower than the timeout', { slowAnswerMs: 1500 }, new RegExp(`did not answer within ${TIMEOUT_S} s`), 1],
		['a malformed answer', { malformedBody: true }, /HTTP 200 with a body that is not JSON/, 1],
		['a gateway 502 page', { gatewayError: { status: 502 } }, /HTTP 502 with a body that is not JSON/, 0],
		['a gateway 504 page after the call was placed', { gatewayError: { status: 504, afterAccept: true } }, /HTTP 504 with a body that is not JSON/, 1],
	])('a lost or foreign answer (%s): true, sent once, never again', async (_what, fault, message, placed) => {
		const { json, requests, calls } = await sendWith(fault);
		expect(json).toMatchObject({ mayHaveBeenPlaced: true, error: expect.stringMatching(message) });
		expect(String(json.error)).toContain('may or may not have been placed');
		expect(String(json.description)).toContain('deliberately not repeated');
		expect(json.code).toBeUndefined();
		expect([requests, calls]).toEqual([1, placed]);
	});

	it('in a bulk run the flag belongs to each item: only the lost answer says true', async () => {
		emu.configure({ faults: { callNotify: { drop: 'dropAfterAccept', times: 1 } } });
		const run = await runAction(emu, send({ calleeNbr: '={{ $json.phone }}', options: { maxConcurrent: 1, timeout: 5 } }), {
			continueOnFail: true,
			input: items(3, (i) => ({ phone: i === 1 ? 'not-a-number' : `+861380000010${i}` })),
		});
		expect(run.items.map((item) => [item.pairedItem, item.json.mayHaveBeenPlaced, typeof item.json.sessionId])).toEqual([
			[{ item: 0 }, true, 'undefined'],
			[{ item: 1 }, false, 'undefined'],
			[{ item: 2 }, undefined, 'string'],
		]);
		expect(emu.calls()).toHaveLength(2);
	});

	it('operations that place no call: false, also for a lost answer', async () => {
		emu.configure({ faults: { callStop: { drop: 'dropAfterAccept' } } });
		const run = await runAction(emu, { resource: 'call', operation: 'terminate', sessionId: 'no-such-session', options: { timeout: 5 } }, { continueOnFail: true });
		expect(run.items[0].json).toMatchObject({ mayHaveBeenPlaced: false, error: expect.stringContaining('Could not reach') });
	});
});
