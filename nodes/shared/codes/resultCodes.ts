/**
 * Huawei Voice Call `resultcode` table (docs/platform.md §3.4, §10.1, §10.2): what each code means,
 * how a user fixes it, and whether it only says "not accepted yet". Used by the transport (error
 * messages, retry decisions) and the credential test. Clients must key on `resultcode`, never on
 * the HTTP status. The texts and HTTP statuses the emulator answers with live in emulator/replies.ts.
 */

export type ResultCodeFamily =
	| 'success'
	| 'auth'
	| 'request'
	| 'account'
	| 'number'
	| 'template'
	| 'frequency'
	| 'capacity'
	| 'platform'
	| 'recording';

export interface ResultCodeInfo {
	/** The `resultcode` string, e.g. '1020165'. */
	code: string;
	/** Plain-English explanation for a no-code user. */
	meaning: string;
	/** How to fix it, concretely. */
	fix: string;
	family: ResultCodeFamily;
	/** True only for "not accepted, safe to retry later" (§10.2 retry guidance). */
	retryable: boolean;
}

// Reused fix texts: several auth-header codes share one cause (a broken signer, not a user typo).
const FIX_AUTH_HEADER =
	'The request signing is broken rather than your settings: check that the APP_Key is filled in on the credential and update the node package; if it persists, report it as a bug.';
const FIX_AUTH_GENERAL =
	'Re-copy the APP_Key and APP_Secret from App Management (应用管理) into the credential, check the APP access address (APP接入地址), and make sure the n8n server clock is correct (if the clock is right, set Advanced Options → "Created" Time Zone to UTC+8).';
const FIX_TEMPLATE_PAGE =
	'Open the voice template list in the Voice Call console, copy the exact ID of an approved template into Template ID, and make sure it belongs to this account.';

// Frequency-control codes added on 2020-07-28 whose texts were never captured (docs/platform.md §10.2, §17.10).
const UNDOCUMENTED_FREQUENCY_CODES = ['1013112', '1013113', '1013114', '1013115'];

const ENTRIES: ResultCodeInfo[] = [
	{
		code: '0',
		meaning: 'The platform accepted the request.',
		fix: 'Nothing to fix.',
		family: 'success',
		retryable: false,
	},

	// §3.4 auth header format: all pinned to HTTP 400.
	{
		code: '1023006',
		meaning:
			'Authentication failed. The platform uses this code for a missing Authorization header but also for a wrong PasswordDigest or app_key, or for a clock that is too far off.',
		fix: FIX_AUTH_GENERAL,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023007',
		meaning: 'The Authorization header has no realm attribute.',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023008',
		meaning: 'The Authorization header has no profile attribute.',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023009',
		meaning: 'The realm in the Authorization header is not "SDP".',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023010',
		meaning: 'The profile in the Authorization header is not "UsernameToken".',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		// The text says app_key but the value the platform wants is the literal Appkey.
		code: '1023011',
		meaning: 'The type in the Authorization header is wrong (it must be "Appkey").',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023012',
		meaning: 'The Authorization header has no type attribute.',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023033',
		meaning:
			'The request has no X-AKSK header, so the platform cannot check the APP_Key signature.',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023034',
		meaning: 'The X-AKSK header has no Username (the APP_Key).',
		fix: 'Fill in the APP_Key on the credential (copy it from App Management (应用管理)); if it is filled in, report it as a bug.',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023035',
		meaning: 'The X-AKSK header has no Nonce.',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023036',
		meaning: 'The X-AKSK header has no Created time.',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023037',
		meaning: 'The X-AKSK header has no PasswordDigest (the signature made with the APP_Secret).',
		fix: 'Fill in the APP_Secret on the credential (download or reset it in App Management (应用管理)); if it is filled in, report it as a bug.',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023038',
		meaning: 'The X-AKSK header does not start with "UsernameToken".',
		fix: FIX_AUTH_HEADER,
		family: 'auth',
		retryable: false,
	},

	// §3.3 legacy WSSE scheme: the node never sends X-WSSE, but old tenants' logs carry these codes.
	// Their texts are not documented; these are written in the style of 1023033–1023038.
	{
		code: '1023013',
		meaning:
			'Legacy WSSE authentication: the request has no X-WSSE header. The exact text is not documented.',
		fix: 'This node signs with X-AKSK, not the legacy X-WSSE; check that the APP access address (APP接入地址) in the credential is the current one from App Management (应用管理).',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023026',
		meaning:
			'Legacy WSSE authentication: a part of the X-WSSE header is missing. The exact text is not documented.',
		fix: 'This node signs with X-AKSK, not the legacy X-WSSE; check that the APP access address (APP接入地址) in the credential is the current one from App Management (应用管理).',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023027',
		meaning:
			'Legacy WSSE authentication: a part of the X-WSSE header is missing. The exact text is not documented.',
		fix: 'This node signs with X-AKSK, not the legacy X-WSSE; check that the APP access address (APP接入地址) in the credential is the current one from App Management (应用管理).',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023028',
		meaning:
			'Legacy WSSE authentication: a part of the X-WSSE header is missing. The exact text is not documented.',
		fix: 'This node signs with X-AKSK, not the legacy X-WSSE; check that the APP access address (APP接入地址) in the credential is the current one from App Management (应用管理).',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1023029',
		meaning:
			'Legacy WSSE authentication: a part of the X-WSSE header is missing. The exact text is not documented.',
		fix: 'This node signs with X-AKSK, not the legacy X-WSSE; check that the APP access address (APP接入地址) in the credential is the current one from App Management (应用管理).',
		family: 'auth',
		retryable: false,
	},

	// §3.4 / §10.1 pinned 401 and 403 codes.
	{
		// One entry for both readings (§17.4); isRetryableResult() handles the flow-control reading.
		code: '1010010',
		meaning:
			'With HTTP 401 "Invalid digest.": the signature check failed (PasswordDigest校验失败), usually a wrong APP_Secret. The general error list reuses this code for "The flow control upper limit is reached on the platform.", a temporary platform-wide limit that clears after about a minute.',
		fix: 'For "Invalid digest.": re-copy the APP_Secret from App Management (应用管理) (reset it there if you lost it) and check that the APP_Key belongs to the same app. For the flow-control text: wait at least one minute and try again.',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1010013',
		meaning: 'The Created time in the signature is too far from the platform clock.',
		fix: 'Correct the n8n server clock (enable NTP). If the clock is right, switch the credential option Advanced Options → "Created" Time Zone between UTC and UTC+8 (Beijing time).',
		family: 'auth',
		retryable: false,
	},
	{
		code: '1010002',
		meaning:
			'The platform rejected the request as invalid. The resultdesc usually names the problem, e.g. "Invalid request.The number format is incorrect.".',
		fix: 'Read the detail after "Invalid request." and correct that field; phone numbers must be in +{country code}{number} form, e.g. +8613700000001.',
		family: 'request',
		retryable: false,
	},
	{
		// HTTP status not stated in the per-API tables; 403 as the emulator guidance (§13.2) says.
		code: '1010003',
		meaning: 'The platform does not know this APP_Key.',
		fix: 'Copy the APP_Key again from the app list in App Management (应用管理), and check that the APP access address (APP接入地址) belongs to the same account.',
		family: 'auth',
		retryable: false,
	},
	{
		// Undocumented status; 403 (client error).
		code: '1020176',
		meaning:
			'Your server IP address is temporarily blocked because of repeated authentication failures.',
		fix: 'Stop the workflow for a while, then fix the APP_Key, APP_Secret and the clock or the "Created" Time Zone of the credential before trying again; do not retry failed logins in a loop.',
		family: 'auth',
		retryable: false,
	},
	{
		// Legacy OAuth token scheme only (§3.3); text not documented. Undocumented status; 403.
		code: '1010004',
		meaning:
			'Legacy: the OAuth access token of the old (2017) authentication scheme has expired. The current APP_Key signature scheme never returns it. The exact text is not documented.',
		fix: 'Check that the APP access address (APP接入地址) in the credential is the current one from App Management (应用管理), not an old demo address.',
		family: 'auth',
		retryable: false,
	},

	// §10.1 pinned 500 codes.
	{
		code: '1010001',
		meaning: 'Something went wrong inside the Huawei platform.',
		fix: 'Try again later; if it keeps happening, open a Huawei Cloud support ticket with the time of the request.',
		family: 'platform',
		retryable: false,
	},
	{
		code: '1020001',
		meaning: 'A field of the request has a missing or invalid value.',
		fix: 'Check the required fields (numbers in +{country code}{number} form, the display number, template ID) and the value ranges, then run it again.',
		family: 'request',
		retryable: false,
	},
	{
		code: '1020002',
		meaning: 'Something went wrong inside the Huawei platform.',
		fix: 'Try again later; if it keeps happening, open a Huawei Cloud support ticket with the time of the request.',
		family: 'platform',
		retryable: false,
	},

	// §10.2 business errors. Statuses below are not documented: 403 for client/business errors,
	// 503 for the "try again later" codes.
	{
		// Matches §2 "Wrong URL: HTTP 404" rather than 403.
		code: '1010006',
		meaning: 'The API address or method is wrong.',
		fix: 'Set the APP access address (APP接入地址) in the credential to just the base URL from App Management (应用管理), e.g. https://rtccall.cn-north-1.myhuaweicloud.cn:443, without any path.',
		family: 'request',
		retryable: false,
	},
	{
		// "ativeState" is the platform's own misspelling; kept as sent.
		code: '1010007',
		meaning: 'Your Huawei Cloud account is not active, usually because it is in arrears.',
		fix: 'Top up the account balance in the Huawei Cloud Billing Center, then try again.',
		family: 'account',
		retryable: false,
	},
	{
		code: '1010008',
		meaning: 'The app that this APP_Key belongs to is suspended.',
		fix: 'Check the app status in App Management (应用管理) and ask Huawei Cloud support to restore it.',
		family: 'account',
		retryable: false,
	},
	{
		// Quota "not accepted now": 503.
		code: '1010009',
		meaning: 'The API call quota is used up for now.',
		fix: 'Wait at least one minute and try again; if it happens often, ask Huawei Cloud support for a higher API quota.',
		family: 'capacity',
		retryable: true,
	},
	{
		code: '1010011',
		meaning: 'The app is still in trial (sandbox) state and may not use the commercial platform.',
		fix: 'Complete the app approval in App Management (应用管理) so it becomes commercial, or use the trial access address shown there.',
		family: 'account',
		retryable: false,
	},
	{
		code: '1010021',
		meaning: 'The app is not available (for example not approved or disabled).',
		fix: 'Check the app status in App Management (应用管理).',
		family: 'account',
		retryable: false,
	},
	{
		code: '1010023',
		meaning:
			'The display number (displayNbr or displayCalleeNbr) is not a valid fixed-line number (固话号码) of this app. The platform also words it "Display number invalid.".',
		fix: 'Copy the fixed-line number exactly as shown in the console number list (号码订购), in +86… form, and check that it is assigned to this app.',
		family: 'number',
		retryable: false,
	},
	{
		code: '1010024',
		meaning: 'The caller number (callerNbr) is not valid.',
		fix: 'Enter the caller number in +{country code}{number} form, e.g. +8613700000001; only mainland China numbers are allowed.',
		family: 'number',
		retryable: false,
	},
	{
		code: '1010040',
		meaning:
			'This app has no permission for this API, usually because its business type is different (for example a voice-notification app used for click-to-call).',
		fix: 'Use the APP_Key of an app created for this business type in App Management (应用管理), or create one.',
		family: 'account',
		retryable: false,
	},
	{
		// Flow control: 503.
		code: '1011006',
		meaning: 'Your IP address or number is under flow control (traffic control) for now.',
		fix: 'Wait at least one minute and try again, and spread the calls out over time.',
		family: 'capacity',
		retryable: true,
	},
	{
		code: '1012001',
		meaning: 'The number is not bound to this APP_Key.',
		fix: 'Use a number assigned to this app (see the number list of the app in App Management (应用管理)), or assign the number to the app.',
		family: 'number',
		retryable: false,
	},
	{
		// Text not documented (the spec has only the Chinese description).
		code: '1012002',
		meaning:
			'The voice template has not passed review (模板ID审核未通过). The exact English text is not documented.',
		fix: 'Check the template status in the voice template list of the console; wait for approval or use an approved template ID.',
		family: 'template',
		retryable: false,
	},
	{
		code: '1012003',
		meaning: 'There is no voice template with this ID.',
		fix: FIX_TEMPLATE_PAGE,
		family: 'template',
		retryable: false,
	},
	{
		// The documented text is a copy of 1012003 (§10.2); a distinct text is clearer for users.
		code: '1012004',
		meaning:
			'The number of template parameters (templateParas) differs from the number of variables in the template. The platform may word it like 1012003 ("The template ID does not exist.").',
		fix: 'Give exactly one Template Parameters value per variable of the template, in the template order.',
		family: 'template',
		retryable: false,
	},
	{
		// The platform fills %s with the position of the parameter; kept as the template.
		code: '1012005',
		meaning: 'A template parameter value has the wrong format or is too long (at most 32 bytes).',
		fix: 'Shorten the named Template Parameters value to 32 bytes or less (about 10 Chinese characters) and match the variable type of the template.',
		family: 'template',
		retryable: false,
	},
	{
		code: '1012006',
		meaning: 'The service number (CallEnabler业务号码, bindNbr) has not been applied for this app.',
		fix: 'Leave the bind number empty or use one shown for this app in App Management (应用管理).',
		family: 'number',
		retryable: false,
	},
	{
		code: '1012012',
		meaning: 'Recording was requested but the app does not have the recording function enabled.',
		fix: 'Turn off the Record option on the node, or enable recording for the app in App Management (应用管理).',
		family: 'recording',
		retryable: false,
	},
	{
		code: '1013001',
		meaning: 'The account (SP) has reached its call quota (frequency control).',
		fix: 'Wait until the quota period resets, or ask Huawei Cloud support to raise the account call quota.',
		family: 'frequency',
		retryable: false,
	},
	{
		code: '1013002',
		meaning: 'The app has reached its call quota (frequency control).',
		fix: 'Wait until the quota period resets, or ask Huawei Cloud support to raise the app call quota.',
		family: 'frequency',
		retryable: false,
	},
	{
		code: '1013003',
		meaning: 'The display number (固话号码) has reached its call quota (frequency control).',
		fix: 'Spread the calls over more display numbers (buy more through 号码订购) or wait until the quota resets.',
		family: 'frequency',
		retryable: false,
	},
	...UNDOCUMENTED_FREQUENCY_CODES.map(
		(code): ResultCodeInfo => ({
			code,
			meaning: `A call frequency limit was reached (frequency-control code ${code}, added in 2020; its exact text is not documented).`,
			fix: 'Make fewer calls to the same numbers (at most 3 per callee per 24 hours is recommended) and try again later; ask Huawei Cloud support which limit it is.',
			family: 'frequency',
			retryable: false,
		}),
	),
	{
		// Text inferred from 1013117/1013118.
		code: '1013116',
		meaning: 'The caller number has made too many calls (主叫呼叫频次限制).',
		fix: 'Call from this caller number less often and try again later (the limit period is set by the platform).',
		family: 'frequency',
		retryable: false,
	},
	{
		code: '1013117',
		meaning: 'This callee has been called too often (被叫呼叫频次限制).',
		fix: 'Call this number less often: at most 3 calls per 24 hours and 10 per 30 days are recommended.',
		family: 'frequency',
		retryable: false,
	},
	{
		code: '1013118',
		meaning: 'The service number has made too many calls (业务号码呼叫频次限制).',
		fix: 'Spread the calls over more display numbers (号码订购) or make fewer calls, and try again later.',
		family: 'frequency',
		retryable: false,
	},
	{
		code: '1013119',
		meaning: 'The service or display number is suspended.',
		fix: 'Check the number status in the console number list and ask Huawei Cloud support why it was suspended; use another number meanwhile.',
		family: 'number',
		retryable: false,
	},
	{
		code: '1013120',
		meaning: 'The request did not carry the sender IPv4 address that the platform requires.',
		fix: 'Make sure n8n reaches the platform over IPv4 (not through a proxy that hides the address); if it does, report it as a bug.',
		family: 'request',
		retryable: false,
	},
	{
		code: '1013121',
		meaning: 'Calls are not allowed at this time of day (rest-hours calling window).',
		fix: 'Schedule the workflow to call during daytime hours (China time).',
		family: 'frequency',
		retryable: false,
	},
	{
		code: '1013122',
		meaning: 'The sub-enterprise of the account is suspended.',
		fix: 'Contact Huawei Cloud support or your account manager to restore the sub-enterprise.',
		family: 'account',
		retryable: false,
	},
	{
		code: '1020003',
		meaning: 'A field of the request has a missing or invalid value.',
		fix: 'Check the required fields (numbers in +{country code}{number} form, the display number, template ID) and the value ranges, then run it again.',
		family: 'request',
		retryable: false,
	},
	{
		// Undocumented: "app_key related" only (§10.2); text written in the platform's style.
		code: '1020150',
		meaning:
			'A problem with the app (APP_Key) prevents the call. The exact text of this code is not documented.',
		fix: 'Check the app status and business type in App Management (应用管理); ask Huawei Cloud support if the app looks normal.',
		family: 'account',
		retryable: false,
	},
	{
		// Undocumented: added 2019-09-17 to callback/notify/verify, "app_key related" (§10.2).
		code: '1020151',
		meaning:
			'A problem with the app (APP_Key) prevents the call. The exact text of this code is not documented.',
		fix: 'Check the app status and business type in App Management (应用管理); ask Huawei Cloud support if the app looks normal.',
		family: 'account',
		retryable: false,
	},
	{
		// Concurrency "not accepted now": 503.
		code: '1020165',
		meaning:
			'The app already has as many calls in progress as its concurrent call ports (呼叫端口) allow (about 10 by default).',
		fix: 'Wait about a minute for running calls to finish and try again; limit parallel calls in the workflow, or ask your account manager for more ports.',
		family: 'capacity',
		retryable: true,
	},
	{
		code: '1020166',
		meaning: 'The app has an IP whitelist and the n8n server IP address is not on it.',
		fix: 'Add the public IP address of the n8n server to the IP whitelist of the app in App Management (应用管理), or remove the whitelist.',
		family: 'account',
		retryable: false,
	},
	{
		// Undocumented text (§10.2 gives only a fragment).
		code: '1020168',
		meaning:
			'The platform rejected the call because of the IP address the request came from. The exact text is not documented.',
		fix: 'Check the IP whitelist of the app in App Management (应用管理) and ask Huawei Cloud support whether the n8n server IP is restricted.',
		family: 'account',
		retryable: false,
	},
	{
		// Undocumented text (§10.2 gives only a fragment).
		code: '1020171',
		meaning:
			'The IP address of the n8n server is on the platform blacklist. The exact text is not documented.',
		fix: 'Ask Huawei Cloud support to remove the n8n server IP from the blacklist; check that no workflow retries failed requests in a loop.',
		family: 'account',
		retryable: false,
	},
];


/** Every documented code, keyed by `resultcode`. */
export const RESULT_CODES: Readonly<Record<string, ResultCodeInfo>> = Object.freeze(
	ENTRIES.reduce<Record<string, ResultCodeInfo>>((table, entry) => {
		table[entry.code] = Object.freeze(entry);
		return table;
	}, {}),
);

/** Accepts codes with stray whitespace, since some clients stringify numbers loosely. */
export function lookupResultCode(code: string): ResultCodeInfo | undefined {
	const key = String(code).trim();
	return Object.prototype.hasOwnProperty.call(RESULT_CODES, key) ? RESULT_CODES[key] : undefined;
}

/**
 * 1010010 means "Invalid digest" (HTTP 401, auth) in the per-API tables but "flow control upper
 * limit" in the general list: retryable only when the HTTP status is not 401 and the resultdesc
 * mentions flow control. Everything else: the table's flag.
 */
export function isRetryableResult(code: string, resultdesc?: string, httpStatus?: number): boolean {
	const key = String(code).trim();
	if (key === '1010010') {
		return httpStatus !== 401 && /flow\s*control/i.test(resultdesc ?? '');
	}
	return lookupResultCode(key)?.retryable ?? false;
}
