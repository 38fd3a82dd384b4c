import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { MAX_DURATION_MINUTES } from '../../../shared/platform/fields';
import { ENDPOINTS } from '../../../shared/platform/endpoints';
import {
	booleanString,
	integerInRange,
	oneOf,
	optionalPhoneNumber,
	optionalVoiceFileName,
	phoneNumber,
	requireSetting,
} from '../../validation';
import { callBodyFields } from '../callBodyFields';
import {
	bindNumberField,
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
	{
		displayName: 'Caller Number (A)',
		name: 'callerNbr',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +8613800000001',
		description:
			'The party called first (A). When A answers, the platform calls the callee and connects them. E.164 with a leading +.',
	},
	{
		displayName: 'Callee Number (B)',
		name: 'calleeNbr',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +8613800000002',
		description: 'The party called after A answers (B). E.164 with a leading +.',
	},
	{
		displayName: 'Caller Display Number',
		name: 'displayNbr',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +8675512345678',
		description: 'The number A sees: a fixed-line number bought for this app',
	},
	{
		displayName: 'Callee Display Number',
		name: 'displayCalleeNbr',
		type: 'string',
		default: '',
		placeholder: 'e.g. +8675512345678',
		description: 'The number B sees: a fixed-line number bought for this app. Leave empty to use the Caller Display Number.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			bindNumberField,
			{
				displayName: 'Callee Media',
				name: 'calleeMedia',
				type: 'options',
				default: 'all',
				options: [
					{ name: 'All', value: 'all', description: 'A hears B\'s ringback tone and any failure announcement' },
					{ name: 'Failure Tones Only', value: 'fail', description: 'A hears only failure announcements from B\'s network' },
					{ name: 'None', value: 'none', description: 'A keeps hearing the wait voice until B answers' },
				],
				description: 'What A hears from B\'s side while B is being called',
			},
			feeUrlField,
			{
				displayName: 'Last-Minute Voice',
				name: 'lastMinVoice',
				type: 'string',
				default: '',
				placeholder: 'e.g. last_minute.wav',
				description:
					'Approved voice file played when one minute of Max Duration is left (default: a system tone). Needs Max Duration above 0.',
			},
			{
				displayName: 'Last-Minute Voice Heard By',
				name: 'lastMinToUE',
				type: 'options',
				default: 'both',
				options: [
					{ name: 'Both', value: 'both' },
					{ name: 'Caller (A)', value: 'toa' },
					{ name: 'Callee (B)', value: 'tob' },
				],
				description: 'Who hears the last-minute voice. Needs Max Duration above 0.',
			},
			{
				displayName: 'Max Duration (Minutes)',
				name: 'maxDuration',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_DURATION_MINUTES },
				default: 0,
				description:
					'Longest talk time in minutes, counted from when B answers; the platform then hangs up. 0 means no limit (up to 1440).',
			},
			{
				displayName: 'Party Type in Disconnect',
				name: 'partyTypeRequiredInDisconnect',
				type: 'boolean',
				default: false,
				description: 'Whether the hang-up status event should say who hung up (caller, callee or platform)',
			},
			{
				displayName: 'Play Pre-Voice',
				name: 'playPreVoice',
				type: 'boolean',
				default: false,
				description: 'Whether to play a prompt to A after A answers and before B is called',
			},
			{
				displayName: 'Pre-Voice File',
				name: 'preVoice',
				type: 'string',
				default: '',
				placeholder: 'e.g. connecting.wav',
				description:
					'Approved voice file played to A before B is called (default: a system prompt). Needs Play Pre-Voice on.',
			},
			{
				displayName: 'Record',
				name: 'recordFlag',
				type: 'boolean',
				default: false,
				description:
					'Whether to record the call. Recording must be enabled for the app in the console; calls shorter than about 3 seconds produce no file. The CDR then names the recording.',
			},
			{
				displayName: 'Record Hint Tone',
				name: 'recordHintTone',
				type: 'string',
				default: '',
				placeholder: 'e.g. recording_notice.wav',
				description:
					'Approved voice file played to both parties when recording starts (default: a system announcement). To play nothing, upload and use a silent file. Needs Record on.',
			},
			returnIdlePortField,
			statusUrlField,
			userDataField,
			{
				displayName: 'Wait Voice File',
				name: 'waitVoice',
				type: 'string',
				default: '',
				placeholder: 'e.g. hold_music.wav',
				description: 'Approved voice file A hears while B is being called (default: a system wait tone)',
			},
		],
	},
	{
		displayName:
			'Voice files must be uploaded and approved under Voice File Management (放音文件管理) before use. Recordings also need recording enabled on the app.',
		name: 'voiceFileNotice',
		type: 'notice',
		default: '',
	},
];

/** Shown for Place Call and for Place Call and Wait, which places the same call. */
export const description = updateDisplayOptions(
	{ show: { resource: ['callback'], operation: ['placeCall', 'placeCallAndWait'] } },
	properties,
);

/** Request fields copied into the output item, so later nodes can match pushes and CDRs to the call. */
export const ECHO_FIELDS = ['callerNbr', 'calleeNbr', 'displayNbr', 'displayCalleeNbr'] as const;

export interface Prepared {
	body: IDataObject;
}

/** A successful send rings a phone: the router refuses n8n's whole-node "Retry On Fail". */
export const placesCall = true;

export function prepare(this: IExecuteFunctions, itemIndex: number): Prepared {
	const callerNbr = phoneNumber(this.getNodeParameter('callerNbr', itemIndex, ''), 'Caller Number (A)');
	const calleeNbr = phoneNumber(this.getNodeParameter('calleeNbr', itemIndex, ''), 'Callee Number (B)');
	const displayNbr = phoneNumber(this.getNodeParameter('displayNbr', itemIndex, ''), 'Caller Display Number');
	const displayCalleeNbr =
		optionalPhoneNumber(this.getNodeParameter('displayCalleeNbr', itemIndex, ''), 'Callee Display Number') ??
		displayNbr;
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const body: IDataObject = { displayNbr, callerNbr, displayCalleeNbr, calleeNbr };

	const maxDuration = integerInRange(additional.maxDuration, 'Max Duration (Minutes)', 0, MAX_DURATION_MINUTES);
	if (maxDuration !== undefined) body.maxDuration = maxDuration;
	const lastMinVoice = optionalVoiceFileName(additional.lastMinVoice, 'Last-Minute Voice');
	const lastMinToUE = oneOf(additional.lastMinToUE, 'Last-Minute Voice Heard By', ['toa', 'tob', 'both'] as const);
	if (lastMinVoice !== undefined || lastMinToUE !== undefined) {
		requireSetting(
			maxDuration !== undefined && maxDuration > 0,
			'Max Duration (Minutes)',
			'The last-minute voice needs Max Duration (Minutes) above 0',
			'Add Max Duration (Minutes) with the call limit, or remove Last-Minute Voice and Last-Minute Voice Heard By.',
		);
		if (lastMinVoice !== undefined) body.lastMinVoice = lastMinVoice;
		if (lastMinToUE !== undefined) body.lastMinToUE = lastMinToUE;
	}

	const playPreVoice = booleanString(additional.playPreVoice, 'Play Pre-Voice');
	if (playPreVoice !== undefined) body.playPreVoice = playPreVoice;
	const preVoice = optionalVoiceFileName(additional.preVoice, 'Pre-Voice File');
	if (preVoice !== undefined) {
		requireSetting(
			playPreVoice === 'true',
			'Play Pre-Voice',
			'Pre-Voice File is set but Play Pre-Voice is not on',
			'Add Play Pre-Voice and turn it on, or remove Pre-Voice File.',
		);
		body.preVoice = preVoice;
	}
	const waitVoice = optionalVoiceFileName(additional.waitVoice, 'Wait Voice File');
	if (waitVoice !== undefined) body.waitVoice = waitVoice;
	const calleeMedia = oneOf(additional.calleeMedia, 'Callee Media', ['all', 'none', 'fail'] as const);
	if (calleeMedia !== undefined) body.calleeMedia = calleeMedia;

	const recordFlag = booleanString(additional.recordFlag, 'Record');
	if (recordFlag !== undefined) body.recordFlag = recordFlag;
	const recordHintTone = optionalVoiceFileName(additional.recordHintTone, 'Record Hint Tone');
	if (recordHintTone !== undefined) {
		requireSetting(
			recordFlag === 'true',
			'Record',
			'Record Hint Tone is set but Record is not on',
			'Add Record and turn it on, or remove Record Hint Tone.',
		);
		body.recordHintTone = recordHintTone;
	}
	const partyType = booleanString(additional.partyTypeRequiredInDisconnect, 'Party Type in Disconnect');
	if (partyType !== undefined) body.partyTypeRequiredInDisconnect = partyType;

	Object.assign(body, callBodyFields(additional));
	return { body };
}

export async function execute(
	this: IExecuteFunctions,
	{ body }: Prepared,
	context: SendContext,
): Promise<INodeExecutionData> {
	return await sendCallRequest.call(this, ENDPOINTS.click2Call, body, ECHO_FIELDS, context);
}
