import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { dropDeliveredRecords } from './dedupe';
import { parsePush, parsePushText, type TriggerEvent } from './parse';
import { applyStatusEvent, type TimelineMemory } from './timeline';
import { candidateUrls, rawQueryOf, verifyPushSignature, verifyToken } from './verify';

/**
 * The trigger's request handling: verify (optional) → content type and size → parse → remember
 * the call timeline → filter events → drop duplicate CDRs → reply, then hand the items to n8n.
 *
 * Every reply is written here and `noWebhookResponse: true` is returned, so n8n adds nothing (an
 * `onReceived` trigger would otherwise answer with the text `firstEntryJson`). Accepted pushes get
 * an empty 200 before the workflow starts.
 */

/** Largest accepted body. CDR pushes of 50 records are about 60 KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

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

export async function handlePush(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = this.getRequestObject() as unknown as RequestLike;
	const res = this.getResponseObject() as unknown as ResponseLike;
	const headers = this.getHeaderData() as Record<string, unknown>;

	// 1. Authentication (optional). Checked first, so an unauthenticated caller learns nothing else.
	const token = this.getNodeParameter('token', '') as string;
	if (token !== '' && !verifyToken(token, (this.getQueryData() as IDataObject).token)) {
		this.logger.warn('Huawei Voice Call Trigger: push refused, the token is wrong or missing');
		return reply(res, 401, 'Unauthorized');
	}
	if (this.getNodeParameter('verifySignature', false) as boolean) {
		const credentials = await this.getCredentials('huaweiVoiceCallApi');
		const webhookUrl = this.getNodeWebhookUrl('default') ?? '';
		const result = verifyPushSignature({
			headers,
			appKey: String(credentials.appKey ?? ''),
			appSecret: String(credentials.appSecret ?? ''),
			urls: candidateUrls(webhookUrl, rawQueryOf(req.originalUrl ?? req.url)),
			nowMs: Date.now(),
			windowSeconds: (this.getNodeParameter('clockToleranceMinutes', 15) as number) * 60,
		});
		if (!result.ok) {
			this.logger.warn(`Huawei Voice Call Trigger: push refused, ${result.reason}`);
			return reply(res, 401, 'Unauthorized');
		}
	}

	// 2. Transport checks.
	if (!isJsonContentType(headers['content-type'])) {
		return reply(res, 415, 'Content-Type must be application/json');
	}
	const body = await readBody(req);
	if (body.tooLarge) return reply(res, 413, `The body is larger than ${MAX_BODY_BYTES} bytes`);

	// 3. Parse and validate.
	const parsed =
		body.bytes !== undefined
			? parsePushText(Buffer.from(body.bytes).toString('utf8'))
			: parsePush(this.getBodyData());
	if (!parsed.ok) return reply(res, 400, parsed.reason);

	const events = this.getNodeParameter('events', []) as TriggerEvent[];
	const staticData = this.getWorkflowStaticData('node');
	let items: IDataObject[];

	if (parsed.kind === 'status') {
		// 4. Remember the call's timeline (also for unselected events) to time the disconnect.
		const { item, event } = parsed;
		const update = applyStatusEvent(
			(staticData.calls ?? {}) as TimelineMemory,
			event,
			String(item.sessionId),
			item.timestamp,
		);
		// Assigned (not mutated) so n8n sees the change and saves the static data.
		if (update.changed) staticData.calls = update.memory;
		if (update.durations !== undefined) {
			item.ringSeconds = update.durations.ringSeconds;
			item.talkSeconds = update.durations.talkSeconds;
			item.legs = update.durations.legs;
		}
		if (!events.includes(event)) return reply(res, 200);
		items = [item];
	} else {
		if (!events.includes('cdr')) return reply(res, 200);
		items = parsed.items;
		// 5. Drop CDRs already delivered (a re-sent push whose 200 was lost).
		if (this.getNodeParameter('dropDuplicates', true) as boolean) {
			const { fresh, duplicates, keys } = dropDeliveredRecords(items, staticData.deliveredCdrs);
			if (duplicates > 0) {
				this.logger.info(`Huawei Voice Call Trigger: dropped ${duplicates} duplicate CDR(s)`);
			}
			if (fresh.length === 0) return reply(res, 200);
			staticData.deliveredCdrs = keys;
			items = fresh;
		}
	}

	reply(res, 200);
	return {
		noWebhookResponse: true,
		workflowData: [this.helpers.returnJsonArray(items)],
	};
}
