import type { IDataObject } from 'n8n-workflow';

import type { WakeToken } from '../../shared/wakeToken';

/**
 * Forwarding a push to the execution that waits for its call ("call and wait"): the trigger has
 * answered the platform already, then POSTs the push item to n8n's waiting webhook of that
 * execution, `<n8n>/webhook-waiting/<execution id>?signature=<resume token>` (docs/n8n.md §3–4).
 * The waiting node's webhook decides whether the push ends the wait.
 *
 * n8n's answers (n8n/dist/webhooks/waiting-webhooks.js, active-executions):
 * - 200: delivered; the waiting node resumed the execution or keeps waiting.
 * - 409 "… has finished already" / "… finished with error", or 500 "already resuming": another
 *   push resumed it first. Final: never retried.
 * - 409 "… is running already": either resumed already, or the call was so quick that its final
 *   push arrived before the execution had reached its wait. Only this answer is retried, with
 *   growing pauses for at most RUNNING_RETRY_BUDGET_MS; a resumed execution answers "finished" by
 *   then, or its waiting node ignores a push of another call, so a retry can never resume twice.
 * - 401: the token is wrong (a forged or mangled push). Final.
 * - 404 and anything else: final; logged.
 */

/**
 * The events that can end a wait (the waiting node's decide(): the callee's keys, the end of the
 * call, or the CDR when that push was lost). callout, alerting and answer never do, so they are not
 * forwarded: each forward makes n8n load the whole waiting execution, and in call order they would
 * only delay the deciding push.
 */
export const RELAYED_EVENTS: readonly string[] = ['collectInfo', 'disconnect', 'cdr'];

export const RUNNING_RETRY_BUDGET_MS = 30_000;
const FIRST_RETRY_MS = 250;
const MAX_RETRY_PAUSE_MS = 4_000;

export type RelayOutcome =
	| 'delivered'
	| 'alreadyResumed'
	| 'refused'
	| 'notFound'
	| 'stillRunning'
	| 'failed';

export interface RelayAnswer {
	statusCode: number;
	body: unknown;
}

export interface RelayDeps {
	/** One POST; resolves with the answer whatever its status, rejects only for a network failure. */
	post(url: string, body: IDataObject): Promise<RelayAnswer>;
	wait(ms: number): Promise<void>;
	now(): number;
}

/** What the trigger posts to the waiting execution: the push as the trigger parsed it. */
export function relayBody(item: IDataObject): IDataObject {
	return { source: 'huaweiVoiceCallTrigger', push: item };
}

/**
 * `<n8n base>/webhook-waiting`, from this trigger's production URL (`<n8n base>/webhook/<id>/webhook`)
 * or from the user's override. Undefined when the trigger's URL has an unexpected shape.
 */
export function waitingUrlPrefix(ownWebhookUrl: string | undefined, override: string): string | undefined {
	const configured = override.trim().replace(/\/+$/, '');
	if (configured !== '') return /^https?:\/\/[^/]/i.test(configured) ? configured : undefined;
	if (ownWebhookUrl === undefined) return undefined;
	// Drop the query, then "/<endpoint>/<webhookId>/<path>": what is left is n8n's webhook base.
	const match = /^(https?:\/\/.+?)\/[^/?#]+\/[^/?#]+\/[^/?#]+$/i.exec(ownWebhookUrl.split('?')[0]);
	return match === null ? undefined : `${match[1]}/webhook-waiting`;
}

/** The waiting webhook URL of one execution. The token is in it: never log it. */
export function waitingUrl(prefix: string, wake: WakeToken): string {
	return `${prefix}/${wake.executionId}?signature=${wake.resumeToken}`;
}

function messageOf(body: unknown): string {
	if (typeof body === 'string') return body;
	if (typeof body === 'object' && body !== null && typeof (body as IDataObject).message === 'string') {
		return (body as IDataObject).message as string;
	}
	return '';
}

/** Classifies one answer: a final outcome, or undefined for "running already" (retry). */
export function classifyAnswer(answer: RelayAnswer): RelayOutcome | undefined {
	const message = messageOf(answer.body);
	if (answer.statusCode >= 200 && answer.statusCode < 300) return 'delivered';
	if (answer.statusCode === 409 && /running already/i.test(message)) return undefined;
	if (answer.statusCode === 409) return 'alreadyResumed';
	if (answer.statusCode === 500 && /already (being )?resum/i.test(message)) return 'alreadyResumed';
	if (answer.statusCode === 401 || answer.statusCode === 403) return 'refused';
	if (answer.statusCode === 404) return 'notFound';
	return 'failed';
}

export interface RelayResult {
	outcome: RelayOutcome;
	attempts: number;
	/** n8n's last answer, for the log: status and message (n8n's messages carry no token). */
	detail: string;
}

/** Forwards one push item to one waiting execution, with the retry policy above. Never throws. */
export async function relayToWaitingExecution(
	deps: RelayDeps,
	prefix: string,
	wake: WakeToken,
	item: IDataObject,
): Promise<RelayResult> {
	const url = waitingUrl(prefix, wake);
	const startedAt = deps.now();
	let pause = FIRST_RETRY_MS;
	for (let attempts = 1; ; attempts++) {
		let answer: RelayAnswer;
		try {
			answer = await deps.post(url, relayBody(item));
		} catch (error) {
			const code = (error as { code?: unknown }).code;
			return { outcome: 'failed', attempts, detail: `no answer${typeof code === 'string' ? ` (${code})` : ''}` };
		}
		const detail = `HTTP ${answer.statusCode} ${messageOf(answer.body).slice(0, 120)}`.trim();
		const outcome = classifyAnswer(answer);
		if (outcome !== undefined) return { outcome, attempts, detail };
		if (deps.now() - startedAt + pause > RUNNING_RETRY_BUDGET_MS) return { outcome: 'stillRunning', attempts, detail };
		await deps.wait(pause);
		pause = Math.min(MAX_RETRY_PAUSE_MS, pause * 2);
	}
}
