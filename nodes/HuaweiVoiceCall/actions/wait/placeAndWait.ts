import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { runPaced } from '../../../shared/transport/pacing';
import { markMayHaveBeenPlaced } from '../../../shared/transport/request';
import { appendWakeToken, isWakeToken, resumeTokenOf, USER_DATA_MAX_WITH_WAKE_TOKEN } from '../../../shared/wakeToken';
import { FieldError } from '../../validation';
import { readRunOptions } from '../runOptions';
import { callBudget, readGuardrails, refusalOf, type Guardrails } from '../guardrails';
import type { WaitingOperationModule } from '../types';
import { branchCount, fallbackBranch, timedOutFields, type WaitSettings } from './decide';
import { waitTillFromParameters } from './descriptions';
import { onBranch } from './outputs';

/**
 * The execute() side of "call and wait": validate the one input item, place its call with a wake
 * token in userData, and put the execution to wait (docs/n8n.md §4). The node's webhook() (see
 * webhook.ts) continues it when the trigger forwards a deciding push.
 */

/**
 * Where the waiting node keeps what it waits for, in its node context: n8n stores the context with
 * the execution, and webhook() reads it back with `$('<node>').context` (n8n drops the node's own
 * output of the waiting run before it calls webhook(): n8n/dist/workflow-helpers.js
 * preserveInputOverride). In a loop the next call's wait replaces it.
 */
export const WAIT_CONTEXT_KEY = 'huaweiVoiceCallWait';

/** What the execution waits for: read back by webhook() to recognise its call. */
export interface WaitingItem extends IDataObject {
	waiting: true;
	sessionId: string;
	userData: string | null;
	waitSettings: IDataObject;
}

function fail(context: IExecuteFunctions, message: string, description: string): never {
	throw new NodeOperationError(context.getNode(), message, { description, itemIndex: 0 });
}

/** n8n's resume token for this execution: the wake token's secret half. */
function wakeTokenOf(context: IExecuteFunctions) {
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	const wake = { executionId: String(context.getExecutionId() ?? ''), resumeToken: resumeTokenOf(resumeUrl) };
	if (!isWakeToken(wake)) {
		fail(
			context,
			'This n8n gives the execution no resume token that a call can carry',
			'Call and wait needs an execution id and a resume token as n8n 2.x creates them. Check the n8n version (see the Compatibility section of the README).',
		);
	}
	return wake;
}

export async function placeAndWait(this: IExecuteFunctions, operation: WaitingOperationModule): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (this.getNode().type.endsWith('Tool')) {
		fail(
			this,
			`${operation.label} cannot be used as an AI tool`,
			'An agent cannot wait for a phone call to end. Use Send or Place Call as the tool, and handle the outcome in a workflow with the Huawei Voice Call Trigger.',
		);
	}
	if (items.length !== 1) {
		fail(
			this,
			`${operation.label} calls one number per execution, and received ${items.length} items`,
			'Put a Loop Over Items node (batch size 1) in front of this node to call several people one after another and act on each answer, or use the operation without waiting to call them all at once.',
		);
	}

	let prepared: { body: IDataObject };
	let settings: WaitSettings;
	// The Guardrails apply to the waiting operations too (a workflow may set them).
	let guardrails: Guardrails;
	try {
		prepared = operation.prepare.call(this, 0);
		guardrails = readGuardrails.call(this);
		settings = operation.waitSettings.call(this, 0);
		const own = prepared.body.userData;
		if (typeof own === 'string' && own.length > USER_DATA_MAX_WITH_WAKE_TOKEN) {
			throw new FieldError(
				'User Data',
				`User Data is too long for a waiting call (${own.length} characters)`,
				`The call also carries a wake token in its user data, which leaves ${USER_DATA_MAX_WITH_WAKE_TOKEN} of the 256 characters for yours. Send an ID and look the rest up later.`,
			);
		}
	} catch (error) {
		if (error instanceof FieldError) fail(this, error.message, error.hint);
		throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
	}
	const nowMs = Date.now();
	const budget = callBudget(this, guardrails, nowMs);
	const refusal = refusalOf(guardrails, prepared.body, nowMs) ?? budget.take(prepared.body);
	if (refusal) fail(this, refusal.message, refusal.description);

	const userData = typeof prepared.body.userData === 'string' ? prepared.body.userData : null;
	const waitTill = waitTillFromParameters.call(this);
	const body = { ...prepared.body, userData: appendWakeToken(userData ?? undefined, wakeTokenOf(this)) };

	// One call, through pacing: a "not accepted" answer (port limit, flow control) is sent again,
	// a lost answer never (docs/platform.md §10.2).
	const { pacing, timeoutMs } = readRunOptions.call(this);
	const [result] = await runPaced(
		[0],
		async () => await operation.execute.call(this, { ...prepared, body }, { itemIndex: 0, timeout: timeoutMs }),
		{ ...pacing, signal: this.getExecutionCancelSignal() },
	);
	if (result.status === 'skipped') budget.giveBack();
	budget.commit();
	if (result.status !== 'fulfilled') {
		if (result.status === 'rejected') throw result.error;
		fail(this, 'The execution was cancelled before the call was placed', 'Nothing was sent.');
	}

	try {
		return await waitFor.call(this, operation, result.value.json, { userData, settings, waitTill });
	} catch (error) {
		// The call was placed: whatever fails now, the error must not invite sending it again.
		throw markMayHaveBeenPlaced(error instanceof Error ? error : new Error(String(error)));
	}
}

/** Puts the execution to wait for the call just placed. */
async function waitFor(
	this: IExecuteFunctions,
	operation: WaitingOperationModule,
	placed: IDataObject,
	{ userData, settings, waitTill }: { userData: string | null; settings: WaitSettings; waitTill: Date },
): Promise<INodeExecutionData[][]> {
	const request: IDataObject = { sessionId: placed.sessionId };
	for (const field of operation.echoFields) request[field] = placed[field];
	request.userData = userData;
	const waitingItem: WaitingItem = {
		...request,
		sessionId: String(placed.sessionId),
		userData,
		waiting: true,
		waitingUntil: waitTill.getTime() >= new Date('3000-01-01').getTime() ? null : waitTill.toISOString(),
		waitSettings: { ...settings },
	};
	const count = branchCount(settings);
	const last = fallbackBranch(settings);

	// If no push ends the wait, n8n's wait tracker continues this node as a pass-through of its
	// input, on output 0 only unless the input asks to be forwarded on all outputs (n8n-core
	// workflow-execute.js handleDisabledNode, forwardAllOutputs). So the input the execution keeps
	// while it waits becomes the timed-out item, on the fallback branch.
	const executeData = this.getExecuteData();
	executeData.data = { main: onBranch(count, last, [{ json: { ...request, ...timedOutFields(settings) }, pairedItem: { item: 0 } }]) };
	executeData.metadata = { ...executeData.metadata, forwardAllOutputs: true };

	this.getContext('node')[WAIT_CONTEXT_KEY] = waitingItem;
	await this.putExecutionToWait(waitTill);
	return onBranch(count, last, [{ json: waitingItem, pairedItem: { item: 0 } }]);
}
