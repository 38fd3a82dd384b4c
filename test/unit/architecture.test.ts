/*
 * The Architecture section of README.md (and of its translation README.zh-CN.md, 架构) must stay
 * equal to the tree:
 * - every shipped source file (nodes/, credentials/) is named there, by its file name or by
 *   `<folder>/<name>` (e.g. "callback/placeCall" for actions/callback/placeCall.operation.ts);
 * - every top-level folder of the repository is listed;
 * - every file or folder the section names exists (a path it gives must be the end of a tracked path).
 * Placeholders such as `<op>.operation.ts` are patterns, not names, and are not looked up.
 */
import { childProcess, fs, path, repoRoot } from '../../dev/node.cjs';

function trackedFiles(): string[] {
	const result = childProcess.spawnSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`git ls-files failed (${result.stderr || result.error?.message}): this check needs a git checkout.`);
	return result.stdout.split('\0').filter((file) => file !== '' && fs.existsSync(path.join(repoRoot, file)));
}

function architectureSection(file: string, heading: string): string {
	const readme = fs.readFileSync(path.join(repoRoot, file), 'utf8');
	const match = new RegExp(`^## ${heading}\\n([\\s\\S]*?)^## `, 'm').exec(readme);
	if (match === null) throw new Error(`${file} has no "## ${heading}" section followed by another section`);
	const block = /```\n([\s\S]*?)```/.exec(match[1]);
	if (block === null) throw new Error('The Architecture section has no code block with the tree');
	return block[1];
}

const files = trackedFiles();
/** What .gitignore names (built or installed folders such as .tools/): the tree may mention them. */
const IGNORED = new Set(
	fs
		.readFileSync(path.join(repoRoot, '.gitignore'), 'utf8')
		.split('\n')
		.map((line) => line.trim().replace(/^\//, ''))
		.filter((line) => line !== '' && !line.startsWith('#')),
);
const folders = new Set(files.flatMap((file) => file.split('/').slice(0, -1).map((_, i, parts) => `${parts.slice(0, i + 1).join('/')}/`)));

/** "placeCall.operation.ts" → "placeCall"; "HuaweiVoiceCall.node.ts" → "HuaweiVoiceCall". */
const stem = (name: string) => name.replace(/\.(operation|resource|node|credentials|descriptions)?\.?ts$/, '').replace(/\.$/, '');

describe.each([
	['README.md', 'Architecture'],
	['README.zh-CN.md', '架构'],
])('%s: the architecture section', (file, heading) => {
	const tree = architectureSection(file, heading);

	test('names every shipped source file', () => {
		const shipped = files.filter((file) => /^(nodes|credentials)\/.*\.ts$/.test(file));
		expect(shipped.length).toBeGreaterThan(10);
		const missing = shipped.filter((file) => {
			const parts = file.split('/');
			const name = parts[parts.length - 1];
			const parent = parts[parts.length - 2];
			return !tree.includes(name) && !tree.includes(`${parent}/${stem(name)}`);
		});
		expect(missing).toEqual([]);
	});

	test('lists every top-level folder', () => {
		const topLevel = [...new Set(files.filter((file) => file.includes('/')).map((file) => `${file.split('/')[0]}/`))];
		const missing = topLevel.filter((folder) => !new RegExp(`(^|\\s)${folder.replace(/[.]/g, '\\.')}`, 'm').test(tree));
		expect(missing).toEqual([]);
	});

	test('names only files and folders that exist', () => {
		const tokens = tree.match(/(?<=^|[\s(,·])[\w.-]+(?:\/[\w.-]+)*(?:\/|\.(?:ts|cjs|mjs|js|md|json|sh|svg|png))(?=[\s,·)]|$)/gm) ?? [];
		expect(tokens.length).toBeGreaterThan(20);
		const exists = (token: string) =>
			IGNORED.has(token) ||
			(token.endsWith('/')
				? [...folders].some((folder) => folder === token || folder.endsWith(`/${token}`))
				: files.some((file) => file === token || file.endsWith(`/${token}`)));
		expect([...new Set(tokens)].filter((token) => !exists(token))).toEqual([]);
	});
});
