import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

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
				action: 'Send a voice notification',
			},
		],
		default: 'send',
	},
	...send.description,
];
