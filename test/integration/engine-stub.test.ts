/**
 * The first real-engine test: n8n-core's WorkflowExecute runs the built action node with our
 * credential against a bare local HTTP stub (not the emulator), so what goes on the wire is checked
 * independently of any Huawei-aware code.
 */
import { createHmac } from 'crypto';

import { http, type stream } from '../../dev/node.cjs';
import vectors from '../fixtures/spec-vectors.json';
import { actionWorkflow, runWorkflow } from '../helpers/engine';

interface Captured {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

const { appKey, appSecret } = vectors.testCredential;
let server: ReturnType<typeof http.createServer>;
let baseUrl = '';
const captured: Captured[] = [];
let answer = { status: 200, body: '{"resultcode":"0","resultdesc":"Success."}' };

beforeAll(async () => {
	server = http.createServer((req: InstanceType<typeof stream.Readable> & { method?: string; url?: string; headers: Captured['headers'] }, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			captured.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
			res.writeHead(answer.status, { 'Content-Type': 'application/json;charset=UTF-8', Connection: 'close' });
			res.end(answer.body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const address = server.address() as { port: number };
	baseUrl = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => await new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
	captured.length = 0;
	answer = { status: 200, body: '{"resultcode":"0","resultdesc":"Success."}' };
});

const credentials = () => ({ huaweiVoiceCallApi: { baseUrl: `${baseUrl}/`, appKey, appSecret } });
const terminate = { resource: 'call', operation: 'terminate', sessionId: '1202_566_0_20161228102743@callenabler.home1.com' };

test('a signed Terminate request reaches the stub exactly as docs/platform.md describes', async () => {
	const result = await runWorkflow(actionWorkflow(terminate), { credentials: credentials() });
	expect(result.error).toBeUndefined();
	expect(result.output('Huawei Voice Call')[0].json).toMatchObject({ terminated: true, resultcode: '0' });

	expect(captured).toHaveLength(1);
	const [request] = captured;
	expect(request.method).toBe('POST');
	expect(request.url).toBe('/rest/httpsessions/callStop/v2.0');
	expect(request.headers['content-type']).toBe('application/json;charset=UTF-8');
	expect(request.headers.authorization).toBe('AKSK realm="SDP",profile="UsernameToken",type="Appkey"');
	expect(JSON.parse(request.body)).toEqual({ sessionid: terminate.sessionId, signal: 'call_stop' });

	// Verify the X-AKSK header by hand, with an HMAC written here rather than the package's signer.
	const xaksk = String(request.headers['x-aksk']);
	const match = /^UsernameToken Username="([^"]+)", PasswordDigest="([^"]+)", Nonce="([0-9A-F]{32})", Created="(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)"$/.exec(xaksk);
	expect(match).not.toBeNull();
	const [, username, digest, nonce, created] = match!;
	expect(username).toBe(appKey);
	expect(digest).toBe(createHmac('sha256', appSecret).update(nonce + created).digest('base64'));
	expect(Math.abs(Date.parse(created) - Date.now())).toBeLessThan(60_000);
	expect(JSON.stringify(captured)).not.toContain(appSecret);
});

test('a platform error becomes a NodeApiError naming the code, with no secret in it', async () => {
	answer = { status: 403, body: '{"resultcode":"1010002","resultdesc":"Invalid request.The session does not exist."}' };
	const result = await runWorkflow(actionWorkflow(terminate), { credentials: credentials() });
	expect(captured).toHaveLength(1);
	const error = result.error!;
	expect(error).toBeDefined();
	expect(error.message).toContain('1010002');
	expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(appSecret);
	expect(JSON.stringify(result.run.data)).not.toContain(appSecret);
});

test('an "accepted" answer without a sessionId to a call-placing request: an error item that says the call may have been placed', async () => {
	answer = { status: 200, body: '{"resultcode":"0","resultdesc":"Success."}' };
	const wf = actionWorkflow({
		resource: 'notification',
		operation: 'send',
		displayNbr: '+8675528000001',
		calleeNbr: '+8613800000001',
		playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
	});
	wf.nodes[0].onError = 'continueRegularOutput';
	const result = await runWorkflow(wf, { credentials: credentials() });
	expect(captured).toHaveLength(1);
	const [item] = result.output('Huawei Voice Call');
	expect(item.json).toMatchObject({ mayHaveBeenPlaced: true, error: 'Huawei Voice Call answered without a sessionId: the call may or may not have been placed' });
	expect(String(item.json.description)).toContain('deliberately not repeated');
});
