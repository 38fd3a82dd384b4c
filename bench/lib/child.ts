/*
 * Child processes of the benchmark: compiled scripts next to the running one (.build/bench), run
 * with the same Node. Each prints one JSON line on stdout; every wait is bounded.
 */
import { childProcess, clearTimeout, path, proc, repoRoot, setTimeout } from '../../dev/node.cjs';
import { waitForExit } from '../../e2e/lib/n8n';

type Child = ReturnType<typeof childProcess.spawn>;

/** The compiled bench script `name` (e.g. `downloadMemoryChild.js`) in the dev build (`.build/bench`). */
export function benchScript(name: string): string {
	return path.join(repoRoot, '.build', 'bench', name);
}

export interface JsonChild<T> {
	child: Child;
	/** The first JSON line the child printed. */
	first: T;
	/** Everything the child wrote to stderr so far. */
	stderr(): string;
	/** Closes stdin and waits for the exit (SIGKILL after `timeoutMs`). */
	stop(timeoutMs?: number): Promise<void>;
}

/** Spawns `node [nodeArgs] script args…` and resolves with its first JSON line. */
export async function spawnJsonChild<T>(
	script: string,
	args: string[],
	options: { nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonChild<T>> {
	const timeoutMs = options.timeoutMs ?? 60_000;
	const child = childProcess.spawn(proc.execPath, [...(options.nodeArgs ?? []), script, ...args], {
		stdio: ['pipe', 'pipe', 'pipe'],
		env: { ...proc.env, ...(options.env ?? {}) },
	});
	let stderr = '';
	child.stderr?.on('data', (chunk: Buffer) => {
		stderr = (stderr + chunk.toString()).slice(-20_000);
	});
	const stop = async (stopTimeoutMs = 10_000): Promise<void> => {
		child.stdin?.end();
		if (!(await waitForExit(child, stopTimeoutMs))) {
			child.kill('SIGKILL');
			await waitForExit(child, 5_000);
		}
	};
	const first = await new Promise<T>((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`${path.basename(script)} printed no result within ${timeoutMs / 1000} s. stderr: ${stderr.slice(-2000)}`));
		}, timeoutMs);
		const onData = (chunk: Buffer) => {
			buffer += chunk.toString();
			// Libraries may log to stdout too (n8n-core does): the result is the first JSON object line.
			for (;;) {
				const newline = buffer.indexOf('\n');
				if (newline === -1) return;
				const line = buffer.slice(0, newline).trim();
				buffer = buffer.slice(newline + 1);
				if (!line.startsWith('{')) continue;
				cleanup();
				try {
					resolve(JSON.parse(line) as T);
				} catch (error) {
					reject(new Error(`${path.basename(script)} printed no JSON: ${line.slice(0, 500)} (${String(error)})`));
				}
				return;
			}
		};
		const onExit = (code: number | null) => {
			cleanup();
			reject(new Error(`${path.basename(script)} exited with ${code} before printing its result. stderr: ${stderr.slice(-2000)}`));
		};
		const cleanup = () => {
			clearTimeout(timer);
			child.stdout?.off('data', onData);
			child.off('exit', onExit);
		};
		child.stdout?.on('data', onData);
		child.once('exit', onExit);
	}).catch(async (error: unknown) => {
		await stop(2_000);
		throw error;
	});
	return { child, first, stderr: () => stderr, stop };
}
