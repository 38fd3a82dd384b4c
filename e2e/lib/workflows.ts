/*
 * Builders for the small workflows the end-to-end and browser tests import next to the examples,
 * and readers of what a node produced in an execution.
 */
import { ACTION_TYPE, CREDENTIAL_ID, CREDENTIAL_NAME, CREDENTIAL_TYPE, TRIGGER_TYPE, type WorkflowJson } from './examples';
import type { N8nExecution } from './n8n';

const credentialRef = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

let nodeSeq = 0;
const nodeId = () => `e2e00000-0000-4000-8000-${String(++nodeSeq).padStart(12, '0')}`;

/** n8n's Webhook node answering with the last node's first item, so a test gets e.g. the sessionId. */
export function webhookStart(pathName: string, webhookId: string) {
	return {
		id: nodeId(),
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { httpMethod: 'POST', path: pathName, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
	};
}

/** n8n's Manual Trigger named `Start`, as the examples use it (run with POST /rest/workflows/:id/run). */
export function manualStart() {
	return { id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

export function actionNode(name: string, parameters: Record<string, unknown>) {
	return { id: nodeId(), name, type: ACTION_TYPE, typeVersion: 1, position: [240, 0], parameters, credentials: credentialRef };
}

export function triggerNode(webhookId: string, events: string[]) {
	return { id: nodeId(), name: 'Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], webhookId, parameters: { events } };
}

/** A linear workflow: each node's main output feeds the next one. */
export function workflow(id: string, name: string, nodes: Array<{ name: string }>): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections } as unknown as WorkflowJson;
}

/** Items a node produced in an execution (first run, first output). */
export function itemsOf(execution: N8nExecution, node: string): Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> }> {
	const run = execution.data?.resultData.runData[node]?.[0];
	return (run?.data?.main[0] ?? []) as Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> }>;
}

export function firstJson(execution: N8nExecution, node: string): Record<string, unknown> | undefined {
	return itemsOf(execution, node)[0]?.json;
}
