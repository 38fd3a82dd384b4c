/**
 * Hosts the Huawei Voice Call Trigger (from its source) behind a real HTTP server on 127.0.0.1, the way n8n
 * 2.41's production webhook path runs a webhook node (read from n8n's source:
 * packages/cli/src/webhooks/live-webhooks.ts, webhook-helpers.ts,
 * webhook-on-received-response-extractor.ts, middlewares/body-parser.ts):
 *
 * - the raw body is read into `req.rawBody`; for a typeVersion-1 node the body is always parsed
 *   (`parseBody`): `application/json` with invalid JSON → n8n answers 422 itself and the node never
 *   runs; `text/plain` → string; form → object; other types → `req.body` stays undefined;
 * - the node's `webhook()` runs with an IWebhookFunctions-like context;
 * - reply semantics: `noWebhookResponse` → n8n sends nothing more (the node replied); no
 *   `workflowData` → `webhookResponse` or 200 `{"message":"Webhook call received"}`; with
 *   `workflowData` and no reply of its own → the description's `responseData` (`noData` → empty
 *   body, a string → that text, default `firstEntryJson` → the literal text);
 * - `workflowData` starts an "execution" (recorded here with its items); a throwing node → 500;
 * - node static data is wrapped in n8n's ObservableObject per request and saved (JSON round trip,
 *   like the database) only when it changed, as LiveWebhooks does after the reply.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	IWebhookResponseData,
} from 'n8n-workflow';
import { ObservableObject } from 'n8n-workflow';

import { http, path, repoRoot, setTimeout } from '../../dev/node.cjs';

/** The trigger's source (compiled by ts-jest), so a test runs against the current code without a build. */
export const TRIGGER_SOURCE = path.join(repoRoot, 'nodes/HuaweiVoiceCallTrigger/HuaweiVoiceCallTrigger.node');

export const NODE_NAME = 'Huawei Voice Call Trigger';

export interface HostCredentials {
	appKey: string;
	appSecret: string;
	baseUrl?: string;
}

export interface WebhookHostOptions {
	/** Node parameters; missing ones take the description's defaults. */
	parameters?: IDataObject;
	credentials?: HostCredentials;
	/** What getNodeWebhookUrl('default') reports (default: the real URL of this server). */
	publicUrl?: string;
}

export interface HostedRequest {
	method: string;
	url: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
	/** Status the node (or n8n's reply logic) produced. */
	status: number;
	/** Status actually sent on the wire (differs when a reply was broken on purpose). */
	wireStatus: number;
	responseBody: string;
	responseHeaders: Record<string, string>;
	/** Whether an execution was started. */
	executed: boolean;
}

export interface HostedExecution {
	items: IDataObject[];
	/** Set when the node threw (n8n then runs an execution that fails). */
	error?: string;
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
	finished: boolean;
}

/** An express-like response that records what the node wrote. */
class FakeResponse {
	readonly reply: Reply = { status: 200, headers: {}, body: '', finished: false };

	get headersSent(): boolean {
		return this.reply.finished;
	}

	get writableEnded(): boolean {
		return this.reply.finished;
	}

	status(code: number): this {
		this.reply.status = code;
		return this;
	}

	setHeader(name: string, value: string): this {
		this.reply.headers[name.toLowerCase()] = String(value);
		return this;
	}

	getHeader(name: string): string | undefined {
		return this.reply.headers[name.toLowerCase()];
	}

	set(name: string, value: string): this {
		return this.setHeader(name, value);
	}

	json(body: unknown): this {
		if (this.reply.headers['content-type'] === undefined) {
			this.setHeader('Content-Type', 'application/json; charset=utf-8');
		}
		return this.end(JSON.stringify(body));
	}

	send(body?: unknown): this {
		if (body === undefined || body === null) return this.end();
		if (typeof body === 'object' && !Buffer.isBuffer(body)) return this.json(body);
		if (typeof body === 'string' && this.reply.headers['content-type'] === undefined) {
			this.setHeader('Content-Type', 'text/html; charset=utf-8');
		}
		return this.end(String(body));
	}

	end(body?: string | Buffer): this {
		if (this.reply.finished) throw new Error('The node answered the same request twice');
		if (body !== undefined) this.reply.body = body.toString();
		this.reply.finished = true;
		return this;
	}
}

function mimeOf(header: string | undefined): { type?: string; charset: BufferEncoding } {
	if (header === undefined) return { charset: 'utf8' };
	const [type, ...params] = header.split(';').map((part) => part.trim());
	const charsetParam = params.find((p) => p.toLowerCase().startsWith('charset='));
	const charset = (charsetParam?.slice(8).toLowerCase() ?? 'utf8') as BufferEncoding;
	return { type: type.toLowerCase(), charset: Buffer.isEncoding(charset) ? charset : 'utf8' };
}

function queryOf(url: string): IDataObject {
	const query: IDataObject = {};
	const index = url.indexOf('?');
	if (index === -1) return query;
	for (const [key, value] of new URLSearchParams(url.slice(index + 1))) {
		const existing = query[key];
		if (existing === undefined) query[key] = value;
		else if (Array.isArray(existing)) (existing as string[]).push(value);
		else query[key] = [existing as string, value];
	}
	return query;
}

export class WebhookHost {
	readonly executions: HostedExecution[] = [];
	readonly requests: HostedRequest[] = [];
	readonly logs: Array<{ level: string; message: string }> = [];

	/** Requests the node sent through `helpers.httpRequest` (the trigger's relay to waiting executions). */
	readonly outgoing: Array<{ method: string; url: string; body: unknown }> = [];

	/** What `helpers.httpRequest` answers (default 200 `{ status: 'resumed' }`). */
	outgoingAnswer: { statusCode: number; body: unknown } = { statusCode: 200, body: { status: 'resumed' } };

	/** Resolves when `count` outgoing requests were sent (bounded by the caller's test timeout). */
	async waitForOutgoing(count: number): Promise<void> {
		while (this.outgoing.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
	}
	/** The workflow's static data as saved (JSON), keyed like n8n: `node:<name>`. */
	savedStaticData: IDataObject = {};
	parameters: IDataObject;
	credentials?: HostCredentials;
	url = '';
	publicUrl?: string;
	private server?: InstanceType<typeof http.Server>;
	private breakRule?: { remaining: number; when: (req: HostedRequest) => boolean };
	private waiters: Array<() => void> = [];
	private loadedType?: INodeType;

	constructor(options: WebhookHostOptions = {}) {
		this.parameters = { ...(options.parameters ?? {}) };
		this.credentials = options.credentials;
		this.publicUrl = options.publicUrl;
	}

	/** The node's static data as n8n would load it for the next request. */
	get nodeStaticData(): IDataObject {
		return (this.savedStaticData[`node:${NODE_NAME}`] ?? {}) as IDataObject;
	}

	/**
	 * The next `count` replies that match `when` reach the caller as 500 instead of what the node
	 * answered: the node ran (and an execution may have started) but its 200 was "lost".
	 */
	breakReplies(count: number, when: (req: HostedRequest) => boolean = () => true): void {
		this.breakRule = { remaining: count, when };
	}

	get nodeType(): INodeType {
		if (this.loadedType === undefined) throw new Error('Call start() first');
		return this.loadedType;
	}

	/** Unique per host, so hosts in one test file do not share the trigger's process memory. */
	readonly workflowId = `hosted-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

	async start(): Promise<this> {
		const loaded = (await import(TRIGGER_SOURCE)) as { HuaweiVoiceCallTrigger: new () => INodeType };
		this.loadedType = new loaded.HuaweiVoiceCallTrigger();
		this.server = http.createServer((req, res) => {
			void this.handle(req, res);
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const address = this.server.address() as { port: number };
		this.url = `http://127.0.0.1:${address.port}/webhook/6f1c1a4e-93b5-4c55-9d8e-0d1f3b0e7a11/webhook`;
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}

	/** Resolves once `count` executions were recorded (rejects after timeoutMs). */
	async waitForExecutions(count: number, timeoutMs = 10000): Promise<HostedExecution[]> {
		const deadline = Date.now() + timeoutMs;
		while (this.executions.length < count) {
			const left = deadline - Date.now();
			if (left <= 0) {
				throw new Error(`Expected ${count} executions, got ${this.executions.length}`);
			}
			await new Promise<void>((resolve) => {
				this.waiters.push(resolve);
				setTimeout(() => resolve(), Math.min(left, 200));
			});
		}
		return this.executions;
	}

	/** All items of all executions, in order. */
	get items(): IDataObject[] {
		return this.executions.flatMap((execution) => execution.items);
	}

	private parameterDefaults(): IDataObject {
		const defaults: IDataObject = {};
		for (const property of this.nodeType.description.properties as INodeProperties[]) {
			if (property.type === 'notice') continue;
			defaults[property.name] = property.default as IDataObject[string];
		}
		return defaults;
	}

	private async handle(req: InstanceType<typeof http.IncomingMessage>, res: InstanceType<typeof http.ServerResponse>) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const raw = Buffer.concat(chunks);
		const record: HostedRequest = {
			method: req.method ?? '',
			url: req.url ?? '',
			headers: req.headers,
			body: raw.toString('utf8'),
			status: 0,
			wireStatus: 0,
			responseBody: '',
			responseHeaders: {},
			executed: false,
		};
		const reply = await this.process(req, raw, record);
		record.status = reply.status;
		record.responseBody = reply.body;
		record.responseHeaders = reply.headers;
		let wire = reply;
		if (this.breakRule && this.breakRule.remaining > 0 && this.breakRule.when(record)) {
			this.breakRule.remaining--;
			wire = { status: 500, headers: { 'content-type': 'text/plain' }, body: 'reply lost', finished: true };
		}
		record.wireStatus = wire.status;
		this.requests.push(record);
		res.writeHead(wire.status, wire.headers);
		res.end(wire.body);
		for (const wake of this.waiters.splice(0)) wake();
	}

	private async process(
		req: InstanceType<typeof http.IncomingMessage>,
		raw: Buffer,
		record: HostedRequest,
	): Promise<Reply> {
		const pathname = (req.url ?? '').split('?')[0];
		const webhookDescription = this.nodeType.description.webhooks![0];
		if (pathname !== new URL(this.url).pathname || req.method !== webhookDescription.httpMethod) {
			return jsonReply(404, {
				code: 404,
				message: `The requested webhook "${req.method} ${pathname}" is not registered.`,
			});
		}

		// n8n: rawBodyReader + parseBody (typeVersion 1 always parses).
		const { type: contentType, charset } = mimeOf(req.headers['content-type']);
		let body: unknown;
		if (raw.length > 0) {
			if (contentType === 'application/json') {
				try {
					body = JSON.parse(raw.toString(charset));
				} catch (error) {
					return jsonReply(422, {
						code: 422,
						message: 'Failed to parse request body',
						hint: (error as Error).message,
					});
				}
			} else if (contentType === 'application/x-www-form-urlencoded') {
				body = Object.fromEntries(new URLSearchParams(raw.toString(charset)));
			} else if (contentType === 'text/plain') {
				body = raw.toString(charset);
			}
		}

		const response = new FakeResponse();
		const url = req.url ?? '';
		const request = {
			method: req.method,
			url,
			originalUrl: url,
			headers: req.headers,
			query: queryOf(url),
			params: {},
			body,
			rawBody: raw,
			contentType,
			encoding: charset,
			readRawBody: async () => undefined,
		};

		// Static data as loaded from the database, observable for this request.
		const staticData = ObservableObject.create(
			JSON.parse(JSON.stringify(this.savedStaticData)) as IDataObject,
		) as IDataObject & { __dataChanged?: boolean };
		const parameters = { ...this.parameterDefaults(), ...this.parameters };
		const context = {
			getNode: () => ({
				id: 'c0ffee00-0000-4000-8000-000000000001',
				name: NODE_NAME,
				type: 'n8n-nodes-huawei-voicecall.huaweiVoiceCallTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters,
				webhookId: '6f1c1a4e-93b5-4c55-9d8e-0d1f3b0e7a11',
			}),
			// Each host is its own workflow: the trigger's process memory is per workflow and node.
			getWorkflow: () => ({ id: this.workflowId, name: 'hosted trigger', active: true }),
			getNodeParameter: (name: string, fallback?: unknown) =>
				parameters[name] !== undefined ? parameters[name] : fallback,
			getBodyData: () => body,
			getHeaderData: () => req.headers,
			getQueryData: () => request.query,
			getParamsData: () => ({}),
			getRequestObject: () => request,
			getResponseObject: () => response,
			getNodeWebhookUrl: () => this.publicUrl ?? this.url,
			getWebhookName: () => 'default',
			getWorkflowStaticData: (type: string) => {
				const key = type === 'global' ? 'global' : `node:${NODE_NAME}`;
				if (staticData[key] === undefined) {
					staticData[key] = ObservableObject.create({}, staticData as never) as IDataObject;
				}
				return staticData[key] as IDataObject;
			},
			getCredentials: async (name: string) => {
				if (name !== 'huaweiVoiceCallApi' || this.credentials === undefined) {
					throw new Error('Node does not have any credentials set');
				}
				return { ...this.credentials };
			},
			getMode: () => 'webhook',
			logger: {
				debug: (message: string) => this.logs.push({ level: 'debug', message }),
				info: (message: string) => this.logs.push({ level: 'info', message }),
				warn: (message: string) => this.logs.push({ level: 'warn', message }),
				error: (message: string) => this.logs.push({ level: 'error', message }),
			},
			helpers: {
				returnJsonArray: (data: IDataObject | IDataObject[]): INodeExecutionData[] =>
					(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
				httpRequest: async (options: { method?: string; url: string; body?: unknown }) => {
					this.outgoing.push({ method: options.method ?? 'GET', url: options.url, body: options.body });
					return { ...this.outgoingAnswer, headers: {} };
				},
			},
		};

		let result: IWebhookResponseData;
		try {
			result = await this.nodeType.webhook!.call(context as never);
		} catch (error) {
			// n8n: 500 "Workflow could not be started", and an execution that fails.
			this.executions.push({ items: [], error: (error as Error).message });
			record.executed = true;
			return jsonReply(500, { code: 0, message: 'Workflow Webhook Error: Workflow could not be started!' });
		}

		// LiveWebhooks saves the static data once the request is answered, if it changed.
		if (staticData.__dataChanged === true) {
			this.savedStaticData = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		}

		if (result.workflowData !== undefined) {
			this.executions.push({ items: (result.workflowData[0] ?? []).map((item) => item.json) });
			record.executed = true;
		}
		if (result.noWebhookResponse === true) {
			if (!response.reply.finished) {
				// n8n would leave the caller hanging; fail loudly instead.
				return { status: 599, headers: {}, body: 'node returned noWebhookResponse without replying', finished: true };
			}
			return response.reply;
		}
		if (response.reply.finished) {
			throw new Error('The node replied itself but did not return noWebhookResponse');
		}
		if (result.workflowData === undefined) {
			return jsonReply(200, result.webhookResponse ?? { message: 'Webhook call received' });
		}
		// onReceived with workflowData: the description's responseData (default 'firstEntryJson').
		const responseData = (webhookDescription.responseData as string | undefined) ?? 'firstEntryJson';
		if (responseData === 'noData') return { status: 200, headers: {}, body: '', finished: true };
		return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: responseData, finished: true };
	}
}

function jsonReply(status: number, body: unknown): Reply {
	if (typeof body === 'string') {
		return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body, finished: true };
	}
	return {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8' },
		body: JSON.stringify(body),
		finished: true,
	};
}

export async function startWebhookHost(options: WebhookHostOptions = {}): Promise<WebhookHost> {
	return await new WebhookHost(options).start();
}
