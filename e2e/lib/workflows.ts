/*
 * Small builders for the workflows the e2e, browser and queue-mode suites create, and readers for
 * what their executions produced.
 */
import { ACTION_TYPE, CREDENTIAL_REF, TRIGGER_TYPE, TRIGGER_VERSION, type WorkflowJson } from './examples';
import type { N8nExecution } from './n8n';

/** Node ids must be unique within a workflow; these are unique per test process. */
let nodeSeq = 0;
export const nodeId = (): string => `e2e00000-0000-4000-8000-${String(++nodeSeq).padStart(12, '0')}`;

/*
 * Request fields are named number/partyA/partyB, not callee/caller: n8n 2.41's expression sandbox
 * refuses `$json.body.callee` and `.caller` ("Cannot access … due to security concerns").
 */

/**
 * n8n's Webhook node (path = the whole URL suffix). `lastNode` answers with the last node's first
 * item, so a test gets e.g. the sessionId; `onReceived` answers at once.
 */
export function webhookStart(pathName: string, webhookId: string, responseMode: 'lastNode' | 'onReceived' = 'lastNode') {
	return {
		id: nodeId(),
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters:
			responseMode === 'lastNode'
				? { httpMethod: 'POST', path: pathName, responseMode, responseData: 'firstEntryJson', options: {} }
				: { httpMethod: 'POST', path: pathName, responseMode, options: {} },
	};
}

/** n8n's Manual Trigger named `Start`, as the examples use it (run with POST /rest/workflows/:id/run). */
export function manualStart() {
	return { id: nodeId(), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** Our action node with the emulator credential. */
export function actionNode(name: string, parameters: Record<string, unknown>) {
	return { id: nodeId(), name, type: ACTION_TYPE, typeVersion: 1, position: [240, 0], parameters, credentials: CREDENTIAL_REF };
}

/** Our trigger (the version new nodes get, unless given), listening at `<base>/webhook/<webhookId>/webhook`. */
export function triggerNode(webhookId: string, events: string[], extra: Record<string, unknown> = {}, typeVersion = TRIGGER_VERSION) {
	return { id: nodeId(), name: 'Trigger', type: TRIGGER_TYPE, typeVersion, position: [0, 0], webhookId, parameters: { events, ...extra } };
}

/** n8n's MCP Server Trigger (version 2: streamable HTTP at `<base>/mcp/<path>`). */
export function mcpTriggerNode(pathName: string, webhookId: string) {
	return {
		id: nodeId(),
		name: 'MCP Server Trigger',
		type: '@n8n/n8n-nodes-langchain.mcpTrigger',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: { path: pathName },
	};
}

/** Our action node as an AI tool (the `…Tool` type n8n derives from `usableAsTool`). */
export function toolNode(name: string, parameters: Record<string, unknown>) {
	return { id: nodeId(), name, type: `${ACTION_TYPE}Tool`, typeVersion: 1, position: [240, 0], parameters, credentials: CREDENTIAL_REF };
}

/** A workflow whose tool nodes are all connected to one MCP Server Trigger. */
export function mcpWorkflow(id: string, name: string, trigger: ReturnType<typeof mcpTriggerNode>, tools: Array<{ name: string }>): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (const tool of tools) connections[tool.name] = { ai_tool: [[{ node: trigger.name, type: 'ai_tool', index: 0 }]] };
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes: [trigger, ...tools], connections } as unknown as WorkflowJson;
}

/** n8n's Code node (runs in the JS task runner of the process that executes the workflow). */
export function codeNode(name: string, jsCode: string) {
	return { id: nodeId(), name, type: 'n8n-nodes-base.code', typeVersion: 2, position: [120, 0], parameters: { jsCode } };
}

/** A workflow whose nodes are connected in a chain, in the given order. */
export function workflow(id: string, name: string, nodes: Array<{ name: string }>): WorkflowJson {
	const connections: Record<string, unknown> = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, settings: { executionOrder: 'v1' }, nodes, connections } as unknown as WorkflowJson;
}

export type ExecutionItem = { json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>> };

/** Items a node produced in an execution (first run, first output). */
export function itemsOf(execution: N8nExecution, node: string): ExecutionItem[] {
	const run = execution.data?.resultData.runData[node]?.[0];
	return (run?.data?.main[0] ?? []) as ExecutionItem[];
}

export function firstJson(execution: N8nExecution, node: string): Record<string, unknown> | undefined {
	return itemsOf(execution, node)[0]?.json;
}
