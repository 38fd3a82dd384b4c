/*
 * The emulator console in a real headless Chromium, next to a real n8n 2.41.1 running the example
 * workflows as `npm start` imports them. The page is driven only as a person would (clicks and
 * keys); what happened is read from n8n's executions, so a button that does nothing fails a test.
 *
 * Set CONSOLE_SCREENSHOT_DIR (e.g. docs/images) to also write the README's screenshots.
 */
import type { Browser, Locator, Page } from 'playwright-core';

import { startEmulator, type Emulator } from '../../emulator';
import { fs, path, proc, repoRoot } from '../../dev/node.cjs';
import { launchChromium } from '../lib/browser';
import { keepWakeTokens } from '../lib/artifacts';
import { EXAMPLE_EMULATOR_CONFIG, startN8nWithExamples, triggerUrl, type WorkflowJson } from '../lib/examples';
import { runWorkflowManually, waitForExecutions, type N8nExecution, type N8nInstance } from '../lib/n8n';
import { actionNode, firstJson, itemsOf, manualStart, triggerNode, workflow } from '../lib/workflows';

// Quicker than `npm start`'s real time, still slow enough to see every phase in the page.
const TIME_SCALE = 0.2;
const UI_TIMEOUT_MS = 20_000;

// Example 3a's two customers (examples/3a-dtmf-confirmation-call.json).
const CONFIRMING = '+8613800000031';
const CANCELLING = '+8613800000032';

// Our own long call: example 4b would hang up example 4a's call by itself after 10 seconds.
const DISPLAY = '+8675528000001';
const LONG_A = '+8613900000061';
const LONG_B = '+8613900000062';
const LONG_CALL_ID = 'BrowserLongCall1';
const DISCONNECT_ID = 'BrowserDisconnct';
const DISCONNECT_HOOK = 'b0c0a1b2-0000-4000-8000-00000000c001';

function longCallWorkflows(n8nBaseUrl: string): WorkflowJson[] {
	const hook = `${n8nBaseUrl}/webhook/${DISCONNECT_HOOK}/webhook`;
	return [
		workflow(LONG_CALL_ID, 'browser: long call with recording', [
			manualStart(),
			actionNode('Place Call', {
				resource: 'callback',
				operation: 'placeCall',
				callerNbr: LONG_A,
				calleeNbr: LONG_B,
				displayNbr: DISPLAY,
				additionalFields: { recordFlag: true, partyTypeRequiredInDisconnect: true, statusUrl: hook, feeUrl: hook, userData: 'browser-long-call' },
			}),
		]),
		workflow(DISCONNECT_ID, 'browser: on disconnect', [triggerNode(DISCONNECT_HOOK, ['disconnect'])]),
	];
}

let emulator: Emulator;
let n8n: N8nInstance;
let workflows: WorkflowJson[];
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const screenshotDir = proc.env.CONSOLE_SCREENSHOT_DIR ? path.resolve(repoRoot, proc.env.CONSOLE_SCREENSHOT_DIR) : undefined;

async function screenshot(name: string, target?: Locator): Promise<void> {
	if (!screenshotDir) return;
	fs.mkdirSync(screenshotDir, { recursive: true });
	const file = path.join(screenshotDir, `${name}.png`);
	// No focus ring in the README's pictures (the console moves focus on purpose, for keyboard users).
	const focused = page.locator(':focus');
	if ((await focused.count()) > 0) await focused.blur();
	if (target) await target.screenshot({ path: file });
	else await page.screenshot({ path: file, fullPage: true });
}

beforeAll(async () => {
	emulator = await startEmulator({ config: { ...EXAMPLE_EMULATOR_CONFIG, timeScale: TIME_SCALE } });
	({ n8n, workflows } = await startN8nWithExamples(emulator, longCallWorkflows));
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	page.setDefaultTimeout(UI_TIMEOUT_MS);
	page.on('pageerror', (error) => pageErrors.push(error.message));
	await page.goto(emulator.consoleUrl);
	await page.locator('#connection', { hasText: 'Live' }).waitFor();
}, 300_000);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	keepWakeTokens(emulator, 'browser');
	await emulator?.stop();
});

afterEach(() => {
	// A script error in the page is a failure even when the assertions happened to pass.
	expect(pageErrors).toEqual([]);
});

/** The call card for a session, or for the newest call to a number. */
const callCard = (by: { sessionId?: string; callee?: string }): Locator =>
	by.sessionId ? page.locator(`article.call[data-session-id="${by.sessionId}"]`) : page.locator(`article.call[data-callee="${by.callee}"]`).first();

const inPhase = (card: Locator, phase: string): Promise<void> => card.and(page.locator(`[data-phase="${phase}"]`)).waitFor();

/** Sets a number's outcome in the console's script editor and saves, as a person would. */
async function setOutcomeInEditor(outcomes: Record<string, string>): Promise<void> {
	for (const [number, outcome] of Object.entries(outcomes)) {
		await page.getByRole('combobox', { name: `Outcome for ${number}` }).selectOption(outcome);
	}
	await page.getByRole('button', { name: 'Save scripts' }).click();
	await page.locator('#scripts-status', { hasText: 'Saved' }).waitFor();
}

/** The rows of a call card's push table as the page shows them: [event, target URL, reply]. */
async function shownPushes(card: Locator): Promise<string[][]> {
	return await card.locator('section.pushes tbody tr').evaluateAll((rows) =>
		(rows as unknown as PageElement[]).map((row) => Array.from(row.querySelectorAll('td')).slice(0, 3).map((cell) => (cell.textContent ?? '').trim())),
	);
}

/** Waits until the card shows every push delivered (each reply HTTP 200) and returns them. */
async function deliveredPushes(card: Locator, count: number): Promise<string[][]> {
	await card.locator('section.pushes tbody tr .reply-delivered').nth(count - 1).waitFor();
	await page.waitForFunction((el) => !(el as unknown as PageElement).querySelector('section.pushes .reply-pending'), await card.elementHandle());
	return await shownPushes(card);
}

/*
 * The functions below run inside the page. This project type-checks without the DOM library, so
 * they name the few DOM members they use themselves.
 */
interface PageElement {
	textContent: string | null;
	querySelector(selector: string): PageElement | null;
	querySelectorAll(selector: string): ArrayLike<PageElement>;
}

interface PageAudio {
	readyState: number;
	duration: number;
	currentTime: number;
	error: { code: number } | null;
	play(): Promise<void>;
	pause(): void;
	addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
}

const disconnectOf = (execution: N8nExecution) => firstJson(execution, 'Trigger') ?? {};

test('be the callee of example 3a: answer both calls, press 1 on one and 2 on the other; 3b takes Confirmed and Cancelled', async () => {
	// Both customers of 3a wait for a person: set in the console's own script editor.
	await setOutcomeInEditor({ [CONFIRMING]: 'manual', [CANCELLING]: 'manual' });
	expect(emulator.config.scripts[CONFIRMING]).toMatchObject({ outcome: 'manual', digits: ['1'] });
	expect(emulator.config.scripts[CANCELLING]).toMatchObject({ outcome: 'manual', digits: ['2'] });

	const placed = await runWorkflowManually(n8n, 'HwExample3Dtmf01');
	const sessionOf = Object.fromEntries(itemsOf(placed, 'Ask for confirmation').map((item) => [item.json.calleeNbr, String(item.json.sessionId)]));
	const confirming = callCard({ sessionId: sessionOf[CONFIRMING] });
	const cancelling = callCard({ sessionId: sessionOf[CANCELLING] });

	// Both phones ring in the page (live, no reload) until someone answers.
	await inPhase(confirming, 'ringing');
	await inPhase(cancelling, 'ringing');
	await confirming.getByRole('button', { name: 'Answer' }).click();

	// After the prompt: a click on the keypad's 1; the other customer types 2 and presses Enter.
	await inPhase(confirming, 'collecting');
	await screenshot('console-callee');
	await confirming.getByRole('button', { name: '1', exact: true }).click();
	await cancelling.getByRole('button', { name: 'Answer' }).click();
	await inPhase(cancelling, 'collecting');
	await cancelling.getByRole('textbox', { name: 'Several keys' }).fill('2');
	await cancelling.getByRole('textbox', { name: 'Several keys' }).press('Enter');

	const handled = await waitForExecutions(n8n, (e) => Object.values(sessionOf).includes(String(firstJson(e, 'On digits')?.sessionId)), {
		workflowId: 'HwExample3DtmfRx',
		count: 2,
		timeoutMs: 30_000,
	});
	const branch = (sessionId: string) => {
		const execution = handled.find((e) => firstJson(e, 'On digits')?.sessionId === sessionId) as N8nExecution;
		return ['Confirmed', 'Cancelled', 'No valid answer'].filter((node) => firstJson(execution, node) !== undefined).map((node) => [node, firstJson(execution, node)]);
	};
	expect(branch(sessionOf[CONFIRMING])).toEqual([['Confirmed', { order: 'order-100231', decision: 'confirmed' }]]);
	expect(branch(sessionOf[CANCELLING])).toEqual([['Cancelled', { order: 'order-100232', decision: 'cancelled' }]]);

	// The page shows each push of the confirmed call, sent to 3b's trigger and answered 200 by n8n.
	const hook = triggerUrl(n8n.baseUrl, workflows.find((wf) => wf.id === 'HwExample3DtmfRx') as WorkflowJson);
	await inPhase(confirming, 'ended');
	const pushes = await deliveredPushes(confirming, 5);
	expect(pushes).toEqual(['callout', 'alerting', 'answer', 'collectInfo', 'disconnect'].map((event) => [event, hook, 'HTTP 200']));
	await confirming.locator('section.events tr', { hasText: 'collectInfo' }).filter({ hasText: 'digitInfo "1"' }).waitFor();
	await confirming.locator('.disconnect', { hasText: 'stateCode 0' }).waitFor();
	await screenshot('console-dtmf', confirming);
});

test('reject a ringing callee, then answer and hang up a long call from the console: n8n gets both disconnects; the recording plays', async () => {
	// A new number in the editor: "Add number" starts the row as manual.
	await page.getByRole('button', { name: 'Add number' }).click();
	await page.getByRole('textbox', { name: 'Dialled number' }).last().fill(LONG_B);
	await page.getByRole('button', { name: 'Save scripts' }).click();
	await page.locator('#scripts-status', { hasText: 'Saved' }).waitFor();
	expect(emulator.config.scripts[LONG_B]).toEqual({ outcome: 'manual' });

	// 1. B's phone rings and B declines.
	const first = String(firstJson(await runWorkflowManually(n8n, LONG_CALL_ID), 'Place Call')?.sessionId);
	const rejected = callCard({ sessionId: first });
	await inPhase(rejected, 'ringingB');
	await rejected.getByRole('button', { name: 'Reject' }).click();
	const [onReject] = await waitForExecutions(n8n, (e) => disconnectOf(e).sessionId === first, { workflowId: DISCONNECT_ID, timeoutMs: 30_000 });
	expect(disconnectOf(onReject)).toMatchObject({ event: 'disconnect', stateCode: 8105, partyType: '2', outcome: 'rejected', answered: false });

	// 2. B answers, talks, and hangs up (keyboard: focus the button, press Enter).
	const second = String(firstJson(await runWorkflowManually(n8n, LONG_CALL_ID), 'Place Call')?.sessionId);
	const talked = callCard({ sessionId: second });
	await inPhase(talked, 'ringingB');
	await talked.getByRole('button', { name: 'Answer' }).click();
	await inPhase(talked, 'talking');
	// A recording exists only after 3 s of talk (simulated): wait that long after B's answer.
	const answeredAt = Date.parse(String(emulator.calls().find((c) => c.sessionId === second)?.events.find((e) => e.type === 'answer' && e.leg === 'B')?.realTime));
	await page.waitForFunction((until) => Date.now() >= until, answeredAt + 3_500 * TIME_SCALE);
	await talked.getByRole('button', { name: 'Hang up as B' }).focus();
	await page.keyboard.press('Enter');

	const [onHangUp] = await waitForExecutions(n8n, (e) => disconnectOf(e).sessionId === second, { workflowId: DISCONNECT_ID, timeoutMs: 30_000 });
	expect(disconnectOf(onHangUp)).toMatchObject({ event: 'disconnect', stateCode: 0, partyType: '2', outcome: 'answered', answered: true, userData: 'browser-long-call' });

	// The page: every push (status events and the CDR) answered 200 by n8n, and the recording plays.
	await inPhase(talked, 'ended');
	const pushes = await deliveredPushes(talked, 8);
	expect(pushes.map(([event, , reply]) => [event, reply])).toEqual(
		['callout', 'alerting', 'answer', 'callout', 'alerting', 'answer', 'disconnect', 'fee (CDR)'].map((event) => [event, 'HTTP 200']),
	);
	const audio = talked.locator('section.cdr audio');
	await audio.waitFor();
	const expectedSeconds = (emulator.config.recordingBytes - 58) / 8000;
	const played = await audio.evaluate(async (node) => {
		const element = node as unknown as PageAudio;
		if (element.readyState < 1) {
			await new Promise<void>((resolve, reject) => {
				element.addEventListener('loadedmetadata', () => resolve(), { once: true });
				element.addEventListener('error', () => reject(new Error(`audio error ${element.error?.code}`)), { once: true });
			});
		}
		await element.play();
		await new Promise<void>((resolve) => element.addEventListener('timeupdate', () => resolve(), { once: true }));
		element.pause();
		return { duration: element.duration, currentTime: element.currentTime };
	});
	expect(played.duration).toBeCloseTo(expectedSeconds, 2);
	expect(played.currentTime).toBeGreaterThan(0);
	await screenshot('console-recording', talked);
});
