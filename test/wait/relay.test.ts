import {
	classifyAnswer,
	relayToWaitingExecution,
	RUNNING_RETRY_BUDGET_MS,
	waitingUrlPrefix,
	type RelayAnswer,
} from '../../nodes/HuaweiVoiceCallTrigger/trigger/relay';

const WAKE = { executionId: '42', resumeToken: 'f'.repeat(64) };

/** A scripted n8n: each POST gets the next answer (the last one repeats); the clock only moves in wait(). */
function scripted(answers: Array<RelayAnswer | Error>) {
	let clock = 0;
	const posts: string[] = [];
	return {
		posts,
		deps: {
			post: async (url: string) => {
				posts.push(url);
				const answer = answers[Math.min(posts.length - 1, answers.length - 1)];
				if (answer instanceof Error) throw answer;
				return answer;
			},
			wait: async (ms: number) => {
				clock += ms;
			},
			now: () => clock,
		},
	};
}

const running: RelayAnswer = { statusCode: 409, body: { code: 409, message: 'The execution "42" is running already.' } };

describe('relay to the waiting execution', () => {
	test('200 → delivered, one POST to <prefix>/<execution id>?signature=<token>', async () => {
		const n8n = scripted([{ statusCode: 200, body: { status: 'resumed' } }]);
		const result = await relayToWaitingExecution(n8n.deps, 'http://127.0.0.1:5678/webhook-waiting', WAKE, { event: 'disconnect' });
		expect(result.outcome).toBe('delivered');
		expect(n8n.posts).toEqual([`http://127.0.0.1:5678/webhook-waiting/42?signature=${'f'.repeat(64)}`]);
	});

	test.each<[string, RelayAnswer, string]>([
		['409 finished already', { statusCode: 409, body: { message: 'The execution "42 has finished already.' } }, 'alreadyResumed'],
		['409 finished with error', { statusCode: 409, body: { message: 'The execution "42" has finished with error.' } }, 'alreadyResumed'],
		['500 already resuming', { statusCode: 500, body: { message: 'Execution 42 is already being resumed' } }, 'alreadyResumed'],
		['401 invalid token', { statusCode: 401, body: { error: 'Invalid token' } }, 'refused'],
		['404 no execution', { statusCode: 404, body: { message: 'The execution "42" does not exist.' } }, 'notFound'],
		['500 other', { statusCode: 500, body: { message: 'There was a problem executing the workflow' } }, 'failed'],
	])('%s → %s, never retried', async (_name, answer, outcome) => {
		const n8n = scripted([answer, { statusCode: 200, body: {} }]);
		const result = await relayToWaitingExecution(n8n.deps, 'http://h/webhook-waiting', WAKE, {});
		expect(result.outcome).toBe(outcome);
		expect(n8n.posts).toHaveLength(1);
	});

	test('a network failure is not retried (the push may have arrived)', async () => {
		const n8n = scripted([Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), { statusCode: 200, body: {} }]);
		expect(await relayToWaitingExecution(n8n.deps, 'http://h/webhook-waiting', WAKE, {})).toMatchObject({ outcome: 'failed', detail: 'no answer (ECONNRESET)' });
		expect(n8n.posts).toHaveLength(1);
	});

	test('"running already" (the execution has not reached its wait yet) is retried with growing pauses until it answers', async () => {
		const n8n = scripted([running, running, running, { statusCode: 200, body: { status: 'resumed' } }]);
		expect(await relayToWaitingExecution(n8n.deps, 'http://h/webhook-waiting', WAKE, {})).toMatchObject({ outcome: 'delivered', attempts: 4 });
	});

	test('"running already" for good: bounded, no loop past the budget', async () => {
		const n8n = scripted([running]);
		const result = await relayToWaitingExecution(n8n.deps, 'http://h/webhook-waiting', WAKE, {});
		expect(result.outcome).toBe('stillRunning');
		// Pauses of 0.25, 0.5, 1, 2, then 4 s, within the 30 s budget: 11 tries in all, then it stops.
		expect(n8n.posts).toHaveLength(11);
		expect(n8n.deps.now()).toBeLessThanOrEqual(RUNNING_RETRY_BUDGET_MS);
	});

	test('classifies a string body too', () => {
		expect(classifyAnswer({ statusCode: 409, body: '{"code":409,"message":"The execution \\"1\\" is running already."}' })).toBeUndefined();
	});
});

describe('the waiting-webhook URL', () => {
	test('is derived from the trigger\'s production URL', () => {
		expect(waitingUrlPrefix('http://127.0.0.1:5678/webhook/6f1c1a4e-93b5/webhook', '')).toBe('http://127.0.0.1:5678/webhook-waiting');
		expect(waitingUrlPrefix('https://n8n.example.com/sub/webhook/id/webhook?token=x', '')).toBe('https://n8n.example.com/sub/webhook-waiting');
		expect(waitingUrlPrefix('not a url', '')).toBeUndefined();
		expect(waitingUrlPrefix(undefined, '')).toBeUndefined();
	});

	test('or taken from the option, which must be http(s)', () => {
		expect(waitingUrlPrefix('http://x/webhook/a/webhook', 'http://127.0.0.1:5678/custom-wait/')).toBe('http://127.0.0.1:5678/custom-wait');
		expect(waitingUrlPrefix('http://x/webhook/a/webhook', 'javascript:alert(1)')).toBeUndefined();
	});
});
