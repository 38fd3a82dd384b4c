import type { IDataObject } from 'n8n-workflow';

import { describeDisconnectPoint, describeQ850Cause } from '../../nodes/shared/codes';
import { CDR_RECORDS_MAX as MAX_CDR_RECORDS } from '../../nodes/shared/platform/fields';
import { parsePush, parsePushText } from '../../nodes/HuaweiVoiceCallTrigger/trigger/parse';
import { MAX_PUSH_DEPTH, jsonDepth } from '../../nodes/HuaweiVoiceCallTrigger/trigger/pushShape';

// The examples of docs/platform.md §8.3 and §8.4, verbatim (the disconnect example's sessionId is literally "…").
const SPEC_CALLOUT = `{"eventType":"callout","statusInfo":{"sessionId":"1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com","timestamp":"2019-01-24 03:04:24","caller":"+8613800000022","called":"+8613800000021"}}`;
const SPEC_COLLECT = `{"eventType":"collectInfo","statusInfo":{"sessionId":"1201_12897_4294967295_20180522064331@callenabler245.huaweicaas.com","timestamp":"2018-05-22 06:44:03","digitInfo":"1","userData":"CaaS Hosting Test"}}`;
const SPEC_DISCONNECT = `{"eventType":"disconnect","statusInfo":{"sessionId":"…","timestamp":"2019-01-24 03:04:53","caller":"+8613800000022","called":"+8613800000021","stateCode":0,"stateDesc":"The user releases the call."}}`;
const SPEC_CDR = `{"eventType":"fee","feeLst":[{"direction":0,"spId":"CaaS_Test_01","appKey":"cJU9QxBt53ZytKo9X8C35Z5c6pvi",
 "icid":"9c2012a5bcb2721681009cb6c245fdc3.3663053204.1117803.14","bindNum":"+8675566660000",
 "sessionId":"1200_366_0_20161228102743@callenabler.home1.com","callerNum":"+8675566660000","calleeNum":"+8675588880000",
 "fwdDisplayNum":"+8675566660000","fwdDstNum":"+8675588880001","fwdStartTime":"2016-12-26 01:16:32",
 "fwdAlertingTime":"2016-12-26 01:16:38","fwdAnswerTime":"2016-12-26 01:16:45","callEndTime":"2016-12-26 01:19:46",
 "fwdUnaswRsn":0,"ulFailReason":0,"sipStatusCode":0,"callOutStartTime":"2016-12-26 01:16:20",
 "callOutAlertingTime":"2016-12-26 01:16:26","callOutAnswerTime":"2016-12-26 01:16:31","callOutUnaswRsn":0,
 "recordFlag":0,"ttsPlayTimes":0,"ttsTransDuration":0,"serviceType":"002","hostName":"callenabler245.huaweicaas.com","userData":""}]}`;
// The Java demo's double-space time variant (§8.4 note).
const SPEC_CDR_DOUBLE_SPACE = SPEC_CDR.replace('"2016-12-26 01:19:46"', '"2016-12-26  01:19:46"');

function statusItem(text: string): IDataObject {
	const parsed = parsePushText(text);
	if (!parsed.ok || parsed.kind !== 'status') throw new Error(`not a status push: ${JSON.stringify(parsed)}`);
	return parsed.item;
}

function cdrItems(body: unknown): IDataObject[] {
	const parsed = typeof body === 'string' ? parsePushText(body) : parsePush(body);
	if (!parsed.ok || parsed.kind !== 'cdr') throw new Error(`not a CDR push: ${JSON.stringify(parsed)}`);
	return parsed.items;
}

function reasonOf(body: unknown): string {
	const parsed = typeof body === 'string' ? parsePushText(body) : parsePush(body);
	if (parsed.ok) throw new Error('expected a refusal');
	return parsed.reason;
}

describe('docs/platform.md §8.3 status examples', () => {
	test('callout keeps the original fields and adds event, sessionId, userData, ISO time', () => {
		expect(statusItem(SPEC_CALLOUT)).toEqual({
			event: 'callout',
			eventType: 'callout',
			sessionId: '1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com',
			userData: null,
			timestamp: '2019-01-24 03:04:24',
			timestampIso: '2019-01-24T03:04:24.000Z',
			caller: '+8613800000022',
			called: '+8613800000021',
			callerNumber: '+8613800000022',
			calledNumber: '+8613800000021',
			dedupeKey: 'status|callout|1201_612_4294967295_20190124030424@callenabler245.huaweicaas.com|2019-01-24 03:04:24',
		});
	});

	test('collectInfo exposes the digits and the userData', () => {
		const item = statusItem(SPEC_COLLECT);
		expect(item).toMatchObject({
			event: 'collectInfo',
			digits: '1',
			digitInfo: '1',
			userData: 'CaaS Hosting Test',
			timestampIso: '2018-05-22T06:44:03.000Z',
		});
	});

	test('disconnect gets the readable cause and the outcome; durations need earlier events', () => {
		expect(statusItem(SPEC_DISCONNECT)).toEqual({
			event: 'disconnect',
			eventType: 'disconnect',
			sessionId: '…',
			userData: null,
			timestamp: '2019-01-24 03:04:53',
			timestampIso: '2019-01-24T03:04:53.000Z',
			caller: '+8613800000022',
			called: '+8613800000021',
			callerNumber: '+8613800000022',
			calledNumber: '+8613800000021',
			stateCode: 0,
			stateDesc: 'The user releases the call.',
			stateText: 'Normal hang-up after connection',
			outcome: 'answered',
			answered: true,
			ringSeconds: null,
			talkSeconds: null,
			dedupeKey: 'status|disconnect|…|2019-01-24 03:04:53',
		});
	});
});

describe('docs/platform.md §8.4 CDR example', () => {
	const expected = {
		event: 'cdr',
		eventType: 'fee',
		sessionId: '1200_366_0_20161228102743@callenabler.home1.com',
		dedupeKey: 'cdr|1200_366_0_20161228102743@callenabler.home1.com|9c2012a5bcb2721681009cb6c245fdc3.3663053204.1117803.14',
		userData: '',
		callType: 'callback',
		outcome: 'answered',
		answered: true,
		ringSeconds: 7,
		talkSeconds: 181,
		callEndTimeIso: '2016-12-26T01:19:46.000Z',
		fwdAnswerTimeIso: '2016-12-26T01:16:45.000Z',
		callOutStartTimeIso: '2016-12-26T01:16:20.000Z',
		callOutUnaswRsnText: 'Not applicable',
		fwdUnaswRsnText: 'Not applicable',
		ulFailReasonText: 'Normal hang-up after connection',
		hasRecording: false,
		recordObjectName: null,
		recordDomain: null,
		icid: '9c2012a5bcb2721681009cb6c245fdc3.3663053204.1117803.14',
		serviceType: '002',
		fwdDstNum: '+8675588880001',
	};

	test('parses exactly, with derived fields', () => {
		const items = cdrItems(SPEC_CDR);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({ ...expected, callEndTime: '2016-12-26 01:19:46' });
		// Every original field is kept unchanged.
		const original = (JSON.parse(SPEC_CDR) as { feeLst: IDataObject[] }).feeLst[0];
		for (const [key, value] of Object.entries(original)) expect(items[0][key]).toEqual(value);
	});

	test('the double-space time variant gives the same ISO time and durations', () => {
		const [item] = cdrItems(SPEC_CDR_DOUBLE_SPACE);
		expect(item).toMatchObject({ ...expected, callEndTime: '2016-12-26  01:19:46' });
	});
});


describe('CDR outcomes and durations', () => {
	const base = {
		spId: 'sp',
		appKey: 'k',
		bindNum: '+8675520000000',
		sessionId: 's1',
		icid: 'i1',
		callerNum: '+8675520000000',
		calleeNum: '+8613800000001',
	};

	test('notification answered with digits: talk = end − callOutAnswerTime; notification callType', () => {
		const [item] = cdrItems({
			eventType: 'fee',
			feeLst: [
				{
					...base,
					serviceType: '001',
					callOutStartTime: '2026-01-01 00:00:00',
					callOutAlertingTime: '2026-01-01 00:00:01',
					callOutAnswerTime: '2026-01-01 00:00:04',
					callEndTime: '2026-01-01 00:00:14',
					callOutUnaswRsn: 0,
					ulFailReason: 0,
					dynIVRPath: '5',
					recordFlag: 0,
				},
			],
		});
		expect(item).toMatchObject({ callType: 'notification', outcome: 'answered', ringSeconds: 3, talkSeconds: 10 });
	});

	test('notification without input (ulFailReason 100) → noInput, still answered', () => {
		const [item] = cdrItems({
			eventType: 'fee',
			feeLst: [
				{
					...base,
					serviceType: '001',
					callOutAlertingTime: '2026-01-01 00:00:01',
					callOutAnswerTime: '2026-01-01 00:00:02',
					callEndTime: '2026-01-01 00:00:12',
					failTime: '2026-01-01 00:00:12',
					ulFailReason: 100,
				},
			],
		});
		expect(item).toMatchObject({ outcome: 'noInput', answered: true, talkSeconds: 10, ulFailReasonText: expect.stringContaining('No digits') });
	});

	test.each([
		[17, 486, 'busy'],
		[19, 480, 'noAnswer'],
		[20, 480, 'unreachable'],
		[21, 603, 'rejected'],
		[1, 404, 'invalidNumber'],
		[0, 486, 'busy'],
		[0, 0, 'failed'],
	])('callback B leg failed with Q.850 %i / SIP %i → %s', (q850, sip, outcome) => {
		const [item] = cdrItems({
			eventType: 'fee',
			feeLst: [
				{
					...base,
					serviceType: '002',
					callOutAlertingTime: '2026-01-01 00:00:01',
					callOutAnswerTime: '2026-01-01 00:00:03',
					fwdStartTime: '2026-01-01 00:00:04',
					fwdAlertingTime: '2026-01-01 00:00:05',
					callEndTime: '2026-01-01 00:00:25',
					failTime: '2026-01-01 00:00:25',
					fwdUnaswRsn: q850,
					callOutUnaswRsn: 0,
					sipStatusCode: sip,
					ulFailReason: 518,
					recordFlag: 0,
				},
			],
		});
		expect(item).toMatchObject({ outcome, answered: false, talkSeconds: 0, ringSeconds: 20 });
		expect(item.fwdUnaswRsnText).toEqual(expect.any(String));
	});

	test('callback A leg never answered: cause from callOutUnaswRsn, ring of A', () => {
		const [item] = cdrItems({
			eventType: 'fee',
			feeLst: [
				{
					...base,
					serviceType: '002',
					callOutAlertingTime: '2026-01-01 00:00:01',
					callEndTime: '2026-01-01 00:00:31',
					callOutUnaswRsn: 19,
					ulFailReason: 514,
				},
			],
		});
		expect(item).toMatchObject({
			outcome: 'noAnswer',
			ringSeconds: 30,
			talkSeconds: 0,
			callOutUnaswRsnText: describeQ850Cause(19)?.en,
			ulFailReasonText: describeDisconnectPoint(514)?.en,
		});
		expect(item.callOutUnaswRsnText).toEqual(expect.stringMatching(/answer/i));
	});

	test('recording info', () => {
		const [item] = cdrItems({
			eventType: 'fee',
			feeLst: [
				{
					...base,
					serviceType: '002',
					recordFlag: 1,
					recordObjectName: '22051313251812007961340.wav',
					recordDomain: 'ostorQH2.huawei.com',
					recordBucketName: 'b',
				},
			],
		});
		expect(item).toMatchObject({
			hasRecording: true,
			recordObjectName: '22051313251812007961340.wav',
			recordDomain: 'ostorQH2.huawei.com',
			ringSeconds: null,
		});
	});

	test('serviceType 004 is "other"', () => {
		expect(cdrItems({ eventType: 'fee', feeLst: [{ ...base, serviceType: '004' }] })[0].callType).toBe('other');
	});
});

describe('unknown codes', () => {
	test('unknown stateCode gets a readable placeholder text', () => {
		const item = statusItem(JSON.stringify({ eventType: 'disconnect', statusInfo: { sessionId: 's', stateCode: 4242 } }));
		expect(item).toMatchObject({ stateText: 'Unknown hang-up cause 4242', outcome: 'failed', timestampIso: null });
	});
});

describe('CDR splitting and refusals', () => {
	const record = (i: number): IDataObject => ({ sessionId: `s${i}`, icid: `i${i}`, serviceType: '001' });

	test(`${MAX_CDR_RECORDS} records → ${MAX_CDR_RECORDS} items in order`, () => {
		const items = cdrItems({ eventType: 'fee', feeLst: Array.from({ length: MAX_CDR_RECORDS }, (_, i) => record(i)) });
		expect(items.map((item) => item.sessionId)).toEqual(Array.from({ length: MAX_CDR_RECORDS }, (_, i) => `s${i}`));
	});

	test.each<[string, unknown, RegExp]>([
		['51 records', { eventType: 'fee', feeLst: Array.from({ length: 51 }, (_, i) => record(i)) }, /more than 50/],
		['empty feeLst', { eventType: 'fee', feeLst: [] }, /empty/],
		['feeLst object', { eventType: 'fee', feeLst: {} }, /feeLst/],
		['feeLst missing', { eventType: 'fee' }, /feeLst/],
		['record not object', { eventType: 'fee', feeLst: ['x'] }, /feeLst\[0\]/],
		['record without sessionId', { eventType: 'fee', feeLst: [{ icid: 'x' }] }, /sessionId/],
		['no eventType', { statusInfo: { sessionId: 's' } }, /eventType/],
		['eventType not string', { eventType: 5, statusInfo: { sessionId: 's' } }, /eventType/],
		['unknown eventType', { eventType: 'callin', statusInfo: { sessionId: 's' } }, /Unknown eventType "callin"/],
		['statusInfo missing', { eventType: 'answer' }, /statusInfo/],
		['statusInfo array', { eventType: 'answer', statusInfo: [] }, /statusInfo/],
		['statusInfo string', { eventType: 'answer', statusInfo: 'x' }, /statusInfo/],
		['no sessionId', { eventType: 'answer', statusInfo: { timestamp: '2019-01-24 03:04:24' } }, /sessionId/],
		['array body', [], /not a JSON object/],
		['null body', null, /not a JSON object/],
		['invalid JSON text', '{"eventType":', /not valid JSON/],
		['empty text', '  ', /empty/],
	])('%s → refused', (_name, body, reason) => expect(reasonOf(body)).toMatch(reason));

	test('a UTF-8 BOM is tolerated', () => {
		expect(statusItem(`\uFEFF${SPEC_CALLOUT}`).event).toBe('callout');
	});
});

describe('push shape limits (docs/platform.md §8.3, §8.4)', () => {
	const status = (statusInfo: IDataObject) => ({ eventType: 'answer', statusInfo: { sessionId: 's', ...statusInfo } });
	const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

	test('jsonDepth counts containers, not brackets inside strings', () => {
		expect(jsonDepth('{"a":[{"b":"[[[{{{"}]}')).toBe(3);
		expect(jsonDepth('"x"')).toBe(0);
		expect(jsonDepth(deep(10_000))).toBe(10_000);
	});

	test('a body nested deeper than the documented shapes need is refused, as text and as a parsed value', () => {
		const nested = JSON.parse(deep(MAX_PUSH_DEPTH)) as IDataObject;
		expect(reasonOf(`{"eventType":"answer","statusInfo":{"sessionId":"s","x":${deep(10_000)}}}`)).toMatch(/nested deeper/);
		expect(reasonOf(status({ x: nested }))).toMatch(/nested deeper/);
		// One level of slack for an object field the documents do not list.
		expect(parsePush(status({ extra: { note: 'x' } })).ok).toBe(true);
	});

	test.each<[string, IDataObject]>([
		['userData over 256', { userData: 'u'.repeat(257) }],
		['sessionId over 256', { sessionId: 's'.repeat(257) }],
		['a 1,000,000-character userData', { userData: 'u'.repeat(1_000_000) }],
		['an undocumented field over 1024', { note: 'n'.repeat(1025) }],
		['digitInfo over 32', { digitInfo: '1'.repeat(33) }],
	])('%s → refused', (_name, fields) => expect(reasonOf(status(fields))).toMatch(/longer than/));

	test('CDR fields at their documented lengths are accepted; one more character is refused', () => {
		const record = { sessionId: 's', icid: 'i'.repeat(64), userData: 'u'.repeat(256), recordFileDownloadUrl: `http://x/${'a'.repeat(1015)}` };
		expect(cdrItems({ eventType: 'fee', feeLst: [record] })).toHaveLength(1);
		expect(reasonOf({ eventType: 'fee', feeLst: [{ ...record, icid: 'i'.repeat(65) }] })).toMatch(/feeLst\[0\]\.icid is longer than 64/);
	});

	test('a field name over 64 characters is refused, naming the object that holds it', () => {
		const name = 'k'.repeat(65);
		expect(reasonOf({ eventType: 'fee', feeLst: [{ sessionId: 's', [name]: 1 }] })).toBe('feeLst[0] has a field name longer than 64 characters');
		expect(reasonOf(status({ [name]: 1 }))).toBe('statusInfo has a field name longer than 64 characters');
		expect(reasonOf({ ...status({}), [name]: 1 })).toBe('The body has a field name longer than 64 characters');
		expect(parsePush(status({ ['k'.repeat(64)]: 1 })).ok).toBe(true);
	});
});
