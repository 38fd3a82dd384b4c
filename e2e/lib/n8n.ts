/*
 * Starts a real n8n (the pinned runtime from e2e/n8n-runtime, installed into .tools/n8n-runtime by scripts/setup-n8n.cjs) with
 * this package installed the way users get it, and drives it over HTTP. Used by the e2e tests,
 * `npm start` and the benchmarks.
 *
 * Node's runtime comes from dev/node.cjs because `n8n-node lint` forbids Node globals and built-ins
 * in every .ts file of the repository (see that file).
 */
import { request } from 'undici';

import { childProcess, clearTimeout, crypto, delay, fs, fsp, os, path, proc, repoRoot, setTimeout } from '../../dev/node.cjs';
import { keptLogFile, removeScratch, scratchDir } from './artifacts';
import { HOST, LogBuffer, freePort, spawnManaged, tail, waitUntilReady, type ManagedProcess } from './processes';

// Kept importable from here, where the e2e tests and benchmarks have always found them.
export { freePort, waitForExit } from './processes';

const N8N_VERSION = '2.41.1';

export interface N8nOwner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface N8nCredentialInput {
	/** Fixed id, so that workflow JSONs can reference it; generated when absent (see `credentialIds`). */
	id?: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface N8nStartOptions {
	/** Root of our built package (package.json + dist/); default the repository root. */
	packageDir?: string;
	/** n8n's user folder (n8n keeps `.n8n/` with the database in it); default a fresh temp dir. */
	userFolder?: string;
	/** Keep the user folder after stop() (always kept when the caller passed `userFolder`). */
	keepUserFolder?: boolean;
	/** HTTP port; default a free one. */
	port?: number;
	/** Workflow JSONs with fixed `id`s (and `webhookId`s on webhook nodes), imported before start. */
	workflows?: object[];
	/** Ids of workflows to publish (activate) before start, so their production webhooks are registered. */
	publish?: string[];
	/** Extra environment for n8n (overrides the defaults below, e.g. WEBHOOK_URL). */
	env?: Record<string, string>;
	owner?: N8nOwner;
	/** Imported with `n8n import:credentials` before start (n8n encrypts `data`), so ids are fixed. */
	credentials?: N8nCredentialInput[];
	/** Bound for process start until /healthz/readiness answers 200; default 90 s. */
	readyTimeoutMs?: number;
}

export interface N8nInstance {
	/** e.g. http://127.0.0.1:40123 (no trailing slash). */
	baseUrl: string;
	port: number;
	userFolder: string;
	/** Public API key (header X-N8N-API-KEY) with every scope the owner may grant. */
	apiKey: string;
	/** `n8n-auth=…` cookie of the owner, for /rest endpoints. */
	cookie: string;
	owner: N8nOwner;
	/** Credential name → id (the given id, or the generated one). */
	credentialIds: Record<string, string>;
	/** Milliseconds from spawning `n8n start` until /healthz/readiness answered 200. */
	startToReadyMs: number;
	/** Milliseconds per phase of startN8n: `prepare` (CLI imports/publish), `ready`, `setup` (owner + API key), `total`. */
	timings: { prepare: number; ready: number; setup: number; total: number };
	stop(): Promise<void>;
	/** Everything n8n (and the CLI commands run before it) printed, for failure messages. */
	logs(): string;
}

/** An execution as the public API returns it (`data` only with includeData). */
export interface N8nExecution {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	startedAt: string;
	stoppedAt?: string | null;
	data?: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> }; error?: unknown }>>;
			error?: unknown;
			lastNodeExecuted?: string;
		};
	};
	[key: string]: unknown;
}

export interface HttpResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** Parsed JSON body, or undefined when the body is not JSON. */
	json: unknown;
}

export const DEFAULT_OWNER: N8nOwner = {
	email: 'ci@example.com',
	password: 'Passw0rd-ci-123',
	firstName: 'CI',
	lastName: 'Bot',
};

// ---------------------------------------------------------------------------------------------
// Locations

export interface N8nRuntime {
	dir: string;
	/** Node 24 from the runtime (n8n 2.41 needs it, whatever Node runs the tests). */
	nodeBin: string;
	/** n8n's CLI script, run as `<nodeBin> <n8nBin> …`. */
	n8nBin: string;
}

export function n8nRuntime(): N8nRuntime {
	const dir = path.join(repoRoot, '.tools', 'n8n-runtime');
	const modules = path.join(dir, 'node_modules');
	const runtime = {
		dir,
		nodeBin: path.join(modules, '.bin', proc.platform === 'win32' ? 'node.cmd' : 'node'),
		n8nBin: path.join(modules, 'n8n', 'bin', 'n8n'),
	};
	if (!fs.existsSync(runtime.nodeBin) || !fs.existsSync(runtime.n8nBin)) {
		throw new Error(`The n8n ${N8N_VERSION} runtime is not installed in ${dir}: run \`node scripts/setup-n8n.cjs\` first.`);
	}
	return runtime;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function randomId(length = 16): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = crypto.randomBytes(length);
	return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
}

/** One bounded HTTP request to n8n (127.0.0.1 only). */
export async function httpRequest(
	url: string,
	options: { method?: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {},
): Promise<HttpResult> {
	const timeoutMs = options.timeoutMs ?? 30_000;
	const headers: Record<string, string> = { ...(options.headers ?? {}) };
	let body: string | undefined;
	if (options.body !== undefined) {
		if (typeof options.body === 'string') {
			body = options.body;
		} else {
			body = JSON.stringify(options.body);
			if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
		}
	}
	const response = await request(url, {
		method: (options.method ?? 'GET') as 'GET',
		headers,
		body,
		headersTimeout: timeoutMs,
		bodyTimeout: timeoutMs,
		// No keep-alive: a pooled socket to an n8n that was just stopped would fail the next call.
		reset: true,
	});
	const text = await response.body.text();
	let json: unknown;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.statusCode, headers: response.headers, text, json };
}

function describe(result: HttpResult): string {
	return `${result.status} ${result.text.slice(0, 500)}`;
}

// ---------------------------------------------------------------------------------------------
// Preparing the user folder

/**
 * Installs our package as n8n's community-package loader expects it: a folder named like the
 * package in <userFolder>/.n8n/nodes/node_modules/. It is a copy holding only what npm would
 * publish (package.json, dist/, README, LICENSE): a link to the repository would make n8n resolve
 * `n8n-workflow` from our devDependencies instead of its own, and scan our node_modules.
 */
export function installPackage(packageDir: string, userFolder: string): void {
	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { name: string };
	if (!fs.existsSync(path.join(packageDir, 'dist'))) {
		throw new Error(`${packageDir}/dist does not exist: build the package first (npm run build).`);
	}
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', ...manifest.name.split('/'));
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	fs.copyFileSync(manifestPath, path.join(target, 'package.json'));
	fs.cpSync(path.join(packageDir, 'dist'), path.join(target, 'dist'), {
		recursive: true,
		// Build leftovers n8n does not need.
		filter: (source) => !source.endsWith('.tsbuildinfo'),
	});
	for (const file of fs.readdirSync(packageDir)) {
		if (/^(readme|license|licence)(\.|$)/i.test(file)) fs.copyFileSync(path.join(packageDir, file), path.join(target, file));
	}
	// n8n keeps installed community packages in .n8n/nodes like an npm project.
	const nodesManifest = path.join(userFolder, '.n8n', 'nodes', 'package.json');
	if (!fs.existsSync(nodesManifest)) {
		fs.writeFileSync(nodesManifest, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, '\t') + '\n');
	}
}

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * The environment of one n8n process (or CLI command): SQLite in the user folder unless `extra`
 * says otherwise (queue mode passes PostgreSQL and Redis settings, see e2e/lib/queue.ts).
 */
export function n8nEnv(userFolder: string, port: number, brokerPort: number, extra: Record<string, string> = {}): Record<string, string> {
	const env: Record<string, string> = {};
	// Only what a process needs from the caller's environment: jest's NODE_ENV=test would switch
	// n8n into its own test mode, NODE_OPTIONS could be for another Node, and proxies must not
	// intercept calls to 127.0.0.1 emulators.
	for (const name of ['PATH', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT']) {
		const value = proc.env[name];
		if (value !== undefined) env[name] = value;
	}
	const runtime = n8nRuntime();
	Object.assign(env, {
		// Node 24 first, for anything n8n spawns through PATH (the JS task runner uses its own execPath).
		PATH: `${path.dirname(runtime.nodeBin)}${path.delimiter}${env.PATH ?? ''}`,
		// n8n and its libraries put caches under the home directory; keep them in the temp folder.
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: HOST,
		N8N_HOST: HOST,
		N8N_PROTOCOL: 'http',
		N8N_SECURE_COOKIE: 'false',
		// The task broker listens on its own port; two n8n processes must not share it.
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: HOST,
		// No calls home, so runs are offline and reproducible.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		// mcp-registry fetches api.n8n.io at start and logs ENOTFOUND stack traces offline.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_LOG_LEVEL: 'warn',
	});
	// Webhook base URL (what n8n tells providers and signs with). N8N_WEBHOOK_URL wins over the
	// deprecated WEBHOOK_URL in n8n 2.x, so set it only when the caller did not choose either.
	if (extra.WEBHOOK_URL === undefined && extra.N8N_WEBHOOK_URL === undefined) env.N8N_WEBHOOK_URL = `http://${HOST}:${port}/`;
	return { ...env, ...extra };
}

/** Runs one n8n CLI command to completion (bounded), appending its output to `logs`. */
export async function runCli(args: string[], env: Record<string, string>, logs: LogBuffer, timeoutMs = 120_000): Promise<void> {
	const runtime = n8nRuntime();
	logs.append(`\n$ n8n ${args.join(' ')}\n`);
	const startedAt = Date.now();
	await new Promise<void>((resolve, reject) => {
		const child = childProcess.spawn(runtime.nodeBin, [runtime.n8nBin, ...args], {
			cwd: env.N8N_USER_FOLDER,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const onData = (chunk: Buffer) => logs.append(chunk.toString());
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, timeoutMs);
		child.once('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.once('close', (code, signal) => {
			clearTimeout(timer);
			logs.append(`(n8n ${args[0]}: exit ${code ?? signal} after ${Date.now() - startedAt} ms)\n`);
			if (code === 0) resolve();
			// The output is in `logs`, which the caller appends to its error.
			else reject(new Error(`\`n8n ${args.join(' ')}\` ${timedOut ? `timed out after ${timeoutMs} ms` : `exited with ${code ?? signal}`}.`));
		});
	});
}

export interface N8nImports {
	credentials?: N8nCredentialInput[];
	workflows?: object[];
	/** Ids of workflows to publish before start (one CLI process each). */
	publish?: string[];
}

/**
 * Imports credentials and workflows (and publishes workflows) through the CLI, before the n8n that
 * serves them starts: one process per command (3-5 s each), so all workflows go in one import.
 * Returns credential name → id (the given id, or a generated one).
 */
export async function importWithCli(imports: N8nImports, env: Record<string, string>, logs: LogBuffer): Promise<Record<string, string>> {
	const staging = await fsp.mkdtemp(path.join(os.tmpdir(), 'n8n-e2e-import-'));
	try {
		const credentialIds: Record<string, string> = {};
		if (imports.credentials?.length) {
			const credentials = imports.credentials.map((credential) => {
				const id = credential.id ?? randomId();
				credentialIds[credential.name] = id;
				return { id, name: credential.name, type: credential.type, data: credential.data };
			});
			const file = path.join(staging, 'credentials.json');
			await fsp.writeFile(file, JSON.stringify(credentials));
			await runCli(['import:credentials', `--input=${file}`], env, logs);
		}
		if (imports.workflows?.length) {
			const dir = path.join(staging, 'workflows');
			await fsp.mkdir(dir);
			for (const [index, workflow] of imports.workflows.entries()) {
				await fsp.writeFile(path.join(dir, `${index}.json`), JSON.stringify(workflow));
			}
			await runCli(['import:workflow', '--separate', `--input=${dir}`], env, logs);
		}
		for (const id of imports.publish ?? []) {
			await runCli(['publish:workflow', `--id=${id}`], env, logs);
		}
		return credentialIds;
	} finally {
		await fsp.rm(staging, { recursive: true, force: true, maxRetries: 3 });
	}
}

/**
 * Spawns a long-running n8n command (`start`, `worker`, `webhook`) in its own process group.
 * Stopping sends SIGTERM (n8n finishes running executions, bounded) and then kills the group,
 * which includes the task runner n8n spawns.
 */
export function spawnN8n(name: string, args: string[], env: Record<string, string>, logs?: LogBuffer): ManagedProcess {
	const runtime = n8nRuntime();
	return spawnManaged(name, runtime.nodeBin, [runtime.n8nBin, ...args], { env, cwd: env.N8N_USER_FOLDER, logs, stopTimeoutMs: 20_000 });
}

/** Polls `<url>` until it answers 200 (n8n's /healthz/readiness); returns the milliseconds it took. */
export async function waitForHealthy(url: string, process: ManagedProcess, timeoutMs: number): Promise<number> {
	return await waitUntilReady(`${process.name} (${url})`, async () => (await httpRequest(url, { timeoutMs: 2_000 })).status === 200, {
		timeoutMs,
		process,
	});
}

/**
 * Creates the owner account on a fresh n8n (or logs in on a kept user folder) and an API key with
 * every scope the owner may grant. Returns the `n8n-auth` cookie and the key.
 */
export async function setupOwnerAndApiKey(baseUrl: string, owner: N8nOwner): Promise<{ cookie: string; apiKey: string }> {
	let auth = await httpRequest(`${baseUrl}/rest/owner/setup`, { method: 'POST', body: owner });
	if (auth.status === 400 && /already setup/i.test(auth.text)) {
		// A kept user folder from an earlier run (e.g. `npm start`): the owner exists, log in.
		auth = await httpRequest(`${baseUrl}/rest/login`, {
			method: 'POST',
			body: { emailOrLdapLoginId: owner.email, password: owner.password },
		});
	}
	if (auth.status !== 200) throw new Error(`Owner setup/login failed: ${describe(auth)}`);
	const setCookie = ([] as string[]).concat(auth.headers['set-cookie'] ?? []);
	const cookie = setCookie.map((value) => value.split(';')[0]).find((value) => value.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`Owner setup/login returned no n8n-auth cookie: ${JSON.stringify(auth.headers)}`);

	// Every scope the owner may put on a key (asking for one it lacks is a 400).
	const scopesResponse = await httpRequest(`${baseUrl}/rest/api-keys/scopes`, { headers: { cookie } });
	const scopes = (scopesResponse.json as { data?: string[] } | undefined)?.data;
	if (scopesResponse.status !== 200 || !Array.isArray(scopes)) throw new Error(`Listing API key scopes failed: ${describe(scopesResponse)}`);
	const key = await httpRequest(`${baseUrl}/rest/api-keys`, {
		method: 'POST',
		headers: { cookie },
		// Labels are unique per user; a kept user folder already has the previous run's key.
		body: { label: `e2e-${new Date().toISOString()}-${randomId(6)}`, expiresAt: null, scopes },
	});
	const apiKey = (key.json as { data?: { rawApiKey?: string } } | undefined)?.data?.rawApiKey;
	if (key.status !== 200 || !apiKey) throw new Error(`Creating an API key failed: ${describe(key)}`);
	return { cookie, apiKey };
}

// ---------------------------------------------------------------------------------------------
// Public API

/** One `n8n start` with SQLite in its user folder: what `npm start`, the e2e tests and the benchmarks use. */
export async function startN8n(options: N8nStartOptions = {}): Promise<N8nInstance> {
	const calledAt = Date.now();
	const owner = options.owner ?? DEFAULT_OWNER;
	const readyTimeoutMs = options.readyTimeoutMs ?? 90_000;
	const ownsUserFolder = options.userFolder === undefined;
	// Under E2E_ARTIFACTS_DIR the folder and n8n's whole output stay for CI's secret scan.
	const userFolder = options.userFolder ?? (await scratchDir('n8n-e2e-'));
	const logs = new LogBuffer(keptLogFile(userFolder, 'n8n.log'));
	const keepUserFolder = options.keepUserFolder ?? !ownsUserFolder;
	const removeTemp = async () => {
		if (!keepUserFolder) await removeScratch(userFolder);
	};

	let n8n: ManagedProcess | undefined;
	try {
		const port = options.port ?? (await freePort());
		const brokerPort = await freePort([port]);
		const env = n8nEnv(userFolder, port, brokerPort, options.env);
		installPackage(options.packageDir ?? repoRoot, userFolder);
		const credentialIds = await importWithCli(options, env, logs);

		const spawnedAt = Date.now();
		n8n = spawnN8n('n8n start', ['start'], env, logs);
		const baseUrl = `http://${HOST}:${port}`;
		const startToReadyMs = await waitForHealthy(`${baseUrl}/healthz/readiness`, n8n, readyTimeoutMs);
		const readyAt = Date.now();
		const { cookie, apiKey } = await setupOwnerAndApiKey(baseUrl, owner);

		const started = n8n;
		let stopped: Promise<void> | undefined;
		const stop = () => {
			stopped ??= (async () => {
				await started.stop();
				await removeTemp();
			})();
			return stopped;
		};

		return {
			baseUrl,
			port,
			userFolder,
			apiKey,
			cookie,
			owner,
			credentialIds,
			startToReadyMs,
			timings: { prepare: spawnedAt - calledAt, ready: startToReadyMs, setup: Date.now() - readyAt, total: Date.now() - calledAt },
			stop,
			logs: () => logs.toString(),
		};
	} catch (error) {
		return await abortStart(error, n8n, removeTemp, logs);
	}
}

/** Undoes a half-done startN8n and throws the cause with n8n's output attached. */
async function abortStart(error: unknown, n8n: ManagedProcess | undefined, removeTemp: () => Promise<void>, logs: LogBuffer): Promise<never> {
	await n8n?.stop();
	await removeTemp();
	const message = error instanceof Error ? error.message : String(error);
	throw new Error(`${message}\n--- n8n output (last lines) ---\n${tail(logs.toString(), 80)}`);
}

/** GET/POST … on n8n's public API (/api/v1) with the instance's API key. */
export async function publicApi(n8n: N8nInstance, method: string, pathAndQuery: string, body?: unknown): Promise<HttpResult> {
	return await httpRequest(`${n8n.baseUrl}/api/v1${pathAndQuery}`, { method, body, headers: { 'X-N8N-API-KEY': n8n.apiKey } });
}

/** GET/POST … on n8n's internal REST API (/rest, what the editor uses) as the owner. */
export async function restApi(n8n: N8nInstance, method: string, pathAndQuery: string, body?: unknown): Promise<HttpResult> {
	return await httpRequest(`${n8n.baseUrl}/rest${pathAndQuery}`, { method, body, headers: { cookie: n8n.cookie } });
}

/** Executions from the public API, newest first (one page: at most `limit`, default 100, max 250). */
export async function listExecutions(
	n8n: N8nInstance,
	opts: { workflowId?: string; includeData?: boolean; limit?: number; status?: string } = {},
): Promise<N8nExecution[]> {
	const query = new URLSearchParams({ limit: String(opts.limit ?? 100), includeData: String(opts.includeData ?? false) });
	if (opts.workflowId) query.set('workflowId', opts.workflowId);
	if (opts.status) query.set('status', opts.status);
	const result = await publicApi(n8n, 'GET', `/executions?${query.toString()}`);
	const data = (result.json as { data?: N8nExecution[] } | undefined)?.data;
	if (result.status !== 200 || !Array.isArray(data)) throw new Error(`GET /api/v1/executions failed: ${describe(result)}`);
	return data;
}

/** Execution statuses after which nothing changes any more. */
export const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Polls the public API until at least `count` finished executions (with data) satisfy `predicate`;
 * returns those, oldest first. Throws after `timeoutMs` with what it saw and n8n's log tail.
 */
export async function waitForExecutions(
	n8n: N8nInstance,
	predicate: (execution: N8nExecution) => boolean = () => true,
	opts: { count?: number; timeoutMs?: number; workflowId?: string; intervalMs?: number } = {},
): Promise<N8nExecution[]> {
	const count = opts.count ?? 1;
	const timeoutMs = opts.timeoutMs ?? 30_000;
	const deadline = Date.now() + timeoutMs;
	let seen: N8nExecution[] = [];
	for (;;) {
		seen = await listExecutions(n8n, { workflowId: opts.workflowId, includeData: true, limit: 250 });
		const matching = seen.filter((execution) => FINISHED.has(execution.status) && predicate(execution));
		if (matching.length >= count) return matching.reverse();
		if (Date.now() > deadline) {
			const summary = seen.map(({ id, workflowId, status, mode }) => ({ id, workflowId, status, mode }));
			throw new Error(
				`Expected ${count} finished matching execution(s) within ${timeoutMs} ms; executions seen: ${JSON.stringify(summary)}\n` +
					`--- n8n output (last lines) ---\n${tail(n8n.logs(), 60)}`,
			);
		}
		await delay(opts.intervalMs ?? 250);
	}
}

/**
 * Runs a workflow as the editor's "Execute workflow" does, from the trigger node `triggerName`,
 * and returns the execution once it finished successfully (bounded; throws with its error
 * otherwise). In queue mode with OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true it runs on a worker.
 */
export async function runWorkflowManually(n8n: N8nInstance, workflowId: string, triggerName = 'Start', timeoutMs = 60_000): Promise<N8nExecution> {
	const known = new Set((await listExecutions(n8n, { workflowId, limit: 250 })).map((e) => e.id));
	const reply = await restApi(n8n, 'POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
	if (reply.status !== 200) throw new Error(`Manual run of ${workflowId} → ${describe(reply)}`);
	const [execution] = await waitForExecutions(n8n, (e) => !known.has(e.id), { workflowId, timeoutMs });
	if (execution.status !== 'success') {
		throw new Error(`Manual run of ${workflowId} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData.error ?? null).slice(0, 1000)}`);
	}
	return execution;
}

/**
 * Production webhook URL of a published workflow: `<base>/webhook/<webhookId>/<path>`, or
 * `<base>/webhook/<path>` when `webhookId` is empty (nodes whose webhook has `isFullPath`, such as
 * n8n's own Webhook node, use their path alone).
 */
export function webhookUrl(n8n: N8nInstance, webhookId: string | undefined, webhookPath = ''): string {
	const parts = [webhookId, webhookPath.replace(/^\/+/, '')].filter((part): part is string => !!part);
	return `${n8n.baseUrl}/webhook/${parts.join('/')}`;
}

/**
 * Calls a production webhook until it is registered (anything but 404), and returns that response.
 * n8n answers /healthz/readiness before it has registered the webhooks of published workflows.
 */
export async function waitForWebhook(
	n8n: N8nInstance,
	url: string,
	opts: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number; intervalMs?: number } = {},
): Promise<HttpResult> {
	const timeoutMs = opts.timeoutMs ?? 30_000;
	const deadline = Date.now() + timeoutMs;
	let last: HttpResult | undefined;
	let lastError: unknown;
	for (;;) {
		try {
			last = await httpRequest(url, { method: opts.method ?? 'POST', body: opts.body, headers: opts.headers, timeoutMs: 30_000 });
			if (last.status !== 404) return last;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`Webhook ${url} still not registered after ${timeoutMs} ms (last: ${last ? describe(last) : String(lastError)})\n` +
					`--- n8n output (last lines) ---\n${tail(n8n.logs(), 60)}`,
			);
		}
		await delay(opts.intervalMs ?? 200);
	}
}

/** Every execution (of one workflow, if given), following the public API's cursor; newest first. */
export async function listAllExecutions(
	n8n: N8nInstance,
	opts: { workflowId?: string; includeData?: boolean; status?: string; maxPages?: number } = {},
): Promise<N8nExecution[]> {
	const all: N8nExecution[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < (opts.maxPages ?? 100); page++) {
		const query = new URLSearchParams({ limit: '250', includeData: String(opts.includeData ?? false) });
		if (opts.workflowId) query.set('workflowId', opts.workflowId);
		if (opts.status) query.set('status', opts.status);
		if (cursor) query.set('cursor', cursor);
		const result = await publicApi(n8n, 'GET', `/executions?${query.toString()}`);
		const body = result.json as { data?: N8nExecution[]; nextCursor?: string | null } | undefined;
		if (result.status !== 200 || !Array.isArray(body?.data)) throw new Error(`GET /api/v1/executions failed: ${describe(result)}`);
		all.push(...body.data);
		if (!body.nextCursor) return all;
		cursor = body.nextCursor;
	}
	throw new Error(`More than ${opts.maxPages ?? 100} pages of executions.`);
}

/** Runs `task` for every entry with at most `concurrency` in flight; results in input order. */
export async function inParallel<T, R>(entries: readonly T[], concurrency: number, task: (entry: T, index: number) => Promise<R>): Promise<R[]> {
	const results: R[] = new Array<R>(entries.length);
	let next = 0;
	const worker = async () => {
		while (next < entries.length) {
			const index = next++;
			results[index] = await task(entries[index], index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
	return results;
}
