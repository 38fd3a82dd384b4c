import {
	DISCONNECT_POINTS,
	HANGUP_CAUSES,
	Q850_CAUSES,
	RESULT_CODES,
	describeDisconnectPoint,
	describeHangupCause,
	describeQ850Cause,
	isRetryableResult,
	lookupResultCode,
} from '../../nodes/shared/codes';
import { RECORD_NOT_FOUND, RESULT_REPLIES } from '../../emulator/replies';

/** The emulator's answer for a code (emulator/replies.ts): HTTP status and the documented resultdesc. */
const reply = (code: string) => ({ httpStatus: RESULT_REPLIES[code][0], resultdesc: RESULT_REPLIES[code][1] });

// Written out from the platform's tables (docs/platform.md §3.4, §10.1, §10.2) on purpose, so a dropped row fails here.
const AUTH_TABLE: Array<[string, number, string]> = [
	['1023006', 400, 'Authorization not contained in the HTTP header.'],
	['1023007', 400, 'realm not contained in Authorization.'],
	['1023008', 400, 'profile not contained in Authorization.'],
	['1023009', 400, 'The value of realm in Authorization must be SDP.'],
	['1023010', 400, 'The value of profile in Authorization must be UsernameToken.'],
	['1023011', 400, 'The value of type in Authorization must be app_key.'],
	['1023012', 400, 'type not contained in Authorization.'],
	['1023033', 400, 'HTTP header not found X-AKSK field.'],
	['1023034', 400, 'UserName not contained in X-AKSK.'],
	['1023035', 400, 'Nonce not contained in X-AKSK.'],
	['1023036', 400, 'Created not contained in X-AKSK.'],
	['1023037', 400, 'PasswordDigest not contained in X-AKSK.'],
	['1023038', 400, 'UsernameToken not contained in X-AKSK.'],
	['1010010', 401, 'Invalid digest.'],
	['1010013', 401, 'Time out limit.'],
	['1010002', 403, 'Invalid request.'],
	['1010003', 403, 'Invalid app_key.'],
];

const PINNED_500: Array<[string, string]> = [
	['1010001', 'Internal system error.'],
	['1020001', 'Parameter error.'],
	['1020002', 'Internal error.'],
];

const BUSINESS_CODES = [
	'0',
	'1010001',
	'1010002',
	'1010003',
	'1010004',
	'1010006',
	'1010007',
	'1010008',
	'1010009',
	'1010010',
	'1010011',
	'1010013',
	'1010021',
	'1010023',
	'1010024',
	'1010040',
	'1011006',
	'1012001',
	'1012002',
	'1012003',
	'1012004',
	'1012005',
	'1012006',
	'1012012',
	'1013001',
	'1013002',
	'1013003',
	'1013112',
	'1013113',
	'1013114',
	'1013115',
	'1013116',
	'1013117',
	'1013118',
	'1013119',
	'1013120',
	'1013121',
	'1013122',
	'1020003',
	'1020150',
	'1020151',
	'1020165',
	'1020166',
	'1020168',
	'1020171',
	'1020176',
];

// Documented resultdesc texts of §10.2 that the emulator must send verbatim.
const DOCUMENTED_DESCS: Array<[string, string]> = [
	['0', 'Success.'],
	['1010006', 'Invalid Rest API.'],
	['1010007', 'The ativeState of User is not ACTIVATING.'],
	['1010008', 'The status of the app_key is unavailable.'],
	['1010009', 'No more APIs can be invoked.'],
	['1010011', 'The app is not allowed to access a commercial address.'],
	['1010021', 'Application unavailable.'],
	['1010023', 'Invalid display number.'],
	['1010024', 'Invalid caller number.'],
	['1010040', 'The app_key is not allowed to invoke the API.'],
	['1011006', 'Under traffic control status.'],
	['1012001', 'Resource of number is not to be applied.'],
	['1012003', 'The template ID does not exist.'],
	['1012005', '%s of templateParas does not meet template requirements.'],
	['1012006', 'The service number is not applied.'],
	['1012012', 'Application does not open recording function.'],
	['1013001', 'Calls exceed the SP limit.'],
	['1013002', 'Calls exceed the APP limit.'],
	['1013003', 'Calls exceed the display number limit.'],
	['1013117', 'Callee call frequency restricted.'],
	['1013118', 'Service number call frequency restricted.'],
	['1013119', 'Service number suspend.'],
	['1013120', 'Ip address is null.'],
	['1013121', 'Call black time forbidden.'],
	['1013122', 'Sub enterprise is suspended.'],
	['1020003', 'Parameter error.'],
	['1020165', 'The appkey call port of using exceeds the limited.'],
	['1020166', 'The app client ip is not in ip white list.'],
	['1020176', 'Authentication failed, try again later.'],
];

const Q850_CODES = [
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29, 30, 31, 34, 38,
	39, 40, 41, 42, 43, 44, 46, 47, 49, 50, 53, 55, 57, 58, 62, 63, 65, 66, 69, 70, 79, 81, 82, 83,
	84, 85, 86, 87, 88, 90, 91, 95, 96, 97, 98, 99, 100, 101, 102, 103, 110, 111, 127,
];

const HANGUP_CODES = [
	0, 7001, 7002, 7003, 7004, 7005, 7100, 7105, 7106, 7107, 7108, 7109, 8000, 8001, 8002, 8003, 8004,
	8005, 8006, 8007, 8008, 8009, 8010, 8012, 8015, 8017, 8018, 8020, 8100, 8101, 8102, 8103, 8104,
	8105, 8106, 8107, 8108, 8109, 8110, 8111,
];

const DISCONNECT_CODES = [
	0, 100, 501, 502, 503, 504, 505, 506, 507, 508, 509, 510, 512, 513, 514, 515, 516, 517, 518, 519,
	520, 521, 522, 524, 526, 527, 528, 529, 530, 539, 540, 541, 542, 550, 551, 552, 553, 1001, 1002,
	1003, 1004, 2801, 2802, 2803, 2805, 2806, 2810, 2811, 2812, 2825, 2829, 2831, 2837, 2838, 2847,
	2853, 2863, 2868, 2871, 2901, 2902, 2903, 2904, 2905, 2906, 2907, 2908, 2909, 2910, 2911, 2912,
	2913, 2914,
];

describe('RESULT_CODES', () => {
	it.each(AUTH_TABLE)(
		'has auth code %s with HTTP %i and the documented text',
		(code, status, desc) => {
			const info = lookupResultCode(code);
			expect(info).toBeDefined();
			expect(reply(code).httpStatus).toBe(status);
			expect(reply(code).resultdesc).toBe(desc);
			expect(info!.retryable).toBe(false);
		},
	);

	it('classes the credential codes as auth', () => {
		for (const code of [
			'1023006',
			'1023033',
			'1023038',
			'1010010',
			'1010013',
			'1010003',
			'1020176',
		]) {
			expect(RESULT_CODES[code].family).toBe('auth');
		}
		expect(reply('1020176').resultdesc).toBe('Authentication failed, try again later.');
	});

	it.each(PINNED_500)('pins %s to HTTP 500', (code, desc) => {
		expect(reply(code).httpStatus).toBe(500);
		expect(reply(code).resultdesc).toBe(desc);
	});

	it.each(BUSINESS_CODES)('has business code %s', (code) => {
		expect(lookupResultCode(code)).toBeDefined();
	});

	it.each(DOCUMENTED_DESCS)('sends the documented resultdesc for %s', (code, desc) => {
		expect(reply(code).resultdesc).toBe(desc);
	});

	it('marks 1013112–1013115 as frequency codes with undocumented texts', () => {
		for (const code of ['1013112', '1013113', '1013114', '1013115']) {
			expect(RESULT_CODES[code].family).toBe('frequency');
			expect(RESULT_CODES[code].meaning).toMatch(/not documented/);
		}
	});

	it('keys every entry by its own code, with non-empty texts and a sane status', () => {
		const entries = Object.entries(RESULT_CODES);
		expect(entries.length).toBeGreaterThanOrEqual(BUSINESS_CODES.length + 16);
		for (const [key, info] of entries) {
			expect(info.code).toBe(key);
			expect(reply(key).resultdesc.trim()).not.toBe('');
			expect(info.meaning.trim().length).toBeGreaterThan(10);
			expect(info.fix.trim().length).toBeGreaterThan(10);
			expect([200, 400, 401, 403, 404, 500, 503]).toContain(reply(key).httpStatus);
			if (info.family === 'success') expect(reply(key).httpStatus).toBe(200);
			else expect(reply(key).httpStatus).toBeGreaterThanOrEqual(400);
		}
		// The emulator answers exactly the codes the node knows.
		expect(Object.keys(RESULT_REPLIES).sort()).toEqual(Object.keys(RESULT_CODES).sort());
	});

	it('names the likely culprit in every auth fix', () => {
		for (const info of Object.values(RESULT_CODES)) {
			if (info.family !== 'auth') continue;
			expect(info.fix).toMatch(/APP_Key|APP_Secret|APP access address|clock|Created timezone/);
		}
	});

	it('mentions both readings of 1010010', () => {
		expect(RESULT_CODES['1010010'].meaning).toMatch(/Invalid digest/);
		expect(RESULT_CODES['1010010'].meaning).toMatch(/flow control/);
	});

	it('accepts codes with surrounding whitespace and rejects unknown ones', () => {
		expect(lookupResultCode(' 1020165 ')?.code).toBe('1020165');
		expect(lookupResultCode('9999999')).toBeUndefined();
		expect(lookupResultCode('toString')).toBeUndefined();
	});
});

describe('retry decisions', () => {
	it('flags exactly 1010009, 1011006 and 1020165 as retryable', () => {
		const flagged = Object.values(RESULT_CODES)
			.filter((info) => info.retryable)
			.map((info) => info.code)
			.sort();
		expect(flagged).toEqual(['1010009', '1011006', '1020165']);
	});

	it('uses 503 for the retryable codes', () => {
		for (const code of ['1010009', '1011006', '1020165']) {
			expect(reply(code).httpStatus).toBe(503);
		}
	});

	it('retries a table entry only when it is flagged', () => {
		for (const info of Object.values(RESULT_CODES)) {
			expect(isRetryableResult(info.code, reply(info.code).resultdesc, reply(info.code).httpStatus)).toBe(
				['1010009', '1011006', '1020165'].includes(info.code),
			);
		}
	});

	it('never retries the "Invalid digest" reading of 1010010', () => {
		expect(isRetryableResult('1010010', 'Invalid digest.', 401)).toBe(false);
		expect(isRetryableResult('1010010', 'Invalid digest.')).toBe(false);
		expect(isRetryableResult('1010010')).toBe(false);
		// A 401 stays an auth failure even if the text were to mention flow control.
		expect(
			isRetryableResult('1010010', 'The flow control upper limit is reached on the platform.', 401),
		).toBe(false);
	});

	it('retries the flow-control reading of 1010010', () => {
		expect(
			isRetryableResult('1010010', 'The flow control upper limit is reached on the platform.', 503),
		).toBe(true);
		expect(
			isRetryableResult('1010010', 'The flow control upper limit is reached on the platform.'),
		).toBe(true);
	});

	it('does not retry auth, parameter or unknown codes', () => {
		for (const code of [
			'1020176',
			'1010013',
			'1023006',
			'1010002',
			'1020001',
			'1010001',
			'12345',
		]) {
			expect(isRetryableResult(code)).toBe(false);
		}
	});
});

describe('RECORD_NOT_FOUND', () => {
	it('is the documented text with the emulator status', () => {
		expect(RECORD_NOT_FOUND).toEqual({
			resultcode: '1010002',
			resultdesc: 'The record does not exist.',
			httpStatus: 404,
		});
	});
});

describe('hang-up causes', () => {
	it.each(HANGUP_CODES)('describes stateCode %i', (code) => {
		const text = describeHangupCause(code);
		expect(text).toBeDefined();
		expect(text!.en.trim()).not.toBe('');
	});

	it('has no rows beyond the platform tables', () => {
		expect(
			Object.keys(HANGUP_CAUSES)
				.map(Number)
				.sort((a, b) => a - b),
		).toEqual(HANGUP_CODES);
	});

	it('marks 8106–8108 as inferred and keeps the Chinese labels', () => {
		for (const code of [8106, 8107, 8108]) expect(HANGUP_CAUSES[code].en).toMatch(/inferred/);
		expect(HANGUP_CAUSES[8102]).toEqual({ en: 'Callee busy', zh: '被叫用户正忙', outcome: 'busy' });
		expect(HANGUP_CAUSES[8108].zh).toBe('主叫用户正忙');
		expect(describeHangupCause(8011)).toBeUndefined();
	});
});

describe('Q.850 causes', () => {
	it('has exactly the codes of the §11.2 table', () => {
		expect(
			Object.keys(Q850_CAUSES)
				.map(Number)
				.sort((a, b) => a - b),
		).toEqual(Q850_CODES);
	});

	it.each(Q850_CODES)('describes cause %i in English and Chinese', (code) => {
		const text = describeQ850Cause(code);
		expect(text?.en.trim()).toBeTruthy();
		expect(text?.zh?.trim()).toBeTruthy();
	});

	it('uses the ITU-T meanings', () => {
		expect(describeQ850Cause(16)?.en).toBe('Normal call clearing');
		expect(describeQ850Cause(17)).toEqual({ en: 'User busy', zh: '用户忙', outcome: 'busy' });
		expect(describeQ850Cause(127)?.en).toBe('Interworking, unspecified');
		expect(describeQ850Cause(45)).toBeUndefined();
	});
});

describe('disconnect points', () => {
	it('has exactly the explicit rows of §11.3, pairs split', () => {
		expect(
			Object.keys(DISCONNECT_POINTS)
				.map(Number)
				.sort((a, b) => a - b),
		).toEqual(DISCONNECT_CODES);
		expect(DISCONNECT_POINTS[501].en).not.toBe(DISCONNECT_POINTS[502].en);
		expect(DISCONNECT_POINTS[526].en).toMatch(/Mute/);
		expect(DISCONNECT_POINTS[527].en).toMatch(/Unmute/);
	});

	it('explains 100 as no digits collected', () => {
		expect(describeDisconnectPoint(100)?.en).toMatch(/digits/i);
	});

	it('resolves SIP statuses with reason phrases', () => {
		const busy = describeDisconnectPoint(486)?.en ?? '';
		expect(busy).toMatch(/SIP/);
		expect(busy).toMatch(/busy/i);
		expect(describeDisconnectPoint(603)?.en).toBe('SIP status 603 (Decline)');
		expect(describeDisconnectPoint(499)?.en).toBe('SIP status 499');
	});

	it('prefers the platform rows inside the SIP range', () => {
		expect(describeDisconnectPoint(514)?.en).toBe('Ringing timeout');
	});

	it('reuses the hang-up texts for 7001–7109 and 8000–8111', () => {
		expect(describeDisconnectPoint(8102)).toEqual(describeHangupCause(8102));
		expect(describeDisconnectPoint(7109)).toEqual(describeHangupCause(7109));
		expect(describeDisconnectPoint(8008)).toEqual(describeHangupCause(8008));
	});

	it('returns undefined for codes outside every table and range', () => {
		expect(describeDisconnectPoint(1)).toBeUndefined();
		expect(describeDisconnectPoint(9000)).toBeUndefined();
	});
});
