import { html as s, nothing as l, css as U, state as h, customElement as I } from "@umbraco-cms/backoffice/external/lit";
import { UmbLitElement as R } from "@umbraco-cms/backoffice/lit-element";
import { UMB_DOCUMENT_WORKSPACE_CONTEXT as G } from "@umbraco-cms/backoffice/document";
import { UMB_AUTH_CONTEXT as j } from "@umbraco-cms/backoffice/auth";
const J = "flattr", gt = [
  {
    type: "workspaceView",
    alias: "Flattr.WorkspaceView.Document",
    name: "Flattr document workspace view",
    element: () => Promise.resolve().then(() => ot),
    weight: 50,
    meta: { label: "Flattr", pathname: "flattr", icon: "icon-coin" },
    conditions: [
      { alias: "Umb.Condition.WorkspaceAlias", match: "Umb.Workspace.Document" },
      // The structure's aliases include its compositions, so this matches every Flattr-enabled document type.
      { alias: "Umb.Condition.WorkspaceContentTypeAlias", match: J }
    ]
  },
  {
    type: "dashboard",
    alias: "Flattr.Dashboard.Settings",
    name: "Flattr settings dashboard",
    element: () => Promise.resolve().then(() => ht),
    weight: 10,
    meta: { label: "Flattr", pathname: "flattr" },
    conditions: [{ alias: "Umb.Condition.SectionAlias", match: "Umb.Section.Settings" }]
  }
], K = "/umbraco/flattr/api/v1";
class X extends Error {
  constructor(e, a) {
    super(e), this.status = a, this.name = "FlattrApiError";
  }
}
class Q {
  #e;
  #a;
  #i;
  constructor(e, a = (i, n) => fetch(i, n), r = K) {
    this.#e = e, this.#a = a, this.#i = r.replace(/\/+$/, "");
  }
  getDocument(e) {
    return this.#t("GET", `/documents/${encodeURIComponent(e)}`);
  }
  resync(e) {
    return this.#t("POST", `/documents/${encodeURIComponent(e)}/resync`);
  }
  requestClaimLink(e) {
    return this.#t("POST", `/documents/${encodeURIComponent(e)}/claim-link`);
  }
  requestDefaultCreatorClaimLink() {
    return this.#t("POST", "/default-creator/claim-link");
  }
  getStatus() {
    return this.#t("GET", "/status");
  }
  async requestReconcile() {
    await this.#t("POST", "/reconcile");
  }
  async #t(e, a) {
    const r = { Accept: "application/json" }, i = await this.#e.token();
    i && (r.Authorization = `Bearer ${i}`);
    const n = await this.#a(this.#i + a, { method: e, headers: r, credentials: this.#e.credentials ?? "include" }), o = await n.text();
    if (!n.ok)
      throw new X(Y(o) ?? `The Flattr API answered ${n.status}.`, n.status);
    return o.length > 0 ? JSON.parse(o) : void 0;
  }
}
function Y(t) {
  try {
    const e = JSON.parse(t), a = e.detail ?? e.title;
    return typeof a == "string" && a.length > 0 ? a : void 0;
  } catch {
    return;
  }
}
function z(t, e) {
  t.consumeContext(j, (a) => e(a ? new Q(a.getOpenApiConfiguration()) : void 0));
}
const Z = {
  "not-applicable": { label: "Not a Flattr page", color: "default" },
  pending: { label: "Waiting to sync", color: "warning" },
  failed: { label: "Refused by the Hub", color: "danger" },
  synced: { label: "Synced", color: "positive" },
  retired: { label: "Not listed (retired)", color: "default" },
  "never-synced": { label: "Not synced yet", color: "warning" }
};
function tt(t) {
  return Z[t] ?? { label: t, color: "default" };
}
function C(t, e = /* @__PURE__ */ new Date()) {
  if (!t)
    return "never";
  const a = new Date(t);
  if (Number.isNaN(a.getTime()))
    return "unknown";
  const r = Math.round((a.getTime() - e.getTime()) / 1e3), i = Math.abs(r);
  if (i < 45)
    return "just now";
  const n = [
    [3600 * 24, "day"],
    [3600, "hour"],
    [60, "minute"]
  ], [o, V] = n.find(([B]) => i >= B) ?? [60, "minute"], W = Math.max(1, Math.round(i / o)), M = `${W} ${V}${W === 1 ? "" : "s"}`;
  return r < 0 ? `${M} ago` : `in ${M}`;
}
function et(t) {
  if (!t.takesPart)
    return "This page's document type has no Flattr toggle. Add the Flattr composition to it to show a button.";
  if (!t.enabled)
    return "The Flattr button is switched off for this page. Switch it on and publish to list the page on the Hub.";
  if (!t.published)
    return "The page is not published, so it is not listed on the Hub.";
  if (t.pending?.failed)
    return `The Hub refused this page: ${t.pending.lastError ?? "no reason given"}. Fix it and publish again.`;
  if (t.pending && t.pending.attempts > 0)
    return `Sending failed ${t.pending.attempts} time(s): ${t.pending.lastError ?? "no reason given"}. It is retried automatically.`;
}
function at(t) {
  if (!t.hubReachable)
    return { ok: !1, message: t.problem ?? "The Hub could not be reached." };
  if (!t.installationVerified)
    return { ok: !1, message: t.problem ?? "The Hub did not accept this installation." };
  const e = t.documentTypes.filter((a) => !a.exists || !a.hasToggle).map((a) => a.alias);
  return e.length > 0 ? { ok: !1, message: `Connected to "${t.installationName}", but these document types have no Flattr toggle yet: ${e.join(", ")}.` } : t.outbox.failed > 0 ? { ok: !1, message: `Connected to "${t.installationName}"; the Hub refused ${t.outbox.failed} page(s), listed below.` } : { ok: !0, message: `Connected to "${t.installationName}" as installation ${t.installationId}.` };
}
function it(t, e = /* @__PURE__ */ new Date()) {
  if (t.pending === 0 && t.failed === 0)
    return "Everything is synced.";
  const a = [];
  return t.pending > 0 && a.push(`${t.pending} change(s) waiting, the oldest queued ${C(t.oldestEnqueuedAt, e)}`), t.failed > 0 && a.push(`${t.failed} refused by the Hub`), a.join("; ") + ".";
}
var rt = Object.defineProperty, st = Object.getOwnPropertyDescriptor, q = (t) => {
  throw TypeError(t);
}, v = (t, e, a, r) => {
  for (var i = r > 1 ? void 0 : r ? st(e, a) : e, n = t.length - 1, o; n >= 0; n--)
    (o = t[n]) && (i = (r ? o(e, a, i) : o(i)) || i);
  return r && i && rt(e, a, i), i;
}, P = (t, e, a) => e.has(t) || q("Cannot " + a), d = (t, e, a) => (P(t, e, "read from private field"), a ? a.call(t) : e.get(t)), y = (t, e, a) => e.has(t) ? q("Cannot add the same private member more than once") : e instanceof WeakSet ? e.add(t) : e.set(t, a), N = (t, e, a, r) => (P(t, e, "write to private field"), e.set(t, a), a), $ = (t, e, a) => (P(t, e, "access private method"), a), f, b, p, S, T, F, x;
let u = class extends R {
  constructor() {
    super(), y(this, p), this._busy = !1, y(this, f), y(this, b), y(this, F, () => $(this, p, T).call(this, async (t, e) => {
      await t.resync(e);
    })), y(this, x, () => $(this, p, T).call(this, async (t, e) => {
      this._claim = await t.requestClaimLink(e);
    })), z(this, (t) => {
      N(this, f, t), $(this, p, S).call(this);
    }), this.consumeContext(G, (t) => {
      this.observe(t?.unique, (e) => {
        N(this, b, e ?? void 0), $(this, p, S).call(this);
      });
    });
  }
  render() {
    if (this._error && !this._status)
      return s`<uui-box headline="Flattr"><p class="error">${this._error}</p></uui-box>`;
    const t = this._status;
    if (!t)
      return s`<uui-box headline="Flattr"><uui-loader></uui-loader></uui-box>`;
    const e = tt(t.state), a = et(t);
    return s`
			<uui-box headline="Flattr">
				<uui-tag slot="header-actions" color=${e.color} look="primary">${e.label}</uui-tag>
				${a ? s`<p class="advice">${a}</p>` : l}
				<dl>
					<dt>Last sync</dt>
					<dd>${t.lastSync ? `${t.lastSync.kind === "upsert" ? "Listed" : "Retired"} ${C(t.lastSync.at)}` : "Never"}</dd>
					${t.pending ? s`<dt>Waiting</dt>
								<dd>${t.pending.kind === "upsert" ? "Update" : "Retirement"} queued ${C(t.pending.enqueuedAt)}</dd>` : l}
					<dt>Flattrs this month</dt>
					<dd>${t.hub ? t.hub.clicksThisPeriod : "–"}</dd>
					<dt>Flattrs all time</dt>
					<dd>${t.hub ? t.hub.clicksAllTime : "–"}</dd>
					<dt>Creator</dt>
					<dd>
						${t.creator ? t.creator.name ? `${t.creator.name} (${t.creator.id})` : t.creator.id : "–"}
						${t.hub ? t.hub.creatorClaimed ? " – claimed on the Hub" : " – not claimed yet" : l}
					</dd>
				</dl>
				${t.hubError ? s`<p class="error">The Hub could not be asked: ${t.hubError}</p>` : l}
				${this._error ? s`<p class="error">${this._error}</p>` : l}
				${this._claim ? s`<p>Send this single-use link to ${this._claim.creator.name ?? this._claim.creator.id} (valid until
							${new Date(this._claim.expiresAt).toLocaleString()}): <a href=${this._claim.url} target="_blank" rel="noopener">${this._claim.url}</a></p>` : l}
				<div class="actions">
					<uui-button look="primary" label="Resync now" ?disabled=${this._busy || !t.takesPart} @click=${d(this, F)}></uui-button>
					<uui-button look="secondary" label="Claim link for the creator" ?disabled=${this._busy || !t.takesPart} @click=${d(this, x)}></uui-button>
					${t.hub ? s`<uui-button look="outline" label="View on the Hub" href=${t.hub.flattrUrl} target="_blank"></uui-button>` : l}
				</div>
			</uui-box>
		`;
  }
};
f = /* @__PURE__ */ new WeakMap();
b = /* @__PURE__ */ new WeakMap();
p = /* @__PURE__ */ new WeakSet();
S = async function() {
  if (!(!d(this, f) || !d(this, b)))
    try {
      this._status = await d(this, f).getDocument(d(this, b)), this._error = void 0;
    } catch (t) {
      this._error = t.message;
    }
};
T = async function(t) {
  if (!(!d(this, f) || !d(this, b))) {
    this._busy = !0;
    try {
      await t(d(this, f), d(this, b)), await $(this, p, S).call(this);
    } catch (e) {
      this._error = e.message;
    } finally {
      this._busy = !1;
    }
  }
};
F = /* @__PURE__ */ new WeakMap();
x = /* @__PURE__ */ new WeakMap();
u.styles = U`
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
v([
  h()
], u.prototype, "_status", 2);
v([
  h()
], u.prototype, "_error", 2);
v([
  h()
], u.prototype, "_busy", 2);
v([
  h()
], u.prototype, "_claim", 2);
u = v([
  I("flattr-workspace-view")
], u);
const nt = u, ot = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.defineProperty({
  __proto__: null,
  get FlattrWorkspaceViewElement() {
    return u;
  },
  default: nt
}, Symbol.toStringTag, { value: "Module" }));
var lt = Object.defineProperty, dt = Object.getOwnPropertyDescriptor, L = (t) => {
  throw TypeError(t);
}, _ = (t, e, a, r) => {
  for (var i = r > 1 ? void 0 : r ? dt(e, a) : e, n = t.length - 1, o; n >= 0; n--)
    (o = t[n]) && (i = (r ? o(e, a, i) : o(i)) || i);
  return r && i && lt(e, a, i), i;
}, D = (t, e, a) => e.has(t) || L("Cannot " + a), g = (t, e, a) => (D(t, e, "read from private field"), a ? a.call(t) : e.get(t)), w = (t, e, a) => e.has(t) ? L("Cannot add the same private member more than once") : e instanceof WeakSet ? e.add(t) : e.set(t, a), ct = (t, e, a, r) => (D(t, e, "write to private field"), e.set(t, a), a), H = (t, e, a) => (D(t, e, "access private method"), a), m, k, E, O, A;
let c = class extends R {
  constructor() {
    super(), w(this, k), this._busy = !1, w(this, m), w(this, O, async () => {
      try {
        await g(this, m)?.requestReconcile(), this._notice = "Every Flattr page will be compared with the Hub on the next sync pass (within a minute).";
      } catch (t) {
        this._error = t.message;
      }
    }), w(this, A, async () => {
      try {
        this._claim = await g(this, m)?.requestDefaultCreatorClaimLink();
      } catch (t) {
        this._error = t.message;
      }
    }), z(this, (t) => {
      ct(this, m, t), H(this, k, E).call(this);
    });
  }
  render() {
    const t = this._status;
    if (!t)
      return s`<uui-box headline="Flattr">${this._error ? s`<p class="error">${this._error}</p>` : s`<uui-loader></uui-loader>`}</uui-box>`;
    const e = at(t);
    return s`
			<uui-box headline="Configuration check">
				<uui-tag slot="header-actions" color=${e.ok ? "positive" : "danger"} look="primary">${e.ok ? "OK" : "Needs attention"}</uui-tag>
				<p>${e.message}</p>
				<dl>
					<dt>Hub</dt>
					<dd>${t.hubUrl ?? "–"} ${t.hubReachable ? "(reachable)" : "(not reachable)"}</dd>
					<dt>Installation</dt>
					<dd>${t.installationId ?? "–"} ${t.installationVerified ? "(verified)" : "(not verified)"}</dd>
					<dt>Outbox</dt>
					<dd>${it(t.outbox)}</dd>
					<dt>Last full comparison</dt>
					<dd>${C(t.lastReconcile)}</dd>
					<dt>New pages</dt>
					<dd>${t.enabledByDefault ? "Flattr button on by default" : "Flattr button off by default"}</dd>
					<dt>Default creator</dt>
					<dd>${t.defaultCreator.name ? `${t.defaultCreator.name} (${t.defaultCreator.id})` : t.defaultCreator.id}</dd>
				</dl>
				<h4>Document types</h4>
				<ul>
					${t.documentTypes.map(
      (a) => s`<li>${a.alias}: ${a.exists ? a.hasToggle ? "has the Flattr toggle" : "has no Flattr toggle" : "does not exist"}</li>`
    )}
				</ul>
				${this._error ? s`<p class="error">${this._error}</p>` : l}
				${this._notice ? s`<p>${this._notice}</p>` : l}
				${this._claim ? s`<p>Claim link for ${this._claim.creator.id}: <a href=${this._claim.url} target="_blank" rel="noopener">${this._claim.url}</a></p>` : l}
				<div class="actions">
					<uui-button look="primary" label="Check again" ?disabled=${this._busy} @click=${() => H(this, k, E).call(this)}></uui-button>
					<uui-button look="secondary" label="Compare everything with the Hub" @click=${g(this, O)}></uui-button>
					<uui-button look="secondary" label="Claim link for the default creator" @click=${g(this, A)}></uui-button>
				</div>
			</uui-box>
			${t.failedItems.length > 0 ? s`<uui-box headline="Pages the Hub refused">
						<ul>
							${t.failedItems.map((a) => s`<li><code>${a.externalId}</code>: ${a.error ?? "no reason given"}</li>`)}
						</ul>
					</uui-box>` : l}
		`;
  }
};
m = /* @__PURE__ */ new WeakMap();
k = /* @__PURE__ */ new WeakSet();
E = async function() {
  if (g(this, m)) {
    this._busy = !0;
    try {
      this._status = await g(this, m).getStatus(), this._error = void 0;
    } catch (t) {
      this._error = t.message;
    } finally {
      this._busy = !1;
    }
  }
};
O = /* @__PURE__ */ new WeakMap();
A = /* @__PURE__ */ new WeakMap();
c.styles = U`
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
_([
  h()
], c.prototype, "_status", 2);
_([
  h()
], c.prototype, "_error", 2);
_([
  h()
], c.prototype, "_notice", 2);
_([
  h()
], c.prototype, "_claim", 2);
_([
  h()
], c.prototype, "_busy", 2);
c = _([
  I("flattr-settings-dashboard")
], c);
const ut = c, ht = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.defineProperty({
  __proto__: null,
  get FlattrSettingsDashboardElement() {
    return c;
  },
  default: ut
}, Symbol.toStringTag, { value: "Module" }));
export {
  gt as manifests
};
