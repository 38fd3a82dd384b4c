import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { isRetryableResult, lookupResultCode } from '../codes';
import type { Endpoint } from '../platform/endpoints';

import { CREDENTIAL_TYPE } from '../credentialType';

export { CREDENTIAL_TYPE };

export interface HuaweiRequest {
	endpoint: Endpoint;
	body?: IDataObject;
	qs?: IDataObject;
	/** The item this request belongs to, for error messages and `itemIndex`. */
	itemIndex?: number;
	/**
	 * Whether a successful send rings a phone (click2Call, callnotify). A lost answer to such a
	 * request is reported as "may have been placed" and is never resent by anyone.
	 */
	placesCall?: boolean;
	/** Milliseconds to wait for the answer before giving up (default 30 s). */
	timeout?: number;
}

export interface HuaweiResponse {
	statusCode: number;
	headers: IDataObject;
	/** The parsed JSON body (`{}` when the body is empty, e.g. the recording API's 301). */
	body: IDataObject;
}

/**
 * A non-"0" result from the platform. Carries the result code and whether the platform said the
 * request was simply not accepted yet (flow control, port limit), which is the only case the
 * node's pacing may send the same request again.
 */
export class HuaweiApiError extends NodeApiError {
	readonly resultCode: string;

	readonly retryable: boolean;

	constructor(
		node: INode,
		response: { statusCode: number; resultcode: string; resultdesc: string },
		itemIndex: number | undefined,
	) {
		const info = lookupResultCode(response.resultcode);
		const meaning = info?.meaning ?? 'Huawei Voice Call returned a result code this node does not know';
		const fix =
			info?.fix ??
			'Look the code up in the Huawei Voice Call error code list (API错误码) and check the request fields.';
		super(node, { resultcode: response.resultcode, resultdesc: response.resultdesc } as JsonObject, {
			message: `Huawei Voice Call error ${response.resultcode}: ${meaning}`,
			description: `${fix} (Platform answer: "${response.resultdesc}", HTTP ${response.statusCode}.)`,
			httpCode: String(response.statusCode),
			itemIndex,
		});
		this.resultCode = response.resultcode;
		this.retryable = isRetryableResult(response.resultcode, response.resultdesc, response.statusCode);
	}
}

/** True when the error is a platform answer that means "not accepted, try again later". */
export function isNotAcceptedError(error: unknown): error is HuaweiApiError {
	return error instanceof HuaweiApiError && error.retryable;
}

function parseBody(raw: unknown): IDataObject | undefined {
	if (raw === undefined || raw === null || raw === '') return {};
	if (raw instanceof Uint8Array) return parseBody(new TextDecoder().decode(raw));
	if (typeof raw === 'string') {
		try {
			return parseBody(JSON.parse(raw) as unknown) ?? undefined;
		} catch {
			return undefined;
		}
	}
	return typeof raw === 'object' && !Array.isArray(raw) ? (raw as IDataObject) : undefined;
}

/**
 * Whether an error or error item says that a call may have been placed: set for a call-placing
 * request whose answer was lost after the request went out (timeout, reset, an answer that is not
 * the platform's), and for any failure after the platform accepted the call. Never for validation
 * errors, a refusal with a result code, or a connection that was never made.
 */
const MAY_HAVE_BEEN_PLACED = new WeakSet<object>();

/** Marks `error` as "the call may have been placed" and returns it. */
export function markMayHaveBeenPlaced<E extends object>(error: E): E {
	MAY_HAVE_BEEN_PLACED.add(error);
	return error;
}

export function mayHaveBeenPlaced(error: unknown): boolean {
	return typeof error === 'object' && error !== null && MAY_HAVE_BEEN_PLACED.has(error);
}

/**
 * Connection errors that happen before a byte of the request is sent (no connection, no address,
 * TLS handshake refused): the platform cannot have seen the request.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function neverSent(code: string | undefined): boolean {
	if (code === undefined) return false;
	return NEVER_SENT_CODES.has(code) || /^ERR_(TLS|SSL)_/.test(code) || /CERT|SELF_SIGNED|VERIFY_LEAF/.test(code);
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * The first Node/axios error code (`ECONNRESET`, `CERT_HAS_EXPIRED`, …) along the error's `cause`
 * chain, and the message of the error that carries it (n8n wraps axios's error in its own).
 */
function connectionFailure(error: unknown): { code?: string; message: string } {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) {
			return { code, message: String((current as { message?: unknown }).message ?? '') };
		}
		current = (current as { cause?: unknown }).cause;
	}
	return { message: '' };
}

/** Whether the request gave up waiting (axios: ECONNABORTED "timeout of … exceeded"). */
function isTimeout({ code, message }: { code?: string; message: string }): boolean {
	if (code !== undefined && TIMEOUT_CODES.has(code)) return true;
	return code === 'ECONNABORTED' && /timeout/i.test(message);
}

/**
 * Whether an HTTP answer without the platform's result code may come after the platform acted:
 * a 2xx or 5xx (a gateway that timed out or broke after forwarding) or 408. Other 3xx/4xx answers
 * come from something that refused the request before it reached the platform (wrong path, size).
 */
function answerMayFollowPlacement(statusCode: number): boolean {
	return (statusCode >= 200 && statusCode < 300) || statusCode >= 500 || statusCode === 408;
}

/** What the user must do about an item whose call may have been placed (part of every such error's description). */
export const CHECK_BEFORE_RESENDING =
	'The request was sent once and deliberately not repeated, so nobody is called twice. Check the status webhook or the console call records (呼叫记录) before sending this item again.';

/**
 * Sends one signed request to the Huawei Voice Call API and returns the parsed answer.
 *
 * - Signing happens in the credential's `authenticate`, for every send.
 * - The body is parsed whatever the HTTP status (the platform reports errors in `resultcode`).
 * - Redirects are never followed (the recording API's answer is the 301 itself).
 * - Nothing is retried here: pacing decides, and only for "not accepted" result codes.
 */
export async function huaweiApiRequest(this: IExecuteFunctions, request: HuaweiRequest): Promise<HuaweiResponse> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = String(credentials.baseUrl ?? '').replace(/\/+$/, '');
	const advanced = (credentials.advanced ?? {}) as { allowUnauthorizedCerts?: boolean };
	const itemIndex = request.itemIndex;
	const options: IHttpRequestOptions = {
		method: request.endpoint.method as IHttpRequestMethods,
		url: `${baseUrl}${request.endpoint.path}`,
		headers: {
			'Content-Type': 'application/json;charset=UTF-8',
			Accept: 'application/json',
			// The platform uses short connections and closes after each answer (docs/platform.md §11.4).
			Connection: 'close',
		},
		qs: request.qs,
		body: request.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		skipSslCertificateValidation: advanced.allowUnauthorizedCerts === true,
		timeout: request.timeout ?? 30_000,
	};

	let response: { statusCode: number; headers?: IDataObject; body?: unknown };
	try {
		response = await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options);
	} catch (error) {
		const failure = connectionFailure(error);
		const code = failure.code;
		// Network codes stay out of the `code`/`status` keys and out of the message: NodeApiError
		// would otherwise replace our message with a generic one that invites retrying.
		if (request.placesCall && !neverSent(code)) {
			// The request went out (or may have): its answer is lost, and so is whether a phone rings.
			const timedOut = isTimeout(failure);
			throw markMayHaveBeenPlaced(
				new NodeApiError(this.getNode(), { connection: code ?? 'UNKNOWN' } as JsonObject, {
					message: timedOut
						? `Huawei Voice Call did not answer within ${Math.round(Number(options.timeout) / 100) / 10} s: the call may or may not have been placed`
						: 'The connection to Huawei Voice Call was lost before it answered: the call may or may not have been placed',
					description: `${code ? `Connection error ${code}. ` : ''}${CHECK_BEFORE_RESENDING}`,
					itemIndex,
				}),
			);
		}
		throw new NodeApiError(this.getNode(), { connection: code ?? 'UNKNOWN' } as JsonObject, {
			message: `Could not reach Huawei Voice Call at ${baseUrl}`,
			description: `${code ? `Connection error ${code}. ` : ''}Check the APP Access Address in the credential (scheme, host and port from App Management), and that this machine can reach it (ping is blocked by Huawei; try telnet or curl to the port).${request.placesCall ? ' The request never reached the platform, so no call was placed.' : ''}`,
			itemIndex,
		});
	}

	const statusCode = Number(response.statusCode);
	const headers = (response.headers ?? {}) as IDataObject;
	const body = parseBody(response.body);
	// An answer that is not the platform's (no JSON, or no result code with an error status): for a
	// call-placing request after which the platform may have acted, say so.
	const lostPlacement = request.placesCall === true && answerMayFollowPlacement(statusCode);
	const mark = <E extends object>(error: E): E => (lostPlacement ? markMayHaveBeenPlaced(error) : error);
	if (body === undefined) {
		throw mark(
			new NodeApiError(this.getNode(), { statusCode } as JsonObject, {
				message: `Huawei Voice Call answered HTTP ${statusCode} with a body that is not JSON${lostPlacement ? ': the call may or may not have been placed' : ''}`,
				description: lostPlacement
					? `The answer is not the Voice Call API's (a gateway in front of it, a broken answer, or an APP Access Address that points at something else), so whether it took the call is unknown. ${CHECK_BEFORE_RESENDING}`
					: 'The APP Access Address probably points at something other than the Voice Call API. Copy it again from App Management (应用管理).',
				httpCode: String(statusCode),
				itemIndex,
			}),
		);
	}
	const resultcode = body.resultcode === undefined ? undefined : String(body.resultcode);
	if (resultcode !== undefined && resultcode !== '0') {
		throw new HuaweiApiError(
			this.getNode(),
			{ statusCode, resultcode, resultdesc: String(body.resultdesc ?? '') },
			itemIndex,
		);
	}
	if (resultcode === undefined && (statusCode < 200 || statusCode >= 400)) {
		throw mark(
			new NodeApiError(this.getNode(), { statusCode } as JsonObject, {
				message: `Huawei Voice Call answered HTTP ${statusCode} without a result code${lostPlacement ? ': the call may or may not have been placed' : ''}`,
				description: lostPlacement
					? `The answer did not come from the Voice Call API (a gateway in front of it), so whether it took the call is unknown. ${CHECK_BEFORE_RESENDING}`
					: 'Check the APP Access Address in the credential; a wrong path or host answers like this.',
				httpCode: String(statusCode),
				itemIndex,
			}),
		);
	}
	return { statusCode, headers, body };
}
