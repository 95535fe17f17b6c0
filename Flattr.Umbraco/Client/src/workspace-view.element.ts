import { css, customElement, html, nothing, state } from '@umbraco-cms/backoffice/external/lit';
import { UmbLitElement } from '@umbraco-cms/backoffice/lit-element';
import { UMB_DOCUMENT_WORKSPACE_CONTEXT } from '@umbraco-cms/backoffice/document';
import type { ClaimLinkResult, DocumentStatus, FlattrApi } from './api.js';
import { consumeFlattrApi } from './api-context.js';
import { describeState, documentAdvice, relativeTime } from './format.js';

/** The "Flattr" tab on Flattr-enabled documents: sync state, last sync, flattrs, resync and claim link. */
@customElement('flattr-workspace-view')
export class FlattrWorkspaceViewElement extends UmbLitElement {
	@state() private _status?: DocumentStatus;
	@state() private _error?: string;
	@state() private _busy = false;
	@state() private _claim?: ClaimLinkResult;

	#api?: FlattrApi;
	#key?: string;

	constructor() {
		super();
		consumeFlattrApi(this, (api) => {
			this.#api = api;
			void this.#load();
		});
		this.consumeContext(UMB_DOCUMENT_WORKSPACE_CONTEXT, (workspace) => {
			this.observe(workspace?.unique, (unique) => {
				this.#key = unique ?? undefined;
				void this.#load();
			});
		});
	}

	async #load() {
		if (!this.#api || !this.#key) {
			return;
		}

		try {
			this._status = await this.#api.getDocument(this.#key);
			this._error = undefined;
		} catch (error) {
			this._error = (error as Error).message;
		}
	}

	async #run(action: (api: FlattrApi, key: string) => Promise<void>) {
		if (!this.#api || !this.#key) {
			return;
		}

		this._busy = true;
		try {
			await action(this.#api, this.#key);
			await this.#load();
		} catch (error) {
			this._error = (error as Error).message;
		} finally {
			this._busy = false;
		}
	}

	#resync = () => this.#run(async (api, key) => void (await api.resync(key)));

	#claim = () =>
		this.#run(async (api, key) => {
			this._claim = await api.requestClaimLink(key);
		});

	override render() {
		if (this._error && !this._status) {
			return html`<uui-box headline="Flattr"><p class="error">${this._error}</p></uui-box>`;
		}

		const status = this._status;
		if (!status) {
			return html`<uui-box headline="Flattr"><uui-loader></uui-loader></uui-box>`;
		}

		const state = describeState(status.state);
		const advice = documentAdvice(status);
		return html`
			<uui-box headline="Flattr">
				<uui-tag slot="header-actions" color=${state.color} look="primary">${state.label}</uui-tag>
				${advice ? html`<p class="advice">${advice}</p>` : nothing}
				<dl>
					<dt>Last sync</dt>
					<dd>${status.lastSync ? `${status.lastSync.kind === 'upsert' ? 'Listed' : 'Retired'} ${relativeTime(status.lastSync.at)}` : 'Never'}</dd>
					${status.pending
						? html`<dt>Waiting</dt>
								<dd>${status.pending.kind === 'upsert' ? 'Update' : 'Retirement'} queued ${relativeTime(status.pending.enqueuedAt)}</dd>`
						: nothing}
					<dt>Flattrs this month</dt>
					<dd>${status.hub ? status.hub.clicksThisPeriod : '–'}</dd>
					<dt>Flattrs all time</dt>
					<dd>${status.hub ? status.hub.clicksAllTime : '–'}</dd>
					<dt>Creator</dt>
					<dd>
						${status.creator ? (status.creator.name ? `${status.creator.name} (${status.creator.id})` : status.creator.id) : '–'}
						${status.hub ? (status.hub.creatorClaimed ? ' – claimed on the Hub' : ' – not claimed yet') : nothing}
					</dd>
				</dl>
				${status.hubError ? html`<p class="error">The Hub could not be asked: ${status.hubError}</p>` : nothing}
				${this._error ? html`<p class="error">${this._error}</p>` : nothing}
				${this._claim
					? html`<p>Send this single-use link to ${this._claim.creator.name ?? this._claim.creator.id} (valid until
							${new Date(this._claim.expiresAt).toLocaleString()}): <a href=${this._claim.url} target="_blank" rel="noopener">${this._claim.url}</a></p>`
					: nothing}
				<div class="actions">
					<uui-button look="primary" label="Resync now" ?disabled=${this._busy || !status.takesPart} @click=${this.#resync}></uui-button>
					<uui-button look="secondary" label="Claim link for the creator" ?disabled=${this._busy || !status.takesPart} @click=${this.#claim}></uui-button>
					${status.hub ? html`<uui-button look="outline" label="View on the Hub" href=${status.hub.flattrUrl} target="_blank"></uui-button>` : nothing}
				</div>
			</uui-box>
		`;
	}

	static override readonly styles = css`
		:host {
			display: block;
			padding: var(--uui-size-layout-1);
		}
		dl {
			display: grid;
			grid-template-columns: max-content 1fr;
			gap: var(--uui-size-space-2) var(--uui-size-space-5);
		}
		dt {
			font-weight: bold;
		}
		dd {
			margin: 0;
		}
		.error {
			color: var(--uui-color-danger);
		}
		.actions {
			display: flex;
			gap: var(--uui-size-space-3);
		}
	`;
}

export default FlattrWorkspaceViewElement;

declare global {
	interface HTMLElementTagNameMap {
		'flattr-workspace-view': FlattrWorkspaceViewElement;
	}
}
