/*
 * Proves the e2e runtime works: a real n8n 2.41.1 starts with a published workflow, answers its
 * production webhook, records the execution (public API), and loads a community package from
 * <userFolder>/.n8n/nodes/node_modules the way users install ours.
 */
import { fs, path, repoRoot } from '../../dev/node.cjs';
import {
	httpRequest,
	listExecutions,
	startN8n,
	waitForExecutions,
	waitForWebhook,
	webhookUrl,
	type N8nInstance,
} from '../lib/n8n';

const WORKFLOW_ID = 'E2eRuntimeWebhk1';
const WEBHOOK_PATH = 'e2e-runtime-probe';

const webhookWorkflow = {
	id: WORKFLOW_ID,
	name: 'E2E runtime probe',
	active: false,
	settings: { executionOrder: 'v1' },
	connections: {},
	nodes: [
		{
			id: '0b6c3a52-4c1e-4f0e-9a57-3a3e2f1d9c01',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'a4b0e1d2-7f3c-4c55-8d8e-0e2e0a1b2c01',
			parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
		},
	],
};

/** Node type names n8n lists (the same list the editor loads at start). */
async function loadedNodeTypes(n8n: N8nInstance): Promise<string[]> {
	const result = await httpRequest(`${n8n.baseUrl}/types/nodes.json`, { headers: { cookie: n8n.cookie } });
	expect(result.status).toBe(200);
	return (result.json as Array<{ name: string }>).map((type) => type.name);
}

describe('n8n e2e runtime', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ packageDir: repoRoot, workflows: [webhookWorkflow], publish: [WORKFLOW_ID] });
	});

	afterAll(async () => {
		await n8n?.stop();
	});

	test('a published Webhook workflow answers and its execution is visible through the public API', async () => {
		// n8n's Webhook node uses `isFullPath`: its URL is /webhook/<path>, without the webhookId.
		const url = webhookUrl(n8n, undefined, WEBHOOK_PATH);
		const response = await waitForWebhook(n8n, url, { method: 'POST', body: { hello: 'e2e', n: 42 } });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ message: 'Workflow was started' });

		const [execution] = await waitForExecutions(n8n, (e) => e.workflowId === WORKFLOW_ID, { timeoutMs: 20_000 });
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const output = execution.data?.resultData.runData.Webhook[0].data?.main[0]?.[0].json;
		expect(output?.body).toEqual({ hello: 'e2e', n: 42 });

		const listed = await listExecutions(n8n, { workflowId: WORKFLOW_ID });
		expect(listed.map((e) => e.id)).toContain(execution.id);
	});

	test('the package in packageDir is loaded as a community package under its npm name', async () => {
		const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string };
		const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', manifest.name);
		// A copy with only what npm would publish, not a link to a folder with its own node_modules.
		expect(fs.readdirSync(installed).sort()).not.toContain('node_modules');
		const types = await loadedNodeTypes(n8n);
		expect(types.filter((type) => type.startsWith(`${manifest.name}.`)).length).toBeGreaterThan(0);
	});

	test('our node types are loaded: n8n-nodes-huawei-voicecall.*', async () => {
		const types = await loadedNodeTypes(n8n);
		expect(types).toEqual(
			expect.arrayContaining(['n8n-nodes-huawei-voicecall.huaweiVoiceCall', 'n8n-nodes-huawei-voicecall.huaweiVoiceCallTrigger']),
		);
	});
});
