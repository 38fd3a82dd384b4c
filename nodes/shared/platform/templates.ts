/**
 * TTS template rules (docs/platform.md §6.1), defined once: the action node checks the values a
 * user gives for a template whose text they typed in, and the emulator checks the values of the
 * templates it knows, both with these functions. test/fixtures/template-rules.json holds the
 * documented examples both sides are tested against (test/unit/templateRules.test.ts).
 *
 * Huawei offers no API to read a template, so the text is what the user had approved in the console
 * (语音模板管理); its variables are `${TXT_n}`, `${NUM_n}`, `${DATE}` and `${TIME}`, and the values
 * (`templateParas`) fill them in the order they appear.
 */
import { TEMPLATE_VALUE_MAX_BYTES, utf8Length } from './fields';

export type TemplateVariableKind = 'TXT' | 'NUM' | 'DATE' | 'TIME';

export interface TemplateVariable {
	/** As written in the template, without `${` and `}`: `TXT_8`, `NUM_6`, `DATE`, `TIME`. */
	name: string;
	kind: TemplateVariableKind;
	/** TXT_n: at most n characters; NUM_n: at most n digits. */
	max?: number;
}

export type TemplateParse = { ok: true; variables: TemplateVariable[] } | { ok: false; problem: string };

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const SIZED = /^(TXT|NUM)_([1-9]\d{0,3})$/;

/** One variable name (`TXT_8`, `DATE`, …) → the variable, or undefined when it is not one. */
export function templateVariable(name: string): TemplateVariable | undefined {
	const sized = SIZED.exec(name);
	if (sized) return { name, kind: sized[1] as 'TXT' | 'NUM', max: Number(sized[2]) };
	if (name === 'DATE' || name === 'TIME') return { name, kind: name };
	return undefined;
}

/**
 * The variables of a template text, in order. A `${…}` that is not one of the four kinds, or a `${`
 * that is never closed, is a problem: the text cannot be the approved one, and guessing its
 * variables would check the values against the wrong rules.
 */
export function parseTemplateText(text: string): TemplateParse {
	const variables: TemplateVariable[] = [];
	for (const match of text.matchAll(PLACEHOLDER)) {
		const variable = templateVariable(match[1]);
		if (variable === undefined) {
			return {
				ok: false,
				problem: `"\${${match[1]}}" is not a template variable: use \${TXT_n}, \${NUM_n}, \${DATE} or \${TIME}`,
			};
		}
		variables.push(variable);
	}
	if (text.replace(PLACEHOLDER, '').includes('${')) {
		return { ok: false, problem: 'a "${" is not closed with "}"' };
	}
	return { ok: true, variables };
}

/** `${TXT_8}`: how a variable is named in messages. */
export function variableLabel(variable: TemplateVariable): string {
	return `\${${variable.name}}`;
}

export type TemplateValueViolation =
	| { rule: 'empty' }
	| { rule: 'bytes'; bytes: number }
	| { rule: 'characters'; characters: number; max: number }
	| { rule: 'digits' }
	| { rule: 'digitCount'; digits: number; max: number }
	| { rule: 'date' }
	| { rule: 'time' };

const DATE_VALUE = /^(\d{4})\/(\d{2})\/(\d{2})$/;
const TIME_VALUE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
	const date = new Date(Date.UTC(year, month - 1, day));
	return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The first rule a value breaks for its variable, or undefined when it fits: not empty (our
 * choice: the platform's answer to an empty value is not documented), at most 32 bytes in UTF-8
 * whatever the variable (a CJK character counts 3), `TXT_n` at most n characters, `NUM_n` only the
 * digits 0-9 and at most n of them, `DATE` a real date as `YYYY/MM/DD`, `TIME` `HH:MM` or
 * `HH:MM:SS` on a 24-hour clock.
 */
export function templateValueViolation(value: string, variable: TemplateVariable): TemplateValueViolation | undefined {
	if (value === '') return { rule: 'empty' };
	const bytes = utf8Length(value);
	if (bytes > TEMPLATE_VALUE_MAX_BYTES) return { rule: 'bytes', bytes };
	switch (variable.kind) {
		case 'TXT': {
			const characters = Array.from(value).length;
			const max = variable.max ?? 0;
			return characters > max ? { rule: 'characters', characters, max } : undefined;
		}
		case 'NUM': {
			if (!/^\d+$/.test(value)) return { rule: 'digits' };
			const max = variable.max ?? 0;
			return value.length > max ? { rule: 'digitCount', digits: value.length, max } : undefined;
		}
		case 'DATE': {
			const match = DATE_VALUE.exec(value);
			return match && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3])) ? undefined : { rule: 'date' };
		}
		case 'TIME': {
			const match = TIME_VALUE.exec(value);
			const fits = match !== null && Number(match[1]) <= 23 && Number(match[2]) <= 59 && (match[3] === undefined || Number(match[3]) <= 59);
			return fits ? undefined : { rule: 'time' };
		}
	}
}

export function valueFitsVariable(value: string, variable: TemplateVariable): boolean {
	return templateValueViolation(value, variable) === undefined;
}

/** What a violation means, as the end of a sentence that starts with the value's name and variable. */
export function describeViolation(violation: TemplateValueViolation): string {
	switch (violation.rule) {
		case 'empty':
			return 'is empty';
		case 'bytes':
			return `is too long: ${violation.bytes} bytes, at most ${TEMPLATE_VALUE_MAX_BYTES} (a Chinese character counts 3 bytes)`;
		case 'characters':
			return `has ${violation.characters} characters, at most ${violation.max} are allowed`;
		case 'digits':
			return 'must contain only the digits 0-9';
		case 'digitCount':
			return `has ${violation.digits} digits, at most ${violation.max} are allowed`;
		case 'date':
			return 'is not a date as YYYY/MM/DD, e.g. 2026/05/01';
		case 'time':
			return 'is not a time as HH:MM or HH:MM:SS (24-hour), e.g. 14:30';
	}
}
