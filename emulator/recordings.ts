/**
 * Recording files: an A-law (WAVE format code 6), 8 kHz, mono, 8-bit WAV of any requested size,
 * streamed in fixed chunks so a 50 MB benchmark file never exists in memory as a whole.
 *
 * Layout (canonical non-PCM WAV): RIFF header (12) + `fmt ` chunk with cbSize (8 + 18) + `fact`
 * chunk (8 + 4) + `data` chunk header (8) = 58 header bytes, then A-law samples.
 */
import { http } from '../dev/node.cjs';

type ServerResponse = InstanceType<typeof http.ServerResponse>;

export const WAV_HEADER_BYTES = 58;
const SAMPLE_RATE = 8000;
const TONE_HZ = 400;
// 400 Hz at 8 kHz repeats every 20 samples; the chunk is a whole number of periods so chunks join seamlessly.
const CHUNK_BYTES = 64000;

/** G.711 A-law encoding of one 16-bit linear sample. */
export function linearToAlaw(sample: number): number {
	let pcm = Math.max(-32768, Math.min(32767, Math.round(sample)));
	const sign = pcm >= 0 ? 0x80 : 0x00;
	if (pcm < 0) pcm = -pcm - 1;
	pcm >>= 3; // 13-bit magnitude
	let encoded: number;
	if (pcm < 32) {
		encoded = pcm >> 1;
	} else {
		let segment = 1;
		let shifted = pcm >> 5;
		while (shifted > 1 && segment < 7) {
			shifted >>= 1;
			segment++;
		}
		encoded = (segment << 4) | ((pcm >> segment) & 0x0f);
	}
	return (encoded | sign) ^ 0x55;
}

export function wavHeader(totalBytes: number): Buffer {
	const dataBytes = totalBytes - WAV_HEADER_BYTES;
	const header = Buffer.alloc(WAV_HEADER_BYTES);
	header.write('RIFF', 0, 'ascii');
	header.writeUInt32LE(totalBytes - 8, 4);
	header.write('WAVE', 8, 'ascii');
	header.write('fmt ', 12, 'ascii');
	header.writeUInt32LE(18, 16); // fmt chunk size (with cbSize)
	header.writeUInt16LE(6, 20); // WAVE_FORMAT_ALAW
	header.writeUInt16LE(1, 22); // mono
	header.writeUInt32LE(SAMPLE_RATE, 24);
	header.writeUInt32LE(SAMPLE_RATE, 28); // byte rate: 8000 B/s = 64 kbit/s
	header.writeUInt16LE(1, 32); // block align
	header.writeUInt16LE(8, 34); // bits per sample
	header.writeUInt16LE(0, 36); // cbSize
	header.write('fact', 38, 'ascii');
	header.writeUInt32LE(4, 42);
	header.writeUInt32LE(dataBytes, 46); // sample count (one byte per sample)
	header.write('data', 50, 'ascii');
	header.writeUInt32LE(dataBytes, 54);
	return header;
}

let toneChunk: Buffer | undefined;

function tone(): Buffer {
	if (!toneChunk) {
		toneChunk = Buffer.alloc(CHUNK_BYTES);
		for (let i = 0; i < CHUNK_BYTES; i++) {
			toneChunk[i] = linearToAlaw(8000 * Math.sin((2 * Math.PI * TONE_HZ * i) / SAMPLE_RATE));
		}
	}
	return toneChunk;
}

/** Streams a WAV of exactly `totalBytes` bytes, honouring back-pressure. */
export function streamWav(res: ServerResponse, totalBytes: number, headers: Record<string, string>): void {
	res.writeHead(200, {
		...headers,
		'Content-Type': 'audio/wav',
		'Content-Length': String(totalBytes),
	});
	res.write(wavHeader(totalBytes));
	let remaining = totalBytes - WAV_HEADER_BYTES;
	const chunk = tone();
	const pump = (): void => {
		while (remaining > 0) {
			const slice = remaining >= CHUNK_BYTES ? chunk : chunk.subarray(0, remaining);
			remaining -= slice.length;
			if (!res.write(slice)) {
				res.once('drain', pump);
				return;
			}
		}
		res.end();
	};
	res.once('close', () => {
		remaining = 0;
	});
	pump();
}

/** The recordings the emulator knows (made by calls or configured), with their wall-clock expiry. */
export class RecordingStore {
	private readonly files = new Map<string, number>();

	add(name: string, expiresAtMs: number): void {
		this.files.set(name, expiresAtMs);
	}

	/** True when the recording exists and is still retained. */
	has(name: string, nowMs: number): boolean {
		const expires = this.files.get(name);
		return expires !== undefined && expires > nowMs;
	}

	clear(): void {
		this.files.clear();
	}
}
