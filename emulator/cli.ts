/**
 * CLI: `node .build/emulator/cli.js [--config file] [flags]` (build first with tsc -p tsconfig.dev.json).
 * Prints what a client needs (base URL, app key and the emulator's own dev secret, numbers,
 * templates, control and console URLs) and stops cleanly on SIGINT/SIGTERM. The flags and the
 * --config file are parsed here; config.ts checks the result.
 */
import { fs, path, proc } from '../dev/node.cjs';
import { DEFAULT_SCRIPT, type EmulatorConfig, type ScriptOutcome } from './config';
import { startEmulator } from './index';

interface CliOptions {
	host: string;
	port: number;
	config: Partial<EmulatorConfig>;
}

const CLI_HELP = `Usage: node .build/emulator/cli.js [options]

  --config <file>            JSON file with any EmulatorConfig keys (plus "host", "port")
  --host <host>              listen address (default 127.0.0.1)
  --port <port>              listen port (default 18080; 0 = any free port)
  --app-key <key>            APP_Key accepted by the emulator
  --app-secret <secret>      APP_Secret accepted by the emulator
  --display-numbers <a,b>    comma-separated fixed numbers
  --ports <n>                concurrent call ports (default 10)
  --time-scale <x>           multiply every simulated delay (default 1)
  --clock-window <seconds>   accepted Created skew (default 900)
  --recording <on|off>       app recording function (default on)
  --push-signing <mode>      none | newline | concat (default newline)
  --status-url <url>         app-level status URL (plain, not base64)
  --fee-url <url>            app-level CDR URL (plain, not base64)
  --outcome <outcome>        default script outcome (answer, noAnswer, busy, powerOff, reject, invalidNumber, manual)
  --recording-bytes <n>      size of served recordings
  --log                      print one line per API request
  --help                     show this help
`;

function cliHelp(): string {
	return CLI_HELP;
}

/** Parses CLI flags; `--config` is read first so flags override the file. */
function parseCli(argv: string[], cwd: string): CliOptions | 'help' {
	const options: CliOptions = { host: '127.0.0.1', port: 18080, config: {} };
	const flags = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') return 'help';
		if (arg === '--log') {
			flags.set('--log', 'true');
			continue;
		}
		if (!arg.startsWith('--')) throw new Error(`Unexpected argument: ${arg}`);
		const eq = arg.indexOf('=');
		if (eq !== -1) {
			flags.set(arg.slice(0, eq), arg.slice(eq + 1));
		} else {
			const value = argv[i + 1];
			if (value === undefined) throw new Error(`Missing value for ${arg}`);
			flags.set(arg, value);
			i++;
		}
	}
	const file = flags.get('--config');
	if (file !== undefined) {
		const raw = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8')) as Record<string, unknown>;
		const { host, port, ...rest } = raw;
		if (typeof host === 'string') options.host = host;
		if (typeof port === 'number') options.port = port;
		options.config = rest as Partial<EmulatorConfig>;
	}
	const config = options.config;
	for (const [flag, value] of flags) {
		switch (flag) {
			case '--config':
				break;
			case '--host':
				options.host = value;
				break;
			case '--port':
				options.port = toNumber(flag, value);
				break;
			case '--app-key':
				config.appKey = value;
				break;
			case '--app-secret':
				config.appSecret = value;
				break;
			case '--display-numbers':
				config.displayNumbers = value.split(',').map((n) => n.trim()).filter(Boolean);
				break;
			case '--ports':
				config.ports = toNumber(flag, value);
				break;
			case '--time-scale':
				config.timeScale = toNumber(flag, value);
				break;
			case '--clock-window':
				config.clockWindowSeconds = toNumber(flag, value);
				break;
			case '--recording':
				config.recordingEnabled = value === 'on' || value === 'true';
				break;
			case '--push-signing':
				config.pushSigning = value as EmulatorConfig['pushSigning'];
				break;
			case '--status-url':
				config.statusUrl = value;
				break;
			case '--fee-url':
				config.feeUrl = value;
				break;
			case '--outcome':
				config.defaultScript = { ...(config.defaultScript ?? DEFAULT_SCRIPT), outcome: value as ScriptOutcome };
				break;
			case '--recording-bytes':
				config.recordingBytes = toNumber(flag, value);
				break;
			case '--log':
				config.logRequests = true;
				break;
			default:
				throw new Error(`Unknown option ${flag} (see --help)`);
		}
	}
	return options;
}

function toNumber(flag: string, value: string): number {
	const n = Number(value);
	if (!Number.isFinite(n)) throw new Error(`${flag} needs a number, got "${value}"`);
	return n;
}


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
	for (const [id, text] of Object.entries(c.templates)) write(`    ${id}: ${text}`);
	write(`  recording          : ${c.recordingEnabled ? 'on' : 'off'}; ports: ${c.ports}; time scale: ${c.timeScale}`);
	write(`  default script     : ${JSON.stringify(c.defaultScript)}`);
	write(`  push signing       : ${c.pushSigning}; app statusUrl: ${c.statusUrl ?? '-'}; app feeUrl: ${c.feeUrl ?? '-'}`);
	write(`  control API        : ${emulator.baseUrl}/emulator`);
	write(`  console            : ${emulator.consoleUrl}  (open it in a browser: play the callee, watch the pushes)`);
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
