import { describe, expect, it } from 'vitest';
import { FlattrApi, FlattrApiError, type FlattrFetch } from '../src/api.js';

interface Call {
	url: string;
	init: RequestInit;
}

function recorder(status = 200, body = '{}'): { fetch: FlattrFetch; calls: Call[] } {
	const calls: Call[] = [];
	return {
		calls,
		fetch: async (url, init) => {
			calls.push({ url, init });
			return new Response(body.length > 0 ? body : null, { status, headers: { 'Content-Type': 'application/json' } });
		},
	};
}

const auth = { token: async () => 'tok-123', credentials: 'include' as const };

describe('FlattrApi', () => {
	it('getDocument_Key_GetsTheEscapedDocumentRouteWithTheBackofficeToken', async () => {
		const { fetch, calls } = recorder(200, '{"key":"k","state":"synced"}');

		const status = await new FlattrApi(auth, fetch).getDocument('a/b c');

		expect(status.state).toBe('synced');
		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe('/umbraco/flattr/api/v1/documents/a%2Fb%20c');
		expect(calls[0].init.method).toBe('GET');
		expect(calls[0].init.credentials).toBe('include');
		expect((calls[0].init.headers as Record<string, string>)['Authorization']).toBe('Bearer tok-123');
	});

	it('request_NoToken_SendsNoAuthorizationHeaderButStillTheCookies', async () => {
		const { fetch, calls } = recorder();

		await new FlattrApi({ token: async () => undefined }, fetch).getStatus();

		expect((calls[0].init.headers as Record<string, string>)['Authorization']).toBeUndefined();
		expect(calls[0].init.credentials).toBe('include');
	});

	it('resyncAndClaimLinks_PostToTheirRoutes', async () => {
		const { fetch, calls } = recorder(202, '{"queued":"upsert"}');
		const api = new FlattrApi(auth, fetch, '/custom/base/');

		expect(await api.resync('k')).toEqual({ queued: 'upsert' });
		await api.requestClaimLink('k');
		await api.requestDefaultCreatorClaimLink();

		expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
			'POST /custom/base/documents/k/resync',
			'POST /custom/base/documents/k/claim-link',
			'POST /custom/base/default-creator/claim-link',
		]);
	});

	it('requestReconcile_EmptyAcceptedAnswer_Resolves', async () => {
		const { fetch } = recorder(202, '');

		await expect(new FlattrApi(auth, fetch).requestReconcile()).resolves.toBeUndefined();
	});

	it('request_ProblemDetails_ThrowsWithTheDetail', async () => {
		const { fetch } = recorder(502, '{"title":"The Hub did not issue a claim link.","detail":"The Hub answered 503: overloaded"}');

		const failure = new FlattrApi(auth, fetch).requestDefaultCreatorClaimLink();

		await expect(failure).rejects.toBeInstanceOf(FlattrApiError);
		await expect(failure).rejects.toMatchObject({ status: 502, message: 'The Hub answered 503: overloaded' });
	});

	it('request_ErrorWithoutProblem_NamesTheStatus', async () => {
		const { fetch } = recorder(401, '<html>login</html>');

		await expect(new FlattrApi(auth, fetch).getStatus()).rejects.toMatchObject({ status: 401, message: 'The Flattr API answered 401.' });
	});
});
