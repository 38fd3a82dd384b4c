import type { INodeProperties } from 'n8n-workflow';

/*
 * UI fields shared by several operations. What they become in a request is read elsewhere:
 * callBodyFields.ts (the Additional Fields), runOptions.ts (the node-level Options).
 */

/** Fields shared by the call-placing operations (Place Call, Send, Verification Send), for "Additional Fields". */
export const statusUrlField: INodeProperties = {
	displayName: 'Status URL',
	name: 'statusUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://n8n.example.com/webhook/huawei-voice',
	description:
		'Plain URL that receives the call status events (ringing, answered, hung up, collected digits). The node Base64-encodes it. Use the Production URL of a Huawei Voice Call Trigger node; it must be reachable from the Internet. Only letters, digits and - : . / _ # ? & are allowed, at most 96 characters. Leave out to use the URL set on the app in the console.',
};

export const feeUrlField: INodeProperties = {
	displayName: 'CDR URL',
	name: 'feeUrl',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://n8n.example.com/webhook/huawei-voice',
	description:
		'Plain URL that receives the call detail record (CDR, 话单) after the call, with durations, hang-up cause and recording details. The node Base64-encodes it. Use the Production URL of a Huawei Voice Call Trigger node; it must be reachable from the Internet. Same character and length rules as Status URL.',
};

export const userDataField: INodeProperties = {
	displayName: 'User Data',
	name: 'userData',
	type: 'string',
	default: '',
	placeholder: 'e.g. order-123',
	description:
		'Your own reference, echoed in every status event and CDR of this call so you can match them. At most 256 characters, no { or }, no Chinese characters.',
};

export const returnIdlePortField: INodeProperties = {
	displayName: 'Return Idle Port',
	name: 'returnIdlePort',
	type: 'boolean',
	default: false,
	description: 'Whether the answer should include idlePort, the number of call ports the app has free right now',
};

export const bindNumberField: INodeProperties = {
	displayName: 'Bind Number',
	name: 'bindNbr',
	type: 'string',
	default: '',
	placeholder: 'e.g. +8675512345678',
	description:
		'The CallEnabler service number (业务号码) of the app, as shown on the number management page. Rarely needed: leave out unless Huawei asked you to send it.',
};

/** The Display Number of the operations that call one number (Send, Verification Send). */
export const displayNumberField: INodeProperties = {
	displayName: 'Display Number',
	name: 'displayNbr',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +8675512345678',
	description: 'The number the callee sees: a fixed-line number bought for this app',
};

export const displayNumberNotice: INodeProperties = {
	displayName:
		'Display numbers must be fixed-line numbers bought under Number Subscription (号码订购) and bound to this app, written exactly as on the number page, e.g. +8675512345678.',
	name: 'displayNumberNotice',
	type: 'notice',
	default: '',
};

/** The node-level "Options": how many items are sent at once and how "not accepted" is retried. */
export const optionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrent',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 5,
			description:
				'How many items are sent to Huawei at the same time. Each item is one call; apps have about 10 call ports by default, so keep this below that.',
		},
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 20 },
			default: 6,
			description:
				'How many times one item is sent again at most when Huawei answered with flow control (1011006, 1010009, 1010010). Busy call ports are limited by time instead: see Wait for Free Ports.',
		},
		{
			displayName: 'Retry Wait (Seconds)',
			name: 'retryWait',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 60, numberPrecision: 2 },
			default: 5,
			description:
				'Flow control: the wait before the first retry, doubling on each further retry up to 60 seconds. Busy call ports: the longest wait between two tries (the node starts at 0.1 seconds and waits 10% longer after each refusal, so a freed port is used quickly). While a wait runs, the node sends no other item either.',
		},
		{
			displayName: 'Retry When Not Accepted',
			name: 'retryNotAccepted',
			type: 'boolean',
			default: true,
			description:
				'Whether to send an item again when Huawei did not accept it yet (all call ports busy 1020165, flow control 1011006, 1010009, 1010010). Nothing else is ever retried: a lost connection may already have placed the call.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 600, numberPrecision: 2 },
			default: 30,
			description: 'How long to wait for each answer from Huawei (and for a recording download)',
		},
		{
			displayName: 'Wait for Free Ports (Seconds)',
			name: 'portWaitBudget',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 3600 },
			default: 600,
			description:
				'When all call ports of the app are busy (1020165), how long one item keeps waiting for a port to free up before it fails. Ports free up as running calls end.',
		},
	],
};
