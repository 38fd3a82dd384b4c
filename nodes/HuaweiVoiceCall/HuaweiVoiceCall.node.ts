import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as call from './actions/call/Call.resource';
import * as callback from './actions/callback/Callback.resource';
import { optionsCollection } from './actions/common.descriptions';
import * as notification from './actions/notification/Notification.resource';
import * as recording from './actions/recording/Recording.resource';
import { router } from './actions/router';

export class HuaweiVoiceCall implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Huawei Voice Call',
		name: 'huaweiVoiceCall',
		icon: { light: 'file:../../icons/huaweiVoiceCall.svg', dark: 'file:../../icons/huaweiVoiceCall.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			'Place click-to-call callbacks, send voice notifications with keypad input, end calls and fetch recordings with Huawei Cloud Voice Call',
		defaults: { name: 'Huawei Voice Call' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'huaweiVoiceCallApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call', value: 'call' },
					{ name: 'Recording', value: 'recording' },
					{ name: 'Voice Callback', value: 'callback' },
					{ name: 'Voice Notification', value: 'notification' },
				],
				default: 'notification',
			},
			...callback.description,
			...notification.description,
			...call.description,
			...recording.description,
			optionsCollection,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
