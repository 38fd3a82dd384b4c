import { USER_DATA_MAX_LENGTH, userDataViolation } from '../../nodes/shared/platform/fields';
import {
	appendWakeToken,
	isWakeToken,
	resumeTokenOf,
	splitWakeToken,
	USER_DATA_MAX_WITH_WAKE_TOKEN,
	WAKE_TOKEN_MAX_LENGTH,
} from '../../nodes/shared/wakeToken';

const TOKEN = 'a'.repeat(32) + '0123456789abcdef0123456789abcdef';

describe('wake token in userData', () => {
	test('round trip: the user part stays readable, execution id and token come back', () => {
		const userData = appendWakeToken('order-42', { executionId: '1234', resumeToken: TOKEN });
		expect(userData).toBe(`order-42|n8n-wake:1234.${TOKEN}`);
		expect(splitWakeToken(userData)).toEqual({ userData: 'order-42', wake: { executionId: '1234', resumeToken: TOKEN } });
		expect(splitWakeToken(appendWakeToken(undefined, { executionId: '7', resumeToken: TOKEN }))).toEqual({
			userData: '',
			wake: { executionId: '7', resumeToken: TOKEN },
		});
	});

	test('the longest user part plus the longest token is a valid userData (≤ 256, no braces, ASCII)', () => {
		const own = 'x'.repeat(USER_DATA_MAX_WITH_WAKE_TOKEN);
		const userData = appendWakeToken(own, { executionId: '9'.repeat(20), resumeToken: TOKEN });
		expect(userData.length).toBe(USER_DATA_MAX_LENGTH);
		expect(WAKE_TOKEN_MAX_LENGTH + USER_DATA_MAX_WITH_WAKE_TOKEN).toBe(256);
		expect(userDataViolation(userData)).toBeUndefined();
	});

	test.each([
		['no token', 'order-42'],
		['short token', `order|n8n-wake:1.${'a'.repeat(63)}`],
		['upper-case token', `order|n8n-wake:1.${'A'.repeat(64)}`],
		['not at the end', `order|n8n-wake:1.${TOKEN}|more`],
		['letters in the execution id', `order|n8n-wake:12a.${TOKEN}`],
		['a 21-digit execution id', `order|n8n-wake:${'1'.repeat(21)}.${TOKEN}`],
	])('%s → no wake token, value unchanged', (_name, value) => {
		expect(splitWakeToken(value)).toEqual({ userData: value });
	});

	test('non-strings pass through', () => {
		expect(splitWakeToken(null)).toEqual({ userData: null });
		expect(splitWakeToken(undefined)).toEqual({ userData: undefined });
	});

	test('only well-formed ids and tokens are accepted for a call', () => {
		expect(isWakeToken({ executionId: '12', resumeToken: TOKEN })).toBe(true);
		expect(isWakeToken({ executionId: '', resumeToken: TOKEN })).toBe(false);
		expect(isWakeToken({ executionId: '12', resumeToken: undefined })).toBe(false);
		expect(() => appendWakeToken('x', { executionId: '12', resumeToken: 'nope' })).toThrow(/unexpected format/);
	});

	test('the resume token is read from n8n\'s resume URL', () => {
		expect(resumeTokenOf(`http://127.0.0.1:5678/webhook-waiting/12?signature=${TOKEN}`)).toBe(TOKEN);
		expect(resumeTokenOf(`http://h/webhook-waiting/12?a=1&signature=${TOKEN}&b=2`)).toBe(TOKEN);
		expect(resumeTokenOf('http://h/webhook-waiting/12')).toBeUndefined();
	});
});
