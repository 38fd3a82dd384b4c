/*
 * Benchmark 4, the measured side (a child process, so earlier benchmarks do not pollute it):
 * Recording → Download of one large WAV through the real engine, with RSS and
 * process.memoryUsage() sampled during the run and the kernel's peak RSS (resourceUsage().maxRSS).
 *
 * argv[2] = JSON { warmBaseUrl, baseUrl, appKey, appSecret, fileName, bytes, mode }.
 * mode `inline`: n8n-core without a configured BinaryDataService, as in the engine tests: the
 * binary is kept in the item as base64. mode `filesystem`: the BinaryDataService initialised in
 * filesystem mode as n8n does at start (storage under N8N_BINARY_DATA_STORAGE_PATH, set by the parent).
 * Run with --expose-gc. Prints one JSON line.
 */
import { BinaryDataService } from 'n8n-core';

import { clearInterval, fs, proc, setInterval } from '../dev/node.cjs';
import { runAction } from './lib/engine';

interface Args {
	warmBaseUrl: string;
	baseUrl: string;
	appKey: string;
	appSecret: string;
	fileName: string;
	bytes: number;
	mode: 'inline' | 'filesystem';
}

interface Snapshot {
	rss: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
}

function snapshot(): Snapshot {
	const m = proc.memoryUsage();
	return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

function collect(): void {
	if (typeof gc === 'function') {
		gc();
		gc();
	}
}

/**
 * n8n's `start` command calls BinaryDataService.init() once; the engine alone never does, so its
 * service has no manager and keeps binaries inline. Initialise the container's instance on first use.
 */
function useFilesystemMode(): void {
	type Service = { init(): Promise<void>; store(...args: unknown[]): Promise<unknown> };
	const proto = BinaryDataService.prototype as unknown as Service;
	const store = proto.store;
	const ready = new WeakMap<object, Promise<void>>();
	proto.store = async function (this: Service, ...args: unknown[]) {
		if (!ready.has(this)) ready.set(this, this.init());
		await ready.get(this);
		return await store.apply(this, args);
	};
}

async function download(baseUrl: string, args: Args) {
	const recordDomain = baseUrl.replace(/^https?:\/\//, '');
	return await runAction(
		{ resource: 'recording', operation: 'download', fileName: args.fileName, recordDomain, binaryPropertyName: 'data', options: {} },
		{ baseUrl, appKey: args.appKey, appSecret: args.appSecret },
		[{ json: {} }],
	);
}

async function main(): Promise<void> {
	const args = JSON.parse(proc.argv[2] ?? '{}') as Args;
	if (args.mode === 'filesystem') useFilesystemMode();

	// Warm-up: the same operation on a small file loads every module and code path.
	const warm = await download(args.warmBaseUrl, args);
	if (warm.error) throw new Error(`warm-up download failed: ${warm.error}`);
	collect();
	const before = snapshot();
	const maxRssBefore = proc.resourceUsage().maxRSS * 1024;

	const peak: Snapshot = { ...before };
	let samples = 0;
	const sample = () => {
		const now = snapshot();
		samples++;
		peak.rss = Math.max(peak.rss, now.rss);
		peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
		peak.external = Math.max(peak.external, now.external);
		peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers);
	};
	const timer = setInterval(sample, 5);
	const started = performance.now();
	const run = await download(args.baseUrl, args);
	const ms = performance.now() - started;
	clearInterval(timer);
	sample();
	const maxRssAfter = proc.resourceUsage().maxRSS * 1024;
	const afterRun = snapshot();

	const item = run.items[0];
	const binary = item?.binary?.data as { id?: string; data?: string; bytes?: number } | undefined;
	const storedBytes = binary?.bytes ?? 0;
	const storage = binary?.id ? 'filesystem' : 'inline base64';
	let fileOnDisk: number | undefined;
	if (binary?.id && proc.env.N8N_BINARY_DATA_STORAGE_PATH) {
		const fileId = binary.id.split(':').slice(1).join(':');
		const found = fs
			.readdirSync(proc.env.N8N_BINARY_DATA_STORAGE_PATH, { recursive: true, withFileTypes: true })
			.find((entry) => entry.isFile() && fileId.endsWith(entry.name));
		if (found) fileOnDisk = fs.statSync(`${found.parentPath}/${found.name}`).size;
	}
	// Peak RSS: the kernel's high-water mark when this run raised it, else the sampled peak.
	const peakRss = Math.max(peak.rss, maxRssAfter > maxRssBefore ? maxRssAfter : 0);
	const result = {
		mode: args.mode,
		storage,
		error: run.error,
		fileBytes: args.bytes,
		storedBytes,
		fileOnDisk,
		inlineBase64Chars: binary?.data && !binary.id ? binary.data.length : 0,
		ms,
		samples,
		before,
		peak: { ...peak, rss: peakRss },
		afterRun,
		growth: {
			rss: peakRss - before.rss,
			heapUsed: peak.heapUsed - before.heapUsed,
			external: peak.external - before.external,
			arrayBuffers: peak.arrayBuffers - before.arrayBuffers,
			retainedRss: afterRun.rss - before.rss,
		},
	};
	proc.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
	() => proc.exit(0),
	(error: unknown) => {
		proc.stderr.write(`memory benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		proc.exit(1);
	},
);
