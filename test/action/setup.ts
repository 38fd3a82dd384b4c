/**
 * Shared helpers of the action-node tests: an emulator per test file, credentials pointing at it,
 * and a one-node workflow run through the real n8n engine (test/helpers/engine.ts).
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startEmulator, type EmulatorConfig, type Emulator, type EndpointName, type RequestLogEntry } from '../../emulator';
import { actionWorkflow, runWorkflow, type RunResult } from '../helpers/engine';

export const DISPLAY = '+8675528000001';
export const DISPLAY_2 = '+8675528000002';
/** Party A (called first) and party B of the callback tests. */
export const A = '+8613800000001';
export const B = '+8613800000002';

export async function emulator(config: Partial<EmulatorConfig> = {}): Promise<Emulator> {
	return await startEmulator({ config: { timeScale: 0.001, ...config } });
}

/** Voice Callback → Place Call parameters from A to B, with fast retry options. */
export function placeCallParameters(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		resource: 'callback',
		operation: 'placeCall',
		callerNbr: A,
		calleeNbr: B,
		displayNbr: DISPLAY,
		options: FAST_OPTIONS,
		...extra,
	};
}

export function credentials(emu: Emulator) {
	return {
		huaweiVoiceCallApi: { baseUrl: emu.baseUrl, appKey: emu.config.appKey, appSecret: emu.config.appSecret },
	};
}

export interface ActionRun extends RunResult {
	items: INodeExecutionData[];
}

/** Runs the action node once with `parameters` over `input` items. */
export async function runAction(
	emu: Emulator,
	parameters: Record<string, unknown>,
	options: { input?: INodeExecutionData[]; continueOnFail?: boolean; retryOnFail?: boolean; nodeId?: string } = {},
): Promise<ActionRun> {
	const wf = actionWorkflow(parameters);
	// A node of its own (guardrails count calls per workflow node in the process).
	if (options.nodeId) wf.nodes[0].id = options.nodeId;
	if (options.continueOnFail) wf.nodes[0].onError = 'continueRegularOutput';
	if (options.retryOnFail) wf.nodes[0].retryOnFail = true;
	const result = await runWorkflow(wf, { credentials: credentials(emu), input: options.input });
	const taskData = result.run.data.resultData.runData['Huawei Voice Call']?.[0];
	const items = taskData?.error ? [] : (taskData?.data?.main?.[0] ?? []);
	return { ...result, items };
}

/** The node's error for a failed run (the node threw). */
export function nodeError(run: RunResult) {
	const taskData = run.run.data.resultData.runData['Huawei Voice Call']?.[0];
	const error = taskData?.error ?? run.error;
	if (!error) throw new Error('expected the node to fail');
	return error as typeof error & { description?: string; context?: { itemIndex?: number } };
}

/** The API requests the emulator received for one endpoint. */
export function received(emu: Emulator, endpoint: EndpointName): RequestLogEntry[] {
	return emu.requests().filter((entry) => entry.endpoint === endpoint);
}

/** Fast retry settings for tests (the node's option allows fractional seconds). */
export const FAST_OPTIONS = { retryWait: 0.05, timeout: 10 };

export function items(count: number, json: (index: number) => IDataObject): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({ json: json(index) }));
}
