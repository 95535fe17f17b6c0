import type { ConfigurationStatus, DocumentStatus, SyncState } from './api.js';

export type TagColor = 'default' | 'positive' | 'warning' | 'danger';

const states: Record<SyncState, { label: string; color: TagColor }> = {
	'not-applicable': { label: 'Not a Flattr page', color: 'default' },
	pending: { label: 'Waiting to sync', color: 'warning' },
	failed: { label: 'Refused by the Hub', color: 'danger' },
	synced: { label: 'Synced', color: 'positive' },
	retired: { label: 'Not listed (retired)', color: 'default' },
	'never-synced': { label: 'Not synced yet', color: 'warning' },
};

/** A label and colour for a document's sync state. */
export function describeState(state: SyncState): { label: string; color: TagColor } {
	return states[state] ?? { label: state, color: 'default' };
}

/** "3 minutes ago", "in 2 hours", "just now": how far an ISO time is from now. */
export function relativeTime(iso: string | null | undefined, now: Date = new Date()): string {
	if (!iso) {
		return 'never';
	}

	const at = new Date(iso);
	if (Number.isNaN(at.getTime())) {
		return 'unknown';
	}

	const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
	const abs = Math.abs(seconds);
	if (abs < 45) {
		return 'just now';
	}

	const units: Array<[number, string]> = [
		[60 * 60 * 24, 'day'],
		[60 * 60, 'hour'],
		[60, 'minute'],
	];
	const [size, unit] = units.find(([s]) => abs >= s) ?? [60, 'minute'];
	const count = Math.max(1, Math.round(abs / size));
	const phrase = `${count} ${unit}${count === 1 ? '' : 's'}`;
	return seconds < 0 ? `${phrase} ago` : `in ${phrase}`;
}

/** One sentence on what an editor should know about a document, or undefined when all is well. */
export function documentAdvice(status: DocumentStatus): string | undefined {
	if (!status.takesPart) {
		return "This page's document type has no Flattr toggle. Add the Flattr composition to it to show a button.";
	}

	if (!status.enabled) {
		return 'The Flattr button is switched off for this page. Switch it on and publish to list the page on the Hub.';
	}

	if (!status.published) {
		return 'The page is not published, so it is not listed on the Hub.';
	}

	if (status.pending?.failed) {
		return `The Hub refused this page: ${status.pending.lastError ?? 'no reason given'}. Fix it and publish again.`;
	}

	if (status.pending && status.pending.attempts > 0) {
		return `Sending failed ${status.pending.attempts} time(s): ${status.pending.lastError ?? 'no reason given'}. It is retried automatically.`;
	}

	return undefined;
}

/** The verdict of the settings dashboard's configuration check. */
export function configurationVerdict(status: ConfigurationStatus): { ok: boolean; message: string } {
	if (!status.hubReachable) {
		return { ok: false, message: status.problem ?? 'The Hub could not be reached.' };
	}

	if (!status.installationVerified) {
		return { ok: false, message: status.problem ?? 'The Hub did not accept this installation.' };
	}

	const missing = status.documentTypes.filter((t) => !t.exists || !t.hasToggle).map((t) => t.alias);
	if (missing.length > 0) {
		return { ok: false, message: `Connected to "${status.installationName}", but these document types have no Flattr toggle yet: ${missing.join(', ')}.` };
	}

	if (status.outbox.failed > 0) {
		return { ok: false, message: `Connected to "${status.installationName}"; the Hub refused ${status.outbox.failed} page(s), listed below.` };
	}

	return { ok: true, message: `Connected to "${status.installationName}" as installation ${status.installationId}.` };
}

/** How deep the outbox is, in words. */
export function outboxSummary(outbox: ConfigurationStatus['outbox'], now: Date = new Date()): string {
	if (outbox.pending === 0 && outbox.failed === 0) {
		return 'Everything is synced.';
	}

	const parts: string[] = [];
	if (outbox.pending > 0) {
		parts.push(`${outbox.pending} change(s) waiting, the oldest queued ${relativeTime(outbox.oldestEnqueuedAt, now)}`);
	}

	if (outbox.failed > 0) {
		parts.push(`${outbox.failed} refused by the Hub`);
	}

	return parts.join('; ') + '.';
}
