/**
 * Emulator configuration: the types, the defaults, merging a patch and checking the result. The
 * CLI (cli.ts) reads it from a JSON file plus flags.
 *
 * Every simulated delay is expressed in simulated seconds and multiplied by `timeScale` to get the
 * real wait, so tests can run a 30-second call in 30 ms while the CDR times still read 30 s.
 */
import { ENDPOINTS, type EndpointName } from '../nodes/shared/platform/endpoints';
import { DTMF_KEYS_PATTERN, PHONE_NUMBER_PATTERN } from '../nodes/shared/platform/fields';
import { parseTemplateText } from '../nodes/shared/platform/templates';

/** The five platform endpoints, as named in fault injection and the request log. */
export type { EndpointName } from '../nodes/shared/platform/endpoints';
export const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];

/**
 * What the scripted person does when the platform dials their number (the cause), not what the call
 * came to: that is the trigger's `CallOutcome` (nodes/HuaweiVoiceCallTrigger), read from the pushes.
 * `manual` rings until the control API answers or
 * hangs up (bounded by `manualTimeoutMs`); once answered it talks until hung up, and it waits for
 * digits pressed through the control API.
 */
export type ScriptOutcome =
	| 'answer'
	| 'noAnswer'
	| 'busy'
	| 'powerOff'
	| 'reject'
	| 'invalidNumber'
	| 'manual';

export const SCRIPT_OUTCOMES: ScriptOutcome[] = [
	'answer',
	'noAnswer',
	'busy',
	'powerOff',
	'reject',
	'invalidNumber',
	'manual',
];

/** The script of one dialled number (a callback leg, or the callee of a notification/verification). */
export interface CallScript {
	outcome: ScriptOutcome;
	/** Seconds between `alerting` and answer (or the give-up for noAnswer/reject). */
	ringSeconds: number;
	/** Callback: talk time after B answers (read from B's script). Ignored for manual calls. */
	talkSeconds: number;
	/**
	 * Notification: the digits pressed at each collection, in order (replays count as new
	 * collections). `''` or a missing entry means no input, which ends the call with 8008.
	 */
	digits: string[];
	/** Callback: who hangs up at the end of the talk (B's script decides). */
	hangupBy: 'caller' | 'callee';
}

/** Fault injection for one endpoint. */
export interface FaultSpec {
	/** Answer with this resultcode (its resultdesc and HTTP status from the codes table) and do nothing else. */
	resultCode?: string;
	/**
	 * With `resultCode`: answer this resultdesc and HTTP status instead of the table's, for a reading
	 * the emulator never gives by itself, e.g. the flow-control text of 1010010 (docs/platform.md §17.4).
	 */
	resultDesc?: string;
	httpStatus?: number;
	/** Wait this many real milliseconds before handling the request. */
	delayMs?: number;
	/**
	 * Handle the request normally (the call IS placed), then hold the answer this many real
	 * milliseconds: past the client's timeout, the answer is lost although the platform acted.
	 */
	slowAnswerMs?: number;
	/**
	 * Answer with this HTTP status and an HTML error page, without a result code: a gateway in front
	 * of the platform. `afterAccept`: the platform did the work first (a 504 after the call was
	 * placed); otherwise nothing is done (a 502/503 that never reached the platform).
	 */
	gatewayError?: { status: number; afterAccept?: boolean };
	/**
	 * `dropBeforeAccept`: read the request, then destroy the socket; nothing is done.
	 * `dropAfterAccept`: handle the request normally (the call IS placed), then destroy the socket
	 * instead of answering: "request accepted, response lost".
	 */
	drop?: 'dropBeforeAccept' | 'dropAfterAccept';
	/** Handle the request normally, then answer 200 with a truncated, non-JSON body. */
	malformedBody?: boolean;
	/** How many requests the fault affects; absent = every request. */
	times?: number;
}

/**
 * The kinds of random faults (`randomFaults`), one per request at most:
 * - `resetBeforeAccept` / `resetAfterAccept`: the connection is reset; nothing done / the call placed;
 * - `slowAnswer`: the call is placed, the answer held `slowAnswerMs` (past the client's timeout);
 * - `serverError`: 500 with a JSON result code (1010001 or 1020002), nothing done;
 * - `gatewayError`: 502 or 503 with an HTML page, nothing done; `gatewayTimeout`: 504 with an HTML
 *   page after the call was placed;
 * - `malformedJson`: the call is placed, 200 with a truncated body;
 * - `flowControl`: 1011006, 1010009 or the flow-control reading of 1010010; `portLimit`: 1020165;
 * - `authFailure`: 1010010 (invalid digest), 1010013, a 1023xxx header code or 1020176.
 */
export type FaultKind =
	| 'resetBeforeAccept'
	| 'resetAfterAccept'
	| 'slowAnswer'
	| 'serverError'
	| 'gatewayError'
	| 'gatewayTimeout'
	| 'malformedJson'
	| 'flowControl'
	| 'portLimit'
	| 'authFailure';

export const FAULT_KINDS: readonly FaultKind[] = [
	'resetBeforeAccept',
	'resetAfterAccept',
	'slowAnswer',
	'serverError',
	'gatewayError',
	'gatewayTimeout',
	'malformedJson',
	'flowControl',
	'portLimit',
	'authFailure',
];

/** Seeded random faults: every request of the chosen endpoints draws at most one fault kind. */
export interface RandomFaults {
	/**
	 * Seed of the generator. The n-th request of the chosen endpoints always draws the same, so one
	 * seed and one order of requests give the same faults. Setting `randomFaults` restarts it.
	 */
	seed: number;
	/** Probability per request of each kind (0–1, summing to at most 1); missing kinds never happen. */
	rates: Partial<Record<FaultKind, number>>;
	/** Which endpoints draw faults (default: the call-placing ones, click2Call, callNotify and callVerify). */
	endpoints?: EndpointName[];
	/** `slowAnswer`: how long the answer is held, real ms (default 5000). */
	slowAnswerMs?: number;
}

/** Simulated durations (seconds) of the steps no script controls. */
export interface TimingConfig {
	/** callout → alerting, and callout → failure for busy/powerOff/invalidNumber. */
	calloutToAlertSeconds: number;
	/** Callback: preVoice playback to A before B is dialled (when playPreVoice is "true"). */
	preVoiceSeconds: number;
	/** Notification/verification: playback time of one segment or one verify-code reading. */
	playSeconds: number;
	/** Notification: time the scripted user takes to press the digits after playback. */
	dtmfSeconds: number;
	/** Notification: no input within this time after playback → 8008 (documented: 5 s). */
	collectTimeoutSeconds: number;
}

export interface EmulatorConfig {
	appKey: string;
	appSecret: string;
	spId: string;
	/** Reported as `bindNum` in CDRs when a request has no bindNbr. */
	bindNbr: string;
	/** The app's fixed numbers: the only accepted displayNbr/displayCalleeNbr values. */
	displayNumbers: string[];
	/** Approved voice files (notifyVoice, preVoice, waitVoice, lastMinVoice, recordHintTone, preTone, posTone). */
	voiceFiles: string[];
	/**
	 * Approved TTS templates: id → the template text as approved in the console, e.g.
	 * `尊敬的${TXT_8}，您的订单${NUM_6}已发货`. Its variables, in order, are what `templateParas` must
	 * fill (nodes/shared/platform/templates.ts reads them, for the node too).
	 */
	templates: Record<string, string>;
	/** Template ids that exist but are not approved (→ 1012002). */
	unapprovedTemplates: string[];
	/** Whether the app has the recording function (recordFlag "true" otherwise → 1012012). */
	recordingEnabled: boolean;
	/** Concurrent call ports; a call holds one from acceptance to disconnect. */
	ports: number;
	/** Scripts per dialled number (E.164 with '+'); missing fields come from defaultScript. */
	scripts: Record<string, Partial<CallScript>>;
	defaultScript: CallScript;
	timing: TimingConfig;
	/** Multiplies every simulated delay (1 = real time, 0.001 = a second lasts 1 ms). Must be > 0. */
	timeScale: number;
	/** `Created` is accepted within ± this many seconds of UTC now or of UTC+8 now. */
	clockWindowSeconds: number;
	/** Push signing (§8.2): none, HMAC(url\nnonce\ncreated), or HMAC(url+nonce+created). */
	pushSigning: 'none' | 'newline' | 'concat';
	/** Clock reading of the push `Created` (the notification pages say Beijing time with a Z). */
	pushCreatedTimezone: 'utc' | 'utc+8';
	/** CDR retry delays (ms before retry n), each multiplied by timeScale. Default 6 × 1 h. */
	cdrRetryScheduleMs: number[];
	/** CDRs with the same callEndTime are held this many real ms after the last one arrived, then pushed together. */
	cdrMergeWindowMs: number;
	/** Real ms before a push attempt counts as failed. */
	pushTimeoutMs: number;
	/** App-level (console) status URL, plain text; used when a request has no statusUrl. */
	statusUrl: string | null;
	/** App-level (console) CDR URL, plain text; used when a request has no feeUrl. */
	feeUrl: string | null;
	faults: Partial<Record<EndpointName, FaultSpec>>;
	/** Seeded random faults on top of `faults` (a fixed fault of an endpoint wins); null = none. */
	randomFaults: RandomFaults | null;
	/** Real ms a manual call waits for the control API before it gives up (ringing → noAnswer, talking → hang-up, collecting → 8008). */
	manualTimeoutMs: number;
	/** Size in bytes of every served recording WAV (header included). */
	recordingBytes: number;
	/** Validity of a recording download URL (wall-clock seconds). */
	recordingUrlTtlSeconds: number;
	/** recordDomain written in CDRs and required by the record API; null = the emulator's host:port. */
	recordDomain: string | null;
	recordBucketName: string;
	/** Extra recording names that exist without a call (benchmarks, demos). */
	recordings: string[];
	/** `hostName` of CDRs and the domain part of sessionIds. */
	hostName: string;
	/** When set (ISO time), every call's simulated timeline starts at this instant instead of now: deterministic callEndTime. */
	simulatedStartTime: string | null;
	/** Print one line per API request (CLI). */
	logRequests: boolean;
}

// Fixed dev credentials so demos and docs can be reproduced; they only ever open this emulator.
const EMULATOR_APP_IDENTIFIER = 'emulatorAppKey0000000000000001';
const EMULATOR_DEV_SIGNING_VALUE = 'emulatorDevSecretChangeMe00001';

export const DEFAULT_SCRIPT: CallScript = {
	outcome: 'answer',
	ringSeconds: 3,
	talkSeconds: 20,
	digits: ['1'],
	hangupBy: 'callee',
};

/**
 * The emulator's approved templates. The ids and their variables are relied on by the examples and
 * tests (tpl-notice-01: TXT_20 + NUM_6, tpl-meeting-01: DATE + TIME, tpl-static-01: none);
 * tpl-order-01 is the documented example of a template text (docs/platform.md §6.1).
 */
export const DEFAULT_TEMPLATES: Readonly<Record<string, string>> = {
	'tpl-notice-01': '您好，${TXT_20}，您的通知编号为${NUM_6}，请及时处理。',
	'tpl-meeting-01': '您预约的会议将于${DATE}，${TIME}开始，请准时参加。',
	'tpl-static-01': '您好，您的快递已送达，请及时领取。',
	'tpl-order-01': '尊敬的${TXT_8}，您的订单${NUM_6}已发货',
};

export function defaultConfig(): EmulatorConfig {
	return {
		appKey: EMULATOR_APP_IDENTIFIER,
		appSecret: EMULATOR_DEV_SIGNING_VALUE,
		spId: 'Emulator_SP_01',
		bindNbr: '+8675520000000',
		displayNumbers: ['+8675528000001', '+8675528000002'],
		voiceFiles: [
			'notifyvoice.wav',
			'prevoice.wav',
			'waitvoice.wav',
			'lastmin.wav',
			'recordhint.wav',
			'testvoice.wav',
		],
		templates: { ...DEFAULT_TEMPLATES },
		unapprovedTemplates: ['tpl-pending-01'],
		recordingEnabled: true,
		ports: 10,
		scripts: {},
		defaultScript: { ...DEFAULT_SCRIPT, digits: [...DEFAULT_SCRIPT.digits] },
		timing: {
			calloutToAlertSeconds: 1,
			preVoiceSeconds: 2,
			playSeconds: 3,
			dtmfSeconds: 1,
			collectTimeoutSeconds: 5,
		},
		timeScale: 1,
		clockWindowSeconds: 900,
		pushSigning: 'newline',
		pushCreatedTimezone: 'utc+8',
		cdrRetryScheduleMs: [3600000, 3600000, 3600000, 3600000, 3600000, 3600000],
		cdrMergeWindowMs: 100,
		pushTimeoutMs: 10000,
		statusUrl: null,
		feeUrl: null,
		faults: {},
		randomFaults: null,
		manualTimeoutMs: 120000,
		recordingBytes: 32058,
		recordingUrlTtlSeconds: 7 * 24 * 3600,
		recordDomain: null,
		recordBucketName: 'emulator-record-bucket',
		recordings: [],
		hostName: 'callenabler245.huaweicaas.com',
		simulatedStartTime: null,
		logRequests: false,
	};
}

/** Applies a partial config: top-level keys replace, except `timing` and `defaultScript` which merge. */
export function mergeConfig(target: EmulatorConfig, patch: Partial<EmulatorConfig>): EmulatorConfig {
	for (const [key, value] of Object.entries(patch) as Array<[keyof EmulatorConfig, unknown]>) {
		if (value === undefined) continue;
		if (key === 'timing') {
			target.timing = { ...target.timing, ...(value as Partial<TimingConfig>) };
		} else if (key === 'defaultScript') {
			target.defaultScript = { ...target.defaultScript, ...(value as Partial<CallScript>) };
		} else {
			(target as unknown as Record<string, unknown>)[key] = value;
		}
	}
	checkConfig(target);
	return target;
}

const SCRIPT_KEYS = ['outcome', 'ringSeconds', 'talkSeconds', 'digits', 'hangupBy'];

/**
 * One call script, complete (`defaultScript`) or partial (a number's own entries). The console's
 * script editor relies on these messages: they name the field and say what is allowed.
 */
function checkScript(name: string, script: Partial<CallScript>, complete: boolean): void {
	if (typeof script !== 'object' || script === null || Array.isArray(script)) throw new Error(`${name} must be an object`);
	for (const key of Object.keys(script)) {
		if (!SCRIPT_KEYS.includes(key)) throw new Error(`${name} has an unknown field "${key}" (allowed: ${SCRIPT_KEYS.join(', ')})`);
	}
	const has = (key: keyof CallScript): boolean => complete || script[key] !== undefined;
	if (has('outcome') && !SCRIPT_OUTCOMES.includes(script.outcome as ScriptOutcome)) {
		throw new Error(`${name}.outcome must be one of ${SCRIPT_OUTCOMES.join(', ')}`);
	}
	for (const key of ['ringSeconds', 'talkSeconds'] as const) {
		const value = script[key];
		if (has(key) && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
			throw new Error(`${name}.${key} must be a number of seconds >= 0`);
		}
	}
	if (has('digits')) {
		const digits = script.digits;
		if (!Array.isArray(digits) || digits.some((entry) => typeof entry !== 'string' || (entry !== '' && !DTMF_KEYS_PATTERN.test(entry)))) {
			throw new Error(`${name}.digits must be a list with one entry per collection: 1 to 32 of 0-9, * and #, or "" for no input`);
		}
	}
	if (has('hangupBy') && script.hangupBy !== 'caller' && script.hangupBy !== 'callee') {
		throw new Error(`${name}.hangupBy must be caller or callee`);
	}
}

function checkRandomFaults(random: RandomFaults | null): void {
	if (random === null) return;
	if (typeof random !== 'object' || Array.isArray(random)) throw new Error('randomFaults must be an object or null');
	if (!Number.isInteger(random.seed)) throw new Error('randomFaults.seed must be an integer');
	if (typeof random.rates !== 'object' || random.rates === null) throw new Error('randomFaults.rates must be an object: fault kind → probability');
	let sum = 0;
	for (const [kind, rate] of Object.entries(random.rates)) {
		if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`randomFaults.rates: unknown kind "${kind}" (known: ${FAULT_KINDS.join(', ')})`);
		if (!(typeof rate === 'number' && rate >= 0 && rate <= 1)) throw new Error(`randomFaults.rates.${kind} must be a probability from 0 to 1`);
		sum += rate;
	}
	if (sum > 1 + 1e-9) throw new Error('randomFaults.rates must sum to at most 1 (one fault per request)');
	for (const endpoint of random.endpoints ?? []) {
		if (!ENDPOINT_NAMES.includes(endpoint)) throw new Error(`randomFaults.endpoints: unknown endpoint "${String(endpoint)}"`);
	}
	if (random.slowAnswerMs !== undefined && !(random.slowAnswerMs >= 0)) throw new Error('randomFaults.slowAnswerMs must be >= 0');
}

/** Rejects values that would make the simulation meaningless (the emulator throws at start or on PATCH). */
export function checkConfig(config: EmulatorConfig): void {
	if (!(typeof config.timeScale === 'number' && config.timeScale > 0)) {
		throw new Error('timeScale must be a number > 0');
	}
	if (!Number.isInteger(config.ports) || config.ports < 0) {
		throw new Error('ports must be an integer >= 0');
	}
	if (!['none', 'newline', 'concat'].includes(config.pushSigning)) {
		throw new Error('pushSigning must be none, newline or concat');
	}
	if (!Array.isArray(config.cdrRetryScheduleMs) || config.cdrRetryScheduleMs.some((ms) => !(ms >= 0))) {
		throw new Error('cdrRetryScheduleMs must be a list of non-negative numbers');
	}
	checkScript('defaultScript', config.defaultScript, true);
	if (typeof config.scripts !== 'object' || config.scripts === null || Array.isArray(config.scripts)) {
		throw new Error('scripts must be an object: dialled number → script');
	}
	for (const [number, script] of Object.entries(config.scripts)) {
		if (!PHONE_NUMBER_PATTERN.test(number)) throw new Error(`scripts: "${number}" is not a number like +8613800000001`);
		checkScript(`scripts["${number}"]`, script, false);
	}
	if (typeof config.templates !== 'object' || config.templates === null || Array.isArray(config.templates)) {
		throw new Error('templates must be an object: template id → approved template text');
	}
	for (const [id, text] of Object.entries(config.templates)) {
		if (typeof text !== 'string') throw new Error(`templates["${id}"] must be the template text, e.g. "尊敬的\${TXT_8}，您的订单\${NUM_6}已发货"`);
		const parsed = parseTemplateText(text);
		if (!parsed.ok) throw new Error(`templates["${id}"]: ${parsed.problem}`);
	}
	checkRandomFaults(config.randomFaults);
	if (!(config.recordingBytes >= 58)) throw new Error('recordingBytes must be >= 58 (the WAV header)');
	if (config.simulatedStartTime !== null && Number.isNaN(Date.parse(config.simulatedStartTime))) {
		throw new Error('simulatedStartTime must be an ISO date-time or null');
	}
}

/** The script for a dialled number: its own entries over the default script. */
export function scriptFor(config: EmulatorConfig, number: string): CallScript {
	const own = config.scripts[number] ?? {};
	return { ...config.defaultScript, ...own, digits: [...(own.digits ?? config.defaultScript.digits)] };
}
