/*
 * n8n queue mode on one machine, for the queue-mode suite (e2e/queue/): PostgreSQL and Redis of
 * our own (e2e/lib/services.ts), then `n8n start` (main), `n8n worker` and `n8n webhook`
 * processes, all on 127.0.0.1 with free ports, with our package installed in each process's user
 * folder the way users get it (or deliberately not, for break-it checks).
 *
 * Settings every process shares (n8n 2.41): EXECUTIONS_MODE=queue, the Redis host/port
 * (QUEUE_BULL_REDIS_*), DB_TYPE=postgresdb with DB_POSTGRESDB_*, one N8N_ENCRYPTION_KEY (a
 * worker without it refuses to start), its own N8N_RUNNERS_BROKER_PORT (each main and worker
 * opens a task broker and exits when the port is taken), and N8N_WEBHOOK_URL = the first webhook
 * process (what a load balancer would be in production). Main runs with
 * N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true unless asked otherwise, so production webhooks (and
 * /webhook-waiting resumes) are served only by the webhook processes, and with
 * OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, so manual runs execute on workers too.
 * Workers serve /healthz/readiness (QUEUE_HEALTH_CHECK_ACTIVE) on their own port, which is how
 * we know they are connected to PostgreSQL and Redis and consuming the queue.
 *
 * Every process logs JSON (N8N_LOG_FORMAT=json) at info level: n8n's scaling service logs
 * "Enqueued execution <id>" in the process that put an execution on the queue (main, or the
 * webhook process that received the request) and every worker logs "Worker started execution
 * <id>" before it runs one (`n8n/dist/scaling/scaling.service.js`, `job-processor.js`).
 * `executionTrace()` reads those lines: that is where an execution really ran.
 *
 * Node's runtime comes from dev/node.cjs (see that file for why).
 */
import { crypto, delay, fsp, path, proc, repoRoot } from '../../dev/node.cjs';
import { artifactsDir, keptLogFile, removeScratch, scratchDir } from './artifacts';
import {
	DEFAULT_OWNER,
	importWithCli,
	installPackage,
	n8nEnv,
	setupOwnerAndApiKey,
	spawnN8n,
	waitForHealthy,
	type N8nImports,
	type N8nInstance,
	type N8nOwner,
} from './n8n';
import { HOST, LogBuffer, freePorts, pidAlive, tail, type ManagedProcess } from './processes';
import { dumpPostgres, ensureServiceBinaries, startPostgres, startRedis, type PostgresService, type RedisService } from './services';

export type QueueRole = 'main' | 'worker' | 'webhook';

export interface QueueProcessSpec {
	/** Start this process WITHOUT our package in its user folder (break-it checks). */
	withoutPackage?: boolean;
	/** Extra environment for this process only. */
	env?: Record<string, string>;
}

export interface QueueWorkerSpec extends QueueProcessSpec {
	/** `n8n worker --concurrency=<n>`: executions this worker runs at once. */
	concurrency: number;
}

/** What the caller's imports may depend on: the services and the addresses the processes will have. */
export interface QueueClusterContext {
	postgres: PostgresService;
	redis: RedisService;
	mainBaseUrl: string;
	/** Base URLs of the webhook processes, in order (the first is N8N_WEBHOOK_URL). */
	webhookBaseUrls: string[];
}

export interface QueueClusterOptions {
	/** Root of our built package (package.json + dist/); default the repository root. */
	packageDir?: string;
	/** Default: two workers with concurrency 1. */
	workers?: QueueWorkerSpec[];
	/** Default: one webhook process. */
	webhooks?: QueueProcessSpec[];
	/** Main's own settings (e.g. withoutPackage). */
	main?: QueueProcessSpec;
	/** Whether main also serves production webhooks (N8N_DISABLE_PRODUCTION_MAIN_PROCESS unset); default false. */
	mainServesProductionWebhooks?: boolean;
	/** Whether manual runs go to workers (OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS); default true. */
	offloadManualExecutions?: boolean;
	/** Extra environment for every n8n process (per-process `env` wins). */
	env?: Record<string, string>;
	/** Credentials, workflows and workflows to publish, imported with the CLI before the processes start. */
	imports?: N8nImports | ((context: QueueClusterContext) => N8nImports | Promise<N8nImports>);
	owner?: N8nOwner;
	/** Bound for each process until it is ready; default 180 s (five n8n processes start at once on 2 cores). */
	readyTimeoutMs?: number;
	/** Where the process table and the stop summary are printed; default stdout. */
	print?: (text: string) => void;
}

export interface QueueN8nProcess {
	/** `main`, `worker-1`, `webhook-2`, … */
	name: string;
	role: QueueRole;
	pid: number;
	/** HTTP port: the UI/API (main), production webhooks (webhook), the health server (worker). */
	port: number;
	baseUrl: string;
	brokerPort: number;
	/** Whether our package is installed in this process's user folder. */
	hasPackage: boolean;
	concurrency?: number;
	userFolder: string;
	process: ManagedProcess;
	logs(): string;
	/** The JSON lines of its log (N8N_LOG_FORMAT=json), in order. */
	logEntries(): N8nLogEntry[];
}

export interface N8nLogEntry {
	level: string;
	message: string;
	metadata?: Record<string, unknown>;
}

export interface ExecutionTrace {
	/** The process that put the execution on the queue (main for manual runs, a webhook process for webhooks). */
	enqueuedBy: string[];
	/** The workers that logged "Worker started execution <id>" (more than one only for a resumed wait). */
	ranOn: string[];
}

export interface QueueCluster {
	/** Main's REST and public API; `logs()` gives the last lines of every process, labelled. */
	main: N8nInstance;
	processes: QueueN8nProcess[];
	workers: QueueN8nProcess[];
	webhooks: QueueN8nProcess[];
	postgres: PostgresService;
	redis: RedisService;
	/** N8N_WEBHOOK_URL of every process (the first webhook process), with a trailing slash. */
	webhookUrl: string;
	/** The table of started processes (also printed at start). */
	printout: string;
	timings: { services: number; imports: number; ready: number; total: number };
	process(name: string): QueueN8nProcess;
	/** Where each execution was enqueued and ran, from the processes' logs. */
	executionTrace(executionId: string): ExecutionTrace;
	/** Waits (bounded) until every given execution has a worker in its trace, and returns the traces. */
	waitForTraces(executionIds: string[], timeoutMs?: number): Promise<Record<string, ExecutionTrace>>;
	/** Stops every n8n process, then Redis and PostgreSQL, removes the temp folder; idempotent. */
	stop(): Promise<void>;
	/** Names (with pid) of started processes that still exist: empty after stop(). */
	stillRunning(): string[];
}

function parseLogEntries(text: string): N8nLogEntry[] {
	const entries: N8nLogEntry[] = [];
	for (const line of text.split('\n')) {
		const trimmed = line.trim();
		if (!trimmed.startsWith('{')) continue;
		try {
			const entry = JSON.parse(trimmed) as N8nLogEntry;
			if (typeof entry.message === 'string') entries.push(entry);
		} catch {
			// A line that only looks like JSON (e.g. a pretty-printed object): not a log entry.
		}
	}
	return entries;
}

const ENQUEUED = /^Enqueued execution (\S+) \(job /;
const WORKER_STARTED = /^Worker started execution (\S+) \(job /;

function pad(text: string, width: number): string {
	return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

export async function startQueueCluster(options: QueueClusterOptions = {}): Promise<QueueCluster> {
	const calledAt = Date.now();
	const print = options.print ?? ((text: string) => proc.stdout.write(text.endsWith('\n') ? text : `${text}\n`));
	const packageDir = options.packageDir ?? repoRoot;
	const workerSpecs = options.workers ?? [{ concurrency: 1 }, { concurrency: 1 }];
	const webhookSpecs = options.webhooks ?? [{}];
	if (webhookSpecs.length < 1) throw new Error('Queue mode needs at least one webhook process here: main does not serve production webhooks.');
	const readyTimeoutMs = options.readyTimeoutMs ?? 180_000;
	// Under E2E_ARTIFACTS_DIR the folders, every process's output and a dump of the database stay for CI's secret scan.
	const baseDir = await scratchDir('n8n-queue-');

	let postgres: PostgresService | undefined;
	let redis: RedisService | undefined;
	const n8nProcesses: QueueN8nProcess[] = [];
	let stopped: Promise<void> | undefined;
	const stop = (): Promise<void> => {
		stopped ??= (async () => {
			const stopStarted = Date.now();
			// Webhook processes and main first (nothing new is enqueued), then workers, then the services.
			const order: QueueRole[] = ['webhook', 'main', 'worker'];
			const slow: string[] = [];
			const timed = async (name: string, managed: ManagedProcess) => {
				const started = Date.now();
				await managed.stop();
				if (managed.forced()) {
					// Say why it did not exit (n8n logs e.g. "Waiting for 1 active executions to finish...").
					const last = tail(managed.logs(), 4).replace(/\s+/g, ' ').slice(0, 600);
					slow.push(`${name} killed after ${((Date.now() - started) / 1000).toFixed(1)} s, last output: ${last}`);
				} else if (Date.now() - started > 3_000) slow.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
			};
			for (const role of order) await Promise.all(n8nProcesses.filter((p) => p.role === role).map((p) => timed(p.name, p.process)));
			let dumped = '';
			if (postgres && artifactsDir() && postgres.process.running()) {
				// The tables as JSON lines: what the scan reads instead of PostgreSQL's own (binary) files.
				const files = await dumpPostgres(postgres, path.join(baseDir, 'postgres-dump')).catch((error: unknown) => {
					print(`[queue] dumping PostgreSQL failed: ${error instanceof Error ? error.message : String(error)}`);
					return [];
				});
				dumped = `; ${files.length} table(s) dumped to ${path.join(baseDir, 'postgres-dump')}`;
			}
			if (redis) await timed('redis', redis.process);
			if (postgres) await timed('postgres', postgres.process);
			if (artifactsDir()) {
				// The data directories are copies of what the dump holds (and PostgreSQL's are not readable text).
				await Promise.all(['postgres', 'redis'].map((dir) => fsp.rm(path.join(baseDir, dir), { recursive: true, force: true, maxRetries: 3 })));
			}
			await removeScratch(baseDir);
			const left = stillRunning();
			print(
				`[queue] stopped ${n8nProcesses.length} n8n process(es), Redis and PostgreSQL in ${((Date.now() - stopStarted) / 1000).toFixed(1)} s${dumped}` +
					`${slow.length ? ` (slow: ${slow.join(', ')})` : ''}; ${left.length ? `STILL RUNNING: ${left.join(', ')}` : 'nothing left running.'}`,
			);
		})();
		return stopped;
	};
	const stillRunning = (): string[] => {
		const all: ManagedProcess[] = [...n8nProcesses.map((p) => p.process), ...(redis ? [redis.process] : []), ...(postgres ? [postgres.process] : [])];
		return all.filter((p) => p.pid && pidAlive(p.pid)).map((p) => `${p.name} (pid ${p.pid})`);
	};

	let ready = false;
	try {
		// 1. PostgreSQL and Redis (installing the Debian packages if needed).
		const binaries = ensureServiceBinaries();
		[postgres, redis] = await Promise.all([
			startPostgres(binaries.postgresBinDir, baseDir, { logFile: keptLogFile(baseDir, 'postgres.log') }),
			startRedis(binaries.redisServer, baseDir, { logFile: keptLogFile(baseDir, 'redis.log') }),
		]);
		await postgres.createDatabase('n8n');
		const servicesMs = Date.now() - calledAt;

		// 2. Ports and environments.
		const plan: Array<{ name: string; role: QueueRole; spec: QueueProcessSpec; concurrency?: number }> = [
			{ name: 'main', role: 'main', spec: options.main ?? {} },
			...workerSpecs.map((spec, i) => ({ name: `worker-${i + 1}`, role: 'worker' as const, spec, concurrency: spec.concurrency })),
			...webhookSpecs.map((spec, i) => ({ name: `webhook-${i + 1}`, role: 'webhook' as const, spec })),
		];
		const ports = await freePorts(plan.length * 2, [postgres.port, redis.port]);
		const urlOf = (i: number) => `http://${HOST}:${ports[2 * i]}`;
		const webhookBaseUrls = plan.map((entry, i) => (entry.role === 'webhook' ? urlOf(i) : '')).filter(Boolean);
		const webhookUrl = `${webhookBaseUrls[0]}/`;
		const encryptionKey = crypto.randomBytes(24).toString('hex');
		const shared: Record<string, string> = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_ENCRYPTION_KEY: encryptionKey,
			N8N_WEBHOOK_URL: webhookUrl,
			// Info level: the "Enqueued execution" / "Worker started execution" lines are the trace.
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_FORMAT: 'json',
			...(options.env ?? {}),
		};
		const prepared = await Promise.all(
			plan.map(async (entry, i) => {
				const userFolder = path.join(baseDir, entry.name);
				await fsp.mkdir(userFolder);
				if (!entry.spec.withoutPackage) installPackage(packageDir, userFolder);
				const roleEnv: Record<string, string> = {};
				if (entry.role === 'main') {
					if (!options.mainServesProductionWebhooks) roleEnv.N8N_DISABLE_PRODUCTION_MAIN_PROCESS = 'true';
					if (options.offloadManualExecutions ?? true) roleEnv.OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS = 'true';
				}
				if (entry.role === 'worker') {
					roleEnv.QUEUE_HEALTH_CHECK_ACTIVE = 'true';
					roleEnv.QUEUE_HEALTH_CHECK_PORT = String(ports[2 * i]);
					roleEnv.N8N_WORKER_SERVER_ADDRESS = HOST;
				}
				const env = n8nEnv(userFolder, ports[2 * i], ports[2 * i + 1], { ...shared, ...roleEnv, ...(entry.spec.env ?? {}) });
				return { ...entry, userFolder, env, port: ports[2 * i], brokerPort: ports[2 * i + 1], baseUrl: urlOf(i) };
			}),
		);

		// 3. Imports through the CLI, in main's environment; the first command migrates the database.
		const importsStarted = Date.now();
		const imports =
			typeof options.imports === 'function'
				? await options.imports({ postgres, redis, mainBaseUrl: prepared[0].baseUrl, webhookBaseUrls })
				: (options.imports ?? {});
		const mainLogs = new LogBuffer(keptLogFile(prepared[0].userFolder, 'n8n.log'));
		const credentialIds = await importWithCli(imports, prepared[0].env, mainLogs).catch((error: unknown) => {
			throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- n8n CLI output (last lines) ---\n${tail(mainLogs.toString(), 60)}`);
		});
		const importsMs = Date.now() - importsStarted;

		// 4. Every n8n process at once (the schema exists now), each until it is ready.
		const readyStarted = Date.now();
		for (const entry of prepared) {
			const args = entry.role === 'main' ? ['start'] : entry.role === 'worker' ? ['worker', `--concurrency=${entry.concurrency}`] : ['webhook'];
			const managed = spawnN8n(`n8n ${entry.name}`, args, entry.env, entry.role === 'main' ? mainLogs : new LogBuffer(keptLogFile(entry.userFolder, 'n8n.log')));
			n8nProcesses.push({
				name: entry.name,
				role: entry.role,
				pid: managed.pid,
				port: entry.port,
				baseUrl: entry.baseUrl,
				brokerPort: entry.brokerPort,
				hasPackage: !entry.spec.withoutPackage,
				concurrency: entry.concurrency,
				userFolder: entry.userFolder,
				process: managed,
				logs: () => managed.logs(),
				logEntries: () => parseLogEntries(managed.logs()),
			});
		}
		await Promise.all(n8nProcesses.map((p) => waitForHealthy(`${p.baseUrl}/healthz/readiness`, p.process, readyTimeoutMs)));
		const readyMs = Date.now() - readyStarted;

		const mainProcess = n8nProcesses[0];
		const { cookie, apiKey } = await setupOwnerAndApiKey(mainProcess.baseUrl, options.owner ?? DEFAULT_OWNER);
		const allLogs = () => n8nProcesses.map((p) => `--- ${p.name} (pid ${p.pid}) ---\n${tail(p.logs(), 40)}`).join('\n');
		const main: N8nInstance = {
			baseUrl: mainProcess.baseUrl,
			port: mainProcess.port,
			userFolder: mainProcess.userFolder,
			apiKey,
			cookie,
			owner: options.owner ?? DEFAULT_OWNER,
			credentialIds,
			startToReadyMs: readyMs,
			timings: { prepare: importsMs, ready: readyMs, setup: 0, total: Date.now() - calledAt },
			stop,
			logs: allLogs,
		};

		const lines = [
			`[queue] n8n queue mode: ${n8nProcesses.length} n8n processes, PostgreSQL, Redis (temp folder ${baseDir})`,
			`[queue]   ${pad('postgres', 11)}pid ${pad(String(postgres.pid), 8)}${pad(`${postgres.host}:${postgres.port}`, 24)}${postgres.version}, data ${postgres.dataDir}`,
			`[queue]   ${pad('redis', 11)}pid ${pad(String(redis.pid), 8)}${pad(`${redis.host}:${redis.port}`, 24)}${redis.version.split(' sha=')[0]}`,
		];
		for (const p of n8nProcesses) {
			const what =
				p.role === 'main'
					? `n8n start, production webhooks ${options.mainServesProductionWebhooks ? 'on' : 'off'}`
					: p.role === 'worker'
						? `n8n worker --concurrency=${p.concurrency} (health server)`
						: 'n8n webhook';
			lines.push(
				`[queue]   ${pad(p.name, 11)}pid ${pad(String(p.pid), 8)}${pad(p.baseUrl, 24)}broker ${p.brokerPort}, ${what}${p.hasPackage ? '' : ', WITHOUT our package'}`,
			);
		}
		lines.push(
			`[queue]   N8N_WEBHOOK_URL ${webhookUrl}; ready in ${((Date.now() - calledAt) / 1000).toFixed(1)} s ` +
				`(services ${(servicesMs / 1000).toFixed(1)} s, imports ${(importsMs / 1000).toFixed(1)} s, processes ${(readyMs / 1000).toFixed(1)} s)`,
		);
		const printout = lines.join('\n');
		print(printout);

		/** Traces of the given executions from every process's log, one parse per process. */
		const collectTraces = (executionIds: string[]): Record<string, ExecutionTrace> => {
			const traces: Record<string, ExecutionTrace> = Object.fromEntries(executionIds.map((id) => [id, { enqueuedBy: [], ranOn: [] }]));
			for (const p of n8nProcesses) {
				for (const entry of p.logEntries()) {
					const enqueued = ENQUEUED.exec(entry.message)?.[1];
					if (enqueued !== undefined && traces[enqueued]) traces[enqueued].enqueuedBy.push(p.name);
					const started = WORKER_STARTED.exec(entry.message)?.[1];
					if (started !== undefined && traces[started]) traces[started].ranOn.push(p.name);
				}
			}
			return traces;
		};
		const waitForTraces = async (executionIds: string[], timeoutMs = 10_000): Promise<Record<string, ExecutionTrace>> => {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				const traces = collectTraces(executionIds);
				const complete = Object.values(traces).every((trace) => trace.ranOn.length > 0 && trace.enqueuedBy.length > 0);
				if (complete || Date.now() > deadline) return traces;
				// Log lines travel through a pipe: an execution can be finished before its line arrived.
				await delay(200);
			}
		};

		ready = true;
		return {
			main,
			processes: n8nProcesses,
			workers: n8nProcesses.filter((p) => p.role === 'worker'),
			webhooks: n8nProcesses.filter((p) => p.role === 'webhook'),
			postgres,
			redis,
			webhookUrl,
			printout,
			timings: { services: servicesMs, imports: importsMs, ready: readyMs, total: Date.now() - calledAt },
			process: (name) => {
				const found = n8nProcesses.find((p) => p.name === name);
				if (!found) throw new Error(`No process ${name} in this cluster (${n8nProcesses.map((p) => p.name).join(', ')}).`);
				return found;
			},
			executionTrace: (executionId) => collectTraces([executionId])[executionId],
			waitForTraces,
			stop,
			stillRunning,
		};
	} finally {
		// Undo a half-done start; the error on its way keeps the failing process's output.
		if (!ready) await stop();
	}
}
