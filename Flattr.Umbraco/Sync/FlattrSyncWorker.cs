using Flattr.Umbraco.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flattr.Umbraco.Sync;

/// <summary>
/// The background worker that drains the outbox: one <see cref="FlattrSyncRunner"/> pass on every tick of a
/// <see cref="PeriodicTimer"/> driven by the injected <see cref="TimeProvider"/>. A failed pass is logged and the next
/// tick tries again; the outbox itself is never touched by a failure.
/// </summary>
internal sealed class FlattrSyncWorker(
    IServiceScopeFactory scopes,
    IOptionsMonitor<FlattrOptions> options,
    TimeProvider timeProvider,
    ILogger<FlattrSyncWorker> logger) : BackgroundService
{
    private readonly TaskCompletionSource _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised each time a pass has finished (successfully or not); for tests and diagnostics.</summary>
    internal event Action<SyncPassResult?>? PassCompleted;

    /// <summary>Completes once the timer runs (the host starts <see cref="ExecuteAsync"/> on a thread of its own).</summary>
    internal Task TimerStarted => _timerStarted.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.Sync.Interval, timeProvider);
        _timerStarted.TrySetResult();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                SyncPassResult? result = null;
                try
                {
                    var scope = scopes.CreateAsyncScope();
                    await using (scope.ConfigureAwait(false))
                    {
                        result = await scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>().RunOnceAsync(stoppingToken).ConfigureAwait(false);
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.SyncPassFailed(logger, e);
                }

                PassCompleted?.Invoke(result);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; whatever is still queued is sent after the restart.
        }
    }
}
