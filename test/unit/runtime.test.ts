import { childProcess, proc } from '../../dev/node.cjs';

// n8n 2.x and n8n-core need Node 24; scripts/node24.cjs brings it on machines with an older Node.
test('the test run executes under Node 24', () => {
	expect(Number(proc.versions.node.split('.')[0])).toBe(24);
	const reported = childProcess.execFileSync('node', ['--version'], { encoding: 'utf8' }).trim();
	expect(reported).toMatch(/^v24\./);
});
