import {
	COLLECT_DIGITS_MAX,
	DTMF_KEYS_PATTERN,
	NOTIFY_URL_CHARACTER,
	NOTIFY_URL_MAX_ENCODED_LENGTH,
	NOTIFY_URL_PATTERN,
	PHONE_NUMBER_PATTERN,
	PLAY_SEGMENTS_MAX,
	TEMPLATE_ID_MAX_LENGTH,
	TEMPLATE_VALUE_MAX_BYTES,
	USER_DATA_MAX_LENGTH,
	userDataViolation,
	utf8Length,
	VERIFY_CODE_MAX_DIGITS,
	VERIFY_CODE_PATTERN,
	VOICE_FILE_NAME_PATTERN,
} from '../shared/platform/fields';
import {
	describeViolation,
	parseTemplateText,
	templateValueViolation,
	variableLabel,
	type TemplateVariable,
} from '../shared/platform/templates';

/**
 * The action node's input checks (docs/platform.md §4, §6, §7, §12), as pure functions over the
 * platform's field rules in nodes/shared/platform/fields.ts.
 *
 * Every function either returns the value to send (normalised) or throws a `FieldError` whose
 * message names the field as the user sees it and whose `hint` says how to fix it. The router
 * turns a `FieldError` into a `NodeOperationError` for the item, before any request is sent.
 */

export class FieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'FieldError';
	}
}

export const EXAMPLE_NUMBER = '+8613800000001';

const NUMBER_SEPARATORS = /[\s\-()]/g;

/** Shows a user value in a message without flooding it. */
function quote(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
	return `"${text.length > 60 ? `${text.slice(0, 57)}...` : text}"`;
}

function asText(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value);
}

/**
 * A phone number in E.164 form with the leading `+` (§4.1, §12). Spaces, dashes and
 * parentheses are removed, so "+86 138-0000-0001" works; anything else is rejected.
 */
export function phoneNumber(value: unknown, field: string): string {
	const raw = asText(value).trim();
	if (raw === '') {
		throw new FieldError(
			field,
			`${field} is empty`,
			`Enter the number in E.164 format with the country code and a leading +, e.g. ${EXAMPLE_NUMBER}.`,
		);
	}
	const normalised = raw.replace(NUMBER_SEPARATORS, '');
	if (!PHONE_NUMBER_PATTERN.test(normalised)) {
		throw new FieldError(
			field,
			`${field} is not a valid phone number: ${quote(raw)}`,
			`Use E.164 format: a leading +, the country code and 4 to 30 digits, e.g. ${EXAMPLE_NUMBER} (mobile) or +862012345678 (fixed line, area code without the leading 0). Spaces, dashes and parentheses are removed automatically; other characters are not allowed.`,
		);
	}
	return normalised;
}

/** Like `phoneNumber` but returns undefined for an empty value (optional fields). */
export function optionalPhoneNumber(value: unknown, field: string): string | undefined {
	return asText(value).trim() === '' ? undefined : phoneNumber(value, field);
}

/** `userData`: 1–256 characters, no `{` or `}`, no Chinese (§4.1). Empty → not sent. */
export function userData(value: unknown, field = 'User Data', maxLength: number = USER_DATA_MAX_LENGTH): string | undefined {
	const text = asText(value);
	if (text === '') return undefined;
	const violation = text.length > maxLength ? 'tooLong' : userDataViolation(text);
	if (violation === 'tooLong') {
		throw new FieldError(
			field,
			`${field} is too long (${text.length} characters)`,
			`Huawei accepts at most ${maxLength} characters here. Send an ID (e.g. an order number) and look the rest up when the status or CDR notification arrives.`,
		);
	}
	if (violation === 'braces') {
		throw new FieldError(
			field,
			`${field} contains "{" or "}"`,
			'Huawei rejects curly braces in userData, so JSON cannot be sent as is. Use a plain ID such as order-123, or key=value pairs separated by ";".',
		);
	}
	if (violation === 'cjk') {
		throw new FieldError(
			field,
			`${field} contains Chinese, Japanese or Korean characters`,
			'Huawei does not support Chinese characters in userData. Use ASCII, or Base64-encode the text first (e.g. {{ $json.note.base64Encode() }}).',
		);
	}
	return text;
}

/** Standard Base64 of the UTF-8 bytes, without Node's Buffer (node code runs without Node globals). */
export function base64Encode(text: string): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
	const bytes = new TextEncoder().encode(text);
	let out = '';
	for (let i = 0; i < bytes.length; i += 3) {
		const a = bytes[i];
		const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
		const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
		const triple = (a << 16) | (b << 8) | c;
		out += alphabet[(triple >> 18) & 63] + alphabet[(triple >> 12) & 63];
		out += i + 1 < bytes.length ? alphabet[(triple >> 6) & 63] : '=';
		out += i + 2 < bytes.length ? alphabet[triple & 63] : '=';
	}
	return out;
}

/**
 * A status or CDR URL typed as a plain URL → the Base64 value the API wants (§4.1, §6.1):
 * http or https, only `a-z A-Z 0-9 - : . / _ # ? &`, and at most 128 characters once encoded.
 * Empty → not sent (the app's console value applies).
 */
export function notificationUrl(value: unknown, field: string): string | undefined {
	const url = asText(value).trim();
	if (url === '') return undefined;
	if (!/^https?:\/\/[^/]/i.test(url)) {
		throw new FieldError(
			field,
			`${field} must start with http:// or https://: ${quote(url)}`,
			'Enter the full URL as plain text, e.g. https://n8n.example.com/webhook/huawei-voice (the node Base64-encodes it for you). Use the Production URL of the Huawei Voice Call Trigger node.',
		);
	}
	if (!NOTIFY_URL_PATTERN.test(url)) {
		const bad = Array.from(new Set([...url].filter((char) => !NOTIFY_URL_CHARACTER.test(char)))).join(' ');
		throw new FieldError(
			field,
			`${field} contains characters Huawei does not allow: ${bad}`,
			'Huawei accepts only letters, digits and - : . / _ # ? & in notification URLs (no =, %, spaces or non-ASCII). Use a webhook path without query values, e.g. https://n8n.example.com/webhook/huawei-voice.',
		);
	}
	const encoded = base64Encode(url);
	if (encoded.length > NOTIFY_URL_MAX_ENCODED_LENGTH) {
		throw new FieldError(
			field,
			`${field} is too long: ${url.length} characters, ${encoded.length} after Base64 encoding`,
			'Huawei accepts at most 128 characters after Base64 encoding, which is a URL of at most 96 characters. Use a shorter host name or webhook path.',
		);
	}
	return encoded;
}

/** A voice file name as uploaded in the console: 1–128 of `[0-9A-Za-z-_.@]` (§6.1). */
export function voiceFileName(value: unknown, field: string): string {
	const name = asText(value).trim();
	if (name === '') {
		throw new FieldError(
			field,
			`${field} is empty`,
			'Enter the file name of an approved voice file exactly as listed under Voice File Management (放音文件管理), e.g. welcome.wav.',
		);
	}
	if (!VOICE_FILE_NAME_PATTERN.test(name)) {
		throw new FieldError(
			field,
			`${field} is not a valid voice file name: ${quote(name)}`,
			'Voice file names have 1 to 128 characters of letters, digits and - _ . @ only, e.g. welcome.wav. Use the name exactly as listed under Voice File Management (放音文件管理).',
		);
	}
	return name;
}

export function optionalVoiceFileName(value: unknown, field: string): string | undefined {
	return asText(value).trim() === '' ? undefined : voiceFileName(value, field);
}

/** A TTS template ID: 1–32 characters (§6.1). */
export function templateId(value: unknown, field: string): string {
	const id = asText(value).trim();
	if (id === '' || id.length > TEMPLATE_ID_MAX_LENGTH) {
		throw new FieldError(
			field,
			id === '' ? `${field} is empty` : `${field} is too long (${id.length} characters)`,
			'Copy the ID (at most 32 characters) of an approved template from Voice Template Management (语音模板管理).',
		);
	}
	return id;
}

/**
 * Template parameter values from a list: an array, a JSON array string, or a comma-separated
 * string ("3, Building 1"). Values containing commas need the array form or one input each.
 */
export function parseParameterList(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	if (Array.isArray(value)) return value;
	if (typeof value === 'number' || typeof value === 'boolean') return [value];
	const text = asText(value).trim();
	if (text === '') return [];
	if (text.startsWith('[')) {
		try {
			const parsed = JSON.parse(text) as unknown;
			if (Array.isArray(parsed)) return parsed;
		} catch {
			// Not JSON: treat it as a comma-separated list like any other text.
		}
	}
	return text.split(',').map((part) => part.trim());
}

/**
 * Every template parameter: non-empty, at most 32 UTF-8 bytes (§6.1). With the template's
 * `variables` (read from the Template Text the user typed in), also their number and each value's
 * format, so a wrong value is named before any call instead of failing with 1012004/1012005.
 */
export function templateParameters(values: unknown[], field: string, variables?: TemplateVariable[]): string[] {
	if (variables !== undefined && values.length !== variables.length) {
		const expected = variables.map(variableLabel).join(', ');
		throw new FieldError(
			field,
			`${field} has ${values.length} value${values.length === 1 ? '' : 's'}, but the template text has ${variables.length} variable${variables.length === 1 ? '' : 's'}${variables.length > 0 ? ` (${expected})` : ''}`,
			variables.length === 0
				? 'This template has no variables: remove the values, or check that the Template Text is the approved text of this Template ID.'
				: `Give one value per variable, in the order they appear in the template text: ${expected}. Check that the Template Text is the approved text of this Template ID.`,
		);
	}
	return values.map((value, index) => {
		const text = asText(value).trim();
		const variable = variables?.[index];
		const label = `${field}, value ${index + 1}${variable ? ` (${variableLabel(variable)})` : ''}`;
		if (text === '') {
			throw new FieldError(
				label,
				`${label} is empty`,
				'Every template variable needs a value. Remove the empty entry or fill it in; to send a value that contains a comma, use one input per value or an array expression.',
			);
		}
		if (variable !== undefined) {
			const violation = templateValueViolation(text, variable);
			if (violation !== undefined) {
				throw new FieldError(
					label,
					`${label} ${describeViolation(violation)}: ${quote(text)}`,
					violation.rule === 'bytes'
						? 'Each template value may have at most 32 bytes in UTF-8: a Chinese character counts 3 bytes, a Latin letter or digit 1 byte. Shorten the value.'
						: `The approved template decides what each variable takes: \${TXT_n} text of at most n characters, \${NUM_n} at most n digits, \${DATE} YYYY/MM/DD, \${TIME} HH:MM or HH:MM:SS; every value at most 32 bytes. Fix the value, or the Template Text if it is not the approved one.`,
				);
			}
			return text;
		}
		const bytes = utf8Length(text);
		if (bytes > TEMPLATE_VALUE_MAX_BYTES) {
			throw new FieldError(
				label,
				`${label} is too long: ${bytes} bytes (${quote(text)})`,
				'Each template value may have at most 32 bytes in UTF-8: a Chinese character counts 3 bytes, a Latin letter or digit 1 byte. Shorten the value.',
			);
		}
		return text;
	});
}

/** The variables of a Template Text, or undefined when none was given (then the platform checks). */
export function templateTextVariables(value: unknown, field: string): TemplateVariable[] | undefined {
	const text = asText(value).trim();
	if (text === '') return undefined;
	const parsed = parseTemplateText(text);
	if (!parsed.ok) {
		throw new FieldError(
			field,
			`${field} cannot be read: ${parsed.problem}`,
			'Paste the template text exactly as approved under Voice Template Management (语音模板管理), e.g. 尊敬的${TXT_8}，您的订单${NUM_6}已发货, or leave the field empty.',
		);
	}
	return parsed.variables;
}

/**
 * A voice verification code (§9): 1 to 8 of the digits 0-9. The code is never quoted back in a
 * message, as it is a one-time password.
 */
export function verificationCode(value: unknown, field: string): string {
	const code = asText(value).trim();
	const hint = `Enter the code to read out: 1 to ${VERIFY_CODE_MAX_DIGITS} digits (0-9), e.g. 482913. A code with letters cannot be read by the platform; send those by other means.`;
	if (code === '') throw new FieldError(field, `${field} is empty`, hint);
	if (!/^\d+$/.test(code)) {
		throw new FieldError(field, `${field} must contain only the digits 0-9 (it has ${code.length} characters, not all digits)`, hint);
	}
	if (!VERIFY_CODE_PATTERN.test(code)) {
		throw new FieldError(field, `${field} has ${code.length} digits, at most ${VERIFY_CODE_MAX_DIGITS} are allowed`, hint);
	}
	return code;
}

/** An integer within [min, max]; undefined when not set. */
export function integerInRange(value: unknown, field: string, min: number, max: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(asText(value).trim());
	if (!Number.isInteger(number) || number < min || number > max) {
		throw new FieldError(
			field,
			`${field} must be a whole number from ${min} to ${max}, not ${quote(value)}`,
			`Enter a whole number between ${min} and ${max}.`,
		);
	}
	return number;
}

/** One of the allowed option values; undefined when not set. */
export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text = asText(value).trim();
	if (!(allowed as readonly string[]).includes(text)) {
		throw new FieldError(
			field,
			`${field} must be one of ${allowed.join(', ')}, not ${quote(text)}`,
			`Pick one of: ${allowed.join(', ')}.`,
		);
	}
	return text as T;
}

/** A boolean the user chose, as the API's string form; undefined when not set. */
export function booleanString(value: unknown, field: string): 'true' | 'false' | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (value === true || value === 'true') return 'true';
	if (value === false || value === 'false') return 'false';
	throw new FieldError(field, `${field} must be true or false, not ${quote(value)}`, 'Turn the switch on or off.');
}

/** DTMF digits that make a segment replay: 1–32 of `0-9 * #` (§6.1). */
export function replayDigits(value: unknown, field: string): string {
	const digits = asText(value).trim();
	if (!DTMF_KEYS_PATTERN.test(digits)) {
		throw new FieldError(
			field,
			digits === '' ? `${field} is empty` : `${field} is not a valid key sequence: ${quote(digits)}`,
			'Enter the keys that replay the segment: 1 to 32 of 0-9, * and #, e.g. 1 for "press 1 to hear this again".',
		);
	}
	return digits;
}

/** A non-empty text up to `max` characters (session IDs, record file names and domains). */
export function requiredText(value: unknown, field: string, max: number, hint: string): string {
	const text = asText(value).trim();
	if (text === '' || text.length > max) {
		throw new FieldError(
			field,
			text === '' ? `${field} is empty` : `${field} is too long (${text.length} characters, at most ${max})`,
			hint,
		);
	}
	return text;
}

/** Throws when `dependent` is set but its prerequisite is not (e.g. Pre-Voice without Play Pre-Voice). */
export function requireSetting(condition: boolean, field: string, message: string, hint: string): void {
	if (!condition) throw new FieldError(field, message, hint);
}

/** One play segment of a voice notification, as the API wants it (§6.1 PlayContentInfo). */
export interface PlaySegment {
	notifyVoice?: string;
	templateId?: string;
	templateParas?: string[];
	collectInd?: number;
	replayAfterCollection?: 'true' | 'false';
	collectContentTriggerReplaying?: string;
	[key: string]: string | number | string[] | undefined;
}

export interface SegmentInput {
	type?: unknown;
	voiceFile?: unknown;
	templateId?: unknown;
	/** Values typed one per input. */
	parameterValues?: unknown[];
	/** Values from a list or expression. */
	parameterList?: unknown;
	/** The approved template text, when the user gave it: its variables check the values. */
	templateText?: unknown;
	collectDigits?: unknown;
	replayAfterCollection?: unknown;
	replayDigits?: unknown;
}

/** Validates 1–5 segments (file xor template, parameters, DTMF collection) into `playInfoList`. */
export function playSegments(inputs: SegmentInput[]): PlaySegment[] {
	if (inputs.length < 1 || inputs.length > PLAY_SEGMENTS_MAX) {
		throw new FieldError(
			'Play Segments',
			inputs.length === 0 ? 'Play Segments is empty' : `Play Segments has ${inputs.length} segments`,
			'Add 1 to 5 segments: each plays one approved voice file or one approved TTS template.',
		);
	}
	return inputs.map((input, index) => {
		const name = `Segment ${index + 1}`;
		const segment: PlaySegment = {};
		const type = asText(input.type ?? 'template');
		if (type === 'file') {
			segment.notifyVoice = voiceFileName(input.voiceFile, `${name}: Voice File`);
		} else if (type === 'template') {
			segment.templateId = templateId(input.templateId, `${name}: Template ID`);
			const single = (input.parameterValues ?? []).flatMap((value) => (Array.isArray(value) ? value : [value]));
			const list = parseParameterList(input.parameterList);
			if (single.length > 0 && list.length > 0) {
				throw new FieldError(
					`${name}: Template Parameters`,
					`${name} has both Template Parameters and a Template Parameter List`,
					'Use one of the two: one input per value, or a list (array or comma-separated text). Remove the other so the order of the values is unambiguous.',
				);
			}
			const values = single.length > 0 ? single : list;
			const variables = templateTextVariables(input.templateText, `${name}: Template Text`);
			if (values.length > 0 || (variables !== undefined && variables.length > 0)) {
				segment.templateParas = templateParameters(values, `${name}: Template Parameters`, variables);
			}
		} else {
			throw new FieldError(
				`${name}: Audio Source`,
				`${name}: Audio Source must be "file" or "template", not ${quote(type)}`,
				'Choose Voice File or TTS Template.',
			);
		}
		const collect = integerInRange(input.collectDigits, `${name}: Collect Digits`, 0, COLLECT_DIGITS_MAX);
		if (collect !== undefined && collect > 0) segment.collectInd = collect;
		const replay = booleanString(input.replayAfterCollection, `${name}: Replay After Collection`);
		if (replay === 'true') {
			requireSetting(
				collect !== undefined && collect > 0,
				`${name}: Replay After Collection`,
				`${name}: Replay After Collection needs Collect Digits above 0`,
				'Set Collect Digits to the number of keys to collect (e.g. 1), or turn Replay After Collection off.',
			);
			segment.replayAfterCollection = 'true';
			if (asText(input.replayDigits).trim() !== '') {
				segment.collectContentTriggerReplaying = replayDigits(input.replayDigits, `${name}: Replay Trigger Digits`);
			}
		}
		return segment;
	});
}
