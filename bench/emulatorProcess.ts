/*
 * Runs the platform emulator in its own process (for the overhead benchmark, so the emulator's
 * work does not share a thread with the client being measured). Config JSON in argv[2]; prints
 * one JSON line { baseUrl, appKey, appSecret } when it listens; stops when stdin closes or on SIGTERM.
 */
import { proc } from '../dev/node.cjs';
import { startEmulator } from '../emulator';

async function main(): Promise<void> {
	const config = JSON.parse(proc.argv[2] ?? '{}') as Record<string, unknown>;
	const emu = await startEmulator({ config });
	let stopping = false;
	const stop = (): void => {
		if (stopping) return;
		stopping = true;
		void emu.stop().finally(() => proc.exit(0));
	};
	proc.once('SIGTERM', stop);
	proc.stdin.on('end', stop);
	proc.stdin.on('close', stop);
	proc.stdin.resume();
	proc.stdout.write(`${JSON.stringify({ baseUrl: emu.baseUrl, appKey: emu.config.appKey, appSecret: emu.config.appSecret })}\n`);
}

main().catch((error: unknown) => {
	proc.stderr.write(`emulator process failed: ${String(error)}\n`);
	proc.exit(1);
});
