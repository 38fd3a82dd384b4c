/*
 * Headless Chromium for the browser tests (e2e/browser/): the Debian package at /usr/bin/chromium
 * (installed by scripts/setup-chromium.cjs), driven by playwright-core. Playwright never downloads
 * a browser here; it only starts this one.
 */
import { chromium, type Browser } from 'playwright-core';
import { fs, proc } from '../../dev/node.cjs';

export const CHROMIUM_PATH = proc.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Offline and quiet: without the background-networking flags Chromium tries to reach Google's
 * services at start, which this machine (and CI) refuses. Playwright gives every launch a fresh
 * temporary profile (its own --user-data-dir), removed again on close.
 */
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	// The tests start a recording's playback from script, which is not a user gesture.
	'--autoplay-policy=no-user-gesture-required',
];

export async function launchChromium(): Promise<Browser> {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(`No Chromium at ${CHROMIUM_PATH}: run \`node scripts/setup-chromium.cjs\` (or set CHROMIUM_PATH).`);
	}
	return await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}
