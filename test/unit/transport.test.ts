import { NodeApiError, type IExecuteFunctions, type IHttpRequestOptions } from 'n8n-workflow';

import vectors from '../fixtures/spec-vectors.json';
import { ACTION_NODE } from '../helpers/actionNode';
import { lookupResultCode } from '../../nodes/shared/codes';
import {
	HuaweiApiError,
	huaweiApiRequest,
	isNotAcceptedError,
	mayHaveBeenPlaced,
	type HuaweiRequest,
} from '../../nodes/shared/transport/request';
import { ENDPOINTS } from '../../nodes/shared/platform/endpoints';

// The APP_Secret of the fake credential: it must never show up in an error or a request.
const SECRET = vectors.testCredential.appSecret;
const node = ACTION_NODE;

type Canned = { statusCode: number; headers?: Record<string, unknown>; body?: unknown } | Error;

/** A minimal `this` for the transport: canned answers from `httpRequestWithAuthentication`. */
function fakeContext(answer: Canned) {
	const sent: Array<{ credentialType: string; options: IHttpRequestOptions }> = [];
	const context = {
		getNode: () => node,
		getCredentials: async () => ({ baseUrl: 'https://voice.example:443/', appKey: 'APPKEY', appSecret: SECRET }),
		helpers: {
			httpRequestWithAuthentication: async (credentialType: string, options: IHttpRequestOptions) => {
				sent.push({ credentialType, options });
				if (answer instanceof Error) throw answer;
				return answer;
			},
		},
	} as unknown as IExecuteFunctions;
	return { context, sent };
}

const POST_NOTIFY: HuaweiRequest = {
	endpoint: ENDPOINTS.callNotify,
	body: { calleeNbr: '+8613800000001' },
	itemIndex: 3,
	placesCall: true,
};

async function failure(answer: Canned, request: HuaweiRequest = POST_NOTIFY): Promise<NodeApiError> {
	const { context } = fakeContext(answer);
	try {
		await huaweiApiRequest.call(context, request);
	} catch (error) {
		expect(error).toBeInstanceOf(NodeApiError);
		return error as NodeApiError;
	}
	throw new Error('expected the request to fail');
}

/** Everything a user or a log could see of an error. */
function visible(error: NodeApiError): string {
	return [error.message, error.description ?? '', JSON.stringify(error), JSON.stringify(error.cause ?? null)].join('\n');
}

const result = (statusCode: number, resultcode: string, resultdesc: string): Canned => ({
	statusCode,
	headers: { 'content-type': 'application/json;charset=UTF-8' },
	body: { resultcode, resultdesc },
});

describe('huaweiApiRequest: the request it sends', () => {
	it('sends one signed JSON request, never following redirects or throwing on HTTP status', async () => {
		const { context, sent } = fakeContext({ statusCode: 200, headers: {}, body: { resultcode: '0', resultdesc: 'Success', sessionId: 's1' } });
		const response = await huaweiApiRequest.call(context, { ...POST_NOTIFY, timeout: 1234 });
		expect(response).toEqual({ statusCode: 200, headers: {}, body: { resultcode: '0', resultdesc: 'Success', sessionId: 's1' } });
		expect(sent).toHaveLength(1);
		expect(sent[0].credentialType).toBe('huaweiVoiceCallApi');
		expect(sent[0].options).toMatchObject({
			method: 'POST',
			url: 'https://voice.example:443/rest/httpsessions/callnotify/v2.0',
			body: { calleeNbr: '+8613800000001' },
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: 1234,
		});
		expect(sent[0].options.headers).toMatchObject({ 'Content-Type': 'application/json;charset=UTF-8' });
		expect(JSON.stringify(sent[0].options)).not.toContain(SECRET);
	});

	it('returns the 301 of the record API with its Location header', async () => {
		const { context } = fakeContext({ statusCode: 301, headers: { location: 'https://store.example/r.wav?sig=1' }, body: '' });
		const response = await huaweiApiRequest.call(context, {
			endpoint: ENDPOINTS.record,
			qs: { fileName: 'r.wav', recordDomain: 'd' },
		});
		expect(response.statusCode).toBe(301);
		expect(response.headers.location).toBe('https://store.example/r.wav?sig=1');
		expect(response.body).toEqual({});
	});
});

describe('huaweiApiRequest: result codes become clear errors', () => {
	it.each([
		// family, HTTP, code, resultdesc, retryable
		['auth', 400, '1023006', 'Authorization not contained in the HTTP header.', false],
		['auth', 401, '1010010', 'Invalid digest.', false],
		['auth', 401, '1010013', 'Time out limit.', false],
		['auth', 403, '1010003', 'Invalid app_key.', false],
		['request', 403, '1010002', 'Invalid request.The number format is incorrect.', false],
		['number', 403, '1010023', 'Invalid display number.', false],
		['template', 403, '1012004', 'The number of templateParas does not match the template.', false],
		['frequency', 403, '1013117', 'Callee call frequency restricted.', false],
		['frequency', 403, '1013001', 'Calls exceed the SP limit.', false],
		['capacity', 503, '1020165', 'The appkey call port of using exceeds the limited.', true],
		['flow control', 503, '1011006', 'Under traffic control status.', true],
		['quota', 503, '1010009', 'No more APIs can be invoked.', true],
		['flow control (1010010 meaning)', 503, '1010010', 'The flow control upper limit is reached on the platform.', true],
		['platform', 500, '1010001', 'Internal system error.', false],
	])('%s: HTTP %i / %s', async (_family, statusCode, code, resultdesc, retryable) => {
		const error = await failure(result(statusCode, code, resultdesc));
		expect(error).toBeInstanceOf(HuaweiApiError);
		const huawei = error as HuaweiApiError;
		const info = lookupResultCode(code);
		expect(info).toBeDefined();
		expect(huawei.resultCode).toBe(code);
		expect(huawei.message).toBe(`Huawei Voice Call error ${code}: ${info?.meaning}`);
		expect(huawei.description).toContain(info?.fix as string);
		expect(huawei.description).toContain(resultdesc);
		expect(huawei.httpCode).toBe(String(statusCode));
		expect(huawei.context.itemIndex).toBe(3);
		expect(isNotAcceptedError(huawei)).toBe(retryable);
		expect(visible(huawei)).not.toContain(SECRET);
	});

	it('an unknown code still names the code and says where to look', async () => {
		const error = (await failure(result(500, '1099999', 'Something new.'))) as HuaweiApiError;
		expect(error.resultCode).toBe('1099999');
		expect(error.message).toContain('1099999');
		expect(error.message).toContain('does not know');
		expect(error.description).toContain('Something new.');
		expect(isNotAcceptedError(error)).toBe(false);
	});

	it('a numeric result code is treated like the string', async () => {
		const error = (await failure({ statusCode: 503, body: { resultcode: 1020165, resultdesc: 'x' } })) as HuaweiApiError;
		expect(error.resultCode).toBe('1020165');
		expect(isNotAcceptedError(error)).toBe(true);
	});

	it('a body that is not JSON gives a message about the access address', async () => {
		const error = await failure({ statusCode: 200, headers: { 'content-type': 'text/html' }, body: '<html>gateway</html>' });
		expect(error).not.toBeInstanceOf(HuaweiApiError);
		expect(error.message).toContain('not JSON');
		expect(error.description).toContain('APP Access Address');
		expect(isNotAcceptedError(error)).toBe(false);
		// A call-placing request answered 200 by something that is not the platform: it may have rung.
		expect(error.message).toContain('may or may not have been placed');
		expect(mayHaveBeenPlaced(error)).toBe(true);
	});

	it('an HTTP error without a result code is reported with its status', async () => {
		const error = await failure({ statusCode: 404, body: {} });
		expect(error.message).toContain('HTTP 404');
		expect(isNotAcceptedError(error)).toBe(false);
		// Refused before the platform (a wrong path): nothing was placed.
		expect(mayHaveBeenPlaced(error)).toBe(false);
	});

	it.each<[number, string, boolean]>([
		[502, '<html>502 Bad Gateway</html>', true],
		[504, '<html>504 Gateway Time-out</html>', true],
		[408, '', true],
		[404, '<html>Not Found</html>', false],
		[413, '<html>Request Entity Too Large</html>', false],
		[400, '<html>Bad Request</html>', false],
	])('a call-placing request answered HTTP %i without a result code: may have been placed = %s', async (statusCode, body, placed) => {
		const error = await failure({ statusCode, headers: { 'content-type': 'text/html' }, body });
		expect(error).not.toBeInstanceOf(HuaweiApiError);
		expect(mayHaveBeenPlaced(error)).toBe(placed);
		expect(error.message.includes('may or may not have been placed')).toBe(placed);
		// Any other request never says so.
		expect(mayHaveBeenPlaced(await failure({ statusCode, headers: { 'content-type': 'text/html' }, body }, { ...POST_NOTIFY, placesCall: false }))).toBe(false);
	});

	it('a refusal with a result code never says "may have been placed", whatever the status', async () => {
		expect(mayHaveBeenPlaced(await failure(result(500, '1010001', 'Internal system error.')))).toBe(false);
		expect(mayHaveBeenPlaced(await failure(result(503, '1020165', 'The appkey call port of using exceeds the limited.')))).toBe(false);
	});
});

describe('huaweiApiRequest: lost connections', () => {
	// A realistic client error: it carries the request, signed headers included.
	const lost = () =>
		Object.assign(new Error('socket hang up'), {
			code: 'ECONNRESET',
			config: { headers: { 'X-AKSK': 'UsernameToken Username="APPKEY"', leaked: SECRET } },
		});

	it('for a call-placing request: "may have been placed", not retried', async () => {
		const error = await failure(lost());
		expect(error.message).toContain('may or may not have been placed');
		expect(error.message).not.toMatch(/retry/i);
		expect(error.description).toContain('not repeated');
		expect(error.context.itemIndex).toBe(3);
		expect(isNotAcceptedError(error)).toBe(false);
		expect(visible(error)).not.toContain(SECRET);
	});

	it('for any other request: "could not reach" with the address to check', async () => {
		const error = await failure(lost(), { endpoint: ENDPOINTS.callStop, body: {}, itemIndex: 0 });
		expect(error.message).toContain('Could not reach Huawei Voice Call at https://voice.example:443');
		expect(error.message).not.toMatch(/retry/i);
		expect(error.message).not.toContain('placed');
		expect(isNotAcceptedError(error)).toBe(false);
		expect(visible(error)).not.toContain(SECRET);
	});

	it('a timeout of a call-placing request is reported the same way', async () => {
		const error = await failure(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }));
		expect(error.message).toContain('may or may not have been placed');
		expect(isNotAcceptedError(error)).toBe(false);
		expect(mayHaveBeenPlaced(error)).toBe(true);
	});

	it('a timeout as n8n reports it (axios error as the cause of its own) names the timeout', async () => {
		const axiosError = Object.assign(new Error('timeout of 1500ms exceeded'), { code: 'ECONNABORTED' });
		const wrapped = Object.assign(new Error('The connection was aborted, perhaps the server is offline'), { cause: axiosError });
		const error = await failure(wrapped, { ...POST_NOTIFY, timeout: 1500 });
		expect(error.message).toBe('Huawei Voice Call did not answer within 1.5 s: the call may or may not have been placed');
		expect(error.description).toContain('Connection error ECONNABORTED');
		expect(mayHaveBeenPlaced(error)).toBe(true);
	});

	it('an error without any code, for a call-placing request: may have been placed', async () => {
		const error = await failure(new Error('something odd'));
		expect(error.message).toContain('may or may not have been placed');
		expect(mayHaveBeenPlaced(error)).toBe(true);
	});

	it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID'])(
		'a connection never made (%s) never says "placed"',
		async (code) => {
			const error = await failure(Object.assign(new Error(`connect ${code}`), { code }));
			expect(error.message).toContain('Could not reach');
			expect(error.description).toContain('no call was placed');
			expect(mayHaveBeenPlaced(error)).toBe(false);
			expect(visible(error)).not.toContain(SECRET);
		},
	);
});
