using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stripe;

namespace Flattr.StripeDouble;

/// <summary>
/// A stateful double of the Stripe API endpoints the Hub uses (checkout sessions, accounts, account links, transfers,
/// balance, events), served by Kestrel on loopback and driven through the real Stripe.net client. Responses are Stripe's
/// own published fixture objects with the request's values filled in, so Stripe.net deserialises what Stripe sends.
/// It honours idempotency keys as Stripe does (same key and parameters: the stored response again; same key, other
/// parameters: an idempotency error) and can inject failures: 5xx, hangs, insufficient funds, rate limiting.
/// </summary>
public sealed class StripeDouble : IAsyncDisposable
{
    public const string ApiKey = "sk_test_flattr_double";

    private static readonly JsonObject Fixtures = LoadFixtures();

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, JsonObject> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _accounts = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _transfers = [];
    private readonly ConcurrentDictionary<string, JsonObject> _events = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Fingerprint, int Status, string Body)> _idempotency = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Dictionary<string, long> _available = new(StringComparer.Ordinal);
    private long _sequence;

    private readonly TimeProvider _time;

    private StripeDouble(WebApplication app, TimeProvider time)
    {
        _app = app;
        _time = time;
    }

    /// <summary>Where the double listens (use as Stripe.net's ApiBase).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Every transfer created, in order.</summary>
    public IReadOnlyList<JsonObject> Transfers
    {
        get
        {
            lock (_gate)
            {
                return [.. _transfers.Select(t => (JsonObject)t.DeepClone())];
            }
        }
    }

    public static async Task<StripeDouble> StartAsync(TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var double_ = new StripeDouble(app, time ?? TimeProvider.System);
        app.Run(double_.HandleAsync);
        await app.StartAsync(cancellationToken);
        double_.BaseAddress = new Uri(app.Urls.Single());
        return double_;
    }

    /// <summary>A Stripe.net client pointed at this double, with Stripe.net's own network retries.</summary>
    public StripeClient CreateClient(int maxNetworkRetries = 2) => new(new StripeClientOptions
    {
        ApiKey = ApiKey,
        ApiBase = BaseAddress.AbsoluteUri.TrimEnd('/'),
        HttpClient = new SystemNetHttpClient(new HttpClient { Timeout = TimeSpan.FromSeconds(20) }, maxNetworkRetries),
    });

    /// <summary>Sets the platform's available balance in a currency (minor units).</summary>
    public void SetAvailableBalance(string currency, long amount)
    {
        lock (_gate)
        {
            _available[currency.ToLowerInvariant()] = amount;
        }
    }

    public long AvailableBalance(string currency)
    {
        lock (_gate)
        {
            return _available.GetValueOrDefault(currency.ToLowerInvariant());
        }
    }

    /// <summary>Marks an account as fully onboarded (or not): charges and payouts enabled, transfers capability active.</summary>
    public void SetAccountReady(string accountId, bool ready)
    {
        var account = _accounts[accountId];
        lock (_gate)
        {
            account["charges_enabled"] = ready;
            account["payouts_enabled"] = ready;
            account["details_submitted"] = ready;
            account["capabilities"] = new JsonObject { ["card_payments"] = ready ? "active" : "inactive", ["transfers"] = ready ? "active" : "inactive" };
        }
    }

    /// <summary>The account object as an <c>account.updated</c> event, signed for delivery to a webhook.</summary>
    public string AccountUpdatedEvent(string accountId) => NewEvent("account.updated", Clone(_accounts[accountId]));

    /// <summary>
    /// Completes a checkout session as if the reader paid, and returns the <c>checkout.session.completed</c> event JSON
    /// Stripe would deliver (sign it with <see cref="SignWebhook"/>).
    /// </summary>
    public string CompleteCheckoutSession(string sessionId)
    {
        var session = _sessions[sessionId];
        lock (_gate)
        {
            session["status"] = "complete";
            session["payment_status"] = "paid";
            session["payment_intent"] = "pi_" + NextId();
            var currency = (string)session["currency"]!;
            _available[currency] = _available.GetValueOrDefault(currency) + (long)session["amount_total"]!;
        }

        return NewEvent("checkout.session.completed", Clone(session));
    }

    /// <summary>An event of any type around <paramref name="data"/> (a refund, a dispute), for webhook tests.</summary>
    public string NewEvent(string type, JsonObject data)
    {
        var evt = Fixture("event");
        var id = "evt_" + NextId();
        evt["id"] = id;
        evt["type"] = type;
        evt["api_version"] = StripeConfiguration.ApiVersion;
        evt["created"] = _time.GetUtcNow().ToUnixTimeSeconds();
        evt["data"] = new JsonObject { ["object"] = data };
        _events[id] = evt;
        return evt.ToJsonString();
    }

    /// <summary>The <c>Stripe-Signature</c> header for a payload, signed the way Stripe signs webhooks.</summary>
    public static string SignWebhook(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>Forgets stored idempotency keys, as Stripe may after 24 hours.</summary>
    public void ForgetIdempotencyKeys()
    {
        lock (_gate)
        {
            _idempotency.Clear();
        }
    }

    /// <summary>Answers the next request whose path starts with <paramref name="pathPrefix"/> with an error.</summary>
    /// <param name="pathPrefix">For example <c>/v1/transfers</c>.</param>
    /// <param name="status">500, 503, 429, 402 …</param>
    /// <param name="code">Stripe's error code, for example <c>rate_limit</c>.</param>
    /// <param name="afterApplying">True to perform the request and then fail the response (the call succeeded at Stripe, but the caller never heard).</param>
    public void FailNext(string pathPrefix, int status, string code = "api_error", bool afterApplying = false) =>
        _faults.Enqueue(new Fault(pathPrefix, status, code, Hang: false, afterApplying));

    /// <summary>Holds the next matching request open for <paramref name="duration"/> before answering 503.</summary>
    public void HangNext(string pathPrefix, TimeSpan duration) =>
        _faults.Enqueue(new Fault(pathPrefix, 503, "api_error", Hang: true, AfterApplying: false, duration));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        var parameters = form?.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal)
            ?? request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        _requests.Enqueue(new RecordedRequest(request.Method, request.Path, parameters, idempotencyKey, request.Headers.Authorization.ToString()));

        if (request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
        {
            await WriteError(context, 401, "invalid_request_error", "api_key_invalid", "Invalid API Key provided.");
            return;
        }

        var fault = TakeFault(request.Path);
        if (fault is { Hang: true })
        {
            try
            {
                await Task.Delay(fault.Duration, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        if (fault is { AfterApplying: false })
        {
            await WriteFault(context, fault);
            return;
        }

        var fingerprint = $"{request.Method} {request.Path} {string.Join("&", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))}";
        if (request.Method == "POST" && idempotencyKey.Length > 0)
        {
            (string Fingerprint, int Status, string Body) stored;
            bool known;
            lock (_gate)
            {
                known = _idempotency.TryGetValue(idempotencyKey, out stored);
            }

            if (known)
            {
                if (stored.Fingerprint != fingerprint)
                {
                    await WriteError(context, 400, "idempotency_error", null,
                        "Keys for idempotent requests can only be used with the same parameters they were first used with.");
                    return;
                }

                context.Response.Headers["Idempotent-Replayed"] = "true";
                await Write(context, stored.Status, stored.Body);
                return;
            }
        }

        var (status, body) = Dispatch(request.Method, request.Path.Value ?? "/", parameters);
        if (request.Method == "POST" && idempotencyKey.Length > 0)
        {
            lock (_gate)
            {
                _idempotency.TryAdd(idempotencyKey, (fingerprint, status, body));
            }
        }

        if (fault is { AfterApplying: true })
        {
            await WriteFault(context, fault);
            return;
        }

        await Write(context, status, body);
    }

    private (int Status, string Body) Dispatch(string method, string path, Dictionary<string, string> p)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "checkout", "sessions"]) => Ok(CreateSession(p)),
            ("GET", ["v1", "checkout", "sessions", var id]) => Find(_sessions, id, "checkout.session"),
            ("POST", ["v1", "accounts"]) => Ok(CreateAccount(p)),
            ("GET", ["v1", "accounts", var id]) => Find(_accounts, id, "account"),
            ("POST", ["v1", "account_links"]) => CreateAccountLink(p),
            ("POST", ["v1", "transfers"]) => CreateTransfer(p),
            ("GET", ["v1", "transfers"]) => ListTransfers(p),
            ("GET", ["v1", "transfers", var id]) => FindTransfer(id),
            ("GET", ["v1", "balance"]) => Ok(Balance()),
            ("GET", ["v1", "events", var id]) => Find(_events, id, "event"),
            _ => Error(404, "invalid_request_error", "resource_missing", $"Unrecognized request URL ({method}: {path})."),
        };
    }

    private JsonObject CreateSession(Dictionary<string, string> p)
    {
        var session = Fixture("checkout.session");
        var id = "cs_test_" + NextId();
        var amount = long.Parse(p.GetValueOrDefault("line_items[0][price_data][unit_amount]", "0"), CultureInfo.InvariantCulture)
            * long.Parse(p.GetValueOrDefault("line_items[0][quantity]", "1"), CultureInfo.InvariantCulture);
        session["id"] = id;
        session["object"] = "checkout.session";
        session["mode"] = p.GetValueOrDefault("mode", "payment");
        session["amount_total"] = amount;
        session["amount_subtotal"] = amount;
        session["currency"] = p.GetValueOrDefault("line_items[0][price_data][currency]", "eur").ToLowerInvariant();
        session["client_reference_id"] = p.GetValueOrDefault("client_reference_id");
        session["customer_email"] = p.GetValueOrDefault("customer_email");
        session["success_url"] = p.GetValueOrDefault("success_url");
        session["cancel_url"] = p.GetValueOrDefault("cancel_url");
        session["status"] = "open";
        session["payment_status"] = "unpaid";
        session["payment_intent"] = null;
        session["url"] = new Uri(BaseAddress, $"pay/{id}").AbsoluteUri;
        session["metadata"] = Metadata(p);
        session["livemode"] = false;
        _sessions[id] = session;
        return session;
    }

    private JsonObject CreateAccount(Dictionary<string, string> p)
    {
        var account = Fixture("account");
        var id = "acct_" + NextId();
        account["id"] = id;
        account["type"] = p.GetValueOrDefault("type", "express");
        account["email"] = p.GetValueOrDefault("email");
        account["country"] = p.GetValueOrDefault("country", "DE");
        account["default_currency"] = "eur";
        account["metadata"] = Metadata(p);
        account["charges_enabled"] = false;
        account["payouts_enabled"] = false;
        account["details_submitted"] = false;
        account["capabilities"] = new JsonObject { ["card_payments"] = "inactive", ["transfers"] = "inactive" };
        _accounts[id] = account;
        return account;
    }

    private (int, string) CreateAccountLink(Dictionary<string, string> p)
    {
        var accountId = p.GetValueOrDefault("account") ?? string.Empty;
        if (!_accounts.ContainsKey(accountId))
        {
            return Error(400, "invalid_request_error", "resource_missing", $"No such account: '{accountId}'", "account");
        }

        var link = Fixture("account_link");
        link["url"] = new Uri(BaseAddress, $"onboarding/{accountId}?return={Uri.EscapeDataString(p.GetValueOrDefault("return_url", string.Empty))}").AbsoluteUri;
        link["created"] = _time.GetUtcNow().ToUnixTimeSeconds();
        link["expires_at"] = _time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        return Ok(link);
    }

    private (int, string) CreateTransfer(Dictionary<string, string> p)
    {
        if (!long.TryParse(p.GetValueOrDefault("amount"), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return Error(400, "invalid_request_error", "parameter_invalid_integer", "Invalid positive integer", "amount");
        }

        var currency = p.GetValueOrDefault("currency", string.Empty).ToLowerInvariant();
        var destination = p.GetValueOrDefault("destination") ?? string.Empty;
        if (!_accounts.TryGetValue(destination, out var account))
        {
            return Error(400, "invalid_request_error", "resource_missing", $"No such destination: '{destination}'", "destination");
        }

        if ((string?)account["capabilities"]?["transfers"] != "active")
        {
            return Error(400, "invalid_request_error", "insufficient_capabilities_for_transfer",
                "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments", "destination");
        }

        lock (_gate)
        {
            var available = _available.GetValueOrDefault(currency);
            if (available < amount)
            {
                return Error(400, "invalid_request_error", "balance_insufficient",
                    "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.");
            }

            _available[currency] = available - amount;
            var transfer = Fixture("transfer");
            var id = "tr_" + NextId();
            transfer["id"] = id;
            transfer["amount"] = amount;
            transfer["currency"] = currency;
            transfer["destination"] = destination;
            transfer["transfer_group"] = p.GetValueOrDefault("transfer_group");
            transfer["description"] = p.GetValueOrDefault("description");
            transfer["metadata"] = Metadata(p);
            transfer["created"] = _time.GetUtcNow().ToUnixTimeSeconds();
            transfer["balance_transaction"] = "txn_" + NextId();
            transfer["reversals"] = new JsonObject
            {
                ["data"] = new JsonArray(), ["has_more"] = false, ["object"] = "list", ["url"] = $"/v1/transfers/{id}/reversals",
            };
            _transfers.Add(transfer);
            return Ok(transfer);
        }
    }

    private (int, string) ListTransfers(Dictionary<string, string> p)
    {
        var group = p.GetValueOrDefault("transfer_group");
        var limit = int.TryParse(p.GetValueOrDefault("limit"), CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 100) : 10;
        var after = p.GetValueOrDefault("starting_after");
        List<JsonObject> matching;
        lock (_gate)
        {
            // Newest first, as Stripe lists.
            matching = [.. _transfers.Where(t => group is null || (string?)t["transfer_group"] == group).Reverse()];
        }

        var start = after is null ? 0 : matching.FindIndex(t => (string?)t["id"] == after) + 1;
        var page = matching.Skip(start).Take(limit).ToList();
        var list = new JsonObject
        {
            ["object"] = "list",
            ["url"] = "/v1/transfers",
            ["has_more"] = start + page.Count < matching.Count,
            ["data"] = new JsonArray([.. page.Select(t => (JsonNode)t.DeepClone())]),
        };
        return Ok(list);
    }

    private (int, string) FindTransfer(string id)
    {
        lock (_gate)
        {
            var transfer = _transfers.FirstOrDefault(t => (string?)t["id"] == id);
            return transfer is null ? Error(404, "invalid_request_error", "resource_missing", $"No such transfer: '{id}'", "id") : Ok(transfer);
        }
    }

    private JsonObject Balance()
    {
        var balance = Fixture("balance");
        lock (_gate)
        {
            var currencies = _available.Keys.DefaultIfEmpty("eur").ToList();
            balance["available"] = new JsonArray([.. currencies.Select(c => (JsonNode)new JsonObject
            {
                ["amount"] = _available.GetValueOrDefault(c), ["currency"] = c, ["source_types"] = new JsonObject { ["card"] = _available.GetValueOrDefault(c) },
            })]);
            balance["pending"] = new JsonArray([.. currencies.Select(c => (JsonNode)new JsonObject
            {
                ["amount"] = 0, ["currency"] = c, ["source_types"] = new JsonObject { ["card"] = 0 },
            })]);
        }

        return balance;
    }

    private Fault? TakeFault(PathString path)
    {
        lock (_gate)
        {
            if (_faults.TryPeek(out var next) && path.StartsWithSegments(next.PathPrefix, StringComparison.Ordinal))
            {
                _faults.TryDequeue(out _);
                return next;
            }
        }

        return null;
    }

    private static Task WriteFault(HttpContext context, Fault fault)
    {
        // Injected failures must not be retried by Stripe.net behind the test's back: the test decides what comes next.
        context.Response.Headers["Stripe-Should-Retry"] = "false";
        var (type, message) = fault.Status switch
        {
            429 => ("invalid_request_error", "Too many requests hit the API too quickly."),
            402 => ("card_error", "Your card has insufficient funds."),
            >= 500 => ("api_error", "An unexpected error occurred on Stripe's end."),
            _ => ("invalid_request_error", "The request failed."),
        };
        return WriteError(context, fault.Status, type, fault.Code, message);
    }

    private static (int, string) Ok(JsonObject value) => (200, value.ToJsonString());

    private static (int, string) Find(ConcurrentDictionary<string, JsonObject> store, string id, string what) =>
        store.TryGetValue(id, out var value)
            ? (200, value.ToJsonString())
            : Error(404, "invalid_request_error", "resource_missing", $"No such {what}: '{id}'", "id");

    private static (int, string) Error(int status, string type, string? code, string message, string? param = null)
    {
        var error = new JsonObject { ["type"] = type, ["message"] = message };
        if (code is not null)
        {
            error["code"] = code;
        }

        if (param is not null)
        {
            error["param"] = param;
        }

        return (status, new JsonObject { ["error"] = error }.ToJsonString());
    }

    private static Task WriteError(HttpContext context, int status, string type, string? code, string message)
    {
        var (s, body) = Error(status, type, code, message);
        return Write(context, s, body);
    }

    private static Task Write(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["Request-Id"] = "req_" + Guid.NewGuid().ToString("N")[..14];
        return context.Response.WriteAsync(body);
    }

    private static JsonObject Metadata(Dictionary<string, string> p)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in p.Where(p => p.Key.StartsWith("metadata[", StringComparison.Ordinal)))
        {
            metadata[key["metadata[".Length..^1]] = value;
        }

        return metadata;
    }

    private string NextId() =>
        "F" + Interlocked.Increment(ref _sequence).ToString("D8", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N")[..8];

    private static JsonObject Fixture(string name) => (JsonObject)Fixtures[name]!.DeepClone();

    private static JsonObject Clone(JsonObject value) => (JsonObject)value.DeepClone();

    private static JsonObject LoadFixtures()
    {
        using var stream = typeof(StripeDouble).Assembly.GetManifestResourceStream("fixtures3.json")!;
        return (JsonObject)JsonNode.Parse(stream)!["resources"]!;
    }

    private sealed record Fault(string PathPrefix, int Status, string Code, bool Hang, bool AfterApplying, TimeSpan Duration = default);
}

/// <summary>A request the double received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Parameters, string IdempotencyKey, string Authorization);
