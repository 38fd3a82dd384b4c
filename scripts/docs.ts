/*
 * `npm run docs`: re-renders the generated tables of docs/platform.md from the shared code tables
 * (see scripts/docTables.ts). `--check` changes nothing and exits 1 when the document is stale,
 * which is what test/unit/docs.test.ts asserts on every `npm test`.
 */
import { fs, path, proc, repoRoot } from '../dev/node.cjs';
import { PLATFORM_DOC, applyDocTables } from './docTables';

function main(): void {
	const file = path.join(repoRoot, PLATFORM_DOC);
	const current = fs.readFileSync(file, 'utf8');
	const next = applyDocTables(current);
	if (next === current) {
		proc.stdout.write(`${PLATFORM_DOC}: generated tables are up to date.\n`);
		return;
	}
	if (proc.argv.includes('--check')) {
		proc.stderr.write(`${PLATFORM_DOC}: generated tables are stale; run \`npm run docs\`.\n`);
		proc.exitCode = 1;
		return;
	}
	fs.writeFileSync(file, next);
	proc.stdout.write(`${PLATFORM_DOC}: generated tables rewritten.\n`);
}

try {
	main();
} catch (error) {
	proc.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	proc.exitCode = 1;
}
