/*
 * The node as an AI agent's tool, without an LLM: a published workflow with n8n's MCP Server
 * Trigger (@n8n/n8n-nodes-langchain.mcpTrigger v2, streamable HTTP at /mcp/<path>) whose tools are
 * our node (…huaweiVoiceCallTool) with its parameters filled by $fromAI(), driven by the official
 * MCP client. What an agent would see: the tool list with descriptions and input schemas, a call
 * within the guardrails that reaches the emulator, and every guardrail refusal as a tool error that
 * says why, with no request at the emulator. Also, in the same n8n: what "per execution" means.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { startEmulator, type Emulator } from '../../emulator';
import { DEFAULT_TEMPLATES } from '../../emulator/config';
import { minuteInTimeZone } from '../../nodes/HuaweiVoiceCall/actions/guardrails';
import { emulatorCredential, publishWorkflows, type WorkflowJson } from '../lib/examples';
import { freePort, listExecutions, restApi, startN8n, waitForExecutions, waitForWebhook, type N8nInstance } from '../lib/n8n';
import { actionNode, codeNode, manualStart, mcpTriggerNode, mcpWorkflow, nodeId, toolNode } from '../lib/workflows';

const DISPLAY = '+8675528000001';
const ALLOWED = '+8613800000081';
const OUTSIDE = '+8613800000099';
const MCP_PATH = 'huawei-voice-e2e';

const fromAI = (key: string, description: string) => `={{ $fromAI('${key}', \`${description}\`, 'string') }}`;
const CALLEE_DESCRIPTION = 'The phone number to call, in E.164 form with a leading + and the country code, e.g. +8613800000001';

const hhmm = (minute: number) => {
	const m = ((minute % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** Quiet hours from an hour ago to an hour from now, Beijing time: the test runs well inside them. */
function quietNow() {
	const now = minuteInTimeZone(Date.now(), 'Asia/Shanghai');
	return { window: { start: hhmm(now - 60), end: hhmm(now + 60), timeZone: 'Asia/Shanghai' } };
}

const notifyParameters = (guardrails: Record<string, unknown>) => ({
	resource: 'notification',
	operation: 'send',
	displayNbr: DISPLAY,
	calleeNbr: fromAI('Callee_Number', CALLEE_DESCRIPTION),
	playSegments: {
		segment: [
			{
				type: 'template',
				templateId: 'tpl-order-01',
				templateText: DEFAULT_TEMPLATES['tpl-order-01'],
				templateParameters: {
					parameter: [
						{ value: fromAI('Customer_Name', 'The customer name as it should be read out, at most 8 characters') },
						{ value: fromAI('Order_Number', 'The order number: digits only, at most 6') },
					],
				},
			},
		],
	},
	guardrails,
});

let emulator: Emulator;
let n8n: N8nInstance;
let loop: WorkflowJson;
let mcp: WorkflowJson;
let client: Client;

beforeAll(async () => {
	emulator = await startEmulator({ config: { timeScale: 0.01, statusUrl: null, feeUrl: null } });
	const port = await freePort([Number(new URL(emulator.baseUrl).port)]);
	mcp = mcpWorkflow('E2eHwMcpTools001', 'e2e: Huawei Voice Call as MCP tools', mcpTriggerNode(MCP_PATH, 'e2e0a1b2-0000-4000-8000-0000000c0001'), [
		toolNode('Notify a customer', notifyParameters({ allowedNumbers: `${ALLOWED}, +86139*`, maxCallsPerHour: 5 })),
		toolNode('Send a code', {
			resource: 'verification',
			operation: 'send',
			displayNbr: DISPLAY,
			calleeNbr: fromAI('Callee_Number', CALLEE_DESCRIPTION),
			verifyCode: fromAI('Verification_Code', 'The one-time code to read out: 1 to 8 digits'),
			guardrails: { maxCallsPerHour: 1 },
		}),
		toolNode('Notify at night', notifyParameters({ quietHours: quietNow() })),
		toolNode('Once per execution', notifyParameters({ maxCallsPerExecution: 1 })),
	]);
	// A loop in one execution: the node runs once per item, and its count goes on across the runs.
	const loopNode = { id: nodeId(), name: 'Loop Over Items', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, position: [360, 0], parameters: { batchSize: 1, options: {} } };
	loop = {
		id: 'E2eHwGuardLoop01',
		name: 'e2e: guardrails across the runs of a loop',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			manualStart(),
			codeNode('Three numbers', "return ['+8613800000091', '+8613800000092', '+8613800000093'].map((phone) => ({ json: { phone } }));"),
			loopNode,
			actionNode('Notify', {
				resource: 'notification',
				operation: 'send',
				displayNbr: DISPLAY,
				calleeNbr: '={{ $json.phone }}',
				playSegments: { segment: [{ type: 'file', voiceFile: 'notifyvoice.wav' }] },
				guardrails: { maxCallsPerExecution: 2 },
			}),
		],
		connections: {
			Start: { main: [[{ node: 'Three numbers', type: 'main', index: 0 }]] },
			'Three numbers': { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
			'Loop Over Items': { main: [[], [{ node: 'Notify', type: 'main', index: 0 }]] },
			Notify: { main: [[{ node: 'Loop Over Items', type: 'main', index: 0 }]] },
		},
	} as unknown as WorkflowJson;

	n8n = await startN8n({
		port,
		credentials: [
			emulatorCredential(emulator),
		],
		workflows: [mcp, loop],
	});
	await publishWorkflows(n8n, [mcp.id]);
	// The MCP endpoint exists once the workflow is published: a POST that is no MCP message is then
	// refused by the MCP server (400/406), not 404. (A GET would open an event stream.)
	await waitForWebhook(n8n, `${n8n.baseUrl}/mcp/${MCP_PATH}`, { body: { probe: true } });
	client = new Client({ name: 'n8n-nodes-huawei-voicecall-e2e', version: '1.0.0' });
	await client.connect(new StreamableHTTPClientTransport(new URL(`${n8n.baseUrl}/mcp/${MCP_PATH}`)));
}, 240_000);

afterAll(async () => {
	await client?.close();
	await n8n?.stop();
	await emulator?.stop();
});

afterEach(() => emulator.reset());

interface ToolResult {
	isError?: boolean;
	content: Array<{ type: string; text?: string }>;
}

async function call(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
	const result = (await client.callTool({ name, arguments: args })) as ToolResult;
	return { isError: result.isError === true, text: result.content.map((part) => part.text ?? '').join('\n') };
}

const placed = () => emulator.requests().filter((request) => request.resultcode === '0');

test('the tool list: one tool per node, with a description of what it does and the $fromAI inputs as its schema', async () => {
	const { tools } = await client.listTools();
	const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
	expect(Object.keys(byName).sort()).toEqual(['Notify_a_customer', 'Notify_at_night', 'Once_per_execution', 'Send_a_code']);
	expect(byName.Notify_a_customer.description).toBe('Call a phone number and play a voice notification in Huawei Voice Call');
	expect(byName.Send_a_code.description).toBe('Call a phone number and read a verification code in Huawei Voice Call');
	expect(byName.Notify_a_customer.inputSchema).toMatchObject({
		type: 'object',
		properties: {
			Callee_Number: { type: 'string', description: CALLEE_DESCRIPTION },
			Customer_Name: { type: 'string' },
			Order_Number: { type: 'string', description: 'The order number: digits only, at most 6' },
		},
		required: expect.arrayContaining(['Callee_Number', 'Customer_Name', 'Order_Number']),
	});
	expect(Object.keys(byName.Send_a_code.inputSchema.properties ?? {}).sort()).toEqual(['Callee_Number', 'Verification_Code']);
});

test('a call within the guardrails reaches the emulator, and the agent gets the session ID', async () => {
	const result = await call('Notify_a_customer', { Callee_Number: ALLOWED, Customer_Name: '张三', Order_Number: '100081' });
	expect(result.isError).toBe(false);
	const [request] = placed();
	expect(request.body).toMatchObject({ calleeNbr: ALLOWED, playInfoList: [{ templateId: 'tpl-order-01', templateParas: ['张三', '100081'] }] });
	expect(JSON.parse(result.text)).toEqual([expect.objectContaining({ sessionId: request.sessionId, resultcode: '0', calleeNbr: ALLOWED })]);
});

test('a number outside Allowed Numbers: a tool error that says why and what to do; nothing reaches the emulator', async () => {
	const result = await call('Notify_a_customer', { Callee_Number: OUTSIDE, Customer_Name: '张三', Order_Number: '100082' });
	expect(result.isError).toBe(true);
	expect(result.text).toContain(`${OUTSIDE} is not in the allowed numbers of this node (${ALLOWED}, +86139*): the call was not placed`);
	expect(result.text).toContain('Check the number with the user');
	expect(emulator.requests()).toHaveLength(0);
});

test('a template value that does not fit the template text: a tool error naming the variable; nothing sent', async () => {
	const result = await call('Notify_a_customer', { Callee_Number: ALLOWED, Customer_Name: '张三', Order_Number: 'A-82' });
	expect(result.isError).toBe(true);
	expect(result.text).toContain('Template Parameters, value 2 (${NUM_6}) must contain only the digits 0-9');
	expect(emulator.requests()).toHaveLength(0);
});

test('quiet hours: a tool error that says until when; nothing sent', async () => {
	const result = await call('Notify_at_night', { Callee_Number: ALLOWED, Customer_Name: '张三', Order_Number: '100083' });
	expect(result.isError).toBe(true);
	expect(result.text).toMatch(/No calls between \d{2}:\d{2} and \d{2}:\d{2} \(Asia\/Shanghai\), and it is \d{2}:\d{2} there now/);
	expect(result.text).toMatch(/the call can be placed from \d{2}:\d{2} Asia\/Shanghai time/);
	expect(emulator.requests()).toHaveLength(0);
});

test('Max Calls per Hour holds across the tool calls of a session: the second code call is refused and not sent', async () => {
	const first = await call('Send_a_code', { Callee_Number: ALLOWED, Verification_Code: '4821' });
	expect(first.isError).toBe(false);
	expect(placed().map((request) => request.body)).toEqual([{ displayNbr: DISPLAY, calleeNbr: ALLOWED, verifyCode: '4821', returnIdlePort: 'true' }]);
	expect(first.text).not.toContain('4821');

	const second = await call('Send_a_code', { Callee_Number: ALLOWED, Verification_Code: '4822' });
	expect(second.isError).toBe(true);
	expect(second.text).toContain('This node may place at most 1 call per hour and placed 1 in the last 60 minutes');
	expect(second.text).toMatch(/The next call is possible in (59|60) minutes/);
	expect(emulator.requests()).toHaveLength(1);
});

test('Max Calls per Execution through MCP: every tool call is an execution of its own, so each call starts from zero', async () => {
	const before = (await listExecutions(n8n, { workflowId: mcp.id, limit: 250 })).length;
	for (const orderNumber of ['100084', '100085']) {
		expect((await call('Once_per_execution', { Callee_Number: ALLOWED, Customer_Name: '张三', Order_Number: orderNumber })).isError).toBe(false);
	}
	expect(placed()).toHaveLength(2);
	// n8n records one execution of the MCP workflow per tool call.
	await waitForExecutions(n8n, () => true, { workflowId: mcp.id, count: before + 2, timeoutMs: 30_000 });
});

test('Max Calls per Execution in a workflow: the count goes on across the runs of a loop; the third call is refused', async () => {
	const known = new Set((await listExecutions(n8n, { workflowId: loop.id, limit: 250 })).map((e) => e.id));
	const reply = await restApi(n8n, 'POST', `/workflows/${loop.id}/run`, { triggerToStartFrom: { name: 'Start' } });
	expect(reply.status).toBe(200);
	const [execution] = await waitForExecutions(n8n, (e) => !known.has(e.id), { workflowId: loop.id, timeoutMs: 60_000 });
	expect(execution.status).toBe('error');
	const runs = execution.data?.resultData.runData.Notify ?? [];
	expect(runs).toHaveLength(3);
	expect(runs.slice(0, 2).every((run) => run.error === undefined)).toBe(true);
	expect(JSON.stringify(runs[2].error)).toContain('This node may place at most 2 calls per execution and has placed 2: the call to +8613800000093 was not placed');
	expect(placed().map((request) => (request.body as { calleeNbr: string }).calleeNbr)).toEqual(['+8613800000091', '+8613800000092']);
});
