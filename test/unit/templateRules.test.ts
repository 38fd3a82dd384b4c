import { checkConfig, defaultConfig, type EmulatorConfig } from '../../emulator/config';
import { validateCallNotify } from '../../emulator/validate';
import { parseTemplateText, templateVariable, valueFitsVariable } from '../../nodes/shared/platform/templates';
import { FieldError, playSegments } from '../../nodes/HuaweiVoiceCall/validation';
import rules from '../fixtures/template-rules.json';

/*
 * The template rules are defined once (nodes/shared/platform/templates.ts): the node checks the
 * values against the Template Text a user typed in, the emulator against the template texts it
 * knows. This test holds both to the documented examples and checks that they agree.
 */

const DISPLAY = defaultConfig().displayNumbers[0];

function emulatorWith(text: string): EmulatorConfig {
	return { ...defaultConfig(), templates: { 'tpl-under-test': text } };
}

/** The emulator's answer for one segment of a template with `text` and these values. */
function emulatorAnswer(text: string, values: string[]) {
	return validateCallNotify(
		{ displayNbr: DISPLAY, calleeNbr: '+8613800000001', playInfoList: [{ templateId: 'tpl-under-test', templateParas: values }] },
		emulatorWith(text),
	);
}

/** The node's check of the same segment (it trims typed values, so the fixture has no padded ones): undefined when it passes, else the FieldError. */
function nodeAnswer(text: string, values: string[]): FieldError | undefined {
	try {
		playSegments([{ type: 'template', templateId: 'tpl-under-test', templateText: text, parameterValues: values }]);
		return undefined;
	} catch (error) {
		expect(error).toBeInstanceOf(FieldError);
		return error as FieldError;
	}
}

test.each(rules.templates)('the variables of $text', ({ text, variables }) => {
	const parsed = parseTemplateText(text);
	expect(parsed).toEqual({ ok: true, variables: variables.map((name) => templateVariable(name)) });
});

test.each(rules.invalidTemplates)('%p is not a template text: the node refuses it, the emulator will not load it', (text) => {
	expect(parseTemplateText(text).ok).toBe(false);
	expect(nodeAnswer(text, ['x'])?.message).toMatch(/Template Text cannot be read/);
	// The check the emulator runs on start and on PATCH /emulator/config.
	expect(() => checkConfig(emulatorWith(text))).toThrow(/templates\["tpl-under-test"\]/);
});

describe.each(Object.entries(rules.values))('%s values', (name, { valid, invalid }) => {
	const variable = templateVariable(name);
	if (variable === undefined) throw new Error(`${name} is not a variable`);
	const text = `尊敬的用户，\${${name}}`;

	test.each(valid)('%p fits: the shared rule, the node and the emulator accept it', (value) => {
		expect(valueFitsVariable(value, variable)).toBe(true);
		expect(nodeAnswer(text, [value])).toBeUndefined();
		expect(emulatorAnswer(text, [value])).toBeNull();
	});

	test.each(invalid)('%p does not fit: refused by the node (naming the variable) and by the emulator (1012005)', (value) => {
		expect(valueFitsVariable(value, variable)).toBe(false);
		const refusal = nodeAnswer(text, [value]);
		expect(refusal?.message).toContain(`Segment 1: Template Parameters, value 1 (\${${name}})`);
		expect(emulatorAnswer(text, [value])).toEqual({ code: '1012005', detail: `templateParas[0] (${name})` });
	});
});

test('a value over 32 bytes is refused even when it has few enough characters (a CJK character counts 3 bytes)', () => {
	const text = '尊敬的${TXT_20}';
	const eleven = '一二三四五六七八九十一';
	expect(Array.from(eleven)).toHaveLength(11);
	expect(nodeAnswer(text, [eleven])?.message).toMatch(/is too long: 33 bytes, at most 32/);
	expect(emulatorAnswer(text, [eleven])).toEqual({ code: '1012005', detail: 'templateParas[0] (TXT_20)' });
});

test('the number of values must match the variables: the node names them, the emulator answers 1012004', () => {
	const text = rules.templates[0].text;
	expect(nodeAnswer(text, ['张三'])?.message).toBe(
		'Segment 1: Template Parameters has 1 value, but the template text has 2 variables (${TXT_8}, ${NUM_6})',
	);
	expect(emulatorAnswer(text, ['张三'])).toEqual({ code: '1012004' });
	expect(nodeAnswer(text, ['张三', '123456', 'extra'])?.message).toMatch(/has 3 values, but the template text has 2 variables/);
	expect(emulatorAnswer(text, ['张三', '123456', 'extra'])).toEqual({ code: '1012004' });
	expect(nodeAnswer(text, [])?.message).toMatch(/has 0 values/);
	expect(nodeAnswer(rules.templates[3].text, ['x'])?.message).toMatch(/has 1 value, but the template text has 0 variables$/);
	expect(nodeAnswer(text, ['张三', '123456'])).toBeUndefined();
	expect(emulatorAnswer(text, ['张三', '123456'])).toBeNull();
});

test('the emulator\'s own templates keep their documented variables', () => {
	const variables = (id: string) => {
		const parsed = parseTemplateText(defaultConfig().templates[id]);
		return parsed.ok ? parsed.variables.map((variable) => variable.name) : parsed.problem;
	};
	expect(variables('tpl-notice-01')).toEqual(['TXT_20', 'NUM_6']);
	expect(variables('tpl-meeting-01')).toEqual(['DATE', 'TIME']);
	expect(variables('tpl-static-01')).toEqual([]);
	expect(defaultConfig().templates['tpl-order-01']).toBe(rules.templates[0].text);
});
