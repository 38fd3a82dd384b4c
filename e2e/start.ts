/*
 * `npm start`: the emulator plus a real n8n (the pinned 2.41.1 runtime) with this package loaded
 * the way users install it, a "Huawei Voice Call (emulator)" credential and the example workflows.
 * Everything listens on 127.0.0.1. n8n keeps its data in .n8n-dev/ (gitignored), so a second start
 * keeps the user's work and skips the imports. Ctrl-C stops both.
 *
 * Build first (`npm run build && npm run build:dev`), then: node scripts/node24.cjs node .build/e2e/start.js
 */
import { startEmulator, type Emulator } from '../emulator';
import { fs, net, path, proc, repoRoot } from '../dev/node.cjs';
import {
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	emulatorCredential,
	EXAMPLE_EMULATOR_CONFIG,
	examplesHash,
	loadExamples,
	publishWorkflows,
	skippedExamples,
	triggerUrl,
	triggerWorkflowIds,
} from './lib/examples';
import { freePort, startN8n, type N8nInstance, type N8nOwner } from './lib/n8n';

const HOST = '127.0.0.1';
const EMULATOR_PORT = 18080;
const N8N_PORT = 5678;
const OWNER: N8nOwner = { email: 'dev@example.com', password: 'Huawei-Dev-2026', firstName: 'Dev', lastName: 'User' };
const STATE_FILE = 'start-state.json';

interface StartState {
	n8nBaseUrl: string;
	emulatorBaseUrl: string;
	appSecret: string;
	examples: string;
}

function write(line = ''): void {
	proc.stdout.write(`${line}\n`);
}

async function portIsFree(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const server = net.createServer();
		server.once('error', () => resolve(false));
		server.listen(port, HOST, () => server.close(() => resolve(true)));
	});
}

function readState(file: string): StartState | undefined {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as StartState;
	} catch {
		return undefined;
	}
}

async function main(): Promise<void> {
	const startedAt = Date.now();
	const root = repoRoot;
	const userFolder = path.join(root, '.n8n-dev');
	fs.mkdirSync(userFolder, { recursive: true });

	let emulator: Emulator | undefined;
	let n8n: N8nInstance | undefined;
	let stopping: Promise<void> | undefined;
	const stopAll = (): Promise<void> => {
		stopping ??= (async () => {
			await n8n?.stop().catch((error: unknown) => proc.stderr.write(`Stopping n8n failed: ${String(error)}\n`));
			await emulator?.stop().catch((error: unknown) => proc.stderr.write(`Stopping the emulator failed: ${String(error)}\n`));
		})();
		return stopping;
	};
	let signalled = false;
	const onSignal = (signal: string): void => {
		if (signalled) return;
		signalled = true;
		write(`\n${signal}: stopping n8n and the emulator…`);
		void stopAll().then(() => {
			write('Stopped.');
			proc.exit(proc.exitCode ?? 0);
		});
	};
	proc.on('SIGINT', () => onSignal('SIGINT'));
	proc.on('SIGTERM', () => onSignal('SIGTERM'));

	try {
		emulator = await startEmulator({
			host: HOST,
			port: (await portIsFree(EMULATOR_PORT)) ? EMULATOR_PORT : 0,
			config: EXAMPLE_EMULATOR_CONFIG,
		});
		if (signalled) return;

		// Re-import (by fixed ids, overwriting) only when something the imports depend on changed.
		const stateFile = path.join(userFolder, STATE_FILE);
		const previous = readState(stateFile);
		const hasDatabase = fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
		const examples = examplesHash(root);
		// The workflows must know n8n's URL before it starts: fix the port now.
		const emulatorPort = Number(new URL(emulator.baseUrl).port);
		const port = (await portIsFree(N8N_PORT)) ? N8N_PORT : await freePort([emulatorPort]);
		const baseUrl = `http://${HOST}:${port}`;
		const importing =
			!hasDatabase ||
			previous === undefined ||
			previous.n8nBaseUrl !== baseUrl ||
			previous.emulatorBaseUrl !== emulator.baseUrl ||
			previous.appSecret !== emulator.config.appSecret ||
			previous.examples !== examples;
		const workflows = importing ? loadExamples(root, baseUrl, CREDENTIAL_ID) : [];
		if (importing) write(hasDatabase ? 'Re-importing the example workflows and the credential (something changed)…' : 'First start: creating the n8n user folder .n8n-dev/ …');

		n8n = await startN8n({
			userFolder,
			keepUserFolder: true,
			port,
			owner: OWNER,
			credentials: importing
				? [
						emulatorCredential(emulator),
					]
				: undefined,
			workflows: importing ? workflows : undefined,
		});
		// Import leaves workflows unpublished; the trigger examples must listen for pushes.
		if (importing) await publishWorkflows(n8n, triggerWorkflowIds(workflows));
		if (importing) {
			const state: StartState = { n8nBaseUrl: baseUrl, emulatorBaseUrl: emulator.baseUrl, appSecret: emulator.config.appSecret, examples };
			fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
		}
		if (signalled) return;

		const shown = loadExamples(root, n8n.baseUrl);
		write('');
		write(`Ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`);
		write('');
		write(`n8n                  ${n8n.baseUrl}`);
		write(`  login              ${OWNER.email} / ${OWNER.password}`);
		write(`  credential         "${CREDENTIAL_NAME}" (APP_Key ${emulator.config.appKey})`);
		write(`  user folder        ${userFolder} (delete it to start from scratch)`);
		write(`Huawei emulator      ${emulator.baseUrl}`);
		write(`  console            ${emulator.consoleUrl}  (open it in a browser: be the callee, watch the pushes)`);
		write(`  control API        ${emulator.baseUrl}/emulator  (calls: ${emulator.baseUrl}/emulator/calls)`);
		write(`  display numbers    ${emulator.config.displayNumbers.join(', ')}`);
		write('  templates');
		for (const [id, text] of Object.entries(emulator.config.templates)) write(`    ${id}  ${text}`);
		write('Example workflows (published triggers listen at the URL shown):');
		const published = new Set(triggerWorkflowIds(shown));
		for (const workflow of shown) {
			write(`  ${workflow.name}`);
			write(`      ${n8n.baseUrl}/workflow/${workflow.id}${published.has(workflow.id) ? `   trigger: ${triggerUrl(n8n.baseUrl, workflow)}` : ''}`);
		}
		for (const skipped of skippedExamples(root)) write(`  ${skipped.name}\n      not imported: needs ${skipped.needs.join(', ')} (see examples/README.md)`);
		write('');
		write('Press Ctrl+C to stop.');
	} catch (error) {
		proc.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		proc.exitCode = 1;
		await stopAll();
		proc.exit(1);
	}
}

void main();
