import { UMB_AUTH_CONTEXT } from '@umbraco-cms/backoffice/auth';
import type { UmbLitElement } from '@umbraco-cms/backoffice/lit-element';
import { FlattrApi } from './api.js';

/** Calls <paramref name="ready"/> with an API client authorised like the backoffice's own requests. */
export function consumeFlattrApi(host: UmbLitElement, ready: (api: FlattrApi | undefined) => void): void {
	host.consumeContext(UMB_AUTH_CONTEXT, (auth) => ready(auth ? new FlattrApi(auth.getOpenApiConfiguration()) : undefined));
}
