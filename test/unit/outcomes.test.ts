import {
	CALL_OUTCOMES,
	describeHangupCause,
	outcomeOfDisconnectPoint,
	outcomeOfHangupCause,
	outcomeOfQ850Cause,
	outcomeOfSipStatus,
	type CallOutcome,
} from '../../nodes/shared/codes';

/* What each cause code says the call came to: data in nodes/shared/codes/callCauses.ts. */

describe('hang-up causes → outcome', () => {
	test.each([
		[0, 'answered'],
		[8010, 'answered'],
		[8003, 'noAnswer'],
		[8101, 'noAnswer'],
		[8102, 'busy'],
		[8108, 'busy'],
		[8104, 'unreachable'],
		[8110, 'unreachable'],
		[8105, 'rejected'],
		[8111, 'rejected'],
		[8100, 'invalidNumber'],
		[8009, 'cancelled'],
		[8017, 'cancelled'],
		[8008, 'noInput'],
		[7001, 'blocked'],
		[8000, 'failed'],
		[12345, 'failed'],
	])('%i → %s', (code, outcome) => expect(outcomeOfHangupCause(code)).toBe(outcome));
});

describe('other causes → outcome', () => {
	test.each<[number, CallOutcome | undefined]>([
		[17, 'busy'],
		[19, 'noAnswer'],
		[21, 'rejected'],
		[1, 'invalidNumber'],
		[34, 'unreachable'],
		[16, undefined],
		[31, undefined],
	])('Q.850 %i → %s', (code, outcome) => expect(outcomeOfQ850Cause(code)).toBe(outcome));

	test.each<[number, CallOutcome | undefined]>([
		[486, 'busy'],
		[408, 'noAnswer'],
		[603, 'rejected'],
		[404, 'invalidNumber'],
		[480, 'unreachable'],
		[487, 'cancelled'],
		[500, undefined],
	])('SIP %i → %s', (code, outcome) => expect(outcomeOfSipStatus(code)).toBe(outcome));

	test.each<[number, CallOutcome | undefined]>([
		[100, 'noInput'],
		[514, 'noAnswer'],
		[530, 'cancelled'],
		[518, undefined],
		[486, 'busy'],
		[8102, 'busy'],
		[0, undefined],
	])('disconnect point %i → %s', (code, outcome) => expect(outcomeOfDisconnectPoint(code)).toBe(outcome));

	test('every outcome named in the tables has a sentence, and the tables use only known outcomes', () => {
		for (const code of [0, 7001, 8003, 8008, 8017, 8102, 8104, 8105, 8100]) {
			const outcome = describeHangupCause(code)?.outcome;
			expect(outcome && CALL_OUTCOMES[outcome]).toEqual(expect.any(String));
		}
	});
});
