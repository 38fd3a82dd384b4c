import {
	BEIJING_OFFSET_MS,
	formatCreated,
	formatPlatformTime,
	isCreatedFresh,
	parseCreated,
	platformTimeToIso,
	secondsBetween,
} from '../../nodes/shared/platform/time';

/* The platform's two time formats, shared by the signer, the trigger and the emulator. */

describe('push and CDR times', () => {
	test.each([
		['2019-01-24 03:04:24', '2019-01-24T03:04:24.000Z'],
		['2016-12-26  01:19:46', '2016-12-26T01:19:46.000Z'],
		['2024-02-29 23:59:59', '2024-02-29T23:59:59.000Z'],
	])('%s → %s', (input, iso) => expect(platformTimeToIso(input)).toBe(iso));

	test('writes exactly what Date#toISOString() writes, for every kind of valid time', () => {
		// Every month end, leap days, the edges of the day and of the four-digit years.
		const times = ['0100-01-01 00:00:00', '1970-01-01 00:00:00', '1999-12-31 23:59:59', '2000-02-29 12:00:00', '9999-12-31 23:59:59'];
		for (let month = 0; month < 12; month++) {
			const last = new Date(Date.UTC(2023, month + 1, 0));
			times.push(`${last.toISOString().slice(0, 10)} 07:08:09`);
		}
		for (const time of times) {
			const [date, clock] = time.split(' ');
			const [y, mo, d] = date.split('-').map(Number);
			const [h, mi, s] = clock.split(':').map(Number);
			const expected = new Date(Date.UTC(2000, mo - 1, d, h, mi, s));
			expected.setUTCFullYear(y);
			expect(platformTimeToIso(time)).toBe(expected.toISOString());
		}
	});

	test.each(['2023-02-29 00:00:00', '0099-01-01 00:00:00', '2019-13-01 00:00:00', '2019-01-24T03:04:24Z', '', '24:00:00', 1548299064])(
		'%p is not a platform time',
		(input) => expect(platformTimeToIso(input)).toBeUndefined(),
	);
});

describe('platform time helpers', () => {
	test('formatPlatformTime is the inverse of the parser, in UTC', () => {
		expect(formatPlatformTime(Date.UTC(2019, 0, 24, 3, 4, 24, 999))).toBe('2019-01-24 03:04:24');
		expect(platformTimeToIso(formatPlatformTime(Date.UTC(2026, 11, 1, 23, 59, 59)))).toBe('2026-12-01T23:59:59.000Z');
	});

	test('secondsBetween rounds, never goes negative, and is null without both times', () => {
		expect(secondsBetween('2026-01-01 00:00:00', '2026-01-01 00:03:01')).toBe(181);
		expect(secondsBetween('2026-01-01 00:00:10', '2026-01-01 00:00:00')).toBe(0);
		expect(secondsBetween(undefined, '2026-01-01 00:00:00')).toBeNull();
		expect(secondsBetween('2026-01-01 00:00:00', 'soon')).toBeNull();
	});
});

describe('Created', () => {
	test('format: UTC or Beijing time, always with Z and no fraction', () => {
		const now = new Date('2018-02-12T15:30:20.123Z');
		expect(formatCreated(now)).toBe('2018-02-12T15:30:20Z');
		expect(formatCreated(now, 'utc+8')).toBe('2018-02-12T23:30:20Z');
	});

	test.each(['2018-02-12T15:30:20Z', ' 2018-02-12T15:30:20Z '])('parses %p', (text) =>
		expect(parseCreated(text)).toBe(Date.UTC(2018, 1, 12, 15, 30, 20)),
	);

	test.each(['2018-02-12T15:30:20.5Z', '2018-02-30T00:00:00Z', '2018-02-12 15:30:20', '2018-02-12T15:30:20+08:00', ''])(
		'refuses %p',
		(text) => expect(parseCreated(text)).toBeUndefined(),
	);

	test('isCreatedFresh accepts both clock readings, edges included', () => {
		expect(isCreatedFresh(0, 900000, 900)).toBe(true);
		expect(isCreatedFresh(0, 900001, 900)).toBe(false);
		expect(isCreatedFresh(BEIJING_OFFSET_MS, 0, 900)).toBe(true);
		expect(isCreatedFresh(BEIJING_OFFSET_MS + 900001, 0, 900)).toBe(false);
	});
});

describe('calendar checks', () => {
	test('the same real dates as Date.UTC without roll-over, across 400 years of month ends', () => {
		for (let year = 1900; year <= 2300; year++) {
			for (let month = 1; month <= 12; month++) {
				for (const day of [28, 29, 30, 31]) {
					const text = `${year}-${String(month).padStart(2, '0')}-${day} 12:00:00`;
					const date = new Date(Date.UTC(year, month - 1, day, 12));
					const real = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
					expect(platformTimeToIso(text)).toBe(real ? date.toISOString() : undefined);
				}
			}
		}
	});
});
