/*
 * PostgreSQL and Redis for the queue-mode suite (e2e/lib/queue.ts): the Debian packages (installed
 * by scripts/queue-services.sh when missing), run as our own processes on free 127.0.0.1 ports
 * with data directories in a temp folder, stopped by pid. No system service is used or started.
 *
 * Node's runtime comes from dev/node.cjs (see that file for why).
 */
import { childProcess, fs, net, path, proc, repoRoot } from '../../dev/node.cjs';
import { HOST, LogBuffer, freePort, spawnManaged, tail, waitUntilReady, type ManagedProcess } from './processes';

export interface ServiceBinaries {
	/** e.g. /usr/lib/postgresql/15/bin (postgres, initdb, psql). */
	postgresBinDir: string;
	redisServer: string;
	/** Packages scripts/queue-services.sh installed in this call (empty when everything was there). */
	installed: string[];
}

/**
 * Where PostgreSQL and Redis are, after installing the missing Debian packages
 * (scripts/queue-services.sh; root or password-less sudo is needed only then).
 */
export function ensureServiceBinaries(timeoutMs = 600_000): ServiceBinaries {
	const script = path.join(repoRoot, 'scripts', 'queue-services.sh');
	// stderr goes straight through: apt-get's progress is visible while it runs.
	const result = childProcess.spawnSync('bash', [script], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'inherit'] });
	if (result.status !== 0) {
		throw new Error(`scripts/queue-services.sh failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); its output is above.`);
	}
	const values: Record<string, string> = {};
	for (const line of result.stdout.split('\n')) {
		const match = /^(\w+)=(.*)$/.exec(line.trim());
		if (match) values[match[1]] = match[2];
	}
	if (!values.postgresBinDir || !values.redisServer) throw new Error(`scripts/queue-services.sh printed no binary paths:\n${result.stdout}`);
	return { postgresBinDir: values.postgresBinDir, redisServer: values.redisServer, installed: values.installed ? values.installed.split(' ') : [] };
}

/** Runs `step`; when it fails, stops `process` before the error goes on. */
async function stopOnFailure<T>(process: ManagedProcess, step: () => Promise<T>): Promise<T> {
	let done = false;
	try {
		const result = await step();
		done = true;
		return result;
	} finally {
		if (!done) await process.stop();
	}
}

function firstLine(command: string, args: string[]): string {
	const result = childProcess.spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
	return (result.stdout ?? '').split('\n')[0].trim();
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export interface PostgresService {
	host: string;
	port: number;
	/** Superuser; 127.0.0.1 connections are trusted, so there is no password. */
	user: string;
	password: string;
	version: string;
	/** The postmaster's pid. */
	pid: number;
	dataDir: string;
	process: ManagedProcess;
	createDatabase(name: string): Promise<void>;
	/** Runs SQL with psql (unaligned, tuples only) and returns its output. */
	query(sql: string, database?: string): Promise<string>;
	/** Runs SQL with psql (unaligned, tuples only) and writes its output to `file` (any size). */
	queryToFile(sql: string, file: string, database?: string): Promise<void>;
	stop(): Promise<void>;
}

/** The account PostgreSQL runs as when we are root (it refuses to run as root): the package's `postgres` user. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
	if (typeof proc.getuid !== 'function' || proc.getuid() !== 0) return undefined;
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error('Running as root, but there is no `postgres` user to run PostgreSQL as (the postgresql package creates it).');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

async function runAs(
	command: string,
	args: string[],
	account: { uid: number; gid: number } | undefined,
	opts: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<string> {
	return await new Promise<string>((resolve, reject) => {
		childProcess.execFile(
			command,
			args,
			{ cwd: opts.cwd, env: opts.env, uid: account?.uid, gid: account?.gid, timeout: opts.timeoutMs, encoding: 'utf8' },
			(error, stdout, stderr) => {
				if (error) reject(new Error(`${path.basename(command)} ${args.join(' ')} failed: ${error.message}\n${tail(`${stdout}${stderr}`, 30)}`));
				else resolve(stdout);
			},
		);
	});
}

/**
 * Writes every row of every table of every database as JSON lines, `<dir>/<database>.<table>.jsonl`
 * (what CI's secret scan reads instead of PostgreSQL's own files, e2e/lib/artifacts.ts).
 */
export async function dumpPostgres(postgres: PostgresService, dir: string): Promise<string[]> {
	fs.mkdirSync(dir, { recursive: true });
	const written: string[] = [];
	const databases = (await postgres.query("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'")).split('\n').filter(Boolean);
	for (const database of databases) {
		const tables = (await postgres.query("SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')", database))
			.split('\n')
			.filter(Boolean);
		for (const table of tables) {
			const [schema, name] = table.split('.');
			const file = path.join(dir, `${database}.${table}.jsonl`);
			await postgres.queryToFile(`SELECT row_to_json(t) FROM "${schema}"."${name}" t`, file, database);
			written.push(file);
		}
	}
	return written;
}

/**
 * Starts a fresh PostgreSQL cluster in `<baseDir>/postgres`: initdb, then `postgres` on a free
 * port, listening on 127.0.0.1 only, no Unix socket, trust authentication for 127.0.0.1 only.
 * Durability is off (fsync, synchronous_commit): the data dies with the test run anyway.
 */
export async function startPostgres(binDir: string, baseDir: string, opts: { readyTimeoutMs?: number; logFile?: string } = {}): Promise<PostgresService> {
	const account = unprivilegedUser();
	const dataDir = path.join(baseDir, 'postgres');
	fs.mkdirSync(dataDir, { mode: 0o700 });
	if (account) {
		// The postgres user must reach its data directory: traverse-only on the parents we own.
		fs.chmodSync(baseDir, 0o711);
		fs.chownSync(dataDir, account.uid, account.gid);
	}
	const env: Record<string, string> = { PATH: proc.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' };
	const bin = (name: string) => path.join(binDir, name);
	await runAs(bin('initdb'), ['-D', dataDir, '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--auth=trust', '--no-sync', '--no-instructions'], account, {
		cwd: baseDir,
		env,
		timeoutMs: 120_000,
	});
	// Only TCP from 127.0.0.1, without a password; nothing else (no socket, no other host).
	fs.writeFileSync(path.join(dataDir, 'pg_hba.conf'), '# written by e2e/lib/services.ts\nhost all all 127.0.0.1/32 trust\n');

	const port = await freePort();
	const logs = new LogBuffer(opts.logFile);
	const postgres = spawnManaged(
		'postgres',
		bin('postgres'),
		[
			'-D', dataDir,
			'-p', String(port),
			'-c', `listen_addresses=${HOST}`,
			'-c', 'unix_socket_directories=',
			'-c', 'fsync=off',
			'-c', 'synchronous_commit=off',
			'-c', 'full_page_writes=off',
			'-c', 'max_connections=200',
		],
		// SIGINT is PostgreSQL's "fast" shutdown: it does not wait for clients to disconnect.
		{ env, cwd: baseDir, uid: account?.uid, gid: account?.gid, stopSignal: 'SIGINT', stopTimeoutMs: 15_000, logs },
	);
	const psql = async (sql: string, database = 'postgres', outputFile?: string): Promise<string> =>
		await runAs(
			bin('psql'),
			['-h', HOST, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-At', ...(outputFile ? ['-o', outputFile] : []), '-c', sql],
			undefined,
			{ cwd: baseDir, env, timeoutMs: outputFile ? 120_000 : 30_000 },
		);
	await stopOnFailure(postgres, () =>
		waitUntilReady(`PostgreSQL on ${HOST}:${port}`, async () => (await psql('SELECT 1')).trim() === '1', {
			timeoutMs: opts.readyTimeoutMs ?? 60_000,
			process: postgres,
			intervalMs: 250,
		}),
	);
	return {
		host: HOST,
		port,
		user: 'postgres',
		password: '',
		version: firstLine(bin('postgres'), ['--version']),
		pid: postgres.pid,
		dataDir,
		process: postgres,
		createDatabase: async (name) => {
			await psql(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
		},
		query: (sql, database) => psql(sql, database),
		queryToFile: async (sql, file, database = 'postgres') => {
			await psql(sql, database, file);
		},
		stop: () => postgres.stop(),
	};
}

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisService {
	host: string;
	port: number;
	version: string;
	pid: number;
	process: ManagedProcess;
	stop(): Promise<void>;
}

/** One bounded PING over a fresh connection: true when Redis answers +PONG. */
async function redisPing(port: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const socket = net.connect({ host: HOST, port });
		let reply = '';
		socket.setTimeout(2_000, () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk: Buffer) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) {
				socket.destroy();
				resolve(reply.startsWith('+PONG'));
			}
		});
		socket.once('error', () => resolve(false));
	});
}

/** Starts `redis-server` on a free 127.0.0.1 port, without persistence, its directory in `<baseDir>/redis`. */
export async function startRedis(redisServer: string, baseDir: string, opts: { readyTimeoutMs?: number; logFile?: string } = {}): Promise<RedisService> {
	const dir = path.join(baseDir, 'redis');
	fs.mkdirSync(dir, { mode: 0o700 });
	const port = await freePort();
	const redis = spawnManaged(
		'redis-server',
		redisServer,
		['--port', String(port), '--bind', HOST, '--protected-mode', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--logfile', ''],
		{ env: { PATH: proc.env.PATH ?? '/usr/bin:/bin' }, cwd: dir, stopSignal: 'SIGTERM', stopTimeoutMs: 10_000, logs: new LogBuffer(opts.logFile) },
	);
	await stopOnFailure(redis, () =>
		waitUntilReady(`Redis on ${HOST}:${port}`, () => redisPing(port), { timeoutMs: opts.readyTimeoutMs ?? 30_000, process: redis, intervalMs: 100 }),
	);
	return {
		host: HOST,
		port,
		version: firstLine(redisServer, ['--version']),
		pid: redis.pid,
		process: redis,
		stop: () => redis.stop(),
	};
}
