import { NodeHelpers, type INodeProperties, type INodeTypeDescription } from 'n8n-workflow';

import type { Emulator } from '../../emulator';
import { HuaweiVoiceCall } from '../../nodes/HuaweiVoiceCall/HuaweiVoiceCall.node';
import { minuteInTimeZone, parseGuardrails, refusalOf } from '../../nodes/HuaweiVoiceCall/actions/guardrails';
import { A, B, DISPLAY, FAST_OPTIONS, emulator, items, nodeError, placeCallParameters, runAction } from './setup';

/*
 * Guardrails in n8n's real engine against the emulator: every refusal names the rule and the
 * number, is an error of the item, and the refused call never reaches the platform.
 */

const ALLOWED = '+8613800000001';
const ALSO_ALLOWED = '+8613900000042';
const OUTSIDE = '+8613800000099';

let nodeSeq = 0;
/** Each test gets a node of its own: Max Calls per Hour counts per workflow node in this process. */
const ownNode = () => `guard-${++nodeSeq}`;

const notify = (guardrails: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	resource: 'notification',
	operation: 'send',
	displayNbr: DISPLAY,
	calleeNbr: ALLOWED,
	playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
	guardrails,
	options: FAST_OPTIONS,
	...extra,
});

const hhmm = (minute: number) => {
	const m = ((minute % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** A quiet window around now (in that zone) or one that ends an hour before now: a margin of 60 minutes either way. */
function quietWindow(timeZone: string, containsNow: boolean) {
	const now = minuteInTimeZone(Date.now(), timeZone);
	return containsNow
		? { window: { start: hhmm(now - 60), end: hhmm(now + 60), timeZone } }
		: { window: { start: hhmm(now + 60), end: hhmm(now - 60 + 1440 - 60), timeZone } };
}

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterEach(() => emu.reset());
afterAll(async () => await emu.stop());

describe('Allowed Numbers', () => {
	const guardrails = { allowedNumbers: `${ALLOWED}\n+86139*` };

	it('calls a listed number and a number with a listed prefix', async () => {
		const run = await runAction(emu, notify(guardrails, { calleeNbr: '={{ $json.phone }}' }), {
			input: items(2, (i) => ({ phone: [ALLOWED, ALSO_ALLOWED][i] })),
			nodeId: ownNode(),
		});
		expect(run.items.map((item) => item.json.resultcode)).toEqual(['0', '0']);
		expect(emu.calls()).toHaveLength(2);
	});

	it('refuses a number outside the list with an error an agent can act on; nothing is sent', async () => {
		const run = await runAction(emu, notify(guardrails, { calleeNbr: OUTSIDE }), { nodeId: ownNode() });
		const error = nodeError(run);
		expect(error.message).toBe(`${OUTSIDE} is not in the allowed numbers of this node (${ALLOWED}, +86139*): the call was not placed`);
		expect(error.description).toMatch(/Check the number with the user/);
		expect(error.context?.itemIndex).toBe(0);
		expect(emu.requests()).toHaveLength(0);
	});

	it('one refused item stops the run before any call; with Continue On Fail only that item fails', async () => {
		const parameters = notify(guardrails, { calleeNbr: '={{ $json.phone }}' });
		const input = items(3, (i) => ({ phone: [ALLOWED, OUTSIDE, ALSO_ALLOWED][i] }));
		const failed = await runAction(emu, parameters, { input, nodeId: ownNode() });
		expect(nodeError(failed).context?.itemIndex).toBe(1);
		expect(emu.requests()).toHaveLength(0);

		const run = await runAction(emu, parameters, { input, continueOnFail: true, nodeId: ownNode() });
		expect(run.items.map((item) => item.json.resultcode ?? item.json.error)).toEqual(['0', expect.stringContaining(`${OUTSIDE} is not in the allowed numbers`), '0']);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(emu.requests().map((r) => (r.body as { calleeNbr: string }).calleeNbr).sort()).toEqual([ALLOWED, ALSO_ALLOWED]);
	});

	it('Place Call: both numbers that ring (A and B) must be allowed', async () => {
		const run = await runAction(emu, { ...placeCallParameters(), guardrails: { allowedNumbers: B } }, { nodeId: ownNode() });
		expect(nodeError(run).message).toMatch(new RegExp(`^\\${A} is not in the allowed numbers`));
		expect(emu.requests()).toHaveLength(0);
		const ok = await runAction(emu, { ...placeCallParameters(), guardrails: { allowedNumbers: `${A}, ${B}` } }, { nodeId: ownNode() });
		expect(ok.items[0].json.resultcode).toBe('0');
	});

	it('Voice Verification → Send and Send and Wait for Response are guarded too', async () => {
		const verify = { resource: 'verification', operation: 'send', displayNbr: DISPLAY, calleeNbr: OUTSIDE, verifyCode: '1234', guardrails, options: FAST_OPTIONS };
		expect(nodeError(await runAction(emu, verify, { nodeId: ownNode() })).message).toMatch(/is not in the allowed numbers/);
		const wait = notify(guardrails, { operation: 'sendAndWaitForResponse', calleeNbr: OUTSIDE });
		const waitRun = await runAction(emu, wait, { nodeId: ownNode() });
		expect(nodeError(waitRun).message).toMatch(/is not in the allowed numbers/);
		expect(waitRun.run.status).not.toBe('waiting');
		expect(emu.requests()).toHaveLength(0);
	});

	it.each([
		['a prefix without country code', '+*', /invalid prefix: "\+\*"/],
		['a word', 'boss', /neither a number nor a prefix: "boss"/],
		['a number without +', '13800000001', /neither a number nor a prefix/],
	])('refuses a list with %s before sending anything', async (_name, allowedNumbers, message) => {
		expect(nodeError(await runAction(emu, notify({ allowedNumbers }), { nodeId: ownNode() })).message).toMatch(message);
		expect(emu.requests()).toHaveLength(0);
	});
});

describe('Max Calls per Execution', () => {
	it('counts the items of one execution: the fourth and fifth are refused; without Continue On Fail nothing is sent', async () => {
		const parameters = notify({ maxCallsPerExecution: 3 }, { calleeNbr: '={{ $json.phone }}' });
		const input = items(5, (i) => ({ phone: `+861380000001${i}` }));
		const failed = await runAction(emu, parameters, { input, nodeId: ownNode() });
		expect(nodeError(failed).message).toBe('This node may place at most 3 calls per execution and has placed 3: the call to +8613800000013 was not placed');
		expect(nodeError(failed).context?.itemIndex).toBe(3);
		expect(emu.requests()).toHaveLength(0);

		const run = await runAction(emu, parameters, { input, continueOnFail: true, nodeId: ownNode() });
		expect(run.items.map((item) => item.json.resultcode ?? 'refused')).toEqual(['0', '0', '0', 'refused', 'refused']);
		expect(String(run.items[4].json.description)).toMatch(/a new execution .* may call again/);
		expect(emu.requests()).toHaveLength(3);
	});

	it('a new execution starts from zero (the count is kept with the execution)', async () => {
		const node = ownNode();
		for (let run = 0; run < 2; run++) {
			expect((await runAction(emu, notify({ maxCallsPerExecution: 1 }), { nodeId: node })).items[0].json.resultcode).toBe('0');
		}
		expect(emu.requests()).toHaveLength(2);
	});
});

describe('Max Calls per Hour', () => {
	it('counts across executions of the same node; the refusal says when the next call is possible', async () => {
		const node = ownNode();
		const parameters = notify({ maxCallsPerHour: 2 }, { calleeNbr: '={{ $json.phone }}' });
		const first = await runAction(emu, parameters, { input: items(2, (i) => ({ phone: `+861380000002${i}` })), nodeId: node });
		expect(first.items.map((item) => item.json.resultcode)).toEqual(['0', '0']);
		const second = await runAction(emu, parameters, { input: items(1, () => ({ phone: '+8613800000029' })), nodeId: node });
		const error = nodeError(second);
		expect(error.message).toBe('This node may place at most 2 calls per hour and placed 2 in the last 60 minutes: the call to +8613800000029 was not placed');
		expect(error.description).toMatch(/The next call is possible in (59|60) minutes \(at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)/);
		expect(emu.requests()).toHaveLength(2);
		// Another node of the same workflow has its own count.
		expect((await runAction(emu, parameters, { input: items(1, () => ({ phone: '+8613800000029' })), nodeId: ownNode() })).items[0].json.resultcode).toBe('0');
	});

	it('a refused run takes nothing from the hour: without Continue On Fail the valid items are not counted either', async () => {
		const node = ownNode();
		const guardrails = { maxCallsPerHour: 2, allowedNumbers: '+86138*' };
		const parameters = notify(guardrails, { calleeNbr: '={{ $json.phone }}' });
		const refused = await runAction(emu, parameters, { input: items(2, (i) => ({ phone: ['+8613800000031', OUTSIDE.replace('138', '137')][i] })), nodeId: node });
		expect(nodeError(refused).message).toMatch(/is not in the allowed numbers/);
		const run = await runAction(emu, parameters, { input: items(2, (i) => ({ phone: `+861380000003${i + 2}` })), nodeId: node });
		expect(run.items.map((item) => item.json.resultcode)).toEqual(['0', '0']);
	});
});

describe('Quiet Hours', () => {
	it.each(['Asia/Shanghai', 'America/New_York'])('refuses during the window in %s, naming the window and the time there now', async (timeZone) => {
		const quietHours = quietWindow(timeZone, true);
		const run = await runAction(emu, notify({ quietHours }), { nodeId: ownNode() });
		const error = nodeError(run);
		const { start, end } = quietHours.window;
		expect(error.message).toMatch(new RegExp(`^No calls between ${start} and ${end} \\(${timeZone}\\), and it is \\d{2}:\\d{2} there now: the call to \\${ALLOWED} was not placed$`));
		expect(error.description).toContain(`from ${end} ${timeZone} time`);
		expect(emu.requests()).toHaveLength(0);
	});

	it('calls outside the window', async () => {
		const run = await runAction(emu, notify({ quietHours: quietWindow('Asia/Shanghai', false) }), { nodeId: ownNode() });
		expect(run.items[0].json.resultcode).toBe('0');
	});

	it('a window over midnight, at fixed instants: 21:00 to 08:00 Beijing time is 13:00 to 00:00 UTC', () => {
		const rules = parseGuardrails({ quietHours: { window: { start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' } } });
		const body = { calleeNbr: ALLOWED };
		const at = (iso: string) => refusalOf(rules, body, Date.parse(iso))?.message;
		expect(at('2026-03-01T12:59:00Z')).toBeUndefined(); // 20:59 Beijing
		expect(at('2026-03-01T13:00:00Z')).toMatch(/it is 21:00 there now/);
		expect(at('2026-03-01T15:59:00Z')).toMatch(/it is 23:59 there now/);
		expect(at('2026-03-01T16:00:00Z')).toMatch(/it is 00:00 there now/);
		expect(at('2026-03-01T23:59:00Z')).toMatch(/it is 07:59 there now/);
		expect(at('2026-03-02T00:00:00Z')).toBeUndefined(); // 08:00 Beijing: calls again
		const day = parseGuardrails({ quietHours: { window: { start: '12:00', end: '14:00', timeZone: 'Europe/Berlin' } } });
		// Berlin is UTC+1 in winter, UTC+2 in summer: the same UTC instant is in or out of the window.
		expect(refusalOf(day, body, Date.parse('2026-01-15T11:30:00Z'))?.message).toMatch(/it is 12:30 there now/);
		expect(refusalOf(day, body, Date.parse('2026-07-15T12:30:00Z'))).toBeUndefined(); // 14:30 in Berlin
		expect(refusalOf(day, body, Date.parse('2026-07-15T11:30:00Z'))?.message).toMatch(/it is 13:30 there now/);
	});

	it('the time zone defaults to Asia/Shanghai', async () => {
		const { window } = quietWindow('Asia/Shanghai', true);
		const run = await runAction(emu, notify({ quietHours: { window: { start: window.start, end: window.end } } }), { nodeId: ownNode() });
		expect(nodeError(run).message).toContain('(Asia/Shanghai)');
	});

	it.each([
		['an unknown time zone', { start: '21:00', end: '08:00', timeZone: 'Mars/Olympus' }, /Time Zone "Mars\/Olympus" is not a time zone/],
		['a start that is no time', { start: '9pm', end: '08:00' }, /Quiet Hours: Start must be a time of day as HH:MM/],
		['an end of 24:00', { start: '21:00', end: '24:00' }, /Quiet Hours: End must be a time of day/],
		['the same start and end', { start: '08:00', end: '08:00' }, /Start and End are the same time/],
	])('refuses %s before sending anything', async (_name, window, message) => {
		expect(nodeError(await runAction(emu, notify({ quietHours: { window } }), { nodeId: ownNode() })).message).toMatch(message);
		expect(emu.requests()).toHaveLength(0);
	});
});

describe('the parameters: off in workflows, offered with defaults to AI agents', () => {
	const description = new HuaweiVoiceCall().description;
	/** The tool variant as n8n derives it (name + "Tool"), which is what `@tool` looks at. */
	const toolDescription = { ...description, name: `${description.name}Tool` } as INodeTypeDescription;
	const parametersOf = (type: INodeTypeDescription, parameters: Record<string, unknown>) =>
		NodeHelpers.getNodeParameters(type.properties, parameters as never, true, false, null, type) ?? {};
	const base = { resource: 'notification', operation: 'send' };

	it('a workflow node has no guardrails unless they are added', () => {
		expect(parametersOf(description, base).guardrails).toEqual({});
		expect(parametersOf(description, base)).not.toHaveProperty('toolGuardrailsNotice');
	});

	it('the tool variant shows the notice and starts with limits and quiet hours (Beijing time)', () => {
		const parameters = parametersOf(toolDescription, base);
		expect(parameters.guardrails).toEqual({
			maxCallsPerExecution: 3,
			maxCallsPerHour: 20,
			quietHours: { window: { start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' } },
		});
		expect(parameters).toHaveProperty('toolGuardrailsNotice');
	});

	it('operations that place no call have no guardrails', () => {
		expect(parametersOf(toolDescription, { resource: 'call', operation: 'terminate' })).not.toHaveProperty('guardrails');
		const names = (description.properties as INodeProperties[]).filter((property) => property.name === 'guardrails');
		expect(names).toHaveLength(2);
	});
});
