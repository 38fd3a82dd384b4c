import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { branchCount, decide, type WaitSettings } from './decide';
import { onBranch } from './outputs';
import { WAIT_CONTEXT_KEY, type WaitingItem } from './placeAndWait';

/**
 * The webhook() side of "call and wait": the Huawei Voice Call Trigger forwards a push of the
 * waited-for call to `<n8n>/webhook-waiting/<execution id>?signature=<resume token>`; n8n has
 * checked the token before calling this (n8n/dist/webhooks/waiting-webhooks.js). Returning
 * `workflowData` resumes the execution on the chosen branch; returning none keeps it waiting
 * (docs/n8n.md §4). n8n lets only one resume through, however many pushes arrive at once.
 */

interface ResponseLike {
	status(code: number): ResponseLike;
	json(body: unknown): unknown;
}

function refuse(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	(this.getResponseObject() as unknown as ResponseLike).status(status).json({ message });
	return { noWebhookResponse: true };
}

const isObject = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What this node waits for, from its node context (see WAIT_CONTEXT_KEY): it names the call. The
 * same execution may wait again for another call (a loop); a late push of an earlier call must not
 * end the later wait, so the push's sessionId must match this one.
 */
function waitingItemOf(this: IWebhookFunctions): WaitingItem | undefined {
	const name = JSON.stringify(this.getNode().name);
	const value: unknown = this.evaluateExpression(`{{ $(${name}).context[${JSON.stringify(WAIT_CONTEXT_KEY)}] }}`, 0);
	if (!isObject(value) || value.waiting !== true || typeof value.sessionId !== 'string') return undefined;
	return value as WaitingItem;
}

/** The request fields of the waiting item, without its bookkeeping. */
function requestFields(waiting: WaitingItem): IDataObject {
	const fields: IDataObject = {};
	for (const [key, value] of Object.entries(waiting)) {
		if (key !== 'waiting' && key !== 'waitSettings' && key !== 'waitingUntil') fields[key] = value;
	}
	return fields;
}

export async function waitingWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const body = this.getBodyData();
	const push = body.push;
	if (body.source !== 'huaweiVoiceCallTrigger' || !isObject(push) || typeof push.sessionId !== 'string') {
		return refuse.call(this, 400, 'Expected a push forwarded by the Huawei Voice Call Trigger');
	}
	const waiting = waitingItemOf.call(this);
	if (waiting === undefined) return refuse.call(this, 409, 'This execution does not wait for a call');
	if (push.sessionId !== waiting.sessionId) {
		return { webhookResponse: { status: 'ignored', reason: 'The push belongs to another call' } };
	}

	const settings = waiting.waitSettings as unknown as WaitSettings;
	const decision = decide(settings, push);
	if (!decision.final) return { webhookResponse: { status: 'waiting', reason: decision.reason } };

	const json: IDataObject = { ...requestFields(waiting), ...decision.fields };
	return {
		webhookResponse: { status: 'resumed' },
		workflowData: onBranch(branchCount(settings), decision.branch, [{ json, pairedItem: { item: 0 } }]),
	};
}
