/**
 * Real-engine test harness: executes workflows with n8n-core's `WorkflowExecute`, signing requests
 * with our credential's real `authenticate`.
 *
 * The nodes come from the TypeScript source (compiled by ts-jest), so one test file run against the
 * current code needs no build. With HUAWEI_VOICECALL_PACKAGE_DIR set (the benchmarks compare a
 * patched build), the package is loaded from that directory's `dist/` through package.json's `n8n`
 * block, as n8n loads it; the e2e tests cover that path in a real n8n.
 */
import {
	Credentials,
	ExecutionLifecycleHooks,
	PackageDirectoryLoader,
	WorkflowExecute,
} from 'n8n-core';
import {
	ICredentialsHelper,
	NodeHelpers,
	Workflow,
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IConnections,
	type IDataObject,
} from 'n8n-workflow';

import { HuaweiVoiceCallApi } from '../../credentials/HuaweiVoiceCallApi.credentials';
import { proc, repoRoot } from '../../dev/node.cjs';
import { HuaweiVoiceCall } from '../../nodes/HuaweiVoiceCall/HuaweiVoiceCall.node';
import { HuaweiVoiceCallTrigger } from '../../nodes/HuaweiVoiceCallTrigger/HuaweiVoiceCallTrigger.node';

/** A built package to load instead of the source (benchmarks compare a patched copy). */
export const PACKAGE_ROOT = proc.env.HUAWEI_VOICECALL_PACKAGE_DIR || repoRoot;
const LOAD_BUILT_PACKAGE = Boolean(proc.env.HUAWEI_VOICECALL_PACKAGE_DIR);
export const PACKAGE_NAME = 'n8n-nodes-huawei-voicecall';
export const ACTION_NODE_TYPE = `${PACKAGE_NAME}.huaweiVoiceCall`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.huaweiVoiceCallTrigger`;
export const CREDENTIAL_TYPE = 'huaweiVoiceCallApi';

/** What the harness needs of a package loader (n8n-core's PackageDirectoryLoader has it all). */
export interface PackageTypes {
	packageName: string;
	getNode(name: string): { type: INodeType | IVersionedNodeType };
	getCredential(name: string): { type: ICredentialType };
	known: { nodes: Record<string, { className: string; sourcePath: string }> };
}

/** The node and credential classes straight from the source, keyed like the loader keys them. */
function sourceTypes(): PackageTypes {
	const nodes: Record<string, INodeType> = {};
	for (const node of [new HuaweiVoiceCall(), new HuaweiVoiceCallTrigger()] as INodeType[]) {
		nodes[node.description.name] = node;
	}
	const credentials: Record<string, ICredentialType> = {};
	for (const credential of [new HuaweiVoiceCallApi()]) credentials[credential.name] = credential;
	const find = <T>(table: Record<string, T>, name: string, kind: string): T => {
		if (!Object.prototype.hasOwnProperty.call(table, name)) throw new Error(`Unknown ${kind} ${name}`);
		return table[name];
	};
	return {
		packageName: PACKAGE_NAME,
		getNode: (name) => ({ type: find(nodes, name, 'node type') }),
		getCredential: (name) => ({ type: find(credentials, name, 'credential type') }),
		known: {
			nodes: Object.fromEntries(
				Object.entries(nodes).map(([name, node]) => [name, { className: node.constructor.name, sourcePath: 'source' }]),
			),
		},
	};
}

let loaderPromise: Promise<PackageTypes> | undefined;

/** The package's types, once per test file: from the source, or from a built package (see above). */
export async function loadPackage(): Promise<PackageTypes> {
	loaderPromise ??= (async () => {
		if (!LOAD_BUILT_PACKAGE) return sourceTypes();
		const loader = new PackageDirectoryLoader(PACKAGE_ROOT);
		await loader.loadAll();
		return loader as unknown as PackageTypes;
	})();
	return await loaderPromise;
}

class TestCredentialsHelper extends ICredentialsHelper {
	/** Every request the engine signed, so tests can check the headers (never the secret). */
	readonly signedRequests: IHttpRequestOptions[] = [];

	constructor(
		private readonly loader: PackageTypes,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.loader.getCredential(typeName).type;
		if (typeof authenticate !== 'function') throw new Error(`${typeName} has no authenticate function`);
		const signed = await authenticate(credentials, requestOptions);
		this.signedRequests.push(signed);
		return signed;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		return new Credentials({ id: null, name: '' }, '', '');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.credentials[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

export interface TestWorkflow {
	nodes: INode[];
	connections: IConnections;
	/** Name of the node the run starts at (default: the first node). */
	startNode?: string;
}

export interface RunOptions {
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Items fed to the start node (default one empty item). */
	input?: INodeExecutionData[];
	/** Static data for the workflow (e.g. trigger dedupe memory). */
	staticData?: IDataObject;
	/** More node types by their full type name (the benchmarks load n8n's own nodes for a baseline). */
	nodeTypes?: Record<string, INodeType | IVersionedNodeType>;
}

let executionCounter = 0;

export interface RunResult {
	run: IRun;
	signedRequests: IHttpRequestOptions[];
	/** Items of a node's first output on its first run; throws if the node did not run. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The workflow-level error, if the run failed. */
	error: IRun['data']['resultData']['error'];
}

/** Executes a workflow through n8n-core's engine and waits for it to finish. */
export async function runWorkflow(wf: TestWorkflow, options: RunOptions = {}): Promise<RunResult> {
	const loader = await loadPackage();
	const strip = (type: string) => type.replace(`${loader.packageName}.`, '');
	const extra = options.nodeTypes ?? {};
	const typeOf = (type: string) =>
		Object.prototype.hasOwnProperty.call(extra, type) ? extra[type] : (loader.getNode(strip(type)).type as INodeType | IVersionedNodeType);
	const nodeTypes: INodeTypes = {
		getByName: (type: string) => typeOf(type),
		getByNameAndVersion: (type: string, version?: number) => NodeHelpers.getVersionedNodeType(typeOf(type), version),
		getKnownTypes: () => loader.known.nodes,
	} as INodeTypes;

	const workflow = new Workflow({
		id: 'test-workflow',
		nodes: wf.nodes,
		connections: wf.connections,
		active: false,
		nodeTypes,
		staticData: options.staticData,
	});
	const credentialsHelper = new TestCredentialsHelper(loader, options.credentials ?? {});

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: 'test-workflow',
		name: 'test',
		nodes: wf.nodes,
		connections: wf.connections,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));

	const unsupported = async () => {
		throw new Error('not supported in tests');
	};
	const additionalData = {
		executionId,
		hooks,
		credentialsHelper,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		logAiEvent: () => {},
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		startRunnerTask: unsupported,
	} as unknown as IWorkflowExecuteAdditionalData;

	const startNode = wf.startNode ? workflow.getNode(wf.startNode) : workflow.getNode(wf.nodes[0].name);
	if (!startNode) throw new Error('start node not found');
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: startNode, data: { main: [options.input ?? [{ json: {} }]] }, source: null },
			],
		},
	});
	await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const run = await finished;
	return {
		run,
		signedRequests: credentialsHelper.signedRequests,
		error: run.data.resultData.error,
		output(nodeName: string, outputIndex = 0) {
			const taskData = run.data.resultData.runData[nodeName]?.[0];
			if (!taskData) {
				const error = run.data.resultData.error;
				throw new Error(`Node "${nodeName}" did not run${error ? `: ${error.message}` : ''}`);
			}
			if (taskData.error) throw taskData.error;
			return taskData.data?.main?.[outputIndex] ?? [];
		},
	};
}

/** A one-node workflow around the action node with the given parameters. */
export function actionWorkflow(parameters: Record<string, unknown>, name = 'Huawei Voice Call'): TestWorkflow {
	return {
		nodes: [
			{
				id: 'action-1',
				name,
				type: ACTION_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: parameters as INode['parameters'],
				credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'Huawei Voice Call account' } },
			},
		],
		connections: {},
	};
}
