import type { Emulator } from '../../emulator';
import { DEFAULT_TEMPLATES } from '../../emulator/config';
import { base64Encode } from '../../nodes/HuaweiVoiceCall/validation';
import { DISPLAY, FAST_OPTIONS, emulator, items, nodeError, received, runAction } from './setup';

const CALLEE = '+8613800000001';

const send = (segments: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
	resource: 'notification',
	operation: 'send',
	displayNbr: DISPLAY,
	calleeNbr: CALLEE,
	playSegments: { segment: segments },
	options: FAST_OPTIONS,
	...extra,
});

const fileSegment = (voiceFile = 'notifyvoice.wav') => ({ type: 'file', voiceFile });
const templateSegment = (values: string[], extra: Record<string, unknown> = {}) => ({
	type: 'template',
	templateId: 'tpl-notice-01',
	templateParameters: { parameter: values.map((value) => ({ value })) },
	...extra,
});

let emu: Emulator;
beforeAll(async () => {
	emu = await emulator();
});
afterEach(() => emu.reset());
afterAll(async () => await emu.stop());

describe('Voice Notification → Send', () => {
	it('sends a voice-file segment with only the required fields (and asks for the free ports)', async () => {
		const run = await runAction(emu, send([fileSegment()]));
		const [request] = received(emu, 'callNotify');
		// returnIdlePort: the pacing reads the free ports from the answer; the item does not show them.
		expect(request.body).toEqual({
			displayNbr: DISPLAY,
			calleeNbr: CALLEE,
			playInfoList: [{ notifyVoice: 'notifyvoice.wav' }],
			returnIdlePort: 'true',
		});
		expect(run.items).toEqual([
			{
				json: {
					sessionId: request.sessionId,
					resultcode: '0',
					resultdesc: 'Success.',
					displayNbr: DISPLAY,
					calleeNbr: CALLEE,
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends template segments with parameters, digit collection, replay and every additional field', async () => {
		const statusUrl = `${emu.baseUrl}/status`;
		const feeUrl = `${emu.baseUrl}/fee`;
		const run = await runAction(
			emu,
			send(
				[
					fileSegment(),
					templateSegment(['Building 1', '123456'], {
						collectDigits: 1,
						replayAfterCollection: true,
						replayDigits: '1',
					}),
				],
				{
					additionalFields: {
						statusUrl,
						feeUrl,
						userData: 'alarm-42',
						returnIdlePort: true,
						bindNbr: '+8675520000000',
					},
				},
			),
		);
		const [request] = received(emu, 'callNotify');
		expect(request.body).toEqual({
			displayNbr: DISPLAY,
			calleeNbr: CALLEE,
			playInfoList: [
				{ notifyVoice: 'notifyvoice.wav' },
				{
					templateId: 'tpl-notice-01',
					templateParas: ['Building 1', '123456'],
					collectInd: 1,
					replayAfterCollection: 'true',
					collectContentTriggerReplaying: '1',
				},
			],
			statusUrl: base64Encode(statusUrl),
			feeUrl: base64Encode(feeUrl),
			userData: 'alarm-42',
			returnIdlePort: 'true',
			bindNbr: '+8675520000000',
		});
		expect(run.items[0].json).toMatchObject({ resultcode: '0', idlePort: 9, userData: 'alarm-42' });
	});

	it('accepts template values as comma-separated text or as an array from an expression', async () => {
		const input = [{ json: { values: ['Gate 3', '42'] } }];
		await runAction(
			emu,
			send([
				{ type: 'template', templateId: 'tpl-notice-01', parameterList: 'Gate 2, 7' },
				{ type: 'template', templateId: 'tpl-notice-01', parameterList: '={{ $json.values }}' },
			]),
			{ input },
		);
		const [request] = received(emu, 'callNotify');
		expect((request.body as { playInfoList: unknown }).playInfoList).toEqual([
			{ templateId: 'tpl-notice-01', templateParas: ['Gate 2', '7'] },
			{ templateId: 'tpl-notice-01', templateParas: ['Gate 3', '42'] },
		]);
	});

	it('accepts five segments', async () => {
		const run = await runAction(emu, send(Array.from({ length: 5 }, () => fileSegment())));
		expect(run.items[0].json.resultcode).toBe('0');
		expect((received(emu, 'callNotify')[0].body as { playInfoList: unknown[] }).playInfoList).toHaveLength(5);
	});

	it('refuses a sixth segment (the parameter allows at most five) without sending anything', async () => {
		await expect(runAction(emu, send(Array.from({ length: 6 }, () => fileSegment())))).rejects.toThrow('At most 5');
		expect(emu.requests()).toHaveLength(0);
	});

	it.each([
		['no segment', send([]), 'Play Segments is empty'],
		['a value over 32 bytes', send([templateSegment(['一二三四五六七八九十十', '1'])]), 'Segment 1: Template Parameters, value 1 is too long: 33 bytes'],
		['both parameter inputs', send([templateSegment(['a'], { parameterList: 'b' })]), 'Segment 1 has both'],
		['collect digits 33', send([fileSegment(), { ...fileSegment(), collectDigits: 33 }]), 'Segment 2: Collect Digits must be a whole number from 0 to 32'],
		['bad replay digits', send([{ ...fileSegment(), collectDigits: 1, replayAfterCollection: true, replayDigits: 'x' }]), 'Segment 1: Replay Trigger Digits'],
		['a bad voice file name', send([fileSegment('提示.wav')]), 'Segment 1: Voice File is not a valid voice file name'],
		['a callee without +', send([fileSegment()], { calleeNbr: '8613800000001' }), 'Callee Number is not a valid phone number'],
		['Chinese user data', send([fileSegment()], { additionalFields: { userData: '告警' } }), 'User Data contains Chinese'],
		['a CDR URL that is too long', send([fileSegment()], { additionalFields: { feeUrl: `https://n8n.example.com/webhook/${'x'.repeat(80)}` } }), 'CDR URL is too long'],
	])('rejects %s before sending anything', async (_name, parameters, message) => {
		const run = await runAction(emu, parameters);
		expect(nodeError(run).message).toContain(message);
		expect(emu.requests()).toHaveLength(0);
	});

	it('reports a template mismatch from the platform (1012004) as an error item with Continue on Fail', async () => {
		const run = await runAction(emu, send([templateSegment(['only one value'])]), { continueOnFail: true });
		expect(run.items[0].json).toMatchObject({ code: '1012004' });
		expect(String(run.items[0].json.description).length).toBeGreaterThan(10);
		expect(received(emu, 'callNotify')).toHaveLength(1);
	});

	it('200 recipients with 10 call ports: every item succeeds once, refused sends are retried politely', async () => {
		// A call holds its port 5 simulated seconds = 100 ms here, far longer than a request takes,
		// so five concurrent senders fill the 10 ports and the platform refuses some sends (1020165).
		// A retry wait of 0.1 s makes the second pause (0.1–0.2 s) outlast any held port.
		emu.configure({
			ports: 10,
			timeScale: 0.02,
			timing: { ...emu.config.timing, calloutToAlertSeconds: 1, playSeconds: 2 },
			defaultScript: { ...emu.config.defaultScript, outcome: 'answer', ringSeconds: 2 },
		});
		try {
			const callees = Array.from({ length: 200 }, (_, i) => `+86139${String(i).padStart(8, '0')}`);
			const parameters = send([fileSegment()], { calleeNbr: '={{ $json.phone }}', options: { ...FAST_OPTIONS, retryWait: 0.1 } });
			const run = await runAction(emu, parameters, {
				input: items(200, (i) => ({ phone: callees[i] })),
			});
			expect(run.error).toBeUndefined();
			expect(run.items).toHaveLength(200);
			run.items.forEach((item, i) => {
				expect(item.pairedItem).toEqual({ item: i });
				expect(item.json).toMatchObject({ resultcode: '0', calleeNbr: callees[i] });
			});

			const calls = emu.calls();
			expect(calls).toHaveLength(200);
			const calledNumbers = calls.map((call) => (call.request as { calleeNbr: string }).calleeNbr);
			expect(new Set(calledNumbers).size).toBe(200);
			expect([...calledNumbers].sort()).toEqual([...callees].sort());
			expect(new Set(run.items.map((item) => item.json.sessionId)).size).toBe(200);

			const attempts = received(emu, 'callNotify');
			const refused = attempts.filter((entry) => entry.resultcode === '1020165');
			expect(refused.length).toBeGreaterThan(0);
			expect(attempts.filter((entry) => entry.resultcode === '0')).toHaveLength(200);
			expect(attempts.every((entry) => entry.resultcode === '0' || entry.resultcode === '1020165')).toBe(true);
		} finally {
			emu.configure({ timeScale: 0.001 });
		}
	});
});

describe('Voice Notification → Send with Template Text (values checked before any call)', () => {
	const ORDER_TEXT = DEFAULT_TEMPLATES['tpl-order-01'];
	const MEETING_TEXT = DEFAULT_TEMPLATES['tpl-meeting-01'];
	const orderSegment = (values: string[]) => ({ ...templateSegment(values), templateId: 'tpl-order-01', templateText: ORDER_TEXT });
	const meetingSegment = (values: string[]) => ({ ...templateSegment(values), templateId: 'tpl-meeting-01', templateText: MEETING_TEXT });

	it('values that fit the text are sent, and the emulator (which knows the same text) accepts them', async () => {
		const run = await runAction(emu, send([orderSegment(['张三', '000123']), meetingSegment(['2026/05/01', '14:30'])]));
		expect(run.items[0].json.resultcode).toBe('0');
		expect((received(emu, 'callNotify')[0].body as { playInfoList: unknown }).playInfoList).toEqual([
			{ templateId: 'tpl-order-01', templateParas: ['张三', '000123'] },
			{ templateId: 'tpl-meeting-01', templateParas: ['2026/05/01', '14:30'] },
		]);
	});

	it.each([
		['the wrong number of values', [orderSegment(['张三'])], 'Segment 1: Template Parameters has 1 value, but the template text has 2 variables (${TXT_8}, ${NUM_6})'],
		['too many values', [orderSegment(['张三', '1', '2'])], 'Segment 1: Template Parameters has 3 values, but the template text has 2 variables'],
		['a ${NUM_6} value with a letter', [orderSegment(['张三', '12a456'])], 'Segment 1: Template Parameters, value 2 (${NUM_6}) must contain only the digits 0-9'],
		['a ${NUM_6} value with 7 digits', [orderSegment(['张三', '1234567'])], 'Segment 1: Template Parameters, value 2 (${NUM_6}) has 7 digits, at most 6 are allowed'],
		['a ${TXT_8} value with 9 characters', [orderSegment(['张三李四王五赵六钱', '1'])], 'Segment 1: Template Parameters, value 1 (${TXT_8}) has 9 characters, at most 8 are allowed'],
		['an over-long value (11 Chinese characters = 33 bytes)', [{ ...orderSegment(['一二三四五六七八九十一', '1']), templateText: '尊敬的${TXT_20}，您的订单${NUM_6}已发货' }], 'value 1 (${TXT_20}) is too long: 33 bytes, at most 32'],
		['a ${DATE} in the wrong format', [meetingSegment(['2026-05-01', '14:30'])], 'Segment 1: Template Parameters, value 1 (${DATE}) is not a date'],
		['a ${TIME} in the wrong format', [meetingSegment(['2026/05/01', '2:30pm'])], 'Segment 1: Template Parameters, value 2 (${TIME}) is not a time'],
		['a text that is not a template', [{ ...orderSegment(['张三', '1']), templateText: '尊敬的${NAME}' }], 'Segment 1: Template Text cannot be read'],
		['the second segment wrong', [orderSegment(['张三', '1']), meetingSegment(['2026/02/30', '14:30'])], 'Segment 2: Template Parameters, value 1 (${DATE}) is not a date'],
	])('refuses %s, naming the variable, before sending anything', async (_name, segments, message) => {
		const run = await runAction(emu, send(segments));
		expect(nodeError(run).message).toContain(message);
		expect(emu.requests()).toHaveLength(0);
	});

	it('names the item: the second of three items is wrong, nothing is sent; with Continue On Fail only it fails', async () => {
		const parameters = send(
			[{ type: 'template', templateId: 'tpl-order-01', templateText: ORDER_TEXT, parameterList: '={{ $json.values }}' }],
			{ calleeNbr: '={{ $json.phone }}' },
		);
		const input = [
			{ json: { phone: '+8613800000061', values: ['张三', '100001'] } },
			{ json: { phone: '+8613800000062', values: ['李四', 'A-100002'] } },
			{ json: { phone: '+8613800000063', values: ['王五', '100003'] } },
		];
		const failed = await runAction(emu, parameters, { input });
		expect(nodeError(failed).message).toContain('value 2 (${NUM_6}) must contain only the digits 0-9: "A-100002"');
		expect(nodeError(failed).context?.itemIndex).toBe(1);
		expect(emu.requests()).toHaveLength(0);

		const run = await runAction(emu, parameters, { input, continueOnFail: true });
		expect(run.items.map((item) => item.json.resultcode ?? item.json.error)).toEqual([
			'0',
			expect.stringContaining('(${NUM_6}) must contain only the digits 0-9'),
			'0',
		]);
		expect(received(emu, 'callNotify').map((r) => (r.body as { calleeNbr: string }).calleeNbr).sort()).toEqual(['+8613800000061', '+8613800000063']);
	});

	it('without Template Text the values go to the platform, which checks them against the approved text (1012005)', async () => {
		const run = await runAction(emu, send([{ ...templateSegment(['张三', '12a456']), templateId: 'tpl-order-01' }]), { continueOnFail: true });
		expect(run.items[0].json).toMatchObject({ code: '1012005' });
		expect(String(run.items[0].json.description)).toContain('templateParas[1] (NUM_6)');
		expect(received(emu, 'callNotify')).toHaveLength(1);
	});
});
