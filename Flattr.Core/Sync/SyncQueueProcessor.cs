using System.Net;
using System.Text.Json;
using Flattr.HubClient;
using Flattr.Protocol;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Flattr.Sync;

/// <summary>The outcome of one pass over the queue.</summary>
/// <param name="Sent">Upserts the Hub accepted.</param>
/// <param name="Retired">Retirements the Hub accepted (or never needed).</param>
/// <param name="Deferred">Items put back to try later (Hub down, slow, or refusing the installation).</param>
/// <param name="Failed">Items the Hub or validation refused for good.</param>
public sealed record SyncRunResult(int Sent, int Retired, int Deferred, int Failed);

/// <summary>
/// Drains a sync queue into the Hub: upserts in batches of up to 500, retirements one by one. Nothing is removed from
/// the queue until the Hub has it. A Hub that is down, slow, answering 5xx or refusing the installation (a wrong secret
/// is a configuration problem, not the content's) puts items back with exponential backoff; content the Hub rejects as
/// invalid is marked failed with the reason, for an editor to fix.
/// </summary>
public sealed class SyncQueueProcessor(FlattrHubClient client, ISyncQueueStore store, TimeProvider timeProvider)
{
    /// <summary>Longest wait between attempts for one item.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    /// <summary>The first wait after a failure; it doubles with each further failure.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(15);

    /// <summary>Sends every due item once (up to <paramref name="maxItems"/>) and reports what happened.</summary>
    public async Task<SyncRunResult> DrainOnceAsync(int maxItems = 2000, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        var due = await store.GetDueAsync(now, maxItems, cancellationToken).ConfigureAwait(false);
        int sent = 0, retired = 0, deferred = 0, failed = 0;

        var upserts = new List<SyncItem>();
        foreach (var item in due.Where(i => i.Kind == SyncKind.Upsert))
        {
            var errors = ThingValidation.Validate(item.ExternalId, item.Thing);
            if (errors.Count > 0)
            {
                await FailAsync(item, string.Join(" ", errors.SelectMany(e => e.Value)), cancellationToken).ConfigureAwait(false);
                failed++;
            }
            else
            {
                upserts.Add(item);
            }
        }

        foreach (var batch in upserts.Chunk(Things.ThingLimits.BatchSize))
        {
            var outcome = await SendBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            sent += outcome.Sent;
            deferred += outcome.Deferred;
            failed += outcome.Failed;
        }

        foreach (var item in due.Where(i => i.Kind == SyncKind.Retire))
        {
            try
            {
                await client.RetireThingAsync(item.ExternalId, cancellationToken).ConfigureAwait(false);
                await store.RemoveAsync(item, cancellationToken).ConfigureAwait(false);
                retired++;
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                await DeferAsync(item, Describe(e), cancellationToken).ConfigureAwait(false);
                deferred++;
            }
        }

        return new SyncRunResult(sent, retired, deferred, failed);
    }

    private async Task<SyncRunResult> SendBatchAsync(SyncItem[] batch, CancellationToken cancellationToken)
    {
        try
        {
            var items = batch.Select(i => ToBatchItem(i)).ToList();
            await client.UpsertThingsAsync(items, cancellationToken).ConfigureAwait(false);
            foreach (var item in batch)
            {
                await store.RemoveAsync(item, cancellationToken).ConfigureAwait(false);
            }

            return new SyncRunResult(batch.Length, 0, 0, 0);
        }
        catch (FlattrHubException e) when (e.StatusCode == HttpStatusCode.BadRequest && e.Problem?.Errors is { Count: > 0 } errors)
        {
            // The Hub names the refused items as things[i].field; those fail, the rest go again on the next pass.
            int failed = 0, deferred = 0;
            for (var i = 0; i < batch.Length; i++)
            {
                var mine = errors.Where(x => x.Key.StartsWith($"things[{i}].", StringComparison.Ordinal)).SelectMany(x => x.Value).ToList();
                if (mine.Count > 0)
                {
                    await FailAsync(batch[i], string.Join(" ", mine), cancellationToken).ConfigureAwait(false);
                    failed++;
                }
                else
                {
                    await store.UpdateAsync(batch[i], batch[i] with { NextAttemptAt = timeProvider.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
                    deferred++;
                }
            }

            return new SyncRunResult(0, 0, deferred, failed);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            foreach (var item in batch)
            {
                await DeferAsync(item, Describe(e), cancellationToken).ConfigureAwait(false);
            }

            return new SyncRunResult(0, 0, batch.Length, 0);
        }
    }

    private Task FailAsync(SyncItem item, string reason, CancellationToken cancellationToken) =>
        store.UpdateAsync(item, item with { Failed = true, LastError = reason, Attempts = item.Attempts + 1 }, cancellationToken);

    private Task DeferAsync(SyncItem item, string reason, CancellationToken cancellationToken)
    {
        var attempts = item.Attempts + 1;
        var wait = TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(attempts - 1, 20), MaxBackoff.Ticks));
        // Jitter of up to a fifth, so many sites coming back after a Hub outage do not all retry in the same second.
        wait += TimeSpan.FromTicks((long)(wait.Ticks * 0.2 * Random.Shared.NextDouble()));
        var updated = item with { Attempts = attempts, LastError = reason, NextAttemptAt = timeProvider.GetUtcNow() + wait };
        return store.UpdateAsync(item, updated, cancellationToken);
    }

    private static ThingBatchItem ToBatchItem(SyncItem item)
    {
        var thing = item.Thing!;
        return new ThingBatchItem
        {
            ExternalId = item.ExternalId,
            Url = thing.Url,
            Title = thing.Title,
            Description = thing.Description,
            Category = thing.Category,
            Language = thing.Language,
            Tags = thing.Tags,
            Hidden = thing.Hidden,
            Creator = thing.Creator,
        };
    }

    // Everything except a permanent refusal of the content itself is worth trying again later: the Hub being down
    // (connection refused), slow (timeouts), overloaded (5xx, 429), tripped circuit, or refusing the installation
    // (401/403, fixed by correcting the configuration).
    private static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        FlattrHubException hub => !hub.IsPermanent || hub.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || hub.StatusCode == HttpStatusCode.BadRequest, // a 400 without item errors: the batch as a whole, try again
        HttpRequestException or TimeoutRejectedException or BrokenCircuitException or OperationCanceledException or JsonException => true,
        _ => false,
    };

    private static string Describe(Exception e) => e switch
    {
        FlattrHubException hub => hub.Message,
        BrokenCircuitException => "The Hub failed repeatedly; waiting before trying again.",
        TimeoutRejectedException or OperationCanceledException => "The Hub did not answer in time.",
        HttpRequestException http => $"The Hub could not be reached: {http.Message}",
        _ => e.Message,
    };
}

/// <summary>Serialises sync items for stores that keep them as text (Umbraco's key-value table, for example).</summary>
public static class SyncItemJson
{
    /// <summary>The item as compact JSON.</summary>
    public static string Serialize(SyncItem item) => JsonSerializer.Serialize(item, SyncJsonContext.Default.SyncItem);

    /// <summary>An item from <see cref="Serialize"/>'s JSON.</summary>
    public static SyncItem Deserialize(string json) =>
        JsonSerializer.Deserialize(json, SyncJsonContext.Default.SyncItem) ?? throw new JsonException("A sync item cannot be null.");
}
