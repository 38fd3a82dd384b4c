/**
 * The platform's API paths, relative to the APP access address (docs/platform.md §2). The action
 * node and the credential test call them; the emulator serves them. The emulator's own tests pin
 * the documented paths literally (test/emulator/client.ts), so a typo here cannot pass unnoticed.
 */
export const ENDPOINTS = {
	click2Call: { method: 'POST', path: '/rest/httpsessions/click2Call/v2.0' },
	callStop: { method: 'POST', path: '/rest/httpsessions/callStop/v2.0' },
	callNotify: { method: 'POST', path: '/rest/httpsessions/callnotify/v2.0' },
	callVerify: { method: 'POST', path: '/rest/httpsessions/callVerify/v1.0' },
	record: { method: 'GET', path: '/rest/provision/voice/record/v1.0' },
} as const;

export type EndpointName = keyof typeof ENDPOINTS;
export type Endpoint = (typeof ENDPOINTS)[EndpointName];
