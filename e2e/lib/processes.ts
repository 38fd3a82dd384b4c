/*
 * Child processes for the e2e tooling: spawn in an own process group, keep the output, stop
 * bounded (signal, then SIGKILL to the whole group), and never leave anything behind, also when
 * the test process exits early. Used by e2e/lib/n8n.ts (n8n), e2e/lib/services.ts (PostgreSQL,
 * Redis) and e2e/lib/queue.ts.
 *
 * Node's runtime comes from dev/node.cjs because `n8n-node lint` forbids Node globals and built-ins
 * in every .ts file of the repository (see that file).
 */
import { childProcess, clearTimeout, delay, fs, net, proc, setTimeout } from '../../dev/node.cjs';

export const HOST = '127.0.0.1';
const MAX_LOG_CHARS = 4_000_000;

type Child = ReturnType<typeof childProcess.spawn>;

/**
 * Keeps the last MAX_LOG_CHARS characters of everything written to it, and with `file` also
 * appends everything to that file (e2e/lib/artifacts.ts: kept for CI's secret scan).
 */
export class LogBuffer {
	private chunks: string[] = [];
	private size = 0;

	constructor(private readonly file?: string) {}

	append(text: string): void {
		if (this.file) fs.appendFileSync(this.file, text);
		this.chunks.push(text);
		this.size += text.length;
		while (this.size > MAX_LOG_CHARS && this.chunks.length > 1) {
			this.size -= (this.chunks.shift() as string).length;
		}
	}

	toString(): string {
		return this.chunks.join('');
	}
}

export function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** A free TCP port on 127.0.0.1, different from every port in `avoid`. */
export async function freePort(avoid: number[] = []): Promise<number> {
	for (let attempt = 0; attempt < 20; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.once('error', reject);
			server.listen(0, HOST, () => {
				const address = server.address();
				const found = typeof address === 'object' && address ? address.port : 0;
				server.close(() => resolve(found));
			});
		});
		if (port && !avoid.includes(port)) return port;
	}
	throw new Error('Could not find a free TCP port on 127.0.0.1.');
}

/** `count` distinct free ports, none of them in `avoid`. */
export async function freePorts(count: number, avoid: number[] = []): Promise<number[]> {
	const ports: number[] = [];
	while (ports.length < count) ports.push(await freePort([...avoid, ...ports]));
	return ports;
}

/** Whether something accepts TCP connections on 127.0.0.1:`port` (bounded by `timeoutMs`). */
export async function portInUse(port: number, timeoutMs = 1_000): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const socket = net.connect({ host: HOST, port });
		const done = (result: boolean) => {
			clearTimeout(timer);
			socket.destroy();
			resolve(result);
		};
		const timer = setTimeout(() => done(false), timeoutMs);
		socket.once('connect', () => done(true));
		socket.once('error', () => done(false));
	});
}

/** Resolves true once the process has exited, or false after `timeoutMs`. */
export async function waitForExit(child: Child, timeoutMs: number): Promise<boolean> {
	if (child.exitCode !== null || child.signalCode !== null) return true;
	return await new Promise<boolean>((resolve) => {
		// A plain timer, cleared on exit: a pending one would keep jest alive after the tests.
		const timer = setTimeout(() => {
			child.removeListener('exit', onExit);
			resolve(false);
		}, timeoutMs);
		const onExit = () => {
			clearTimeout(timer);
			resolve(true);
		};
		child.once('exit', onExit);
	});
}

export function killGroup(pid: number | undefined, signal: 'SIGTERM' | 'SIGKILL'): void {
	if (!pid) return;
	try {
		// Negative pid: the process group of our detached child, which includes what it spawned.
		proc.kill(proc.platform === 'win32' ? pid : -pid, signal);
	} catch {
		// Already gone (ESRCH): nothing left to stop.
	}
}

/** Whether a process with this pid exists (signal 0 checks without sending anything). */
export function pidAlive(pid: number): boolean {
	try {
		proc.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to another user (e.g. PostgreSQL running as `postgres`).
		return (error as { code?: string }).code === 'EPERM';
	}
}

// One exit handler for every live child (one listener per child would trip Node's
// MaxListeners warning with a queue-mode cluster): if the test process ends while children still
// run, their groups are killed.
const liveGroups = new Set<number>();
let exitHandlerInstalled = false;
function track(pid: number): void {
	liveGroups.add(pid);
	if (!exitHandlerInstalled) {
		exitHandlerInstalled = true;
		proc.once('exit', () => {
			for (const group of liveGroups) killGroup(group, 'SIGKILL');
		});
	}
}

export interface ManagedProcess {
	/** Name used in printouts and failure messages, e.g. `n8n worker-1`. */
	name: string;
	pid: number;
	child: Child;
	running(): boolean;
	/** Everything the process printed (stdout and stderr, interleaved). */
	logs(): string;
	/** The process's last output lines, with its name, for failure messages. */
	describeExit(): string;
	/** Resolves when the process is gone: stop signal, bounded wait, then SIGKILL to its group. Idempotent. */
	stop(): Promise<void>;
	/** Whether stop() had to SIGKILL it because it did not exit within the bound after the stop signal. */
	forced(): boolean;
}

export interface SpawnOptions {
	env: Record<string, string>;
	cwd?: string;
	/** Run as this user (only when the test process is root; PostgreSQL refuses to run as root). */
	uid?: number;
	gid?: number;
	/** Signal that asks the process to shut down cleanly; default SIGTERM. */
	stopSignal?: 'SIGTERM' | 'SIGINT';
	/** Bound for the clean shutdown before SIGKILL; default 20 s. */
	stopTimeoutMs?: number;
	/** Output sink shared with other steps (e.g. CLI runs before start); default a new buffer. */
	logs?: LogBuffer;
}

/** Spawns `command args…` detached in its own process group, with stdout/stderr kept in memory. */
export function spawnManaged(name: string, command: string, args: string[], options: SpawnOptions): ManagedProcess {
	const logs = options.logs ?? new LogBuffer();
	logs.append(`\n$ ${name}: ${[command, ...args].join(' ')}\n`);
	const child = childProcess.spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		uid: options.uid,
		gid: options.gid,
		stdio: ['ignore', 'pipe', 'pipe'],
		// Own process group, so stop() also reaches what the process spawns (n8n's task runner).
		detached: proc.platform !== 'win32',
	});
	let spawnError: Error | undefined;
	child.once('error', (error) => {
		spawnError = error;
		logs.append(`(${name}: ${error.message})\n`);
	});
	child.stdout?.on('data', (chunk: Buffer) => logs.append(chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => logs.append(chunk.toString()));
	child.once('exit', (code, signal) => logs.append(`(${name}: exit ${code ?? signal})\n`));
	const pid = child.pid ?? 0;
	if (pid) track(pid);
	const running = () => !spawnError && child.exitCode === null && child.signalCode === null;

	let stopped: Promise<void> | undefined;
	let forced = false;
	const stop = () => {
		stopped ??= (async () => {
			if (running()) {
				child.kill(options.stopSignal ?? 'SIGTERM');
				// n8n waits for running executions before it exits, so the wait is bounded.
				if (!(await waitForExit(child, options.stopTimeoutMs ?? 20_000))) {
					forced = true;
					logs.append(`(${name}: still running ${options.stopTimeoutMs ?? 20_000} ms after ${options.stopSignal ?? 'SIGTERM'}: SIGKILL)\n`);
					killGroup(pid, 'SIGKILL');
				}
			}
			// Children of the process normally exit with it; make sure nothing of the group is left.
			killGroup(pid, 'SIGKILL');
			if (!spawnError) await waitForExit(child, 5_000);
			liveGroups.delete(pid);
		})();
		return stopped;
	};

	return {
		name,
		pid,
		child,
		running,
		logs: () => logs.toString(),
		describeExit: () => `--- ${name} (pid ${pid}) output, last lines ---\n${tail(logs.toString(), 60)}`,
		stop,
		forced: () => forced,
	};
}

/**
 * Polls `check` until it returns true (bounded). Fails early when `process` has exited, with its
 * output in the error.
 */
export async function waitUntilReady(
	what: string,
	check: () => Promise<boolean>,
	opts: { timeoutMs: number; process?: ManagedProcess; intervalMs?: number },
): Promise<number> {
	const startedAt = Date.now();
	for (;;) {
		if (opts.process && !opts.process.running()) {
			throw new Error(`${what}: the process exited before it was ready.\n${opts.process.describeExit()}`);
		}
		try {
			if (await check()) return Date.now() - startedAt;
		} catch {
			// Not listening yet.
		}
		if (Date.now() - startedAt > opts.timeoutMs) {
			throw new Error(`${what} was not ready after ${opts.timeoutMs} ms.${opts.process ? `\n${opts.process.describeExit()}` : ''}`);
		}
		await delay(opts.intervalMs ?? 200);
	}
}
