import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { ENDPOINTS } from '../../../shared/platform/endpoints';
import { phoneNumber, playSegments, type SegmentInput } from '../../validation';
import { callBodyFields } from '../callBodyFields';
import {
	bindNumberField,
	displayNumberField,
	displayNumberNotice,
	feeUrlField,
	returnIdlePortField,
	statusUrlField,
	userDataField,
} from '../common.descriptions';
import { sendCallRequest } from '../sendCallRequest';
import type { SendContext } from '../types';

const properties: INodeProperties[] = [
	displayNumberNotice,
	displayNumberField,
	{
		displayName: 'Callee Number',
		name: 'calleeNbr',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +8613800000001',
		description:
			'The one number to call, E.164 with a leading +. For many recipients, feed one item per number: the node sends them in parallel within Max Concurrent Requests.',
	},
	{
		displayName:
			'Voice files and TTS templates must be uploaded and approved in the console first (放音文件管理 / 语音模板管理). Template values must match the template: count, format, and at most 32 bytes each. Paste a template\'s approved text into Template Text to have the node check its values before it calls.',
		name: 'approvalNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Play Segments',
		name: 'playSegments',
		type: 'fixedCollection',
		required: true,
		typeOptions: { multipleValues: true, maxAllowedFields: 5, sortable: true },
		placeholder: 'Add Segment',
		default: { segment: [{ type: 'template' }] },
		description: '1 to 5 segments, played in order. The call hangs up after the last one unless it collects digits.',
		options: [
			{
				displayName: 'Segment',
				name: 'segment',
				values: [
					{
						displayName: 'Audio Source',
						name: 'type',
						type: 'options',
						default: 'template',
						options: [
							{ name: 'TTS Template', value: 'template', description: 'An approved text-to-speech template with its values' },
							{ name: 'Voice File', value: 'file', description: 'An approved voice file' },
						],
						description: 'What this segment plays',
					},
					{
						displayName: 'Collect Digits',
						name: 'collectDigits',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 32 },
						default: 0,
						description:
							'How many keypad digits to collect after this segment (0 = none, up to 32). The callee must start pressing within 5 seconds; the digits arrive as a collectInfo status event at the Status URL.',
					},
					{
						displayName: 'Replay After Collection',
						name: 'replayAfterCollection',
						type: 'boolean',
						default: false,
						description: 'Whether to play this segment again after collecting digits. Needs Collect Digits above 0.',
					},
					{
						displayName: 'Replay Trigger Digits',
						name: 'replayDigits',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1',
						description:
							'The keys that make the segment play again, e.g. 1 for "press 1 to hear this again" (1 to 32 of 0-9, * and #). Other input ends the call.',
						displayOptions: { show: { replayAfterCollection: [true] } },
					},
					{
						displayName: 'Template ID',
						name: 'templateId',
						type: 'string',
						default: '',
						placeholder: 'e.g. 3a5c9f0e2b7d4c1e8f6a0b9c8d7e6f5a',
						description: 'ID of an approved TTS template, from Voice Template Management (语音模板管理)',
						displayOptions: { show: { type: ['template'] } },
					},
					{
						displayName: 'Template Parameter List',
						name: 'parameterList',
						type: 'string',
						default: '',
						placeholder: 'e.g. 3, Building 1',
						description:
							'Alternative to Template Parameters: all values at once, as comma-separated text or an expression that returns an array. Use one or the other.',
						displayOptions: { show: { type: ['template'] } },
					},
					{
						displayName: 'Template Parameters',
						name: 'templateParameters',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true, sortable: true },
						placeholder: 'Add Value',
						default: {},
						description:
							'The values of the template variables, one input each, in the order they appear in the template. Each at most 32 bytes (a Chinese character counts 3).',
						displayOptions: { show: { type: ['template'] } },
						options: [
							{
								displayName: 'Value',
								name: 'parameter',
								values: [
									{
										displayName: 'Value',
										name: 'value',
										type: 'string',
										default: '',
										placeholder: 'e.g. 3',
									},
								],
							},
						],
					},
					{
						displayName: 'Template Text',
						name: 'templateText',
						type: 'string',
						default: '',
						placeholder: 'e.g. 尊敬的${TXT_8}，您的订单${NUM_6}已发货',
						description:
							'Optional: the template text exactly as approved under Voice Template Management (语音模板管理). Huawei cannot send it to the node, so paste it here and the node checks every value before calling: the number of values, ${NUM_n} digits only, ${TXT_n} at most n characters, ${DATE} as YYYY/MM/DD, ${TIME} as HH:MM, at most 32 bytes each. Leave empty to let the platform check the values.',
						displayOptions: { show: { type: ['template'] } },
					},
					{
						displayName: 'Voice File',
						name: 'voiceFile',
						type: 'string',
						default: '',
						placeholder: 'e.g. notice.wav',
						description:
							'File name of an approved voice file, as listed under Voice File Management (放音文件管理). Letters, digits and - _ . @ only.',
						displayOptions: { show: { type: ['file'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [bindNumberField, feeUrlField, returnIdlePortField, statusUrlField, userDataField],
	},
];

/** Shown for Send and for Send and Wait for Response, which places the same call. */
export const description = updateDisplayOptions(
	{ show: { resource: ['notification'], operation: ['send', 'sendAndWaitForResponse'] } },
	properties,
);

/** Request fields copied into the output item, so later nodes can match pushes and CDRs to the call. */
export const ECHO_FIELDS = ['displayNbr', 'calleeNbr'] as const;

export interface Prepared {
	body: IDataObject;
}

interface SegmentParameter {
	type?: string;
	voiceFile?: string;
	templateId?: string;
	templateParameters?: { parameter?: Array<{ value?: unknown }> };
	parameterList?: unknown;
	templateText?: string;
	collectDigits?: number;
	replayAfterCollection?: boolean;
	replayDigits?: string;
}

/** A successful send rings a phone: the router refuses n8n's whole-node "Retry On Fail". */
export const placesCall = true;

export function prepare(this: IExecuteFunctions, itemIndex: number): Prepared {
	const displayNbr = phoneNumber(this.getNodeParameter('displayNbr', itemIndex, ''), 'Display Number');
	const calleeNbr = phoneNumber(this.getNodeParameter('calleeNbr', itemIndex, ''), 'Callee Number');
	const segments = this.getNodeParameter('playSegments.segment', itemIndex, []) as SegmentParameter[];
	const inputs: SegmentInput[] = (Array.isArray(segments) ? segments : []).map((segment) => ({
		type: segment.type,
		voiceFile: segment.voiceFile,
		templateId: segment.templateId,
		parameterValues: (segment.templateParameters?.parameter ?? []).map((entry) => entry.value),
		parameterList: segment.parameterList,
		templateText: segment.templateText,
		collectDigits: segment.collectDigits,
		replayAfterCollection: segment.replayAfterCollection,
		replayDigits: segment.replayDigits,
	}));
	const playInfoList = playSegments(inputs);
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = {
		displayNbr,
		calleeNbr,
		playInfoList: playInfoList as IDataObject[],
		...callBodyFields(additional),
	};
	return { body };
}

export async function execute(
	this: IExecuteFunctions,
	{ body }: Prepared,
	context: SendContext,
): Promise<INodeExecutionData> {
	return await sendCallRequest.call(this, ENDPOINTS.callNotify, body, ECHO_FIELDS, context);
}
