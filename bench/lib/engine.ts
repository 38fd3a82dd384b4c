/*
 * The benchmarks drive the action node through the same real-engine harness as the tests
 * (test/helpers/engine.ts): this package loaded from its built dist/, n8n-core's WorkflowExecute,
 * requests signed by our credential's real `authenticate`. Set HUAWEI_VOICECALL_PACKAGE_DIR to
 * measure another build of the package (e.g. a patched copy) with the same harness.
 */
import type { INodeExecutionData, IRun } from 'n8n-workflow';

import { actionWorkflow, runWorkflow } from '../../test/helpers/engine';

export const NODE_NAME = 'Huawei Voice Call';

/** Display number of the benchmark sends (one of the emulator's default fixed numbers). */
export const DISPLAY = '+8675528000001';

/** Voice Notification → Send of one approved voice file to `$json.phone`, with the given node options. */
export function notificationParameters(options: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		resource: 'notification',
		operation: 'send',
		displayNbr: DISPLAY,
		calleeNbr: '={{ $json.phone }}',
		playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
		options,
	};
}

export interface ActionRunResult {
	run: IRun;
	/** The node's output items (empty when the node failed). */
	items: INodeExecutionData[];
	/** The node's error message, when it failed. */
	error?: string;
}

/** Runs a one-node workflow around the action node over `input` and waits for it to finish. */
export async function runAction(
	parameters: Record<string, unknown>,
	credentials: { baseUrl: string; appKey: string; appSecret: string },
	input: INodeExecutionData[],
	options: { continueOnFail?: boolean } = {},
): Promise<ActionRunResult> {
	const wf = actionWorkflow(parameters, NODE_NAME);
	if (options.continueOnFail) wf.nodes[0].onError = 'continueRegularOutput';
	const { run } = await runWorkflow(wf, { credentials: { huaweiVoiceCallApi: credentials }, input });
	const taskData = run.data.resultData.runData[NODE_NAME]?.[0];
	const error = taskData?.error ?? run.data.resultData.error;
	return {
		run,
		items: taskData?.error ? [] : (taskData?.data?.main?.[0] ?? []),
		error: error ? String(error.message) : undefined,
	};
}
