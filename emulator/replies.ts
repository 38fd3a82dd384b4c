/**
 * What the emulator answers for each result code: the platform's English `resultdesc`, exactly as
 * documented (docs/platform.md §3.4, §10), and the HTTP status. The per-API tables pin the status of
 * a few codes only (DOCUMENTED_HTTP_STATUS_CODES); for every other code the real status is
 * undocumented (§17.12), so the emulator uses 403 for client or business errors and 503 for "not
 * accepted now, try later" (flow control, quotas, concurrency). The node never reads these: it keys
 * on `resultcode` (nodes/shared/codes/resultCodes.ts, whose codes test/emulator/replies.test.ts
 * holds equal to these).
 */
import { lookupResultCode } from '../nodes/shared/codes';

/** resultcode → [HTTP status, resultdesc]. */
export const RESULT_REPLIES: Readonly<Record<string, readonly [number, string]>> = Object.freeze({
	'0': [200, 'Success.'],
	'1010001': [500, 'Internal system error.'],
	'1010002': [403, 'Invalid request.'],
	'1010003': [403, 'Invalid app_key.'],
	'1010004': [403, 'The access token has expired.'],
	'1010006': [404, 'Invalid Rest API.'],
	'1010007': [403, 'The ativeState of User is not ACTIVATING.'],
	'1010008': [403, 'The status of the app_key is unavailable.'],
	'1010009': [503, 'No more APIs can be invoked.'],
	'1010010': [401, 'Invalid digest.'],
	'1010011': [403, 'The app is not allowed to access a commercial address.'],
	'1010013': [401, 'Time out limit.'],
	'1010021': [403, 'Application unavailable.'],
	'1010023': [403, 'Invalid display number.'],
	'1010024': [403, 'Invalid caller number.'],
	'1010040': [403, 'The app_key is not allowed to invoke the API.'],
	'1011006': [503, 'Under traffic control status.'],
	'1012001': [403, 'Resource of number is not to be applied.'],
	'1012002': [403, 'The template ID is not approved.'],
	'1012003': [403, 'The template ID does not exist.'],
	'1012004': [403, 'The number of templateParas does not match the template.'],
	'1012005': [403, '%s of templateParas does not meet template requirements.'],
	'1012006': [403, 'The service number is not applied.'],
	'1012012': [403, 'Application does not open recording function.'],
	'1013001': [403, 'Calls exceed the SP limit.'],
	'1013002': [403, 'Calls exceed the APP limit.'],
	'1013003': [403, 'Calls exceed the display number limit.'],
	'1013112': [403, 'Call frequency restricted.'],
	'1013113': [403, 'Call frequency restricted.'],
	'1013114': [403, 'Call frequency restricted.'],
	'1013115': [403, 'Call frequency restricted.'],
	'1013116': [403, 'Caller call frequency restricted.'],
	'1013117': [403, 'Callee call frequency restricted.'],
	'1013118': [403, 'Service number call frequency restricted.'],
	'1013119': [403, 'Service number suspend.'],
	'1013120': [403, 'Ip address is null.'],
	'1013121': [403, 'Call black time forbidden.'],
	'1013122': [403, 'Sub enterprise is suspended.'],
	'1020001': [500, 'Parameter error.'],
	'1020002': [500, 'Internal error.'],
	'1020003': [403, 'Parameter error.'],
	'1020150': [403, 'The app_key is unavailable.'],
	'1020151': [403, 'The app_key is not allowed to make calls.'],
	'1020165': [503, 'The appkey call port of using exceeds the limited.'],
	'1020166': [403, 'The app client ip is not in ip white list.'],
	'1020168': [403, 'The call is rejected because of the login IP.'],
	'1020171': [403, 'The login IP is in the blacklist.'],
	'1020176': [403, 'Authentication failed, try again later.'],
	'1023006': [400, 'Authorization not contained in the HTTP header.'],
	'1023007': [400, 'realm not contained in Authorization.'],
	'1023008': [400, 'profile not contained in Authorization.'],
	'1023009': [400, 'The value of realm in Authorization must be SDP.'],
	'1023010': [400, 'The value of profile in Authorization must be UsernameToken.'],
	'1023011': [400, 'The value of type in Authorization must be app_key.'],
	'1023012': [400, 'type not contained in Authorization.'],
	'1023013': [400, 'HTTP header not found X-WSSE field.'],
	'1023026': [400, 'UserName not contained in X-WSSE.'],
	'1023027': [400, 'Nonce not contained in X-WSSE.'],
	'1023028': [400, 'Created not contained in X-WSSE.'],
	'1023029': [400, 'PasswordDigest not contained in X-WSSE.'],
	'1023033': [400, 'HTTP header not found X-AKSK field.'],
	'1023034': [400, 'UserName not contained in X-AKSK.'],
	'1023035': [400, 'Nonce not contained in X-AKSK.'],
	'1023036': [400, 'Created not contained in X-AKSK.'],
	'1023037': [400, 'PasswordDigest not contained in X-AKSK.'],
	'1023038': [400, 'UsernameToken not contained in X-AKSK.'],
});

/**
 * The codes whose HTTP status the platform's own per-API tables state (docs/platform.md §3.4, §10.1). Every
 * other status in RESULT_REPLIES is the emulator's choice (see above); docs/platform.md marks the
 * difference.
 */
export const DOCUMENTED_HTTP_STATUS_CODES: readonly string[] = Object.freeze([
	'0',
	'1023006',
	'1023007',
	'1023008',
	'1023009',
	'1023010',
	'1023011',
	'1023012',
	'1023033',
	'1023034',
	'1023035',
	'1023036',
	'1023037',
	'1023038',
	'1010010',
	'1010013',
	'1010002',
	'1010001',
	'1020001',
	'1020002',
]);

/** The answer for an unknown or expired recording (the real code is undocumented, §7, §13.8). */
export const RECORD_NOT_FOUND: { resultcode: string; resultdesc: string; httpStatus: number } = Object.freeze({
	resultcode: '1010002',
	resultdesc: 'The record does not exist.',
	httpStatus: 404,
});

/**
 * The general error list's reading of 1010010, "flow control upper limit" (docs/platform.md §17.4).
 * The emulator answers 1010010 for a wrong digest (401) by itself; fault injection gives this
 * reading, with 503 like the other "not accepted now" codes.
 */
export const FLOW_CONTROL_1010010: { resultcode: string; resultdesc: string; httpStatus: number } = Object.freeze({
	resultcode: '1010010',
	resultdesc: 'The flow control upper limit is reached on the platform.',
	httpStatus: 503,
});

/** The page a gateway in front of the platform answers with (no JSON, no result code). */
export function gatewayPage(status: number): string {
	const text: Record<number, string> = { 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out' };
	const title = `${status} ${text[status] ?? 'Error'}`;
	return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

export interface Reply {
	status: number;
	body: Record<string, unknown> | null;
	headers?: Record<string, string>;
	sessionId?: string;
}

/** A reply carrying a table resultcode; `detail` makes 1010002 specific and fills 1012005's %s. */
export function resultReply(code: string, detail?: string): Reply {
	const known = Object.prototype.hasOwnProperty.call(RESULT_REPLIES, code) && lookupResultCode(code) !== undefined;
	const [status, text] = known ? RESULT_REPLIES[code] : [500, 'Internal system error.'];
	let resultdesc = text;
	if (detail !== undefined) {
		resultdesc = resultdesc.includes('%s') ? resultdesc.replace('%s', detail) : `${resultdesc}${detail}`;
	}
	return { status, body: { resultcode: code, resultdesc } };
}
