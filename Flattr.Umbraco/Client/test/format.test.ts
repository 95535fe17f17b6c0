import { describe, expect, it } from 'vitest';
import type { ConfigurationStatus, DocumentStatus } from '../src/api.js';
import { configurationVerdict, describeState, documentAdvice, outboxSummary, relativeTime } from '../src/format.js';

const now = new Date('2026-10-15T12:00:00Z');

const document = (overrides: Partial<DocumentStatus> = {}): DocumentStatus => ({
	key: 'k',
	takesPart: true,
	enabled: true,
	published: true,
	state: 'synced',
	...overrides,
});

const configuration = (overrides: Partial<ConfigurationStatus> = {}): ConfigurationStatus => ({
	hubUrl: 'https://hub.example/',
	installationId: 'inst-1',
	hubReachable: true,
	installationVerified: true,
	installationName: 'My blog',
	outbox: { pending: 0, failed: 0 },
	failedItems: [],
	documentTypes: [{ alias: 'blogPost', exists: true, hasToggle: true }],
	enabledByDefault: true,
	defaultCreator: { id: 'my-blog' },
	...overrides,
});

describe('relativeTime', () => {
	it('relativeTime_PastAndFuture_ReadsNaturally', () => {
		expect(relativeTime('2026-10-15T11:57:00Z', now)).toBe('3 minutes ago');
		expect(relativeTime('2026-10-15T14:00:00Z', now)).toBe('in 2 hours');
		expect(relativeTime('2026-10-14T12:00:00Z', now)).toBe('1 day ago');
		expect(relativeTime('2026-10-15T12:00:10Z', now)).toBe('just now');
	});

	it('relativeTime_MissingOrInvalid_SaysSo', () => {
		expect(relativeTime(null, now)).toBe('never');
		expect(relativeTime('not a date', now)).toBe('unknown');
	});
});

describe('describeState', () => {
	it('describeState_EveryState_HasALabelAndColour', () => {
		expect(describeState('synced')).toEqual({ label: 'Synced', color: 'positive' });
		expect(describeState('failed').color).toBe('danger');
		expect(describeState('pending').color).toBe('warning');
	});
});

describe('documentAdvice', () => {
	it('documentAdvice_HealthySyncedPage_HasNothingToSay', () => {
		expect(documentAdvice(document())).toBeUndefined();
	});

	it('documentAdvice_ProblemPages_SayWhatToDo', () => {
		expect(documentAdvice(document({ enabled: false }))).toMatch(/switched off/);
		expect(documentAdvice(document({ published: false }))).toMatch(/not published/);
		expect(documentAdvice(document({ takesPart: false }))).toMatch(/no Flattr toggle/);
		const refused = { kind: 'upsert' as const, enqueuedAt: '', attempts: 1, nextAttemptAt: '', failed: true, lastError: 'The title is required.' };
		expect(documentAdvice(document({ pending: refused }))).toMatch(/refused this page: The title is required\./);
		expect(documentAdvice(document({ pending: { ...refused, failed: false, attempts: 2, lastError: 'Hub down' } }))).toMatch(/failed 2 time\(s\): Hub down/);
	});
});

describe('configurationVerdict', () => {
	it('configurationVerdict_AllGood_IsOk', () => {
		expect(configurationVerdict(configuration())).toEqual({ ok: true, message: 'Connected to "My blog" as installation inst-1.' });
	});

	it('configurationVerdict_Problems_AreNamedInOrderOfImportance', () => {
		expect(configurationVerdict(configuration({ hubReachable: false, problem: 'The Hub could not be reached: refused' })).message).toBe(
			'The Hub could not be reached: refused',
		);
		expect(configurationVerdict(configuration({ installationVerified: false })).ok).toBe(false);
		expect(configurationVerdict(configuration({ documentTypes: [{ alias: 'article', exists: false, hasToggle: false }] })).message).toMatch(/article/);
		expect(configurationVerdict(configuration({ outbox: { pending: 0, failed: 2 } })).message).toMatch(/refused 2 page/);
	});
});

describe('outboxSummary', () => {
	it('outboxSummary_EmptyAndBusy_ReadsNaturally', () => {
		expect(outboxSummary({ pending: 0, failed: 0 }, now)).toBe('Everything is synced.');
		expect(outboxSummary({ pending: 3, failed: 1, oldestEnqueuedAt: '2026-10-15T11:00:00Z' }, now)).toBe(
			'3 change(s) waiting, the oldest queued 1 hour ago; 1 refused by the Hub.',
		);
	});
});
