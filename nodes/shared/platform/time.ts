/**
 * The platform's two time formats (docs/platform.md §3.1, §8.3, §8.4), one implementation for the
 * credential's signer, the trigger and the emulator.
 *
 * - Push and CDR times: `yyyy-MM-dd HH:mm:ss` in UTC. The Java demo writes two spaces between date
 *   and time; that variant is read too.
 * - The signature's `Created`: `yyyy-MM-ddTHH:mm:ssZ` (no fractional seconds). Most pages say UTC,
 *   some say Beijing time with the same `Z` (§17 item 1), so a reader accepts either reading.
 */

/** Beijing time (UTC+8) minus UTC. */
export const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

const PLATFORM_TIME = /^(\d{4})-(\d{2})-(\d{2})\s{1,2}(\d{2}):(\d{2}):(\d{2})$/;
const CREATED_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch ms of a calendar date and time in UTC, or undefined when it is no real date (31 February). */
function utcMs(parts: string[]): number | undefined {
	const year = Number(parts[0]);
	const month = Number(parts[1]);
	const day = Number(parts[2]);
	const hour = Number(parts[3]);
	const minute = Number(parts[4]);
	const second = Number(parts[5]);
	if (hour > 23 || minute > 59 || second > 59 || month < 1 || month > 12 || day < 1) return undefined;
	// Date.UTC rolls impossible dates over (2024-02-30 → March) and reads years 0–99 as 1900–1999;
	// refuse both instead. (Checked by hand: a CDR push has up to 600 times, a Date each was slow.)
	const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	if (year < 100 || day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return undefined;
	return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** `yyyy-MM-dd HH:mm:ss` (UTC) → epoch ms; anything else → undefined. */
export function parsePlatformTime(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const match = PLATFORM_TIME.exec(value.trim());
	return match === null ? undefined : utcMs(match.slice(1));
}

/** Epoch ms → `yyyy-MM-dd HH:mm:ss` (UTC), as the platform writes push and CDR times. */
export function formatPlatformTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A platform time as ISO-8601 UTC (`2019-01-24T03:04:24.000Z`), or undefined. */
export function platformTimeToIso(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = PLATFORM_TIME.exec(value.trim());
	if (match === null || utcMs(match.slice(1)) === undefined) return undefined;
	// A real date with a four-digit year: the same fields in ISO's layout (what toISOString()
	// would print, without building a Date; a CDR push has up to 600 times).
	return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z`;
}

/** Whole seconds from one platform time to another (never negative), or null when either is missing. */
export function secondsBetween(from: unknown, to: unknown): number | null {
	const a = parsePlatformTime(from);
	const b = parsePlatformTime(to);
	if (a === undefined || b === undefined) return null;
	return Math.max(0, Math.round((b - a) / 1000));
}

/** Which clock reading goes into `Created`: real UTC (default) or Beijing time written with a `Z`. */
export type CreatedTimezone = 'utc' | 'utc+8';

/** A time as `yyyy-MM-ddTHH:mm:ssZ`, optionally shifted to Beijing time. */
export function formatCreated(now: Date, timezone: CreatedTimezone = 'utc'): string {
	const shifted = timezone === 'utc+8' ? new Date(now.getTime() + BEIJING_OFFSET_MS) : now;
	return shifted.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** `yyyy-MM-ddTHH:mm:ssZ`, strictly (no fractions, a real date) → epoch ms as written; else undefined. */
export function parseCreated(created: string): number | undefined {
	const match = CREATED_TIME.exec(created.trim());
	return match === null ? undefined : utcMs(match.slice(1));
}

/** Whether a `Created` time is within ± windowSeconds of now, read either as UTC or as Beijing time. */
export function isCreatedFresh(createdMs: number, nowMs: number, windowSeconds: number): boolean {
	const window = windowSeconds * 1000;
	return Math.abs(nowMs - createdMs) <= window || Math.abs(nowMs + BEIJING_OFFSET_MS - createdMs) <= window;
}
