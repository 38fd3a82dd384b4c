import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { ENDPOINTS } from '../../../shared/platform/endpoints';
import {
	VERIFY_LANGUAGE_TYPE_MAX,
	VERIFY_TIMES_DEFAULT,
	VERIFY_TIMES_MAX,
} from '../../../shared/platform/fields';
import { integerInRange, optionalVoiceFileName, phoneNumber, verificationCode } from '../../validation';
import { callBodyFields } from '../callBodyFields';
import {
	displayNumberField,
	displayNumberNotice,
	feeUrlField,
	returnIdlePortField,
	statusUrlField,
	userDataField,
} from '../common.descriptions';
import { sendCallRequest } from '../sendCallRequest';
import type { SendContext } from '../types';

/**
 * Voice Verification → Send (callVerify, docs/platform.md §9): the platform calls one number and,
 * once answered, reads the digits of the code, optionally between two approved voice files.
 */

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
		description: 'The number to call and read the code to, E.164 with a leading +',
	},
	{
		displayName: 'Verification Code',
		name: 'verifyCode',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 482913',
		description:
			'The code to read out: 1 to 8 digits (0-9). The platform reads it digit by digit. It is not repeated in the output item.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			feeUrlField,
			{
				displayName: 'Language Type',
				name: 'languageType',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: VERIFY_LANGUAGE_TYPE_MAX },
				default: 0,
				description:
					'The platform\'s number for the language the code is read in (languageType). Huawei\'s API reference names the field but this node\'s sources do not list its values: leave it out for the app\'s default, or enter the value Huawei documents for your app.',
			},
			{
				displayName: 'Play Times',
				name: 'times',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: VERIFY_TIMES_MAX },
				default: VERIFY_TIMES_DEFAULT,
				description:
					'How often the code is read: 1 to 9, or 0 to repeat it until the callee hangs up. The platform reads it 3 times when this is left out.',
			},
			{
				displayName: 'Post-Tone File',
				name: 'posTone',
				type: 'string',
				default: '',
				placeholder: 'e.g. code_end.wav',
				description: 'Approved voice file played after the code, e.g. "this code is valid for 5 minutes"',
			},
			{
				displayName: 'Pre-Tone File',
				name: 'preTone',
				type: 'string',
				default: '',
				placeholder: 'e.g. code_intro.wav',
				description: 'Approved voice file played before the code, e.g. "your verification code is"',
			},
			returnIdlePortField,
			statusUrlField,
			userDataField,
		],
	},
	{
		displayName:
			'Pre-Tone and Post-Tone files must be uploaded and approved under Voice File Management (放音文件管理) before use. The code call is billed like a voice notification.',
		name: 'voiceFileNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['verification'], operation: ['send'] } }, properties);

/** Request fields copied into the output item (never the code itself). */
export const ECHO_FIELDS = ['displayNbr', 'calleeNbr'] as const;

export interface Prepared {
	body: IDataObject;
}

/** A successful send rings a phone: the router refuses n8n's whole-node "Retry On Fail". */
export const placesCall = true;

/**
 * The callVerify body with exactly the fields of §9 that the user set: languageType and times as
 * JSON integers, verifyCode as a digit string, returnIdlePort as "true"/"false", statusUrl and
 * feeUrl Base64-encoded. callVerify has no bindNbr, so the shared fields are read without it.
 */
export function prepare(this: IExecuteFunctions, itemIndex: number): Prepared {
	const displayNbr = phoneNumber(this.getNodeParameter('displayNbr', itemIndex, ''), 'Display Number');
	const calleeNbr = phoneNumber(this.getNodeParameter('calleeNbr', itemIndex, ''), 'Callee Number');
	const verifyCode = verificationCode(this.getNodeParameter('verifyCode', itemIndex, ''), 'Verification Code');
	const additional = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { displayNbr, calleeNbr, verifyCode };
	const languageType = integerInRange(additional.languageType, 'Language Type', 0, VERIFY_LANGUAGE_TYPE_MAX);
	if (languageType !== undefined) body.languageType = languageType;
	const preTone = optionalVoiceFileName(additional.preTone, 'Pre-Tone File');
	if (preTone !== undefined) body.preTone = preTone;
	const posTone = optionalVoiceFileName(additional.posTone, 'Post-Tone File');
	if (posTone !== undefined) body.posTone = posTone;
	const times = integerInRange(additional.times, 'Play Times', 0, VERIFY_TIMES_MAX);
	if (times !== undefined) body.times = times;
	Object.assign(body, callBodyFields(additional, { bindNbr: false }));
	return { body };
}

export async function execute(this: IExecuteFunctions, { body }: Prepared, context: SendContext): Promise<INodeExecutionData> {
	return await sendCallRequest.call(this, ENDPOINTS.callVerify, body, ECHO_FIELDS, context);
}
