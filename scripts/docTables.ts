/*
 * The code tables of docs/platform.md, rendered from the shared code tables (nodes/shared/codes)
 * and their outcome column, so the reference and the code can never disagree: each table
 * has exactly one source, and the document only holds a rendered copy between marker comments:
 *
 *   <!-- generated:result-codes -->
 *   …rendered table…
 *   <!-- /generated:result-codes -->
 *
 * `npm run docs` rewrites those blocks (scripts/docs.ts); test/unit/docs.test.ts renders them in
 * memory and fails when the committed document differs. Pure functions: no file access here.
 */
import {
	DISCONNECT_POINTS,
	DISCONNECT_POINT_RANGES,
	DOCUMENTED_HTTP_STATUS_CODES,
	HANGUP_CAUSES,
	Q850_CAUSES,
	RECORD_NOT_FOUND,
	RESULT_CODES,
	isRetryableResult,
	outcomeOfDisconnectPoint,
	outcomeOfHangupCause,
	outcomeOfQ850Cause,
	type CodeText,
	type ResultCodeInfo,
} from '../nodes/shared/codes';

/** The document the tables live in, relative to the repository root. */
export const PLATFORM_DOC = 'docs/platform.md';

const SOURCE_NOTE =
	'<!-- Rendered by `npm run docs` (scripts/docTables.ts) from nodes/shared/codes: change the code, then regenerate; do not edit by hand. -->';

/** A Markdown table cell: pipes escaped, whitespace collapsed, empty shown as a dash. */
function cell(value: string | number | undefined): string {
	const text = value === undefined ? '' : String(value).replace(/\s+/g, ' ').trim();
	return text === '' ? '—' : text.replace(/\|/g, '\\|');
}

function table(header: string[], rows: Array<Array<string | number | undefined>>): string {
	const lines = [
		`| ${header.join(' | ')} |`,
		`| ${header.map(() => '---').join(' | ')} |`,
		...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
	];
	return lines.join('\n');
}

function numericKeys(record: Readonly<Record<number, unknown>>): number[] {
	return Object.keys(record)
		.map(Number)
		.sort((a, b) => a - b);
}

const documented = new Set(DOCUMENTED_HTTP_STATUS_CODES);

/** Sorted like the platform's lists: "0" first, then numerically. */
function resultCodeRows(filter: (info: ResultCodeInfo) => boolean): ResultCodeInfo[] {
	return Object.values(RESULT_CODES)
		.filter(filter)
		.sort((a, b) => Number(a.code) - Number(b.code));
}

function httpCell(info: ResultCodeInfo): string {
	return documented.has(info.code) ? String(info.httpStatus) : `${info.httpStatus} (our choice)`;
}

/** Whether the node's pacing sends the item again, as isRetryableResult decides it. */
function resendCell(info: ResultCodeInfo): string {
	if (info.retryable) return 'yes';
	// A code that is not retryable by itself but is for some answer text (1010010's two readings).
	if (isRetryableResult(info.code, 'The flow control upper limit is reached on the platform.', 503)) {
		return 'only for the flow-control text';
	}
	return 'no';
}

function renderAuthCodes(): string {
	return table(
		['HTTP', 'resultcode', 'resultdesc', 'Meaning'],
		resultCodeRows((info) => info.family === 'auth').map((info) => [
			httpCell(info),
			info.code,
			`\`${info.resultdesc}\``,
			info.meaning,
		]),
	);
}

function renderDocumentedStatuses(): string {
	const byStatus = new Map<number, string[]>();
	for (const info of resultCodeRows((entry) => documented.has(entry.code))) {
		byStatus.set(info.httpStatus, [...(byStatus.get(info.httpStatus) ?? []), info.code]);
	}
	return table(
		['HTTP', 'resultcode'],
		[...byStatus.entries()]
			.sort(([a], [b]) => a - b)
			.map(([status, codes]) => [status, codes.join(', ')]),
	);
}

function renderResultCodes(): string {
	const rows = resultCodeRows(() => true).map((info) => [
		info.code,
		`\`${info.resultdesc}\``,
		httpCell(info),
		info.family,
		resendCell(info),
		info.meaning,
	]);
	const notFound =
		`Record not found (the real code is not documented): the emulator answers HTTP ${RECORD_NOT_FOUND.httpStatus} ` +
		`with resultcode ${RECORD_NOT_FOUND.resultcode} and resultdesc \`${RECORD_NOT_FOUND.resultdesc}\` (\`RECORD_NOT_FOUND\`).`;
	return [
		table(['resultcode', 'resultdesc (as the emulator sends it)', 'HTTP', 'Family', 'Node re-sends', 'Meaning'], rows),
		'',
		notFound,
	].join('\n');
}

function outcomeCell(outcome: string | undefined): string | undefined {
	return outcome === undefined ? undefined : `\`${outcome}\``;
}

function renderHangupCauses(): string {
	return table(
		['stateCode', 'Meaning', 'Huawei label', 'Trigger `outcome`'],
		numericKeys(HANGUP_CAUSES).map((code) => {
			const text = HANGUP_CAUSES[code];
			return [code, text.en, text.zh, outcomeCell(outcomeOfHangupCause(code))];
		}),
	);
}

function renderQ850Causes(): string {
	return table(
		['Cause', 'Meaning (ITU-T Q.850)', 'Huawei label', 'Trigger `outcome`'],
		numericKeys(Q850_CAUSES).map((code) => {
			const text = Q850_CAUSES[code];
			return [code, text.en, text.zh, outcomeCell(outcomeOfQ850Cause(code))];
		}),
	);
}

interface PointRow {
	label: string;
	text: CodeText;
	outcome?: string;
}

/**
 * Consecutive codes whose text only names the code itself ("Recording failure (2901)", …) are shown
 * as one range row, the way Huawei's appendix lists them.
 */
function collapseNumberedRuns(codes: number[]): PointRow[] {
	const rows: PointRow[] = [];
	let run: { from: number; to: number; prefix: string } | undefined;
	const flush = () => {
		if (run === undefined) return;
		const label = run.from === run.to ? String(run.from) : `${run.from}–${run.to}`;
		rows.push({ label, text: { en: run.from === run.to ? `${run.prefix} (${run.from})` : run.prefix } });
		run = undefined;
	};
	for (const code of codes) {
		const text = DISCONNECT_POINTS[code];
		const suffix = ` (${code})`;
		if (text.en.endsWith(suffix) && text.zh === undefined) {
			const prefix = text.en.slice(0, -suffix.length);
			if (run !== undefined && run.prefix === prefix && run.to === code - 1) {
				run.to = code;
				continue;
			}
			flush();
			run = { from: code, to: code, prefix };
			continue;
		}
		flush();
		rows.push({ label: String(code), text, outcome: outcomeOfDisconnectPoint(code) });
	}
	flush();
	return rows;
}

function renderDisconnectPoints(): string {
	const rows = collapseNumberedRuns(numericKeys(DISCONNECT_POINTS)).map((row) => [
		row.label,
		row.text.en,
		outcomeCell(row.outcome),
	]);
	for (const range of DISCONNECT_POINT_RANGES) {
		const meaning =
			range.kind === 'hangupCause' ? `${range.en} (see the hang-up causes above)` : `${range.en} (codes that have no row of their own)`;
		rows.push([`${range.from}–${range.to}`, meaning, 'per code']);
	}
	return table(['ulFailReason', 'Meaning', 'Trigger `outcome`'], rows);
}

/** Every generated block: marker name → rendered Markdown (without the markers). */
export function renderDocTables(): Record<string, string> {
	return {
		'auth-codes': renderAuthCodes(),
		'documented-statuses': renderDocumentedStatuses(),
		'result-codes': renderResultCodes(),
		'hangup-causes': renderHangupCauses(),
		'q850-causes': renderQ850Causes(),
		'disconnect-points': renderDisconnectPoints(),
	};
}

const MARKER = /<!-- (\/?)generated:([a-z0-9-]+) -->/g;

/**
 * Replaces the content of every marker block with its freshly rendered table. Throws when a block
 * is missing, duplicated, unclosed or unknown, so a broken document never passes as "up to date".
 */
export function applyDocTables(markdown: string, tables: Record<string, string> = renderDocTables()): string {
	const seen = new Map<string, number>();
	for (const match of markdown.matchAll(MARKER)) {
		const [, closing, name] = match;
		if (!(name in tables)) throw new Error(`${PLATFORM_DOC} has a marker for an unknown table "${name}".`);
		if (closing === '') seen.set(name, (seen.get(name) ?? 0) + 1);
	}
	for (const name of Object.keys(tables)) {
		if (seen.get(name) !== 1) {
			throw new Error(`${PLATFORM_DOC} must hold exactly one "<!-- generated:${name} -->" block (found ${seen.get(name) ?? 0}).`);
		}
	}
	let result = markdown;
	for (const [name, rendered] of Object.entries(tables)) {
		const open = `<!-- generated:${name} -->`;
		const close = `<!-- /generated:${name} -->`;
		const start = result.indexOf(open);
		const end = result.indexOf(close, start);
		if (end === -1) throw new Error(`${PLATFORM_DOC}: "${open}" is not closed by "${close}".`);
		result = `${result.slice(0, start + open.length)}\n${SOURCE_NOTE}\n\n${rendered}\n\n${result.slice(end)}`;
	}
	return result;
}
