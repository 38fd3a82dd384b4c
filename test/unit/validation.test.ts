import {
	FieldError,
	base64Encode,
	booleanString,
	integerInRange,
	notificationUrl,
	oneOf,
	optionalPhoneNumber,
	parseParameterList,
	phoneNumber,
	playSegments,
	replayDigits,
	templateId,
	templateParameters,
	userData,
	voiceFileName,
} from '../../nodes/HuaweiVoiceCall/validation';

/** Runs `fn`, expects a FieldError, and returns it. */
function fieldError(fn: () => unknown): FieldError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(FieldError);
		return error as FieldError;
	}
	throw new Error('expected a FieldError');
}

describe('phone numbers', () => {
	it('accepts E.164 and strips spaces, dashes and parentheses', () => {
		expect(phoneNumber('+8613800000001', 'Callee Number')).toBe('+8613800000001');
		expect(phoneNumber(' +86 (138) 0000-0001 ', 'Callee Number')).toBe('+8613800000001');
		expect(phoneNumber('+8620 1234 5678', 'Callee Number')).toBe('+862012345678');
	});

	it.each([
		['13800000001', 'no leading +'],
		['+86 138.0000.0001', 'dots'],
		['+86abc', 'letters'],
		['+123', 'too short'],
		[`+${'1'.repeat(31)}`, 'too long'],
		['++8613800000001', 'double +'],
	])('rejects %s (%s) with a message naming the field and an example', (value) => {
		const error = fieldError(() => phoneNumber(value, 'Callee Number (B)'));
		expect(error.message).toContain('Callee Number (B)');
		expect(error.message).toContain(value.trim());
		expect(error.hint).toContain('+8613800000001');
		expect(error.field).toBe('Callee Number (B)');
	});

	it('names the field when empty; optional numbers may be empty', () => {
		expect(fieldError(() => phoneNumber('  ', 'Display Number')).message).toBe('Display Number is empty');
		expect(optionalPhoneNumber('', 'Callee Display Number')).toBeUndefined();
		expect(optionalPhoneNumber(undefined, 'Callee Display Number')).toBeUndefined();
		expect(fieldError(() => optionalPhoneNumber('12', 'Callee Display Number')).message).toContain(
			'Callee Display Number',
		);
	});
});

describe('userData', () => {
	it('passes plain text through and treats empty as not set', () => {
		expect(userData('order-123')).toBe('order-123');
		expect(userData('')).toBeUndefined();
		expect(userData(undefined)).toBeUndefined();
		expect(userData('x'.repeat(256))).toHaveLength(256);
	});

	it('rejects more than 256 characters, braces and Chinese, naming the field', () => {
		expect(fieldError(() => userData('x'.repeat(257))).message).toBe('User Data is too long (257 characters)');
		const braces = fieldError(() => userData('{"a":1}'));
		expect(braces.message).toContain('User Data');
		expect(braces.message).toContain('{');
		const cjk = fieldError(() => userData('订单123'));
		expect(cjk.message).toContain('User Data');
		expect(cjk.message).toContain('Chinese');
		expect(cjk.hint).toContain('Base64');
		expect(fieldError(() => userData('a，b')).message).toContain('Chinese'); // full-width comma
	});
});

describe('notification URLs', () => {
	it('Base64-encodes the documented example exactly', () => {
		expect(notificationUrl('https://www.huawei.com:9330/fee', 'CDR URL')).toBe(
			'aHR0cHM6Ly93d3cuaHVhd2VpLmNvbTo5MzMwL2ZlZQ==',
		);
	});

	it('base64Encode matches standard Base64 for every padding length and UTF-8', () => {
		for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'http://x/y?z#w&v', '语音']) {
			expect(base64Encode(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
		}
	});

	it('treats empty as not set and trims', () => {
		expect(notificationUrl('', 'Status URL')).toBeUndefined();
		expect(notificationUrl('  http://a.example/hook  ', 'Status URL')).toBe(base64Encode('http://a.example/hook'));
	});

	it('rejects other schemes, forbidden characters and encoded length over 128', () => {
		expect(fieldError(() => notificationUrl('ftp://a.example/x', 'Status URL')).message).toContain(
			'Status URL must start with http:// or https://',
		);
		const equals = fieldError(() => notificationUrl('https://a.example/hook?x=1', 'Status URL'));
		expect(equals.message).toBe('Status URL contains characters Huawei does not allow: =');
		expect(fieldError(() => notificationUrl('https://a.example/hook%20x', 'CDR URL')).message).toContain('%');
		const ok96 = `https://a.example/${'p'.repeat(96 - 18)}`;
		expect(ok96).toHaveLength(96);
		expect(notificationUrl(ok96, 'CDR URL')).toHaveLength(128);
		const long = fieldError(() => notificationUrl(`${ok96}q`, 'CDR URL'));
		expect(long.message).toContain('CDR URL is too long');
		expect(long.message).toContain('132 after Base64');
	});
});

describe('voice files, templates and segments', () => {
	it('voice file names: [0-9A-Za-z-_.@], at most 128', () => {
		expect(voiceFileName('a-b_c.d@e.wav', 'Voice File')).toBe('a-b_c.d@e.wav');
		expect(fieldError(() => voiceFileName('my file.wav', 'Pre-Voice File')).message).toContain('Pre-Voice File');
		expect(fieldError(() => voiceFileName('提示.wav', 'Voice File')).message).toContain('not a valid voice file name');
		expect(fieldError(() => voiceFileName(`${'a'.repeat(125)}.wav`, 'Voice File')).message).toContain('Voice File');
		expect(fieldError(() => voiceFileName('', 'Wait Voice File')).message).toBe('Wait Voice File is empty');
	});

	it('template IDs have 1 to 32 characters', () => {
		expect(templateId(' tpl-1 ', 'Template ID')).toBe('tpl-1');
		expect(fieldError(() => templateId('', 'Segment 1: Template ID')).message).toBe('Segment 1: Template ID is empty');
		expect(fieldError(() => templateId('x'.repeat(33), 'Template ID')).message).toContain('too long');
	});

	it('template parameters are at most 32 UTF-8 bytes (a Chinese character is 3)', () => {
		expect(templateParameters(['3', 'x'.repeat(32), '一'.repeat(10)], 'P')).toEqual(['3', 'x'.repeat(32), '一'.repeat(10)]);
		const cjk = fieldError(() => templateParameters(['ok', '一'.repeat(11)], 'Segment 2: Template Parameters'));
		expect(cjk.message).toContain('Segment 2: Template Parameters, value 2');
		expect(cjk.message).toContain('33 bytes');
		expect(fieldError(() => templateParameters(['a', ''], 'P')).message).toBe('P, value 2 is empty');
		expect(templateParameters([3, 4.5], 'P')).toEqual(['3', '4.5']);
	});

	it('parameter lists accept arrays, JSON arrays and comma-separated text', () => {
		expect(parseParameterList(['a', 2])).toEqual(['a', 2]);
		expect(parseParameterList('["a, b", "c"]')).toEqual(['a, b', 'c']);
		expect(parseParameterList('3, 1栋保安亭')).toEqual(['3', '1栋保安亭']);
		expect(parseParameterList('')).toEqual([]);
		expect(parseParameterList(undefined)).toEqual([]);
		expect(parseParameterList(7)).toEqual([7]);
		expect(parseParameterList('[not json')).toEqual(['[not json']);
	});

	it('builds playInfoList: file xor template, collection and replay', () => {
		expect(
			playSegments([
				{ type: 'file', voiceFile: 'a.wav', templateId: 'ignored' },
				{
					type: 'template',
					templateId: 'tpl',
					parameterValues: ['3', ['x', 'y']],
					collectDigits: 1,
					replayAfterCollection: true,
					replayDigits: '1',
				},
				{ type: 'template', templateId: 'tpl2', parameterList: 'a,b', collectDigits: 0, replayAfterCollection: false },
			]),
		).toEqual([
			{ notifyVoice: 'a.wav' },
			{
				templateId: 'tpl',
				templateParas: ['3', 'x', 'y'],
				collectInd: 1,
				replayAfterCollection: 'true',
				collectContentTriggerReplaying: '1',
			},
			{ templateId: 'tpl2', templateParas: ['a', 'b'] },
		]);
	});

	it('rejects 0 or more than 5 segments, both parameter inputs, bad collection and replay settings', () => {
		expect(fieldError(() => playSegments([])).message).toBe('Play Segments is empty');
		const six = Array.from({ length: 6 }, () => ({ type: 'file', voiceFile: 'a.wav' }));
		expect(fieldError(() => playSegments(six)).message).toBe('Play Segments has 6 segments');
		expect(
			fieldError(() => playSegments([{ type: 'template', templateId: 't', parameterValues: ['a'], parameterList: 'b' }]))
				.message,
		).toContain('Segment 1 has both');
		expect(fieldError(() => playSegments([{ type: 'file', voiceFile: 'a.wav', collectDigits: 33 }])).message).toContain(
			'Segment 1: Collect Digits must be a whole number from 0 to 32',
		);
		expect(
			fieldError(() => playSegments([{ type: 'file', voiceFile: 'a.wav', replayAfterCollection: true }])).message,
		).toContain('Replay After Collection needs Collect Digits');
		expect(
			fieldError(() =>
				playSegments([
					{ type: 'file', voiceFile: 'a.wav' },
					{ type: 'file', voiceFile: 'b.wav', collectDigits: 2, replayAfterCollection: true, replayDigits: '1a' },
				]),
			).message,
		).toContain('Segment 2: Replay Trigger Digits');
		expect(fieldError(() => playSegments([{ type: 'file' }])).message).toBe('Segment 1: Voice File is empty');
		expect(fieldError(() => playSegments([{ type: 'video' }])).message).toContain('Audio Source');
	});

	it('replay digits: 1 to 32 of 0-9 * #', () => {
		expect(replayDigits('1*#', 'R')).toBe('1*#');
		expect(fieldError(() => replayDigits('1'.repeat(33), 'R')).message).toContain('R');
		expect(fieldError(() => replayDigits('', 'R')).message).toBe('R is empty');
	});
});

describe('enums, ranges and booleans', () => {
	it('integerInRange', () => {
		expect(integerInRange(undefined, 'Max Duration', 0, 1440)).toBeUndefined();
		expect(integerInRange(0, 'Max Duration', 0, 1440)).toBe(0);
		expect(integerInRange('1440', 'Max Duration', 0, 1440)).toBe(1440);
		expect(fieldError(() => integerInRange(1441, 'Max Duration', 0, 1440)).message).toContain('Max Duration');
		expect(fieldError(() => integerInRange(1.5, 'Max Duration', 0, 1440)).message).toContain('whole number');
		expect(fieldError(() => integerInRange(-1, 'Max Duration', 0, 1440)).message).toContain('from 0 to 1440');
	});

	it('oneOf', () => {
		expect(oneOf('tob', 'Heard By', ['toa', 'tob', 'both'])).toBe('tob');
		expect(oneOf('', 'Heard By', ['toa', 'tob', 'both'])).toBeUndefined();
		expect(fieldError(() => oneOf('a', 'Callee Media', ['all', 'none', 'fail'])).message).toBe(
			'Callee Media must be one of all, none, fail, not "a"',
		);
	});

	it('booleans become strings; unset stays unset', () => {
		expect(booleanString(true, 'Record')).toBe('true');
		expect(booleanString(false, 'Record')).toBe('false');
		expect(booleanString(undefined, 'Record')).toBeUndefined();
		expect(fieldError(() => booleanString('yes', 'Record')).message).toContain('Record');
	});
});
