/**
 * CLI: `node .build/emulator/cli.js [--config file] [flags]` (build first with tsc -p tsconfig.dev.json).
 * Prints what a client needs (base URL, app key and the emulator's own dev secret, numbers,
 * templates, control URL) and stops cleanly on SIGINT/SIGTERM.
 */
import { proc } from '../dev/node.cjs';
import { cliHelp, parseCli } from './config';
import { startEmulator } from './index';

function write(line = ''): void {
	proc.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
	let options;
	try {
		options = parseCli(proc.argv.slice(2), proc.cwd());
	} catch (error) {
		proc.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${cliHelp()}`);
		proc.exitCode = 2;
		return;
	}
	if (options === 'help') {
		write(cliHelp());
		return;
	}
	const emulator = await startEmulator({
		host: options.host,
		port: options.port,
		config: options.config,
		log: (line) => write(line),
	});
	const c = emulator.config;
	write('Huawei Voice Call emulator');
	write(`  APP access address : ${emulator.baseUrl}`);
	write(`  APP_Key            : ${c.appKey}`);
	write(`  APP_Secret (dev)   : ${c.appSecret}`);
	write(`  display numbers    : ${c.displayNumbers.join(', ')}`);
	write(`  voice files        : ${c.voiceFiles.join(', ')}`);
	write('  templates          :');
	for (const [id, variables] of Object.entries(c.templates)) write(`    ${id}: [${variables.join(', ')}]`);
	write(`  recording          : ${c.recordingEnabled ? 'on' : 'off'}; ports: ${c.ports}; time scale: ${c.timeScale}`);
	write(`  default script     : ${JSON.stringify(c.defaultScript)}`);
	write(`  push signing       : ${c.pushSigning}; app statusUrl: ${c.statusUrl ?? '-'}; app feeUrl: ${c.feeUrl ?? '-'}`);
	write(`  control API        : ${emulator.baseUrl}/emulator`);
	write('Press Ctrl+C to stop.');

	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		write(`\n${signal}: stopping…`);
		emulator.stop().then(
			() => write('stopped.'),
			(error: unknown) => {
				proc.stderr.write(`stop failed: ${String(error)}\n`);
				proc.exitCode = 1;
			},
		);
	};
	proc.once('SIGINT', () => shutdown('SIGINT'));
	proc.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
	proc.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	proc.exitCode = 1;
});
