/** The name of the credential type every Huawei Voice Call request is signed with (credentials/). */
export const CREDENTIAL_TYPE = 'huaweiVoiceCallApi';
