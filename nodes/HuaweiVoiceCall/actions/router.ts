import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { runPaced } from '../../shared/transport/pacing';
import { HuaweiApiError, markMayHaveBeenPlaced, mayHaveBeenPlaced } from '../../shared/transport/request';
import { FieldError } from '../validation';
import * as call from './call/Call.resource';
import * as callback from './callback/Callback.resource';
import { readRunOptions } from './runOptions';
import { callBudget, readGuardrails, refusalOf, type CallBudget, type Refusal } from './guardrails';
import * as notification from './notification/Notification.resource';
import * as recording from './recording/Recording.resource';
import type { OperationModule, WaitingOperationModule } from './types';
import * as verification from './verification/Verification.resource';
import { fallbackBranch, type WaitSettings } from './wait/decide';
import { onBranch } from './wait/outputs';
import { placeAndWait } from './wait/placeAndWait';

const OPERATIONS: Record<string, Record<string, OperationModule>> = {
	callback: { placeCall: callback.placeCall, placeCallAndWait: callback.placeCallAndWait },
	notification: { send: notification.send, sendAndWaitForResponse: notification.sendAndWait },
	call: { terminate: call.terminate },
	recording: { getDownloadUrl: recording.getDownloadUrl, download: recording.download },
	verification: { send: verification.send },
};

type ItemError = NodeApiError | NodeOperationError;

function isWaiting(operation: OperationModule): operation is WaitingOperationModule {
	return typeof (operation as Partial<WaitingOperationModule>).waitSettings === 'function';
}

function toItemError(context: IExecuteFunctions, error: unknown, itemIndex: number): ItemError {
	if (error instanceof FieldError) {
		return new NodeOperationError(context.getNode(), error.message, { description: error.hint, itemIndex });
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const wrapped = new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	return mayHaveBeenPlaced(error) ? markMayHaveBeenPlaced(wrapped) : wrapped;
}

function refusalError(context: IExecuteFunctions, refusal: Refusal, itemIndex: number): NodeOperationError {
	return new NodeOperationError(context.getNode(), refusal.message, { description: refusal.description, itemIndex });
}

/**
 * Guardrails (guardrails.ts) over the validated items, in item order: a refused item gets its
 * error, an allowed one takes a call from the budget. Runs before anything is sent.
 */
function applyGuardrails(
	context: IExecuteFunctions,
	ready: number[],
	prepared: unknown[],
	errors: Array<ItemError | undefined>,
): { allowed: number[]; budget: CallBudget } {
	let guardrails;
	try {
		guardrails = readGuardrails.call(context);
	} catch (error) {
		throw toItemError(context, error, 0);
	}
	const nowMs = Date.now();
	const budget = callBudget(context, guardrails, nowMs);
	const allowed: number[] = [];
	for (const itemIndex of ready) {
		const body = (prepared[itemIndex] as { body: IDataObject }).body;
		const refusal = refusalOf(guardrails, body, nowMs) ?? budget.take(body);
		if (refusal) errors[itemIndex] = refusalError(context, refusal, itemIndex);
		else allowed.push(itemIndex);
	}
	return { allowed, budget };
}

/**
 * The "Continue on Fail" item: what went wrong, the Huawei result code if any, whether the call
 * may have been placed (then it must not simply be sent again), and how to fix it.
 */
function errorItem(error: ItemError, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error instanceof HuaweiApiError) json.code = error.resultCode;
	json.mayHaveBeenPlaced = mayHaveBeenPlaced(error);
	json.description = error.description ?? '';
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs the chosen operation for every input item:
 * 1. `prepare` every item (parameters + validation, no I/O). Without "Continue on Fail", one
 *    invalid item fails the node before any request is sent.
 * 2. For operations that place calls, the Guardrails: a refused item fails like an invalid one.
 * 3. `execute` the valid items through pacing (bounded concurrency, retry of "not accepted"
 *    answers only). Without "Continue on Fail", no new item starts after one has failed.
 * Output order and `pairedItem` follow the input; every output item is a new object.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = OPERATIONS[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${operationName}" of "${resource}" is not supported`, {
			description: 'Pick a resource and an operation from the lists.',
		});
	}
	// n8n's "Retry On Fail" setting re-runs the whole node with every input item, so the people whose
	// calls already went through would be called again. Pacing already re-sends exactly the items
	// Huawei did not accept, so the setting is refused for operations that place calls.
	if (operation.placesCall && this.getNode().retryOnFail === true) {
		throw new NodeOperationError(this.getNode(), 'Turn off "Retry On Fail" for this node: it could call people twice', {
			description:
				'n8n would run the whole node again after a failure, calling everyone whose call already went through. This node already re-sends the items that Huawei did not accept (port limit, flow control); see Options → Retry When Not Accepted. Open the node\'s Settings tab and switch off Retry On Fail.',
		});
	}
	const continueOnFail = this.continueOnFail();
	if (isWaiting(operation)) {
		try {
			return await placeAndWait.call(this, operation);
		} catch (error) {
			if (!continueOnFail) throw toItemError(this, error, 0);
			// Never on a branch that means yes (Approved, Answered): on the fallback branch.
			let settings: WaitSettings = { kind: 'response' };
			try {
				settings = operation.waitSettings.call(this, 0);
			} catch {
				// Invalid approval keys: Approval's three outputs, as the default response type has.
			}
			const last = fallbackBranch(settings);
			return onBranch(last + 1, last, [errorItem(toItemError(this, error, 0), 0)]);
		}
	}
	const { pacing, timeoutMs } = readRunOptions.call(this);

	const errors: Array<ItemError | undefined> = items.map(() => undefined);
	const outputs: Array<INodeExecutionData | undefined> = items.map(() => undefined);
	const prepared: unknown[] = items.map(() => undefined);
	const ready: number[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared[itemIndex] = operation.prepare.call(this, itemIndex);
			ready.push(itemIndex);
		} catch (error) {
			errors[itemIndex] = toItemError(this, error, itemIndex);
			if (!continueOnFail) break;
		}
	}
	let firstInvalid = errors.find((error) => error !== undefined);
	if (firstInvalid && !continueOnFail) throw firstInvalid;

	// Refused calls never reach Huawei; without Continue On Fail nothing at all is sent then.
	let sending = ready;
	let budget: CallBudget | undefined;
	if (operation.placesCall) {
		({ allowed: sending, budget } = applyGuardrails(this, ready, prepared, errors));
		firstInvalid = errors.find((error) => error !== undefined);
		if (firstInvalid && !continueOnFail) {
			budget.giveBack(sending.length);
			throw firstInvalid;
		}
	}

	const results = await runPaced(
		sending,
		async (itemIndex, _attempt, report) =>
			await operation.execute.call(this, prepared[itemIndex], {
				itemIndex,
				timeout: timeoutMs,
				reportIdlePorts: (count) => report.idlePorts(count),
			}),
		{ ...pacing, stopOnError: !continueOnFail, signal: this.getExecutionCancelSignal() },
	);
	if (budget) {
		// Calls that were never started (an earlier failure, a cancelled run) did not ring.
		budget.giveBack(results.filter((result) => result.status === 'skipped').length);
		budget.commit();
	}
	results.forEach((result, position) => {
		const itemIndex = sending[position];
		if (result.status === 'fulfilled') {
			outputs[itemIndex] = { ...result.value, pairedItem: { item: itemIndex } };
		} else if (result.status === 'rejected') {
			errors[itemIndex] = toItemError(this, result.error, itemIndex);
		}
	});

	const firstFailure = errors.find((error) => error !== undefined);
	if (firstFailure && !continueOnFail) throw firstFailure;

	const returnData: INodeExecutionData[] = [];
	items.forEach((_item, itemIndex) => {
		const error = errors[itemIndex];
		const output = outputs[itemIndex];
		if (output) returnData.push(output);
		else if (error) returnData.push(errorItem(error, itemIndex));
	});
	return [returnData];
}
