import { sleep, type IDataObject, type IWebhookFunctions, type IWebhookResponseData } from 'n8n-workflow';

import type { CallOutcome } from '../../shared/codes';
import { CREDENTIAL_TYPE } from '../../shared/transport/request';
import { splitWakeToken, type WakeToken } from '../../shared/wakeToken';
import { responseTimes } from './callTimelines';
import { adoptStaticCopy, dropLegacyTimelines, memoryOf, writeStaticCopy, type TriggerMemory } from './memory';
import { parsePush, parsePushText, type TriggerEvent } from './parse';
import { MAX_BODY_BYTES } from './pushShape';
import { RELAYED_EVENTS, relayToWaitingExecution, waitingUrlPrefix, type RelayAnswer } from './relay';
import type { StatusEvent } from './status';
import { candidateUrls, rawQueryOf, verifyPushSignature, verifyToken } from './verify';

/**
 * The trigger's request handling: verify (optional) → content type and size → parse → remember the
 * call's events → drop CDRs already delivered → take wake tokens → reply → relay pushes of waiting
 * calls to their executions → hand the selected items to n8n.
 *
 * Every reply is written here and `noWebhookResponse: true` is returned, so n8n adds nothing (an
 * `onReceived` trigger would otherwise answer with the text `firstEntryJson`). Accepted pushes get
 * an empty 200 before the workflow starts; refused ones a 4xx and no execution.
 */

interface RequestLike {
	rawBody?: unknown;
	readRawBody?: () => Promise<void>;
	headers?: Record<string, unknown>;
	originalUrl?: string;
	url?: string;
}

interface ResponseLike {
	status(code: number): ResponseLike;
	setHeader(name: string, value: string): unknown;
	json(body: unknown): unknown;
	end(): unknown;
}

function reply(res: ResponseLike, status: number, message?: string): IWebhookResponseData {
	if (message === undefined) {
		res.status(status);
		res.setHeader('Content-Type', 'application/json;charset=UTF-8');
		res.end();
	} else {
		res.status(status).json({ message });
	}
	return { noWebhookResponse: true };
}

function isJsonContentType(header: unknown): boolean {
	if (typeof header !== 'string') return false;
	const mime = header.split(';')[0].trim().toLowerCase();
	return mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json');
}

/** The raw body: n8n's `rawBody`, else read it, else undefined (then the parsed body is used). */
async function readBody(req: RequestLike): Promise<{ bytes?: Uint8Array; tooLarge: boolean }> {
	const declared = Number(req.headers?.['content-length']);
	if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return { tooLarge: true };
	if (!(req.rawBody instanceof Uint8Array) && typeof req.readRawBody === 'function') {
		await req.readRawBody();
	}
	if (req.rawBody instanceof Uint8Array) {
		return { bytes: req.rawBody, tooLarge: req.rawBody.length > MAX_BODY_BYTES };
	}
	return { tooLarge: false };
}

/** Checks the optional token and signature; the reason when the push must be refused with 401. */
async function authenticationFailure(this: IWebhookFunctions, req: RequestLike): Promise<string | undefined> {
	const token = this.getNodeParameter('token', '') as string;
	if (token !== '' && !verifyToken(token, (this.getQueryData() as IDataObject).token)) {
		return 'the token is wrong or missing';
	}
	if (!(this.getNodeParameter('verifySignature', false) as boolean)) return undefined;
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const result = verifyPushSignature({
		headers: this.getHeaderData() as Record<string, unknown>,
		appKey: String(credentials.appKey ?? ''),
		appSecret: String(credentials.appSecret ?? ''),
		urls: candidateUrls(this.getNodeWebhookUrl('default') ?? '', rawQueryOf(req.originalUrl ?? req.url)),
		nowMs: Date.now(),
		windowSeconds: (this.getNodeParameter('clockToleranceMinutes', 15) as number) * 60,
	});
	return result.ok ? undefined : result.reason;
}

/** Remembers a status event's time, and gives a disconnect the durations of its earlier events. */
function applyToTimeline(this: IWebhookFunctions, memory: TriggerMemory, event: StatusEvent, item: IDataObject): void {
	const sessionId = String(item.sessionId);
	if (event === 'callout' || event === 'alerting' || event === 'answer') {
		if (!memory.calls.record(event, sessionId, item.timestamp, Date.now()) && memory.calls.untracked % 1000 === 1) {
			this.logger.warn(
				`Huawei Voice Call Trigger: ${memory.calls.untracked} call(s) not tracked, ${memory.calls.size} calls in progress fill the memory; their disconnects will have no durations`,
			);
		}
	} else if (event === 'disconnect') {
		Object.assign(item, memory.calls.disconnect(sessionId, item.timestamp, item.outcome as CallOutcome));
	} else {
		// collectInfo: how long it rang, and how long after answering the keys were pressed; the
		// digits are kept for the disconnect (call and wait decides from them in any push order).
		Object.assign(item, responseTimes(memory.calls.peek(sessionId), item.timestamp));
		memory.calls.record(event, sessionId, item.timestamp, Date.now(), String(item.digits ?? ''));
	}
}

/** Keeps the CDR records not delivered before (recorded in the same synchronous step). */
function freshRecords(this: IWebhookFunctions, memory: TriggerMemory, records: IDataObject[]): IDataObject[] {
	const staticData = this.getWorkflowStaticData('node');
	const nowMs = Date.now();
	adoptStaticCopy(memory, staticData, nowMs);
	const forgottenBefore = memory.cdrs.forgottenEarly;
	const fresh = memory.cdrs.claim(records.map((record) => String(record.dedupeKey)), nowMs);
	const kept = records.filter((_record, index) => fresh[index]);
	if (kept.length < records.length) {
		this.logger.info(`Huawei Voice Call Trigger: dropped ${records.length - kept.length} duplicate CDR(s)`);
	}
	if (memory.cdrs.forgottenEarly > forgottenBefore) {
		this.logger.warn(
			`Huawei Voice Call Trigger: more than ${memory.cdrs.capacity} CDRs within the platform's re-send window; a re-send of the oldest would run the workflow again`,
		);
	}
	if (kept.length > 0) writeStaticCopy(memory, staticData);
	return kept;
}

interface Relay {
	wake: WakeToken;
	item: IDataObject;
}

/** Removes the wake token from every item's userData; returns the items to forward (RELAYED_EVENTS). */
function takeWakeTokens(items: IDataObject[]): Relay[] {
	const relays: Relay[] = [];
	for (const item of items) {
		const { userData, wake } = splitWakeToken(item.userData);
		if (wake === undefined) continue;
		item.userData = userData as string;
		item.waitingExecutionId = wake.executionId;
		if (RELAYED_EVENTS.includes(String(item.event))) relays.push({ wake, item });
	}
	return relays;
}

/**
 * Relays of one call, in push order: the next push of a call is forwarded only when the previous
 * one has its answer (the platform sends them in order; forwarding them in parallel could let a
 * disconnect overtake the collectInfo with the callee's keys). Entries go when their chain ends.
 */
const relayChains = new Map<string, Promise<void>>();

function inCallOrder(key: string, relay: () => Promise<void>): void {
	const next = (relayChains.get(key) ?? Promise.resolve()).then(relay, relay);
	relayChains.set(key, next);
	void next.then(() => {
		if (relayChains.get(key) === next) relayChains.delete(key);
	});
}

/** Forwards each push item to its waiting execution, in call order. Logs outcomes, never the URL. */
async function relayPushes(this: IWebhookFunctions, relays: Relay[], override: string): Promise<void> {
	const prefix = waitingUrlPrefix(this.getNodeWebhookUrl('default'), override);
	if (prefix === undefined) {
		this.logger.warn(
			'Huawei Voice Call Trigger: cannot tell the n8n waiting-webhook URL from this trigger\'s URL; set Options → Waiting Webhook URL',
		);
		return;
	}
	const deps = {
		post: async (url: string, body: IDataObject): Promise<RelayAnswer> => {
			const response = (await this.helpers.httpRequest({
				method: 'POST',
				url,
				body,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: 30_000,
			})) as { statusCode: number; body: unknown };
			return { statusCode: Number(response.statusCode), body: response.body };
		},
		wait: async (ms: number) => await sleep(ms),
		now: () => Date.now(),
	};
	for (const { wake, item } of relays) {
		inCallOrder(`${wake.executionId}|${String(item.sessionId)}`, async () => {
			const { outcome, attempts, detail } = await relayToWaitingExecution(deps, prefix, wake, item);
			const what = `${String(item.event)} of ${String(item.sessionId)} → execution ${wake.executionId}: ${outcome} after ${attempts} attempt(s), ${detail}`;
			if (outcome === 'delivered' || outcome === 'alreadyResumed') this.logger.debug(`Huawei Voice Call Trigger: relayed ${what}`);
			else this.logger.warn(`Huawei Voice Call Trigger: relay of ${what}`);
		});
	}
}

export async function handlePush(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as RequestLike;
	const res = this.getResponseObject() as unknown as ResponseLike;

	// 1. Authentication (optional). Checked first, so an unauthenticated caller learns nothing else.
	const refused = await authenticationFailure.call(this, req);
	if (refused !== undefined) {
		this.logger.warn(`Huawei Voice Call Trigger: push refused, ${refused}`);
		return reply(res, 401, 'Unauthorized');
	}

	// 2. Transport checks.
	if (!isJsonContentType((this.getHeaderData() as IDataObject)['content-type'])) {
		return reply(res, 415, 'Content-Type must be application/json');
	}
	const body = await readBody(req);
	if (body.tooLarge) return reply(res, 413, `The body is larger than ${MAX_BODY_BYTES} bytes`);

	// 3. Parse and validate. From here to the reply nothing awaits, so the memory's check-and-record
	// steps cannot interleave with another push handled by this process.
	const parsed =
		body.bytes !== undefined ? parsePushText(new TextDecoder().decode(body.bytes)) : parsePush(this.getBodyData());
	if (!parsed.ok) return reply(res, 400, parsed.reason);

	const events = this.getNodeParameter('events', []) as TriggerEvent[];
	const memory = memoryOf(this.getWorkflow().id, this.getNode().id);
	let items: IDataObject[];
	if (parsed.kind === 'status') {
		// 4. The call's timeline, also for events that do not start the workflow.
		applyToTimeline.call(this, memory, parsed.event, parsed.item);
		dropLegacyTimelines(this.getWorkflowStaticData('node'));
		items = [parsed.item];
	} else {
		// 5. CDRs already delivered (a re-sent push whose 200 was lost).
		items = (this.getNodeParameter('dropDuplicates', true) as boolean)
			? freshRecords.call(this, memory, parsed.items)
			: parsed.items;
	}

	// 6. Pushes of calls an execution waits for ("call and wait"): strip the token from the items.
	const relays = takeWakeTokens(items);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const deliver = items.filter(
		(item) =>
			events.includes(item.event as TriggerEvent) &&
			(options.runForWaitingCalls === true || item.waitingExecutionId === undefined),
	);

	reply(res, 200);
	// Not awaited: n8n holds its expression isolate until webhook() returns, and the waiting
	// execution's webhook needs it too (docs/n8n.md §7).
	if (relays.length > 0) void relayPushes.call(this, relays, String(options.waitingWebhookUrl ?? ''));
	if (deliver.length === 0) return { noWebhookResponse: true };
	return {
		noWebhookResponse: true,
		workflowData: [this.helpers.returnJsonArray(deliver)],
	};
}
