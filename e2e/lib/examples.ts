/*
 * The example workflows (examples/*.json) and the emulator set-up they are written for. Used by
 * `npm start` (e2e/start.ts) and by the e2e tests, which import and exercise them.
 */
import type { Emulator, EmulatorConfig } from '../../emulator';
import { crypto, fs, path, repoRoot } from '../../dev/node.cjs';
import { freePort, publicApi, startN8n, waitForWebhook, type N8nCredentialInput, type N8nInstance } from './n8n';

export const ACTION_TYPE = 'n8n-nodes-huawei-voicecall.huaweiVoiceCall';
export const TRIGGER_TYPE = 'n8n-nodes-huawei-voicecall.huaweiVoiceCallTrigger';
/**
 * The trigger's version new nodes get. Version 1 behaves the same but costs n8n an expression per
 * push (HuaweiVoiceCallTrigger.node.ts); one e2e test keeps covering it for older workflows.
 */
export const TRIGGER_VERSION = 2;
export const CREDENTIAL_TYPE = 'huaweiVoiceCallApi';
export const CREDENTIAL_NAME = 'Huawei Voice Call (emulator)';
/** The id the example JSONs reference; start.ts and the tests create the credential with it. */
export const CREDENTIAL_ID = 'HwVoiceEmulCred1';
/** How a workflow's node refers to that credential. */
export const CREDENTIAL_REF = { [CREDENTIAL_TYPE]: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

/** That credential, pointing at `emulator`: what `npm start`, the e2e suites and the benchmarks import into n8n. */
export function emulatorCredential(emulator: { baseUrl: string; config: { appKey: string; appSecret: string } }): N8nCredentialInput {
	const { appKey, appSecret } = emulator.config;
	return { id: CREDENTIAL_ID, name: CREDENTIAL_NAME, type: CREDENTIAL_TYPE, data: { baseUrl: emulator.baseUrl, appKey, appSecret } };
}
/** The n8n address written in the example JSONs; replaced with the real one on import. */
export const EXAMPLE_BASE_URL = 'http://127.0.0.1:5678';

/**
 * What the examples expect from the emulator: the default display numbers, voice files and
 * templates (tpl-notice-01: [TXT_20, NUM_6]), plus per-callee scripts. No app-level status/CDR
 * URLs: every call uses the URLs from its workflow.
 */
export const EXAMPLE_EMULATOR_CONFIG: Partial<EmulatorConfig> = {
	timeScale: 1,
	statusUrl: null,
	feeUrl: null,
	defaultScript: { outcome: 'answer', ringSeconds: 3, talkSeconds: 8, digits: ['1'], hangupBy: 'callee' },
	scripts: {
		// Example 3: the first order is confirmed (1), the second cancelled (2).
		'+8613800000031': { digits: ['1'] },
		'+8613800000032': { digits: ['2'] },
		// Example 4: the callee would talk for an hour; example 4b hangs up after 10 seconds.
		'+8613800000042': { talkSeconds: 3600 },
		// Example 5a: the manager approves (1). Example 5b: the first engineer declines (2), the
		// second does not answer, the third takes the incident (1); the fourth is never called.
		'+8613800000051': { digits: ['1'] },
		'+8613800000521': { digits: ['2'] },
		'+8613800000522': { outcome: 'noAnswer', ringSeconds: 20 },
		'+8613800000523': { digits: ['1'] },
	},
};

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; webhookId?: string; parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }> }>;
	/** `meta.requires`: what an example needs beyond n8n and the emulator (see examples/README.md). */
	meta?: { requires?: string[]; [key: string]: unknown };
	[key: string]: unknown;
}

/** n8n's credential type of its Postgres node, and the id/name example 7 references. */
export const POSTGRES_CREDENTIAL_TYPE = 'postgres';
export const EXAMPLE_POSTGRES_CREDENTIAL = { id: 'HwExamplePgCred1', name: 'PostgreSQL (examples)' };

/**
 * What the n8n the examples go into offers beyond our credential. An example whose `meta.requires`
 * names something missing here is left out (`npm start` and the single-process e2e suite have no
 * PostgreSQL; the queue-mode suite has).
 */
export interface ExampleServices {
	/** A credential of type `postgres` in that n8n. */
	postgres?: { id: string; name: string };
}

export function examplesDir(root: string): string {
	return path.join(root, 'examples');
}

/** The example JSON files, sorted by name, as text. */
export function readExampleFiles(root: string): Array<{ file: string; text: string }> {
	const dir = examplesDir(root);
	return fs
		.readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
}

/** Fingerprint of the example files, to know whether a kept n8n needs them re-imported. */
export function examplesHash(root: string): string {
	const hash = crypto.createHash('sha256');
	for (const { file, text } of readExampleFiles(root)) hash.update(`${file}\n${text}\n`);
	return hash.digest('hex').slice(0, 16);
}

function parseExample(file: string, text: string, n8nBaseUrl: string): WorkflowJson {
	const workflow = JSON.parse(text.split(`${EXAMPLE_BASE_URL}/`).join(`${n8nBaseUrl.replace(/\/+$/, '')}/`)) as WorkflowJson;
	if (typeof workflow.id !== 'string' || !Array.isArray(workflow.nodes)) throw new Error(`examples/${file} is not a workflow with an id.`);
	return workflow;
}

function missingServices(workflow: WorkflowJson, services: ExampleServices): string[] {
	return (workflow.meta?.requires ?? []).filter((need) => services[need as keyof ExampleServices] === undefined);
}

/**
 * The examples ready to import into the n8n at `n8nBaseUrl`: Status/CDR URLs point at its
 * trigger webhooks (in queue mode: a webhook process), and every Huawei credential reference at
 * `credentialId`. Examples that need a service `services` does not offer are left out.
 */
export function loadExamples(root: string, n8nBaseUrl: string, credentialId = CREDENTIAL_ID, services: ExampleServices = {}): WorkflowJson[] {
	return readExampleFiles(root)
		.map(({ file, text }) => parseExample(file, text, n8nBaseUrl))
		.filter((workflow) => missingServices(workflow, services).length === 0)
		.map((workflow) => {
			for (const node of workflow.nodes) {
				if (node.credentials?.[CREDENTIAL_TYPE]) node.credentials[CREDENTIAL_TYPE] = { id: credentialId, name: CREDENTIAL_NAME };
				if (node.credentials?.[POSTGRES_CREDENTIAL_TYPE] && services.postgres) node.credentials[POSTGRES_CREDENTIAL_TYPE] = { ...services.postgres };
			}
			return workflow;
		});
}

/** The examples `loadExamples` leaves out for lack of `services`, with what each one needs. */
export function skippedExamples(root: string, services: ExampleServices = {}): Array<{ name: string; needs: string[] }> {
	return readExampleFiles(root)
		.map(({ file, text }) => parseExample(file, text, EXAMPLE_BASE_URL))
		.map((workflow) => ({ name: workflow.name, needs: missingServices(workflow, services) }))
		.filter((entry) => entry.needs.length > 0);
}

/** Workflows that start with our trigger: they must be published for their webhooks to work. */
export function triggerWorkflowIds(workflows: WorkflowJson[]): string[] {
	return workflows.filter((workflow) => workflow.nodes.some((node) => node.type === TRIGGER_TYPE)).map((workflow) => workflow.id);
}

/** Production URL of the trigger node of a workflow (`<base>/webhook/<webhookId>/webhook`). */
export function triggerUrl(n8nBaseUrl: string, workflow: WorkflowJson): string {
	const node = workflow.nodes.find((candidate) => candidate.type === TRIGGER_TYPE);
	if (!node?.webhookId) throw new Error(`Workflow ${workflow.id} has no Huawei Voice Call Trigger with a webhookId.`);
	return `${n8nBaseUrl.replace(/\/+$/, '')}/webhook/${node.webhookId}/webhook`;
}

/**
 * Publishes (activates) workflows on a running n8n through the public API: much faster than one
 * `n8n publish:workflow` process per workflow before start. Poll the webhooks afterwards (the
 * first call right after activation can still get a 404).
 */
export async function publishWorkflows(n8n: N8nInstance, ids: string[]): Promise<void> {
	for (const id of ids) {
		const reply = await publicApi(n8n, 'POST', `/workflows/${id}/activate`);
		if (reply.status !== 200) throw new Error(`Publishing workflow ${id} failed: HTTP ${reply.status} ${reply.text.slice(0, 500)}`);
	}
}

/**
 * What `npm start` sets up, for tests: a fresh real n8n with the emulator credential, the examples
 * plus `extraWorkflows` (built for that n8n's base URL) imported, and every trigger workflow
 * published and its webhook registered (pushes are sent once: a trigger must listen before a call
 * is placed).
 */
export async function startN8nWithExamples(
	emulator: Emulator,
	extraWorkflows: (n8nBaseUrl: string) => WorkflowJson[] = () => [],
): Promise<{ n8n: N8nInstance; workflows: WorkflowJson[] }> {
	const port = await freePort([Number(new URL(emulator.baseUrl).port)]);
	const baseUrl = `http://127.0.0.1:${port}`;
	const workflows = [...loadExamples(repoRoot, baseUrl), ...extraWorkflows(baseUrl)];
	const n8n = await startN8n({
		port,
		credentials: [
			emulatorCredential(emulator),
		],
		workflows,
	});
	let ready = false;
	try {
		const triggers = triggerWorkflowIds(workflows);
		await publishWorkflows(n8n, triggers);
		for (const id of triggers) {
			// A body that is not a Huawei push gets 400 (and starts nothing) once the webhook exists.
			const reply = await waitForWebhook(n8n, triggerUrl(n8n.baseUrl, workflows.find((wf) => wf.id === id) as WorkflowJson), { body: { probe: true } });
			if (reply.status !== 400) throw new Error(`The trigger of workflow ${id} answered a probe with ${reply.status}, not 400.`);
		}
		ready = true;
	} finally {
		// A half-ready n8n must not outlive a failed set-up.
		if (!ready) await n8n.stop();
	}
	return { n8n, workflows };
}
