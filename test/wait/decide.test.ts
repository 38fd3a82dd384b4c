import { branchCount, decide, fallbackBranch, timedOutFields, type WaitSettings } from '../../nodes/HuaweiVoiceCall/actions/wait/decide';
import { configuredOutputs, OUTPUTS_EXPRESSION } from '../../nodes/HuaweiVoiceCall/actions/wait/outputs';
import { CALL_OUTCOMES } from '../../nodes/shared/codes';

const approval: WaitSettings = { kind: 'response', responseType: 'approval', approveKeys: '1', declineKeys: '2' };
const approveOnly: WaitSettings = { kind: 'response', responseType: 'approval', approveKeys: '1', declineKeys: '' };
const digits: WaitSettings = { kind: 'response', responseType: 'digits' };
const callEnd: WaitSettings = { kind: 'callEnd' };

const collect = (keys: string) => ({ event: 'collectInfo', sessionId: 's', digits: keys, ringSeconds: 3, responseSeconds: 4, timestampIso: '2026-12-01T10:00:09.000Z' });
const disconnect = (outcome: string, extra: Record<string, unknown> = {}) => ({
	event: 'disconnect',
	sessionId: 's',
	outcome,
	stateCode: 0,
	stateText: 'Normal hang-up after connection',
	ringSeconds: 3,
	talkSeconds: 12,
	durationsKnown: true,
	...extra,
});

describe('outputs', () => {
	test('names per operation, and the fallback branch is always the last', () => {
		expect(configuredOutputs({ operation: 'sendAndWaitForResponse' }).map((o) => o.displayName)).toEqual(['Approved', 'Declined', 'No Response']);
		expect(configuredOutputs({ operation: 'sendAndWaitForResponse', responseType: 'digits' }).map((o) => o.displayName)).toEqual(['Digits Received', 'No Response']);
		expect(configuredOutputs({ operation: 'placeCallAndWait' }).map((o) => o.displayName)).toEqual(['Answered', 'Not Answered']);
		expect(configuredOutputs({ operation: 'send' })).toEqual([{ type: 'main' }]);
		expect(configuredOutputs({})).toEqual([{ type: 'main' }]);
		expect([approval, digits, callEnd].map(branchCount)).toEqual([3, 2, 2]);
		expect([approval, digits, callEnd].map(fallbackBranch)).toEqual([2, 1, 1]);
	});

	test('the outputs expression embeds the function itself (n8n evaluates it with the node parameters)', () => {
		expect(OUTPUTS_EXPRESSION).toBe(`={{(${configuredOutputs.toString()})($parameter)}}`);
		// Self-contained: no imported helper, no module variable (the real n8n e2e tests exercise it).
		expect(configuredOutputs.toString()).not.toMatch(/_\d+\.|require\(|exports\./);
	});
});

describe('Send and Wait for Response, Approval', () => {
	test.each<[string, string, number, Record<string, unknown>]>([
		['1', 'approved', 0, { approved: true }],
		['2', 'declined', 1, { approved: false }],
		['3', 'otherKeys', 2, { approved: false }],
		['', 'none', 2, { approved: false }],
	])('keys %p → %s on branch %i', (keys, response, branch, extra) => {
		const decision = decide(approval, collect(keys));
		expect(decision).toMatchObject({ final: true, branch, fields: { response, digits: keys, outcome: 'answered', decidedBy: 'collectInfo', ringSeconds: 3, responseSeconds: 4, talkSeconds: null, ...extra } });
	});

	test('approve only: the decline keys never decide', () => {
		expect(decide(approveOnly, collect('2'))).toMatchObject({ branch: 2, fields: { response: 'otherKeys' } });
	});

	test.each(['noAnswer', 'busy', 'rejected', 'unreachable', 'invalidNumber', 'cancelled', 'noInput', 'blocked', 'failed'])(
		'a disconnect without keys (%s) → No Response with that outcome',
		(outcome) => {
			expect(decide(approval, disconnect(outcome))).toMatchObject({
				final: true,
				branch: 2,
				fields: { outcome, outcomeText: CALL_OUTCOMES[outcome as keyof typeof CALL_OUTCOMES], response: 'none', approved: false, decidedBy: 'disconnect' },
			});
		},
	);

	test('a disconnect that overtook its collectInfo decides from the digits the trigger saw', () => {
		expect(decide(approval, disconnect('answered', { collectedDigits: ['1'] }))).toMatchObject({
			branch: 0,
			fields: { response: 'approved', decidedBy: 'disconnect', talkSeconds: 12, durationsKnown: true },
		});
	});

	test('a CDR decides like a disconnect (when the status pushes were lost)', () => {
		expect(decide(approval, { event: 'cdr', sessionId: 's', outcome: 'noAnswer', callEndTimeIso: '2026-12-01T10:00:30.000Z' })).toMatchObject({
			branch: 2,
			fields: { outcome: 'noAnswer', decidedBy: 'cdr', decidedAt: '2026-12-01T10:00:30.000Z' },
		});
	});

	test.each(['callout', 'alerting', 'answer'])('%s keeps waiting', (event) => {
		expect(decide(approval, { event, sessionId: 's' })).toMatchObject({ final: false });
	});

	test('an unknown outcome text is treated as failed', () => {
		expect(decide(approval, disconnect('exploded'))).toMatchObject({ fields: { outcome: 'failed' } });
	});
});

describe('Send and Wait for Response, Digits', () => {
	test('any keys → Digits Received; none → No Response', () => {
		expect(decide(digits, collect('4711'))).toMatchObject({ branch: 0, fields: { digits: '4711' } });
		expect(decide(digits, collect(''))).toMatchObject({ branch: 1 });
		expect(decide(digits, disconnect('noInput'))).toMatchObject({ branch: 1, fields: { outcome: 'noInput', digits: '' } });
		expect(decide(digits, collect('1')).final && (decide(digits, collect('1')) as { fields: Record<string, unknown> }).fields.response).toBeUndefined();
	});
});

describe('Place Call and Wait', () => {
	test('answered → Answered with durations; anything else → Not Answered', () => {
		expect(decide(callEnd, disconnect('answered'))).toMatchObject({ branch: 0, fields: { answered: true, talkSeconds: 12, durationsKnown: true } });
		expect(decide(callEnd, disconnect('busy'))).toMatchObject({ branch: 1, fields: { answered: false, outcome: 'busy' } });
		expect(decide(callEnd, disconnect('noInput'))).toMatchObject({ branch: 0 });
	});

	test('collectInfo and earlier events keep waiting', () => {
		for (const event of ['callout', 'alerting', 'answer', 'collectInfo']) expect(decide(callEnd, { event, sessionId: 's' }).final).toBe(false);
	});
});

test('a timed-out wait has its own outcome', () => {
	expect(timedOutFields(approval)).toMatchObject({ outcome: 'timedOut', decidedBy: 'timeout', response: 'none', approved: false, digits: '' });
	expect(timedOutFields(callEnd)).toMatchObject({ outcome: 'timedOut', answered: false });
	expect(timedOutFields(callEnd).digits).toBeUndefined();
});
