/**
 * Field rules of the Huawei Voice Call API (docs/platform.md §4.1, §5, §6.1, §7, §9, §12), defined
 * once: the action node validates with them before sending, and the emulator enforces them when it
 * answers. test/fixtures/platform-rules.json holds values taken from the platform documentation that
 * both sides are tested against, so a wrong rule here cannot pass its own tests.
 */

/** Phone numbers: E.164 with the leading `+`, 4 to 30 digits (§4.1, §12). */
export const PHONE_NUMBER_PATTERN = /^\+\d{4,30}$/;

/** Approved voice file names: 1–128 of `[0-9A-Za-z-_.@]` (§6.1). */
export const VOICE_FILE_NAME_PATTERN = /^[0-9A-Za-z\-_.@]{1,128}$/;

/** Characters allowed in a status/CDR URL before Base64 encoding (§4.1). */
export const NOTIFY_URL_CHARACTER = /[a-zA-Z0-9\-:./_#?&]/;
export const NOTIFY_URL_PATTERN = /^[a-zA-Z0-9\-:./_#?&]+$/;
/** statusUrl/feeUrl are String(1-128) once Base64-encoded (§6.1; §17 item 7): a URL of at most 96 characters. */
export const NOTIFY_URL_MAX_ENCODED_LENGTH = 128;

/** userData: at most 256 characters (§4.1). */
export const USER_DATA_MAX_LENGTH = 256;
/**
 * "Chinese characters are not supported" in userData (§4.1): CJK ideographs, CJK and full-width
 * punctuation, kana and Hangul. East Asian scripts are refused together because the platform's
 * check is undocumented beyond that sentence; an ID in ASCII (or Base64) always works.
 */
export const CJK_CHARACTERS =
	/[\u1100-\u11ff\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

export type UserDataViolation = 'tooLong' | 'braces' | 'cjk';

/** The first userData rule a text breaks (no `{` `}`, no CJK, ≤ 256 characters), or undefined. */
export function userDataViolation(text: string): UserDataViolation | undefined {
	if (text.length > USER_DATA_MAX_LENGTH) return 'tooLong';
	if (/[{}]/.test(text)) return 'braces';
	if (CJK_CHARACTERS.test(text)) return 'cjk';
	return undefined;
}

/** TTS template IDs: String(1-32) (§6.1). */
export const TEMPLATE_ID_MAX_LENGTH = 32;
/** Each template value: at most 32 bytes in UTF-8, a CJK character counting 3 (§6.1). */
export const TEMPLATE_VALUE_MAX_BYTES = 32;
/** A notification plays 1 to 5 segments (§6.1, §12). */
export const PLAY_SEGMENTS_MAX = 5;
/** collectInd: 0 (no collection) to 32 digits (§6.1). */
export const COLLECT_DIGITS_MAX = 32;
/** Keys a callee can press, 1 to 32 of them: replay triggers and collected digits (§6.1). */
export const DTMF_KEYS_PATTERN = /^[0-9*#]{1,32}$/;
/** maxDuration: 0 (no limit) to 1440 minutes (§4.1). */
export const MAX_DURATION_MINUTES = 1440;
/** sessionId: String(1-256) (§1, §5). */
export const SESSION_ID_MAX_LENGTH = 256;
/** fileName and recordDomain of the recording API: String(1-128) (§7). */
export const RECORD_QUERY_MAX_LENGTH = 128;
/** Voice verification code (§9): `verifyCode` is 1 to 8 of the digits 0-9. */
export const VERIFY_CODE_PATTERN = /^\d{1,8}$/;
export const VERIFY_CODE_MAX_DIGITS = 8;
/** `times`: how often the code is read, 0 to 9; 0 repeats it until the callee hangs up, absent means 3 (§9). */
export const VERIFY_TIMES_MAX = 9;
export const VERIFY_TIMES_DEFAULT = 3;
/**
 * `languageType` is an Integer whose values no source this project has lists (§17.15): the node
 * and the emulator accept a small non-negative integer, our choice of range.
 */
export const VERIFY_LANGUAGE_TYPE_MAX = 99;
/** A CDR push carries 1 to 50 records (§8.1, §8.4). */
export const CDR_RECORDS_MAX = 50;

/** UTF-8 byte length without Node's Buffer (the shipped nodes run without Node globals). */
export function utf8Length(text: string): number {
	return new TextEncoder().encode(text).length;
}
