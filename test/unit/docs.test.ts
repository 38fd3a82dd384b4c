/*
 * docs/platform.md carries rendered copies of the code tables (result codes, hang-up causes, Q.850
 * causes, disconnect points). They are rendered again here, in memory, from nodes/shared/codes; a
 * code-table change without `npm run docs` fails this test.
 */
import { fs, path, repoRoot } from '../../dev/node.cjs';
import { HANGUP_CAUSES, Q850_CAUSES, RESULT_CODES } from '../../nodes/shared/codes';
import { PLATFORM_DOC, applyDocTables, renderDocTables } from '../../scripts/docTables';

const doc = fs.readFileSync(path.join(repoRoot, PLATFORM_DOC), 'utf8');

/** The content of one generated block of a document. */
function block(markdown: string, name: string): string {
	const open = `<!-- generated:${name} -->`;
	const start = markdown.indexOf(open);
	const end = markdown.indexOf(`<!-- /generated:${name} -->`);
	return start === -1 || end === -1 ? '' : markdown.slice(start + open.length, end);
}

describe('generated tables of docs/platform.md', () => {
	it('are up to date with the code tables (run `npm run docs` after changing a code table)', () => {
		const fresh = applyDocTables(doc);
		// Compare block by block, so a failure names the stale table instead of printing the whole file.
		for (const name of Object.keys(renderDocTables())) {
			expect({ table: name, content: block(doc, name) }).toEqual({ table: name, content: block(fresh, name) });
		}
		expect(fresh === doc).toBe(true);
	});

	it('show every result code, hang-up cause and Q.850 cause of the code', () => {
		const results = block(doc, 'result-codes');
		for (const code of Object.keys(RESULT_CODES)) expect(results).toContain(`| ${code} |`);
		const hangups = block(doc, 'hangup-causes');
		for (const code of Object.keys(HANGUP_CAUSES)) expect(hangups).toContain(`| ${code} |`);
		const q850 = block(doc, 'q850-causes');
		for (const code of Object.keys(Q850_CAUSES)) expect(q850).toContain(`| ${code} |`);
	});

	it('refuse a document whose markers are missing, duplicated or unknown', () => {
		const open = '<!-- generated:result-codes -->';
		expect(() => applyDocTables(doc.replace(open, ''))).toThrow(/result-codes/);
		expect(() => applyDocTables(`${doc}\n${open}\n<!-- /generated:result-codes -->\n`)).toThrow(/exactly one/);
		expect(() => applyDocTables(`${doc}\n<!-- generated:no-such-table -->\n`)).toThrow(/unknown table/);
	});

	it('render a changed code table differently (the comparison above can fail)', () => {
		const tables = renderDocTables();
		const changed = { ...tables, 'result-codes': tables['result-codes'].replace('| 1020165 |', '| 1020999 |') };
		expect(applyDocTables(doc, changed)).not.toBe(applyDocTables(doc, tables));
	});
});
