import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';
import * as sendAndWait from './sendAndWait.operation';

export { send, sendAndWait };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['notification'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Call a number and play voice files or TTS templates, optionally collecting keypad digits',
				action: 'Call a phone number and play a voice notification',
			},
			{
				name: 'Send and Wait for Response',
				value: 'sendAndWaitForResponse',
				description:
					'Call a number, play the message and wait for the keys the callee presses; continue on Approved, Declined or No Response',
				action: 'Send a voice notification and wait for the response',
			},
		],
		default: 'send',
	},
	...send.description,
	...sendAndWait.description,
];
