/*
 * Small helpers shared by the benchmarks: locations, output, statistics, machine description, and
 * bounded waits. Node's runtime comes from dev/node.cjs (see that file for why).
 */
import { clearTimeout, os, proc, setTimeout } from '../../dev/node.cjs';

/** One line on stdout (the lint rules forbid `console`). */
export function say(line = ''): void {
	proc.stdout.write(`${line}\n`);
}

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
	return sorted[rank - 1];
}

export function round(value: number, digits = 2): number {
	if (!Number.isFinite(value)) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

export interface MachineInfo {
	cpuModel: string;
	cores: number;
	memoryGiB: number;
	node: string;
	platform: string;
	arch: string;
	date: string;
}

export function machineInfo(): MachineInfo {
	const cpus = os.cpus();
	return {
		cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
		cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
		memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
		node: proc.version,
		platform: `${os.type()} ${os.release()}`,
		arch: proc.arch,
		date: new Date().toISOString(),
	};
}

/** Rejects with a clear message when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** Runs `worker` over 0..count-1 with `concurrency` parallel lanes, in index order per lane. */
export async function lanes(count: number, concurrency: number, worker: (index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < count) {
			const index = next++;
			await worker(index);
		}
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, lane));
}

/** E.164 callee numbers, distinct per index and prefix. */
export function callee(prefix: string, index: number): string {
	return `+86${prefix}${String(index).padStart(8, '0')}`;
}

export function mib(bytes: number): number {
	return round(bytes / 1024 / 1024, 1);
}
