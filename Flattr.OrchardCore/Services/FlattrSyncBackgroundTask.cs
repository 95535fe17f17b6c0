using Microsoft.Extensions.DependencyInjection;
using OrchardCore.BackgroundTasks;

namespace Flattr.OrchardCore.Services;

/// <summary>
/// Every minute, on every tenant with the module enabled, sends what is due in the tenant's queue: items whose flush
/// after the request failed (Hub down, slow, refusing), retried with Flattr.Core's exponential backoff, and items
/// published without a request (scheduled publishing, recipes).
/// </summary>
[BackgroundTask(
    Title = "Flattr sync",
    Schedule = "* * * * *",
    Description = "Sends published, unpublished and removed items that are waiting to the Flattr Hub, retrying with backoff.",
    LockTimeout = 1_000,
    LockExpiration = 300_000)]
public sealed class FlattrSyncBackgroundTask : IBackgroundTask
{
    /// <inheritdoc/>
    public Task DoWorkAsync(IServiceProvider serviceProvider, CancellationToken cancellationToken) =>
        serviceProvider.GetRequiredService<FlattrSyncRunner>().RunAsync(cancellationToken);
}
