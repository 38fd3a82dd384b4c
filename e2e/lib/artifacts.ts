/*
 * What the end-to-end tests leave behind for CI's secret scan (scripts/scan-secrets.cjs). With
 * E2E_ARTIFACTS_DIR set (.ci/run sets it), the n8n user folders (database, config, event logs),
 * every n8n, PostgreSQL and Redis process's whole output, PostgreSQL table dumps and the wake tokens
 * the emulator received stay under that folder instead of being deleted or kept in memory only.
 * Unset (the default, and `npm start`), nothing changes: temp folders that are removed, logs in memory.
 *
 * Node's runtime comes from dev/node.cjs (see that file for why).
 */
import type { Emulator } from '../../emulator';
import { splitWakeToken } from '../../nodes/shared/wakeToken';
import { fs, fsp, os, path, proc, repoRoot } from '../../dev/node.cjs';

export const ARTIFACTS_ENV = 'E2E_ARTIFACTS_DIR';

/** Where the tests keep what they produce (absolute), or undefined when nothing is kept. */
export function artifactsDir(): string | undefined {
	const value = proc.env[ARTIFACTS_ENV];
	if (!value) return undefined;
	const dir = path.resolve(repoRoot, value);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

/** A fresh folder for one run of something: under the artifacts folder when kept, else a temp folder. */
export async function scratchDir(prefix: string): Promise<string> {
	const kept = artifactsDir();
	return await fsp.mkdtemp(path.join(kept ?? os.tmpdir(), prefix));
}

/** Removes a folder from scratchDir, unless the artifacts are kept (then it is left for the scan). */
export async function removeScratch(dir: string): Promise<void> {
	const kept = artifactsDir();
	if (kept && path.resolve(dir).startsWith(`${kept}${path.sep}`)) return;
	await fsp.rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** The file a process's whole output goes to when the artifacts are kept (in `dir`), else undefined. */
export function keptLogFile(dir: string, name: string): string | undefined {
	return artifactsDir() ? path.join(dir, name) : undefined;
}

/**
 * The wake tokens (n8n resume tokens) the emulator received in userData, written to
 * `<artifacts>/wake-tokens/<label>-….json` for the scan to look for everywhere else. The platform
 * gets them by design (docs/n8n.md §3); no log, item or report of ours may carry them.
 */
export function keepWakeTokens(emulator: Emulator | undefined, label: string): void {
	const kept = artifactsDir();
	if (!kept || !emulator) return;
	const tokens = new Set<string>();
	for (const entry of emulator.requests()) {
		const { wake } = splitWakeToken((entry.body as { userData?: unknown } | null)?.userData);
		if (wake) tokens.add(wake.resumeToken);
	}
	const dir = path.join(kept, 'wake-tokens');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${label}-${proc.pid}-${Date.now()}.json`);
	fs.writeFileSync(file, `${JSON.stringify({ label, tokens: [...tokens] }, null, '\t')}\n`);
}
