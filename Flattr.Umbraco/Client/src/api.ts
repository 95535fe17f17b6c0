/**
 * The client of the package's management API (Flattr.Umbraco's FlattrManagementController at /umbraco/flattr/api/v1).
 * Pure TypeScript with an injectable fetch, so it is unit tested without a backoffice.
 */

export const API_BASE = '/umbraco/flattr/api/v1';

/** How requests are authorised: the backoffice's own OpenAPI configuration (UMB_AUTH_CONTEXT.getOpenApiConfiguration()). */
export interface FlattrAuth {
	readonly token: () => Promise<string | undefined>;
	readonly credentials?: RequestCredentials;
}

export type FlattrFetch = (input: string, init: RequestInit) => Promise<Response>;

export type SyncState = 'not-applicable' | 'pending' | 'failed' | 'synced' | 'retired' | 'never-synced';

export interface PendingChange {
	kind: 'upsert' | 'retire';
	enqueuedAt: string;
	attempts: number;
	nextAttemptAt: string;
	failed: boolean;
	lastError?: string | null;
}

export interface CreatorInfo {
	id: string;
	name?: string | null;
}

export interface HubThing {
	retired: boolean;
	clicksThisPeriod: number;
	clicksAllTime: number;
	flattrUrl: string;
	creatorClaimed: boolean;
}

export interface DocumentStatus {
	key: string;
	takesPart: boolean;
	enabled: boolean;
	published: boolean;
	state: SyncState;
	pending?: PendingChange | null;
	lastSync?: { kind: 'upsert' | 'retire'; at: string } | null;
	creator?: CreatorInfo | null;
	hub?: HubThing | null;
	hubError?: string | null;
}

export interface ClaimLinkResult {
	creator: CreatorInfo;
	url: string;
	expiresAt: string;
}

export interface ConfigurationStatus {
	hubUrl?: string | null;
	installationId?: string | null;
	hubReachable: boolean;
	installationVerified: boolean;
	installationName?: string | null;
	problem?: string | null;
	outbox: { pending: number; failed: number; oldestEnqueuedAt?: string | null };
	failedItems: Array<{ externalId: string; error?: string | null; enqueuedAt: string }>;
	documentTypes: Array<{ alias: string; exists: boolean; hasToggle: boolean }>;
	lastReconcile?: string | null;
	enabledByDefault: boolean;
	defaultCreator: CreatorInfo;
}

/** The API answered with an error; the message is the problem's detail (or title) when it sent one. */
export class FlattrApiError extends Error {
	constructor(
		message: string,
		readonly status: number,
	) {
		super(message);
		this.name = 'FlattrApiError';
	}
}

export class FlattrApi {
	readonly #auth: FlattrAuth;
	readonly #fetch: FlattrFetch;
	readonly #base: string;

	constructor(auth: FlattrAuth, fetchImpl: FlattrFetch = (input, init) => fetch(input, init), base: string = API_BASE) {
		this.#auth = auth;
		this.#fetch = fetchImpl;
		this.#base = base.replace(/\/+$/, '');
	}

	getDocument(key: string): Promise<DocumentStatus> {
		return this.#request('GET', `/documents/${encodeURIComponent(key)}`);
	}

	resync(key: string): Promise<{ queued: 'upsert' | 'retire' | null }> {
		return this.#request('POST', `/documents/${encodeURIComponent(key)}/resync`);
	}

	requestClaimLink(key: string): Promise<ClaimLinkResult> {
		return this.#request('POST', `/documents/${encodeURIComponent(key)}/claim-link`);
	}

	requestDefaultCreatorClaimLink(): Promise<ClaimLinkResult> {
		return this.#request('POST', '/default-creator/claim-link');
	}

	getStatus(): Promise<ConfigurationStatus> {
		return this.#request('GET', '/status');
	}

	async requestReconcile(): Promise<void> {
		await this.#request<unknown>('POST', '/reconcile');
	}

	async #request<T>(method: 'GET' | 'POST', path: string): Promise<T> {
		const headers: Record<string, string> = { Accept: 'application/json' };
		const token = await this.#auth.token();
		if (token) {
			headers['Authorization'] = `Bearer ${token}`;
		}

		// Umbraco 17 keeps backoffice tokens in secure cookies, so cookies must travel with the request.
		const response = await this.#fetch(this.#base + path, { method, headers, credentials: this.#auth.credentials ?? 'include' });
		const text = await response.text();
		if (!response.ok) {
			throw new FlattrApiError(problemMessage(text) ?? `The Flattr API answered ${response.status}.`, response.status);
		}

		return (text.length > 0 ? JSON.parse(text) : undefined) as T;
	}
}

function problemMessage(text: string): string | undefined {
	try {
		const problem = JSON.parse(text) as { detail?: unknown; title?: unknown };
		const message = problem.detail ?? problem.title;
		return typeof message === 'string' && message.length > 0 ? message : undefined;
	} catch {
		return undefined;
	}
}
