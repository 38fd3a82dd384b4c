/**
 * One emulator and one webhook receiver per test file (the emulator tests' common set-up): both
 * started before the file's tests and stopped after them; before each test the emulator forgets
 * its calls, the receiver its requests and its chosen status, and `resetConfig` is applied.
 * Registers the jest hooks itself, so call it inside the `describe` that uses it.
 */
import { startEmulator, type Emulator, type EmulatorConfig } from '../../emulator';
import { b64 } from '../emulator/client';
import { startReceiver, type Receiver } from './receiver';

export interface EmulatorWithReceiver {
	/** Set in beforeAll. */
	readonly emulator: Emulator;
	/** Set in beforeAll. */
	readonly receiver: Receiver;
	/** The receiver's /status and /fee, base64-encoded as a request's statusUrl and feeUrl. */
	urls(): { statusUrl: string; feeUrl: string };
}

export function useEmulatorWithReceiver(config: Partial<EmulatorConfig>, resetConfig: Partial<EmulatorConfig> = {}): EmulatorWithReceiver {
	let emulator: Emulator | undefined;
	let receiver: Receiver | undefined;
	const started = <T>(value: T | undefined, name: string): T => {
		if (value === undefined) throw new Error(`The ${name} is used before beforeAll started it.`);
		return value;
	};
	beforeAll(async () => {
		receiver = await startReceiver();
		emulator = await startEmulator({ config });
	});
	afterAll(async () => {
		await emulator?.stop();
		await receiver?.stop();
	});
	beforeEach(() => {
		const emu = started(emulator, 'emulator');
		const rec = started(receiver, 'receiver');
		emu.reset();
		rec.requests.length = 0;
		rec.setStatus(200);
		emu.configure(resetConfig);
	});
	return {
		get emulator() {
			return started(emulator, 'emulator');
		},
		get receiver() {
			return started(receiver, 'receiver');
		},
		urls() {
			const rec = started(receiver, 'receiver');
			return { statusUrl: b64(rec.url('/status')), feeUrl: b64(rec.url('/fee')) };
		},
	};
}
