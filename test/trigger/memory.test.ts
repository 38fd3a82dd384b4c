import type { IDataObject } from 'n8n-workflow';

import { CALL_MAX_AGE_MS, CallTimelines, durationsAt } from '../../nodes/HuaweiVoiceCallTrigger/trigger/callTimelines';
import { CDR_RESEND_WINDOW_MS, DeliveredCdrs, digestKey, RECENT_CDRS_KEPT } from '../../nodes/HuaweiVoiceCallTrigger/trigger/deliveredCdrs';
import { adoptStaticCopy, memoryOf, STATIC_COPY_KEY, writeStaticCopy } from '../../nodes/HuaweiVoiceCallTrigger/trigger/memory';

/* The trigger's process memory: delivered CDRs and call timelines (pure logic; the real-n8n proof is in e2e/). */

describe('delivered CDRs', () => {
	test('a key is fresh once; repeats inside one push and later pushes are duplicates', () => {
		const cdrs = new DeliveredCdrs();
		expect(cdrs.claim(['cdr|a|1', 'cdr|b|1', 'cdr|a|1'], 0)).toEqual([true, true, false]);
		expect(cdrs.claim(['cdr|a|1', 'cdr|c|1', 'cdr|a|2'], 1)).toEqual([false, true, true]);
		expect(cdrs.size).toBe(4);
		expect(cdrs.has('cdr|b|1')).toBe(true);
	});

	test('bounded: the oldest keys are forgotten first, and forgetting inside the re-send window is counted', () => {
		const cdrs = new DeliveredCdrs(3);
		cdrs.claim(['k0', 'k1', 'k2', 'k3'], 0);
		expect(cdrs.size).toBe(3);
		expect(cdrs.has('k0')).toBe(false);
		expect(cdrs.has('k1')).toBe(true);
		expect(cdrs.forgottenEarly).toBe(1);
		// Forgetting a key older than the window is expected and not counted.
		cdrs.claim(['k4'], CDR_RESEND_WINDOW_MS + 1);
		expect(cdrs.forgottenEarly).toBe(1);
	});

	test('a full memory keeps forgetting the oldest, round after round, and recent() stays in delivery order', () => {
		const cdrs = new DeliveredCdrs(3);
		for (let i = 0; i < 10; i++) cdrs.claim([`k${i}`], 0);
		expect(cdrs.size).toBe(3);
		expect(['k6', 'k7', 'k8', 'k9'].map((key) => cdrs.has(key))).toEqual([false, true, true, true]);
		expect(cdrs.recent()).toEqual(['k7', 'k8', 'k9'].map(digestKey));
		// A forgotten key is fresh again; a remembered one still is not.
		expect(cdrs.claim(['k0', 'k9'], 0)).toEqual([true, false]);
		expect(cdrs.recent()).toEqual(['k8', 'k9', 'k0'].map(digestKey));
		expect(cdrs.forgottenEarly).toBe(8);
	});

	test('recent() keeps the newest digests for the static-data copy; remember() takes them back', () => {
		const cdrs = new DeliveredCdrs();
		const keys = Array.from({ length: RECENT_CDRS_KEPT + 5 }, (_, i) => `cdr|s${i}|x`);
		cdrs.claim(keys, 0);
		const copy = cdrs.recent();
		expect(copy).toHaveLength(RECENT_CDRS_KEPT);
		expect(copy[copy.length - 1]).toBe(digestKey(keys[keys.length - 1]));
		const restarted = new DeliveredCdrs();
		restarted.remember([...copy, 'not a digest', 42, null], 0);
		expect(restarted.size).toBe(RECENT_CDRS_KEPT);
		expect(restarted.claim([keys[keys.length - 1], keys[0]], 0)).toEqual([false, true]);
	});

	test('digests have a fixed size whatever the key length', () => {
		expect(digestKey('x'.repeat(5000))).toMatch(/^[A-Za-z0-9_-]{16}$/);
		expect(digestKey('cdr|a|1')).not.toBe(digestKey('cdr|a|2'));
	});
});

describe('static-data copy', () => {
	test('merging the copy drops re-sends delivered before a restart, and an earlier version\'s keys too', () => {
		const before = memoryOf('wf-copy', 'node-1');
		before.cdrs.claim(['cdr|s1|i1'], 0);
		const staticData: IDataObject = { deliveredCdrs: ['s0|i0'] };
		writeStaticCopy(before, staticData);
		expect(staticData.deliveredCdrs).toBeUndefined();
		expect(staticData[STATIC_COPY_KEY]).toEqual([digestKey('cdr|s1|i1')]);

		const after = memoryOf('wf-copy', 'node-after-restart');
		adoptStaticCopy(after, { ...staticData, deliveredCdrs: ['s0|i0'] }, 0);
		expect(after.cdrs.claim(['cdr|s1|i1', 'cdr|s0|i0', 'cdr|s2|i2'], 0)).toEqual([false, false, true]);
	});

	test('one memory per workflow and node', () => {
		expect(memoryOf('wf-a', 'n')).toBe(memoryOf('wf-a', 'n'));
		expect(memoryOf('wf-a', 'n')).not.toBe(memoryOf('wf-b', 'n'));
		expect(memoryOf('wf-a', 'n')).not.toBe(memoryOf('wf-a', 'm'));
	});
});

describe('call timelines', () => {
	const t = (second: number) => `2026-01-01 00:00:${String(second).padStart(2, '0')}`;

	test('callback: durations of the B leg', () => {
		const calls = new CallTimelines();
		for (const [event, second] of [
			['callout', 0],
			['alerting', 1],
			['answer', 4],
			['callout', 6],
			['alerting', 7],
			['answer', 10],
		] as const) {
			expect(calls.record(event, 's', t(second), 0)).toBe(true);
		}
		expect(calls.disconnect('s', t(30), 'answered')).toEqual({ ringSeconds: 3, talkSeconds: 20, legs: 2, durationsKnown: true, collectedDigits: [] });
		expect(calls.size).toBe(0);
	});

	test('unanswered: ring until the hang-up, talk 0; busy before ringing: no ring time, still known', () => {
		const calls = new CallTimelines();
		calls.record('callout', 'r', t(0), 0);
		calls.record('alerting', 'r', t(1), 0);
		expect(calls.disconnect('r', t(46), 'noAnswer')).toEqual({ ringSeconds: 45, talkSeconds: 0, legs: 1, durationsKnown: true, collectedDigits: [] });
		calls.record('callout', 'b', t(0), 0);
		expect(calls.disconnect('b', t(2), 'busy')).toEqual({ ringSeconds: null, talkSeconds: 0, legs: 1, durationsKnown: true, collectedDigits: [] });
	});

	test('never a wrong 0: unseen calls and answered calls whose answer was not seen have null durations', () => {
		const calls = new CallTimelines();
		expect(calls.disconnect('unknown', t(9), 'answered')).toEqual({
			ringSeconds: null,
			talkSeconds: null,
			legs: null,
			durationsKnown: false,
			collectedDigits: null,
		});
		calls.record('callout', 'a', t(0), 0);
		calls.record('alerting', 'a', t(1), 0);
		// (Its ring time is unknown too: the answer that ended the ringing was not seen.)
		expect(calls.disconnect('a', t(20), 'answered')).toMatchObject({ ringSeconds: null, talkSeconds: null, durationsKnown: false });
		expect(durationsAt(undefined, t(1), 'busy').durationsKnown).toBe(false);
	});

	test('collectInfo digits are kept for the disconnect, in order', () => {
		const calls = new CallTimelines();
		calls.record('callout', 'd', t(0), 0);
		calls.record('answer', 'd', t(3), 0);
		calls.record('collectInfo', 'd', t(9), 0, '1');
		calls.record('collectInfo', 'd', t(14), 0, '');
		expect(calls.disconnect('d', t(15), 'answered')).toMatchObject({ collectedDigits: ['1', ''], talkSeconds: 12 });
	});

	test('a full memory drops only calls older than the maximum call age, otherwise it stops tracking new calls', () => {
		const calls = new CallTimelines(2);
		expect(calls.record('callout', 'old', t(0), 0)).toBe(true);
		expect(calls.record('callout', 'young', t(0), 1000)).toBe(true);
		// Full, and both are in progress and young: the new call is not tracked, no call is dropped.
		expect(calls.record('callout', 'new', t(0), 2000)).toBe(false);
		expect(calls.untracked).toBe(1);
		expect(calls.peek('old')).toBeDefined();
		// Once the oldest is past the maximum age, it makes room.
		expect(calls.record('callout', 'later', t(0), CALL_MAX_AGE_MS + 1)).toBe(true);
		expect(calls.peek('old')).toBeUndefined();
		expect(calls.peek('young')).toBeDefined();
	});
});
