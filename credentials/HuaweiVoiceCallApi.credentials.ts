import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { RESULT_CODES } from '../nodes/shared/codes';
import { CREDENTIAL_TYPE } from '../nodes/shared/credentialType';
import { ENDPOINTS } from '../nodes/shared/platform/endpoints';
import type { CreatedTimezone } from '../nodes/shared/platform/time';
import { buildAkskHeaders } from '../nodes/shared/transport/aksk';

/**
 * The answers that fail the connection test: every authentication result code (docs/platform.md §3.4), a wrong
 * API address and the IP whitelist. Meaning and fix come from the shared result-code table.
 */
const CREDENTIAL_FAILURES = Object.values(RESULT_CODES).filter(
	(info) => info.family === 'auth' || info.code === '1010006' || info.code === '1020166',
);

export class HuaweiVoiceCallApi implements ICredentialType {
	name = CREDENTIAL_TYPE;

	displayName = 'Huawei Voice Call API';

	icon: Icon = {
		light: 'file:../icons/huaweiVoiceCall.svg',
		dark: 'file:../icons/huaweiVoiceCall.dark.svg',
	};

	documentationUrl = 'https://support.huaweicloud.com/devg-VoiceCall/rtc_04_0030.html';

	properties: INodeProperties[] = [
		{
			displayName: 'APP Access Address',
			name: 'baseUrl',
			type: 'string',
			default: 'https://rtccall.cn-north-1.myhuaweicloud.cn:443',
			placeholder: 'e.g. https://rtccall.cn-north-1.myhuaweicloud.cn:443',
			required: true,
			description:
				'The APP access address (APP接入地址) shown for your app on the App Management (应用管理) page of the Voice Call console. Only the scheme, host and port, no path.',
		},
		{
			displayName: 'APP_Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The APP_Key shown for your app on the App Management (应用管理) page',
		},
		{
			displayName: 'APP_Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The APP_Secret you downloaded when the app was created (it can only be reset afterwards). It signs every request and is never sent.',
		},
		{
			displayName: 'Advanced Options',
			name: 'advanced',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: '"Created" Time Zone',
					name: 'createdTimezone',
					type: 'options',
					default: 'utc',
					options: [
						{ name: 'UTC (Recommended)', value: 'utc' },
						{ name: 'UTC+8 (Beijing Time)', value: 'utc+8' },
					],
					description:
						'Which clock the signature timestamp uses. Most Huawei docs say UTC; some pages and samples use Beijing time. Switch only if every request fails with 1010013 while your clock is right.',
				},
				{
					displayName: 'Ignore SSL Issues (Insecure)',
					name: 'allowUnauthorizedCerts',
					type: 'boolean',
					default: false,
					description:
						'Whether to connect even if the TLS certificate cannot be verified. Leave off for the real platform.',
				},
			],
		},
	];

	/** Signs every request, retries included: a fresh nonce and timestamp each time (docs/platform.md §3). */
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const advanced = (credentials.advanced ?? {}) as { createdTimezone?: CreatedTimezone };
		const signed = buildAkskHeaders(String(credentials.appKey ?? ''), String(credentials.appSecret ?? ''), {
			timezone: advanced.createdTimezone === 'utc+8' ? 'utc+8' : 'utc',
		});
		return {
			...requestOptions,
			headers: { ...(requestOptions.headers ?? {}), ...signed },
		};
	};

	/**
	 * Never places a call: asks for the download address of a recording that cannot exist. The
	 * platform checks the signature before looking the file up, so an auth result code means bad
	 * credentials and "record does not exist" (or any other non-auth answer) means they work.
	 */
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: ENDPOINTS.record.path,
			method: ENDPOINTS.record.method,
			qs: { fileName: 'n8n-credential-test.wav', recordDomain: 'n8n-credential-test' },
			headers: { 'Content-Type': 'application/json;charset=UTF-8' },
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			skipSslCertificateValidation: '={{$credentials.advanced?.allowUnauthorizedCerts === true}}',
		},
		rules: CREDENTIAL_FAILURES.map(({ code, meaning, fix }) => ({
			type: 'responseSuccessBody' as const,
			properties: { key: 'resultcode', value: code, message: `${code}: ${meaning} ${fix}` },
		})),
	};
}
