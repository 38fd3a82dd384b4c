import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['verification'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: 'Call a number and read a numeric verification code (one-time password) to the person who answers',
				action: 'Call a phone number and read a verification code',
			},
		],
		default: 'send',
	},
	...send.description,
];
