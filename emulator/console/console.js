/*
 * Emulator console (served by emulator/console.ts at /emulator/console). Plain browser JavaScript:
 * no build step, no dependencies, nothing loaded from the network.
 *
 * It listens to GET /emulator/events (Server-Sent Events: a snapshot of the newest calls and the
 * scripts on every change) and acts through the control API (answer, reject, digits, hangup,
 * PATCH /emulator/config). Every value shown comes from requests and pushes (numbers, userData,
 * URLs), so text is only ever set through textContent and attributes, never parsed as HTML.
 *
 * Calls are rendered per part (head, controls, events, pushes, CDR) and a part is rebuilt only when
 * its data changed, so a focused button, a half-typed digit or a playing recording survive updates.
 */
'use strict';

(function consoleApp() {
	const TYPE_LABELS = { notify: 'Voice notification', callback: 'Voice callback', verify: 'Verification code' };
	const PHASE_LABELS = {
		accepted: 'accepted',
		calloutA: 'calling A',
		ringingA: 'A ringing',
		answeredA: 'A answered',
		preVoice: 'pre-voice to A',
		calloutB: 'calling B',
		ringingB: 'B ringing',
		talking: 'talking',
		callout: 'calling',
		ringing: 'ringing',
		playing: 'playing the prompt',
		collecting: 'waiting for digits',
		ended: 'ended',
	};
	const PARTY_LABELS = { 1: 'caller (A)', 2: 'callee (B)', 3: 'platform' };
	const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

	const cards = new Map();
	let cardSeq = 0;
	let snapshot = null;

	// ----- small DOM helpers -------------------------------------------------------------------

	function el(tag, props, ...children) {
		const node = document.createElement(tag);
		for (const [key, value] of Object.entries(props || {})) {
			if (value === undefined || value === null || value === false) continue;
			if (key === 'text') node.textContent = String(value);
			else if (key === 'class') node.className = value;
			else if (key === 'dataset') Object.assign(node.dataset, value);
			else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
			else node.setAttribute(key, value === true ? '' : String(value));
		}
		for (const child of children.flat()) {
			if (child === undefined || child === null || child === false) continue;
			node.append(child instanceof Node ? child : String(child));
		}
		return node;
	}

	const $ = (selector) => document.querySelector(selector);

	function button(text, onclick, className, extra) {
		return el('button', Object.assign({ type: 'button', class: className, onclick, text }, extra));
	}

	/** HH:MM:SS in UTC, like the pushed timestamps next to it. */
	function clock(iso) {
		const d = new Date(iso);
		return iso && !Number.isNaN(d.getTime()) ? d.toISOString().slice(11, 19) : '';
	}

	/** A recording URL made same-origin (the console may be opened under another host name). */
	function localFileUrl(raw) {
		try {
			const url = new URL(String(raw), location.href);
			return url.pathname.startsWith('/files/') ? url.pathname + url.search : null;
		} catch {
			return null;
		}
	}

	async function api(method, path, body) {
		const response = await fetch(path, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		let json;
		try {
			json = await response.json();
		} catch {
			json = undefined;
		}
		if (!response.ok) throw new Error((json && json.error) || `HTTP ${response.status}`);
		return json;
	}

	// ----- one call ----------------------------------------------------------------------------

	function numbersOf(call) {
		const r = call.request || {};
		if (call.type === 'callback') return { display: r.displayNbr, a: r.callerNbr, b: r.calleeNbr, callee: r.calleeNbr };
		return { display: r.displayNbr, callee: r.calleeNbr };
	}

	/** The leg that rings now: who the console's Answer/Reject act for. */
	function ringingParty(call) {
		const n = numbersOf(call);
		if (call.phase === 'ringingA') return { label: `A (${n.a})`, number: n.a };
		if (call.phase === 'ringingB') return { label: `B (${n.b})`, number: n.b };
		return { label: n.callee, number: n.callee };
	}

	function act(card, call, action, body, label) {
		setCardStatus(card, `${label}…`, false);
		api('POST', `/emulator/calls/${encodeURIComponent(call.sessionId)}/${action}`, body).then(
			() => setCardStatus(card, `${label}: done.`, false),
			(error) => setCardStatus(card, `${label} failed: ${error.message}`, true),
		);
	}

	function setCardStatus(card, text, isError) {
		card.status.textContent = text;
		card.status.classList.toggle('error', isError);
	}

	function renderHead(card, call) {
		const n = numbersOf(call);
		const title =
			call.type === 'callback'
				? [el('span', { class: 'type', text: TYPE_LABELS.callback }), ' ', el('span', { class: 'num', text: `A ${n.a}` }), ' ⇄ ', el('span', { class: 'num', text: `B ${n.b}` })]
				: [el('span', { class: 'type', text: TYPE_LABELS[call.type] || call.type }), ' to ', el('span', { class: 'num', text: n.callee })];
		const r = call.request || {};
		const meta = [
			el('span', { text: `from ${n.display}` }),
			typeof r.userData === 'string' && r.userData !== '' ? el('span', {}, 'userData ', el('code', { text: r.userData })) : null,
			el('span', { text: `placed ${clock(call.acceptedAt)} UTC` }),
			el('span', {}, 'sessionId ', el('code', { class: 'session', text: call.sessionId })),
		];
		const d = call.disconnect;
		const ended = d
			? el(
					'p',
					{ class: 'disconnect' },
					el('strong', { text: `stateCode ${d.stateCode}` }),
					` ${d.stateDesc}`,
					d.partyType ? ` · released by ${PARTY_LABELS[d.partyType] || d.partyType}` : '',
					` · ulFailReason ${d.ulFailReason}`,
				)
			: null;
		return el(
			'header',
			{ class: 'call-head' },
			el('h3', { id: card.titleId, tabindex: '-1' }, title),
			el('span', { class: `phase phase-${call.state}`, text: PHASE_LABELS[call.phase] || call.phase }),
			el('p', { class: 'meta' }, meta),
			ended,
		);
	}

	function renderControls(card, call) {
		const n = numbersOf(call);
		if (call.state === 'ended') return el('div', { class: 'controls empty-controls' });
		const group = (label, ...children) => el('div', { class: 'controls', role: 'group', 'aria-label': label }, children);
		if (call.state === 'calling') {
			return group('Call progress', el('span', { class: 'prompt', text: `Dialling ${call.phase === 'calloutA' ? n.a : n.callee}…` }));
		}
		if (call.state === 'ringing') {
			const party = ringingParty(call);
			return group(
				`Ringing: ${party.label}`,
				el('span', { class: 'prompt' }, el('span', { class: 'bell', 'aria-hidden': 'true', text: '☎' }), ` ${party.label} is ringing`),
				button('Answer', () => act(card, call, 'answer', {}, 'Answer'), 'primary'),
				button('Reject', () => act(card, call, 'reject', {}, 'Reject'), 'danger'),
			);
		}
		// Answered.
		if (call.type === 'notify') {
			const press = (digits) => act(card, call, 'digits', { digits }, `Pressed ${digits}`);
			const input = el('input', { name: 'digits', type: 'text', inputmode: 'numeric', autocomplete: 'off', size: '6', maxlength: '32', 'aria-describedby': `${card.titleId}-digits-hint` });
			const form = el(
				'form',
				{
					class: 'digits-form',
					novalidate: true,
					onsubmit: (event) => {
						event.preventDefault();
						if (input.value.trim() === '') return;
						press(input.value.trim());
						input.value = '';
					},
				},
				el('label', {}, 'Several keys ', input),
				el('button', { type: 'submit', text: 'Send' }),
				el('span', { id: `${card.titleId}-digits-hint`, class: 'sr-only', text: 'Sent as one input, e.g. 1234#' }),
			);
			return group(
				`Callee ${n.callee}`,
				el('span', { class: 'prompt', text: call.phase === 'collecting' ? `${n.callee} hears the prompt: press a key` : `${n.callee} listens to the prompt` }),
				el('div', { class: 'keypad', role: 'group', 'aria-label': 'Keypad (each key is sent at once)' }, KEYS.map((key) => button(key, () => press(key), 'key', { 'aria-label': key }))),
				form,
				button('Hang up', () => act(card, call, 'hangup', {}, 'Hang up'), 'danger'),
			);
		}
		if (call.type === 'callback') {
			const talking = call.phase === 'talking';
			return group(
				'Parties',
				el('span', { class: 'prompt', text: talking ? 'A and B are talking' : 'A answered; B not connected yet' }),
				button('Hang up as A', () => act(card, call, 'hangup', { party: 'caller' }, 'Hang up as A'), 'danger'),
				talking ? button('Hang up as B', () => act(card, call, 'hangup', { party: 'callee' }, 'Hang up as B'), 'danger') : null,
			);
		}
		return group(`Callee ${n.callee}`, el('span', { class: 'prompt', text: `${n.callee} listens to the code` }), button('Hang up', () => act(card, call, 'hangup', {}, 'Hang up'), 'danger'));
	}

	function eventDetails(event) {
		const s = event.statusInfo || {};
		if (event.type === 'collectInfo') return `digitInfo "${s.digitInfo}"`;
		if (event.type === 'disconnect') return `stateCode ${s.stateCode} ${s.stateDesc}${s.partyType ? ` · partyType ${s.partyType}` : ''}`;
		if (s.caller !== undefined) return `${s.caller} → ${s.called}`;
		if (event.type === 'control') return `console/control API: ${event.note}`;
		return event.note || '';
	}

	function renderEvents(card, call) {
		const rows = call.events.map((event) =>
			el(
				'tr',
				{ class: event.pushed ? 'pushed' : 'internal' },
				// The pushed timestamp (simulated clock, UTC); the date and the wall-clock time on hover.
				el('td', { class: 'time', title: `${event.time} UTC (simulated); produced ${event.realTime}`, text: event.time.slice(11) }),
				el('td', {}, el('span', { class: 'event-name', text: event.type })),
				el('td', { text: event.leg && event.leg !== 'callee' ? event.leg : '' }),
				el('td', { text: eventDetails(event) }),
			),
		);
		return el(
			'section',
			{ class: 'events', 'aria-label': 'Status events' },
			el('h4', { text: 'Status events' }),
			el(
				'table',
				{},
				el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Time (UTC)' }), el('th', { scope: 'col', text: 'Event' }), el('th', { scope: 'col', text: 'Leg' }), el('th', { scope: 'col', text: 'Details' }))),
				el('tbody', {}, rows),
			),
		);
	}

	function replyText(push) {
		const last = push.statusCode !== null ? `HTTP ${push.statusCode}` : push.error || 'no reply';
		if (push.state === 'pending') return push.attempts > 0 ? `${last}, retrying` : 'sending…';
		if (push.state === 'givenUp') return `${last}, gave up`;
		return last;
	}

	function renderPushes(card, call) {
		const rows = call.pushes.map((push) => {
			const retries = push.attemptLog.slice(0, -1);
			return el(
				'tr',
				{ class: `push-${push.state}` },
				el('td', {}, el('span', { class: 'event-name', text: push.kind === 'cdr' ? `fee (CDR${push.batchSize > 1 ? ` ×${push.batchSize}` : ''})` : push.eventType })),
				el('td', { class: 'url' }, el('code', { text: push.url })),
				el('td', {}, el('span', { class: `reply reply-${push.state}`, text: replyText(push) })),
				el(
					'td',
					{ class: 'tries' },
					String(push.attempts),
					retries.length
						? el('ul', { class: 'retries' }, retries.map((a) => el('li', { text: `${clock(a.at)} ${a.statusCode !== null ? `HTTP ${a.statusCode}` : a.error}` })))
						: null,
				),
			);
		});
		const notes = [];
		if (!call.statusUrl) notes.push('No status URL (request or app): status events are not pushed.');
		if (!call.feeUrl) notes.push('No CDR URL (request or app): the CDR is not pushed.');
		return el(
			'section',
			{ class: 'pushes', 'aria-label': 'Pushes' },
			el('h4', { text: 'Pushes' }),
			rows.length
				? el(
						'table',
						{},
						el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Event' }), el('th', { scope: 'col', text: 'Target URL' }), el('th', { scope: 'col', text: 'Reply' }), el('th', { scope: 'col', text: 'Tries' }))),
						el('tbody', {}, rows),
					)
				: null,
			notes.map((text) => el('p', { class: 'note', text })),
		);
	}

	const CDR_FIELDS = ['callEndTime', 'callOutAnswerTime', 'fwdAnswerTime', 'ulFailReason', 'sipStatusCode', 'callOutUnaswRsn', 'fwdUnaswRsn', 'dynIVRPath', 'recordFlag'];

	function renderCdr(card, call) {
		const cdr = call.cdr;
		if (!cdr) return el('div', { class: 'cdr-none' });
		const fields = CDR_FIELDS.filter((key) => cdr[key] !== undefined).map((key) => el('div', {}, el('dt', { text: key }), el('dd', { text: String(cdr[key]) })));
		const src = cdr.recordFileDownloadUrl ? localFileUrl(cdr.recordFileDownloadUrl) : null;
		const recording = src
			? el(
					'figure',
					{ class: 'recording' },
					el('figcaption', {}, 'Recording ', el('code', { text: cdr.recordObjectName })),
					// The platform's A-law WAV as served: Chromium plays it (the browser tests check that).
					el('audio', { controls: true, preload: 'metadata', src, 'aria-label': `Recording of ${call.sessionId}` }),
					el('a', { href: src, download: cdr.recordObjectName, text: 'Download WAV' }),
				)
			: null;
		return el(
			'section',
			{ class: 'cdr', 'aria-label': 'CDR' },
			el('h4', { text: 'CDR' }),
			el('dl', { class: 'cdr-fields' }, fields),
			recording,
			el('details', {}, el('summary', { text: 'Full CDR (JSON)' }), el('pre', { text: JSON.stringify(cdr, null, 2) })),
		);
	}

	const PARTS = {
		head: { render: renderHead, sig: (c) => JSON.stringify([c.phase, c.state, c.disconnect, c.request && c.request.userData]) },
		controls: { render: renderControls, sig: (c) => `${c.state}/${c.phase}` },
		events: { render: renderEvents, sig: (c) => String(c.events.length) },
		pushes: { render: renderPushes, sig: (c) => JSON.stringify(c.pushes.map((p) => [p.state, p.attempts, p.statusCode, p.error])) },
		cdr: { render: renderCdr, sig: (c) => (c.cdr ? 'cdr' : '') },
	};

	function createCard(call) {
		const titleId = `call-${++cardSeq}`;
		const root = el('article', { class: 'call', 'aria-labelledby': titleId, dataset: { sessionId: call.sessionId, callee: numbersOf(call).callee || '' } });
		const card = { root, titleId, parts: {}, sigs: {}, status: el('p', { class: 'card-status', role: 'status', 'aria-live': 'polite' }) };
		const columns = el('div', { class: 'columns' });
		card.slots = { head: el('div'), controls: el('div'), events: el('div'), pushes: el('div'), cdr: el('div') };
		columns.append(card.slots.events, card.slots.pushes);
		root.append(card.slots.head, card.slots.controls, card.status, columns, card.slots.cdr);
		return card;
	}

	function updateCard(card, call) {
		card.root.dataset.state = call.state;
		card.root.dataset.phase = call.phase;
		for (const [name, part] of Object.entries(PARTS)) {
			const sig = part.sig(call);
			if (card.sigs[name] === sig) continue;
			card.sigs[name] = sig;
			const slot = card.slots[name];
			const hadFocus = slot.contains(document.activeElement);
			slot.replaceChildren(part.render(card, call));
			if (hadFocus) {
				// Keyboard users stay on the call when the buttons they used are replaced.
				const next = slot.querySelector('button, input') || card.root.querySelector('h3');
				if (next) next.focus();
			}
		}
	}

	function renderCalls(calls, total) {
		const list = $('#call-list');
		const seen = new Set();
		let previous = null;
		for (const call of calls.slice().reverse()) {
			seen.add(call.sessionId);
			let card = cards.get(call.sessionId);
			if (!card) {
				card = createCard(call);
				cards.set(call.sessionId, card);
			}
			updateCard(card, call);
			const expected = previous ? previous.nextSibling : list.firstChild;
			if (expected !== card.root) list.insertBefore(card.root, expected);
			previous = card.root;
		}
		for (const [id, card] of cards) {
			if (!seen.has(id)) {
				card.root.remove();
				cards.delete(id);
			}
		}
		$('#no-calls').hidden = calls.length > 0;
		const live = calls.filter((c) => c.state !== 'ended').length;
		$('#calls-count').textContent = calls.length ? `(${live} live, ${calls.length} shown${total > calls.length ? ` of ${total}` : ''})` : '';
	}

	// ----- scripts editor ----------------------------------------------------------------------

	let scriptsDirty = false;
	let scriptsSig = '';

	function setScriptsStatus(text, isError) {
		const status = $('#scripts-status');
		status.textContent = text;
		status.classList.toggle('error', !!isError);
	}

	function scriptRow(number, script, isDefault, outcomes, defaults) {
		const label = isDefault ? 'the default script' : number || 'the new number';
		const select = (name, options, value, aria) =>
			el(
				'select',
				{ name, 'aria-label': aria },
				options.map(([v, text]) => el('option', { value: v, selected: v === (value === undefined ? '' : value), text })),
			);
		const seconds = (name, aria) =>
			el('input', { name, type: 'number', min: '0', step: 'any', inputmode: 'decimal', value: script[name] === undefined ? null : String(script[name]), placeholder: isDefault ? null : String(defaults[name]), 'aria-label': aria, class: 'seconds' });
		const inherit = (text) => (isDefault ? [] : [['', `default (${text})`]]);
		return el(
			'tr',
			{ dataset: { default: isDefault ? 'true' : 'false' } },
			isDefault
				? el('th', { scope: 'row' }, 'Any other number ', el('span', { class: 'muted', text: '(default)' }))
				: el('td', {}, el('input', { name: 'number', type: 'tel', value: number, placeholder: '+8613800000001', required: true, 'aria-label': 'Dialled number', autocomplete: 'off', class: 'number' })),
			el('td', {}, select('outcome', inherit(defaults.outcome).concat(outcomes.map((o) => [o, o])), script.outcome, `Outcome for ${label}`)),
			el('td', {}, seconds('ringSeconds', `Ring seconds for ${label}`)),
			el('td', {}, seconds('talkSeconds', `Talk seconds for ${label}`)),
			el(
				'td',
				{},
				el('input', {
					name: 'digits',
					type: 'text',
					autocomplete: 'off',
					value: script.digits === undefined ? null : script.digits.join(', '),
					placeholder: isDefault ? 'no input' : defaults.digits.join(', ') || 'no input',
					'aria-label': `Digits for ${label}, comma-separated, one entry per collection`,
					class: 'digits',
				}),
			),
			el('td', {}, select('hangupBy', inherit(defaults.hangupBy).concat([['callee', 'callee'], ['caller', 'caller']]), script.hangupBy, `Hung up by, for ${label}`)),
			el('td', {}, isDefault ? null : button('Remove', (event) => removeRow(event.target.closest('tr')), 'link', { 'aria-label': `Remove the script of ${label}` })),
		);
	}

	function removeRow(row) {
		const next = row.nextElementSibling || row.previousElementSibling;
		row.remove();
		scriptsDirty = true;
		setScriptsStatus('Removed; save to apply.');
		const focus = next && next.querySelector('input, select');
		(focus || $('#add-script')).focus();
	}

	function renderScripts(defaultScript, scripts, outcomes) {
		const body = $('#scripts-body');
		const rows = [scriptRow('', defaultScript, true, outcomes, defaultScript)];
		for (const number of Object.keys(scripts).sort()) rows.push(scriptRow(number, scripts[number], false, outcomes, defaultScript));
		body.replaceChildren(...rows);
		scriptsDirty = false;
	}

	function maybeRenderScripts(data) {
		const sig = JSON.stringify([data.defaultScript, data.scripts]);
		if (sig === scriptsSig) return;
		if (scriptsDirty) {
			setScriptsStatus('The scripts changed on the emulator meanwhile: Save overwrites them, Revert loads them.');
			return;
		}
		scriptsSig = sig;
		renderScripts(data.defaultScript, data.scripts, data.outcomes);
	}

	/** Reads the table; throws with a message naming the row on what the server could not understand. */
	function readScripts() {
		const scripts = {};
		let defaultScript;
		for (const row of $('#scripts-body').rows) {
			const isDefault = row.dataset.default === 'true';
			const field = (name) => row.querySelector(`[name="${name}"]`).value.trim();
			const script = {};
			if (field('outcome')) script.outcome = field('outcome');
			for (const name of ['ringSeconds', 'talkSeconds']) {
				const input = row.querySelector(`[name="${name}"]`);
				if (input.value.trim() === '') {
					if (input.validity.badInput) throw new Error(`${input.getAttribute('aria-label')}: enter a number of seconds.`);
					continue;
				}
				script[name] = Number(input.value);
			}
			const digits = field('digits');
			if (digits !== '' || isDefault) script.digits = digits === '' ? [] : digits.split(',').map((d) => d.trim());
			if (field('hangupBy')) script.hangupBy = field('hangupBy');
			if (isDefault) {
				defaultScript = script;
				continue;
			}
			const number = field('number');
			if (number === '') throw new Error('A row has no dialled number: enter one or remove the row.');
			if (scripts[number]) throw new Error(`${number} is listed twice.`);
			scripts[number] = script;
		}
		return { defaultScript, scripts };
	}

	function setUpScriptsForm() {
		const form = $('#scripts-form');
		form.addEventListener('input', () => {
			scriptsDirty = true;
			setScriptsStatus('Unsaved changes.');
		});
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			let patch;
			try {
				patch = readScripts();
			} catch (error) {
				setScriptsStatus(error.message, true);
				return;
			}
			setScriptsStatus('Saving…');
			try {
				const config = await api('PATCH', '/emulator/config', patch);
				scriptsSig = JSON.stringify([config.defaultScript, config.scripts]);
				renderScripts(config.defaultScript, config.scripts, snapshot ? snapshot.outcomes : [config.defaultScript.outcome]);
				const count = Object.keys(config.scripts).length;
				setScriptsStatus(`Saved: the default and ${count} number${count === 1 ? '' : 's'}. New calls use them.`);
			} catch (error) {
				// The emulator validates (config.ts) and says which field is wrong.
				setScriptsStatus(`Not saved: ${error.message}`, true);
			}
		});
		$('#add-script').addEventListener('click', () => {
			const defaults = snapshot ? snapshot.defaultScript : { outcome: 'answer', ringSeconds: 3, talkSeconds: 20, digits: [], hangupBy: 'callee' };
			const row = scriptRow('', { outcome: 'manual' }, false, snapshot ? snapshot.outcomes : ['manual'], defaults);
			$('#scripts-body').append(row);
			scriptsDirty = true;
			setScriptsStatus('New row: enter the number, then save.');
			row.querySelector('input').focus();
		});
		$('#revert-scripts').addEventListener('click', () => {
			if (!snapshot) return;
			scriptsSig = JSON.stringify([snapshot.defaultScript, snapshot.scripts]);
			renderScripts(snapshot.defaultScript, snapshot.scripts, snapshot.outcomes);
			setScriptsStatus('Reverted to the emulator’s scripts.');
		});
	}

	// ----- live updates ------------------------------------------------------------------------

	function setConnection(live) {
		const conn = $('#connection');
		conn.textContent = live ? 'Live' : 'Reconnecting…';
		conn.className = `conn ${live ? 'conn-live' : 'conn-wait'}`;
	}

	function render(data) {
		snapshot = data;
		$('#emulator-info').textContent = `Base URL ${data.baseUrl} · APP_Key ${data.appKey} · time scale ${data.timeScale} · manual calls wait up to ${Math.round(data.manualTimeoutMs / 1000)} s`;
		maybeRenderScripts(data);
		renderCalls(data.calls, data.totalCalls);
	}

	function connect() {
		const source = new EventSource('/emulator/events');
		source.addEventListener('snapshot', (event) => {
			setConnection(true);
			render(JSON.parse(event.data));
		});
		source.addEventListener('open', () => setConnection(true));
		source.addEventListener('error', () => {
			setConnection(false);
			// EventSource retries a dropped stream by itself; after a refused one it gives up.
			if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
		});
	}

	function start() {
		setUpScriptsForm();
		$('#reset').addEventListener('click', () => {
			api('POST', '/emulator/reset').catch((error) => setScriptsStatus(`Reset failed: ${error.message}`, true));
		});
		connect();
	}

	start();
})();
