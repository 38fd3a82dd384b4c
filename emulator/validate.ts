/**
 * Request-body validation (docs/platform.md §4.1, §5, §6.1, §9, §13.3), with the platform's field
 * rules from nodes/shared/platform/fields.ts and the template rules from templates.ts (the node
 * validates with the same ones; both are tested against test/fixtures/platform-rules.json and
 * template-rules.json). Each check returns the first failure as
 * a resultcode plus the text that makes the resultdesc specific: for 1010002 a sentence appended to
 * "Invalid request." that names the field, for 1012005 the `%s` filler.
 *
 * Unknown fields are ignored, as the platform's JSON binding does. Voice files that are not in the
 * approved list are rejected here with 1010002 (the platform would fail the call with 8006 later;
 * failing early is more useful while building a client).
 */
import {
	DTMF_KEYS_PATTERN,
	MAX_DURATION_MINUTES,
	NOTIFY_URL_MAX_ENCODED_LENGTH,
	NOTIFY_URL_PATTERN,
	PHONE_NUMBER_PATTERN,
	PLAY_SEGMENTS_MAX,
	TEMPLATE_ID_MAX_LENGTH,
	userDataViolation,
	VERIFY_CODE_PATTERN,
	VERIFY_LANGUAGE_TYPE_MAX,
	VERIFY_TIMES_MAX,
	VOICE_FILE_NAME_PATTERN,
} from '../nodes/shared/platform/fields';
import { parseTemplateText, valueFitsVariable, type TemplateVariable } from '../nodes/shared/platform/templates';
import type { EmulatorConfig } from './config';

export interface ValidationFailure {
	code: string;
	/** 1010002: appended to "Invalid request."; 1012005: replaces `%s`. */
	detail?: string;
}

export type Body = Record<string, unknown>;

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const invalid = (detail: string): ValidationFailure => ({ code: '1010002', detail });

function isString(value: unknown): value is string {
	return typeof value === 'string';
}

/**
 * Decodes a base64 statusUrl/feeUrl; null when it is not a valid encoding of an allowed http(s) URL.
 * Written independently of the node's encoder (validation.ts `base64Encode`) on purpose, so that a
 * wrong encoding cannot pass its own test; both are checked against the documented example.
 */
export function decodeNotifyUrl(encoded: string): string | null {
	if (encoded.length < 1 || encoded.length > NOTIFY_URL_MAX_ENCODED_LENGTH || !BASE64_PATTERN.test(encoded)) return null;
	const bytes = Buffer.from(encoded, 'base64');
	const url = bytes.toString('utf8');
	if (Buffer.from(url, 'utf8').toString('base64') !== encoded) return null;
	if (!/^https?:\/\//.test(url) || !NOTIFY_URL_PATTERN.test(url)) return null;
	try {
		const parsed = new URL(url);
		if (parsed.hostname === '') return null;
	} catch {
		return null;
	}
	return url;
}

function checkNumber(body: Body, field: string, code: string, required: boolean): ValidationFailure | null {
	const value = body[field];
	if (value === undefined) return required ? invalid(`The ${field} is missing.`) : null;
	if (!isString(value) || !PHONE_NUMBER_PATTERN.test(value)) {
		return code === '1010002' ? invalid(`The number format is incorrect (${field}).`) : { code };
	}
	return null;
}

function checkDisplayNumber(body: Body, field: string, config: EmulatorConfig): ValidationFailure | null {
	const format = checkNumber(body, field, '1010023', true);
	if (format) return format;
	return config.displayNumbers.includes(body[field] as string) ? null : { code: '1010023' };
}

function checkStringBoolean(body: Body, field: string): ValidationFailure | null {
	const value = body[field];
	if (value === undefined) return null;
	// JSON booleans are rejected on purpose: the platform's fields are String enums "true"/"false".
	if (value !== 'true' && value !== 'false') {
		return invalid(`The ${field} must be the string "true" or "false".`);
	}
	return null;
}

function checkEnum(body: Body, field: string, allowed: string[]): ValidationFailure | null {
	const value = body[field];
	if (value === undefined) return null;
	if (!isString(value) || !allowed.includes(value)) {
		return invalid(`The ${field} must be one of ${allowed.join(', ')}.`);
	}
	return null;
}

function checkInteger(body: Body, field: string, min: number, max: number, required = false): ValidationFailure | null {
	const value = body[field];
	if (value === undefined) return required ? invalid(`The ${field} is missing.`) : null;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		return invalid(`The ${field} must be an integer from ${min} to ${max}.`);
	}
	return null;
}

function checkVoiceFile(body: Body, field: string, config: EmulatorConfig, label = field): ValidationFailure | null {
	const value = body[field];
	if (value === undefined) return null;
	if (!isString(value) || !VOICE_FILE_NAME_PATTERN.test(value)) {
		return invalid(`The ${label} file name is incorrect.`);
	}
	if (!config.voiceFiles.includes(value)) {
		return invalid(`The voice file ${value} of ${label} does not exist or is not approved.`);
	}
	return null;
}

function checkUserData(body: Body): ValidationFailure | null {
	const value = body.userData;
	if (value === undefined) return null;
	if (!isString(value)) return invalid('The userData must be a string.');
	switch (userDataViolation(value)) {
		case 'tooLong':
			return invalid('The userData is longer than 256 characters.');
		case 'braces':
			return invalid('The userData must not contain { or }.');
		case 'cjk':
			return invalid('The userData must not contain Chinese characters.');
		default:
			return null;
	}
}

function checkNotifyUrls(body: Body): ValidationFailure | null {
	for (const field of ['statusUrl', 'feeUrl']) {
		const value = body[field];
		if (value === undefined) continue;
		if (!isString(value) || decodeNotifyUrl(value) === null) {
			return invalid(`The ${field} is not a valid base64-encoded http(s) URL of at most 128 characters.`);
		}
	}
	return null;
}

function checkBindNbr(body: Body): ValidationFailure | null {
	return checkNumber(body, 'bindNbr', '1010002', false);
}

function first(...checks: Array<() => ValidationFailure | null>): ValidationFailure | null {
	for (const check of checks) {
		const failure = check();
		if (failure) return failure;
	}
	return null;
}

function checkRequired(body: Body, fields: string[]): ValidationFailure | null {
	for (const field of fields) {
		if (body[field] === undefined || body[field] === null || body[field] === '') {
			return invalid(`The ${field} is missing.`);
		}
	}
	return null;
}

export function validateClick2Call(body: Body, config: EmulatorConfig): ValidationFailure | null {
	return first(
		() => checkRequired(body, ['displayNbr', 'callerNbr', 'displayCalleeNbr', 'calleeNbr']),
		() => checkBindNbr(body),
		() => checkDisplayNumber(body, 'displayNbr', config),
		() => checkNumber(body, 'callerNbr', '1010024', true),
		() => checkDisplayNumber(body, 'displayCalleeNbr', config),
		() => checkNumber(body, 'calleeNbr', '1010002', true),
		() => checkInteger(body, 'maxDuration', 0, MAX_DURATION_MINUTES),
		() => checkVoiceFile(body, 'lastMinVoice', config),
		() => checkEnum(body, 'lastMinToUE', ['toa', 'tob', 'both']),
		() => checkStringBoolean(body, 'playPreVoice'),
		() => checkVoiceFile(body, 'preVoice', config),
		() => checkVoiceFile(body, 'waitVoice', config),
		() => checkEnum(body, 'calleeMedia', ['all', 'none', 'fail']),
		() => checkNotifyUrls(body),
		() => checkStringBoolean(body, 'recordFlag'),
		() => checkVoiceFile(body, 'recordHintTone', config),
		() => checkStringBoolean(body, 'partyTypeRequiredInDisconnect'),
		() => checkStringBoolean(body, 'returnIdlePort'),
		() => checkUserData(body),
		() => (body.recordFlag === 'true' && !config.recordingEnabled ? { code: '1012012' } : null),
	);
}

/**
 * The variables of an approved template, read from its text with the same parser the node uses
 * (the config check refused texts that do not parse); undefined for an unknown id.
 */
function templateVariables(config: EmulatorConfig, id: string): TemplateVariable[] | undefined {
	if (!Object.prototype.hasOwnProperty.call(config.templates, id)) return undefined;
	const parsed = parseTemplateText(config.templates[id]);
	return parsed.ok ? parsed.variables : [];
}

function validateSegment(segment: unknown, index: number, config: EmulatorConfig): ValidationFailure | null {
	const where = `playInfoList[${index}]`;
	if (typeof segment !== 'object' || segment === null || Array.isArray(segment)) {
		return invalid(`The ${where} must be an object.`);
	}
	const seg = segment as Body;
	const hasVoice = seg.notifyVoice !== undefined;
	const hasTemplate = seg.templateId !== undefined;
	if (hasVoice === hasTemplate) {
		return invalid(`The ${where} needs exactly one of notifyVoice and templateId.`);
	}
	if (hasVoice) {
		const failure = checkVoiceFile(seg, 'notifyVoice', config, `${where}.notifyVoice`);
		if (failure) return failure;
	} else {
		const id = seg.templateId;
		if (!isString(id) || id.length < 1 || id.length > TEMPLATE_ID_MAX_LENGTH) {
			return invalid(`The ${where}.templateId must be a string of 1 to 32 characters.`);
		}
		if (config.unapprovedTemplates.includes(id)) return { code: '1012002' };
		const variables = templateVariables(config, id);
		if (variables === undefined) return { code: '1012003' };
		const paras = seg.templateParas ?? [];
		if (!Array.isArray(paras) || paras.some((p) => !isString(p))) {
			return invalid(`The ${where}.templateParas must be a list of strings.`);
		}
		if (paras.length !== variables.length) return { code: '1012004' };
		for (let i = 0; i < paras.length; i++) {
			if (!valueFitsVariable(paras[i] as string, variables[i])) {
				return { code: '1012005', detail: `templateParas[${i}] (${variables[i].name})` };
			}
		}
	}
	const collect = checkInteger(seg, 'collectInd', 0, 32);
	if (collect) return invalid(`The ${where}.collectInd must be an integer from 0 to 32.`);
	const replay = checkStringBoolean(seg, 'replayAfterCollection');
	if (replay) return invalid(`The ${where}.replayAfterCollection must be the string "true" or "false".`);
	if (seg.replayAfterCollection === 'true') {
		if (!seg.collectInd) {
			return invalid(`The ${where}.replayAfterCollection needs collectInd from 1 to 32.`);
		}
		const trigger = seg.collectContentTriggerReplaying;
		if (!isString(trigger) || !DTMF_KEYS_PATTERN.test(trigger)) {
			return invalid(`The ${where}.collectContentTriggerReplaying must be 1 to 32 digits when replayAfterCollection is "true".`);
		}
	} else if (seg.collectContentTriggerReplaying !== undefined && !isString(seg.collectContentTriggerReplaying)) {
		return invalid(`The ${where}.collectContentTriggerReplaying must be a string.`);
	}
	return null;
}

export function validateCallNotify(body: Body, config: EmulatorConfig): ValidationFailure | null {
	return first(
		() => checkRequired(body, ['displayNbr', 'calleeNbr', 'playInfoList']),
		() => checkBindNbr(body),
		() => checkDisplayNumber(body, 'displayNbr', config),
		() => checkNumber(body, 'calleeNbr', '1010002', true),
		() => {
			const list = body.playInfoList;
			if (!Array.isArray(list) || list.length < 1 || list.length > PLAY_SEGMENTS_MAX) {
				return invalid('The playInfoList must be a list of 1 to 5 segments.');
			}
			for (let i = 0; i < list.length; i++) {
				const failure = validateSegment(list[i], i, config);
				if (failure) return failure;
			}
			return null;
		},
		() => checkNotifyUrls(body),
		() => checkStringBoolean(body, 'returnIdlePort'),
		() => checkUserData(body),
	);
}

export function validateCallVerify(body: Body, config: EmulatorConfig): ValidationFailure | null {
	return first(
		() => checkRequired(body, ['displayNbr', 'calleeNbr', 'verifyCode']),
		() => checkBindNbr(body),
		() => checkDisplayNumber(body, 'displayNbr', config),
		() => checkNumber(body, 'calleeNbr', '1010002', true),
		() => (isString(body.verifyCode) && VERIFY_CODE_PATTERN.test(body.verifyCode) ? null : invalid('The verifyCode must be 1 to 8 digits.')),
		() => checkInteger(body, 'languageType', 0, VERIFY_LANGUAGE_TYPE_MAX),
		() => checkVoiceFile(body, 'preTone', config),
		() => checkVoiceFile(body, 'posTone', config),
		() => checkInteger(body, 'times', 0, VERIFY_TIMES_MAX),
		() => checkNotifyUrls(body),
		() => checkStringBoolean(body, 'returnIdlePort'),
		() => checkUserData(body),
	);
}

export function validateCallStop(body: Body): ValidationFailure | null {
	const id = body.sessionid;
	if (id === undefined) {
		return invalid(
			body.sessionId !== undefined
				? 'The sessionid is missing (the key is all lower-case: sessionid).'
				: 'The sessionid is missing.',
		);
	}
	if (!isString(id) || id.length < 1 || id.length > 256) return invalid('The sessionid must be a string of 1 to 256 characters.');
	if (body.signal === undefined) return invalid('The signal is missing.');
	if (body.signal !== 'call_stop') return invalid('The signal must be call_stop.');
	return null;
}
