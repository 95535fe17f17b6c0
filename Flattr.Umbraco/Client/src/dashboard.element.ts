import { css, customElement, html, nothing, state } from '@umbraco-cms/backoffice/external/lit';
import { UmbLitElement } from '@umbraco-cms/backoffice/lit-element';
import type { ClaimLinkResult, ConfigurationStatus, FlattrApi } from './api.js';
import { consumeFlattrApi } from './api-context.js';
import { configurationVerdict, outboxSummary, relativeTime } from './format.js';

/** The "Flattr" dashboard in Settings: configuration check, outbox depth, refused pages, reconcile and claim link. */
@customElement('flattr-settings-dashboard')
export class FlattrSettingsDashboardElement extends UmbLitElement {
	@state() private _status?: ConfigurationStatus;
	@state() private _error?: string;
	@state() private _notice?: string;
	@state() private _claim?: ClaimLinkResult;
	@state() private _busy = false;

	#api?: FlattrApi;

	constructor() {
		super();
		consumeFlattrApi(this, (api) => {
			this.#api = api;
			void this.#load();
		});
	}

	async #load() {
		if (!this.#api) {
			return;
		}

		this._busy = true;
		try {
			this._status = await this.#api.getStatus();
			this._error = undefined;
		} catch (error) {
			this._error = (error as Error).message;
		} finally {
			this._busy = false;
		}
	}

	#reconcile = async () => {
		try {
			await this.#api?.requestReconcile();
			this._notice = 'Every Flattr page will be compared with the Hub on the next sync pass (within a minute).';
		} catch (error) {
			this._error = (error as Error).message;
		}
	};

	#claim = async () => {
		try {
			this._claim = await this.#api?.requestDefaultCreatorClaimLink();
		} catch (error) {
			this._error = (error as Error).message;
		}
	};

	override render() {
		const status = this._status;
		if (!status) {
			return html`<uui-box headline="Flattr">${this._error ? html`<p class="error">${this._error}</p>` : html`<uui-loader></uui-loader>`}</uui-box>`;
		}

		const verdict = configurationVerdict(status);
		return html`
			<uui-box headline="Configuration check">
				<uui-tag slot="header-actions" color=${verdict.ok ? 'positive' : 'danger'} look="primary">${verdict.ok ? 'OK' : 'Needs attention'}</uui-tag>
				<p>${verdict.message}</p>
				<dl>
					<dt>Hub</dt>
					<dd>${status.hubUrl ?? '–'} ${status.hubReachable ? '(reachable)' : '(not reachable)'}</dd>
					<dt>Installation</dt>
					<dd>${status.installationId ?? '–'} ${status.installationVerified ? '(verified)' : '(not verified)'}</dd>
					<dt>Outbox</dt>
					<dd>${outboxSummary(status.outbox)}</dd>
					<dt>Last full comparison</dt>
					<dd>${relativeTime(status.lastReconcile)}</dd>
					<dt>New pages</dt>
					<dd>${status.enabledByDefault ? 'Flattr button on by default' : 'Flattr button off by default'}</dd>
					<dt>Default creator</dt>
					<dd>${status.defaultCreator.name ? `${status.defaultCreator.name} (${status.defaultCreator.id})` : status.defaultCreator.id}</dd>
				</dl>
				<h4>Document types</h4>
				<ul>
					${status.documentTypes.map(
						(t) => html`<li>${t.alias}: ${!t.exists ? 'does not exist' : t.hasToggle ? 'has the Flattr toggle' : 'has no Flattr toggle'}</li>`,
					)}
				</ul>
				${this._error ? html`<p class="error">${this._error}</p>` : nothing}
				${this._notice ? html`<p>${this._notice}</p>` : nothing}
				${this._claim
					? html`<p>Claim link for ${this._claim.creator.id}: <a href=${this._claim.url} target="_blank" rel="noopener">${this._claim.url}</a></p>`
					: nothing}
				<div class="actions">
					<uui-button look="primary" label="Check again" ?disabled=${this._busy} @click=${() => this.#load()}></uui-button>
					<uui-button look="secondary" label="Compare everything with the Hub" @click=${this.#reconcile}></uui-button>
					<uui-button look="secondary" label="Claim link for the default creator" @click=${this.#claim}></uui-button>
				</div>
			</uui-box>
			${status.failedItems.length > 0
				? html`<uui-box headline="Pages the Hub refused">
						<ul>
							${status.failedItems.map((i) => html`<li><code>${i.externalId}</code>: ${i.error ?? 'no reason given'}</li>`)}
						</ul>
					</uui-box>`
				: nothing}
		`;
	}

	static override readonly styles = css`
		:host {
			display: grid;
			gap: var(--uui-size-layout-1);
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

export default FlattrSettingsDashboardElement;

declare global {
	interface HTMLElementTagNameMap {
		'flattr-settings-dashboard': FlattrSettingsDashboardElement;
	}
}
