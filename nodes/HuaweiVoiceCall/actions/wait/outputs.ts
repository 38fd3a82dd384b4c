/**
 * The node's outputs per operation. The waiting operations branch, so that a no-code builder needs
 * no Switch: Send and Wait for Response → Approved / Declined / No Response (Approval) or
 * Digits Received / No Response (Digits); Place Call and Wait → Answered / Not Answered. Every
 * other operation has one output.
 *
 * n8n evaluates the description's `outputs` expression with the node's parameters (the editor and
 * the engine alike), so this function is stringified into that expression: it must use nothing
 * from outside its own body. Parameters left at their default may be absent.
 */
export function configuredOutputs(parameters: { operation?: unknown; responseType?: unknown }): Array<{ type: 'main'; displayName?: string }> {
	let names: string[] = [];
	if (parameters.operation === 'sendAndWaitForResponse') {
		names = parameters.responseType === 'digits' ? ['Digits Received', 'No Response'] : ['Approved', 'Declined', 'No Response'];
	} else if (parameters.operation === 'placeCallAndWait') {
		names = ['Answered', 'Not Answered'];
	}
	if (names.length === 0) return [{ type: 'main' }];
	return names.map((displayName) => ({ type: 'main', displayName }));
}

/** The `outputs` expression of the node description. */
export const OUTPUTS_EXPRESSION = `={{(${configuredOutputs.toString()})($parameter)}}` as `={{${string}}}`;

/** Empty branches with `items` on branch `index`: what a waiting operation returns and resumes with. */
export function onBranch<T>(branchCount: number, index: number, items: T[]): T[][] {
	return Array.from({ length: branchCount }, (_, branch) => (branch === index ? items : []));
}
