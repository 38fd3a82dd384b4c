import { defaultConfig } from '../../emulator/config';
import { validateClick2Call, type Body } from '../../emulator/validate';
import { base64Encode, FieldError, notificationUrl, phoneNumber, userData, voiceFileName } from '../../nodes/HuaweiVoiceCall/validation';
import rules from '../fixtures/platform-rules.json';

/*
 * The field rules are defined once (nodes/shared/platform/fields.ts) and used by both the action
 * node and the emulator. This test holds both to values from the platform documentation, and checks
 * that they agree: what the node lets through, the emulator accepts, and the other way round.
 */

const config = defaultConfig();
const DISPLAY = config.displayNumbers[0];
const base: Body = { displayNbr: DISPLAY, callerNbr: '+8613800000001', displayCalleeNbr: DISPLAY, calleeNbr: '+8613800000002' };

const nodeAccepts = (check: () => unknown): boolean => {
	try {
		check();
		return true;
	} catch (error) {
		expect(error).toBeInstanceOf(FieldError);
		return false;
	}
};
const emulatorAccepts = (body: Body): boolean => validateClick2Call({ ...base, ...body }, config) === null;

describe.each([
	['valid', true],
	['invalid', false],
] as const)('%s values', (kind, expected) => {
	test.each(rules.phoneNumbers[kind])('phone number %p', (value) => {
		// The node also removes spaces and dashes as typed by a user; on the wire they are refused.
		if (expected || !/[\s-]/.test(value)) expect(nodeAccepts(() => phoneNumber(value, 'Callee Number'))).toBe(expected);
		expect(emulatorAccepts({ calleeNbr: value })).toBe(expected);
	});

	test.each(rules.userData[kind])('userData %p', (value) => {
		expect(nodeAccepts(() => userData(value))).toBe(expected);
		expect(emulatorAccepts({ userData: value })).toBe(expected);
	});

	test.each(rules.voiceFiles[kind].filter((name) => name !== ''))('voice file %p', (value) => {
		expect(nodeAccepts(() => voiceFileName(value, 'Wait Voice File'))).toBe(expected);
		expect(emulatorAccepts({ waitVoice: value }) || !config.voiceFiles.includes(value)).toBe(true);
		if (!expected) expect(emulatorAccepts({ waitVoice: value })).toBe(false);
	});

	test.each(rules.notifyUrls[kind])('status URL %p', (url) => {
		expect(nodeAccepts(() => notificationUrl(url, 'Status URL'))).toBe(expected);
		if (expected) expect(emulatorAccepts({ statusUrl: base64Encode(url) })).toBe(true);
	});
});

test('lengths: userData 256, voice file names 128, on both sides', () => {
	const max = 'a'.repeat(rules.userData.maxLength);
	expect(nodeAccepts(() => userData(max))).toBe(true);
	expect(emulatorAccepts({ userData: max })).toBe(true);
	expect(nodeAccepts(() => userData(`${max}a`))).toBe(false);
	expect(emulatorAccepts({ userData: `${max}a` })).toBe(false);
	expect(nodeAccepts(() => voiceFileName('a'.repeat(rules.voiceFiles.maxLength), 'Voice File'))).toBe(true);
	expect(nodeAccepts(() => voiceFileName('a'.repeat(rules.voiceFiles.maxLength + 1), 'Voice File'))).toBe(false);
});

test('the documented Base64 example: the node encodes it, the emulator decodes it, independently', () => {
	const { url, base64 } = rules.notifyUrls.documentedExample;
	expect(notificationUrl(url, 'CDR URL')).toBe(base64);
	expect(emulatorAccepts({ feeUrl: base64 })).toBe(true);
});

test('"order-안녕" is refused by the node and by the emulator alike (they once disagreed)', () => {
	expect(nodeAccepts(() => userData('order-안녕'))).toBe(false);
	expect(validateClick2Call({ ...base, userData: 'order-안녕' }, config)).toEqual({ code: '1010002', detail: 'The userData must not contain Chinese characters.' });
});
