/*
 * Benchmark 4: memory of Recording → Download for a large WAV. The emulators (a small file for
 * the warm-up, the large one for the measurement) run here; the download runs in a fresh child
 * (`node --expose-gc .build/bench/downloadMemoryChild.js`) once per binary-data mode. See downloadMemoryChild.ts.
 */
import { fsp, os, path } from '../dev/node.cjs';
import { startEmulator } from '../emulator';
import { benchScript, spawnJsonChild } from './lib/child';
import { say } from './lib/util';

export interface MemoryConfig {
	bytes: number;
}

export interface MemoryRun {
	mode: 'inline' | 'filesystem';
	storage: string;
	error?: string;
	fileBytes: number;
	storedBytes: number;
	fileOnDisk?: number;
	inlineBase64Chars: number;
	ms: number;
	samples: number;
	growth: { rss: number; heapUsed: number; external: number; arrayBuffers: number; retainedRss: number };
	/** growth.rss / fileBytes */
	rssFactor: number;
	/** (growth.external) / fileBytes — Buffers and ArrayBuffers outside the JS heap. */
	externalFactor: number;
}

export interface MemoryResult {
	bytes: number;
	runs: MemoryRun[];
}

const FILE = 'bench-large-recording.wav';

export async function memoryBench(config: MemoryConfig): Promise<MemoryResult> {
	const big = await startEmulator({ config: { recordings: [FILE], recordingBytes: config.bytes } });
	const small = await startEmulator({ config: { recordings: [FILE], recordingBytes: 32_058 } });
	const runs: MemoryRun[] = [];
	try {
		for (const mode of ['inline', 'filesystem'] as const) {
			say(`  memory: ${Math.round(config.bytes / 1024 / 1024)} MiB recording, ${mode} binary mode (child process) …`);
			const userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), 'bench-memory-'));
			try {
				const child = await spawnJsonChild<Omit<MemoryRun, 'rssFactor' | 'externalFactor'>>(
					benchScript('downloadMemoryChild.js'),
					[
						JSON.stringify({
							warmBaseUrl: small.baseUrl,
							baseUrl: big.baseUrl,
							appKey: big.config.appKey,
							appSecret: big.config.appSecret,
							fileName: FILE,
							bytes: config.bytes,
							mode,
						}),
					],
					{
						nodeArgs: ['--expose-gc'],
						env: {
							N8N_USER_FOLDER: userFolder,
							N8N_BINARY_DATA_STORAGE_PATH: path.join(userFolder, 'binaryData'),
							N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
						},
						timeoutMs: 120_000,
					},
				);
				await child.stop();
				const r = child.first;
				runs.push({ ...r, rssFactor: r.growth.rss / config.bytes, externalFactor: r.growth.external / config.bytes });
			} finally {
				await fsp.rm(userFolder, { recursive: true, force: true });
			}
		}
	} finally {
		await big.stop();
		await small.stop();
	}
	return { bytes: config.bytes, runs };
}
