using System.Globalization;
using System.Net;
using System.Text;
using System.Threading.RateLimiting;
using Flattr.Hub.Admin;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Flattr.Hub.Payouts;

/// <summary>What an execution did.</summary>
public sealed record ExecutionResult(PayoutRunState State, int Sent, int Failed, int Held, int AwaitingManual, string? PayoutFile);

/// <summary>
/// Pays an approved run. Each payable line is one Stripe transfer with a deterministic idempotency key and the run's
/// transfer group. Before a transfer is requested the line is marked Sending (and the money moved to "in flight" in the
/// ledger); after Stripe answers the transfer id is recorded. A run interrupted at any instant is resumed by looking
/// every Sending line up at Stripe by transfer group first, so no creator is paid twice, even after Stripe has forgotten
/// the idempotency key (24 hours), and none is skipped.
/// </summary>
public sealed class PayoutExecutor(
    HubDbContext db,
    LedgerService ledger,
    PayoutRunService runs,
    PayoutLock payoutLock,
    TimeProvider time,
    IConfiguration configuration,
    IHostEnvironment environment,
    IOptions<StripeOptions> stripeOptions,
    IServiceProvider services,
    ILogger<PayoutExecutor> logger)
{
    public async Task<ExecutionResult> ExecuteAsync(Guid runId, string actor, CancellationToken cancellationToken)
    {
        await using var held = await payoutLock.TryAcquireAsync(cancellationToken)
            ?? throw new HubValidationException("run", "Another payout run is executing right now; try again when it has finished.");

        var run = await runs.FindAsync(runId, cancellationToken);
        if (run.State is not (PayoutRunState.Approved or PayoutRunState.Executing))
        {
            throw new HubValidationException("run", $"Run {run.Id} is {run.State}; only an approved run can be executed.");
        }

        await runs.RequireBalancedLedgerAsync("at the start of the payout run", cancellationToken);
        if (run.State != PayoutRunState.Executing)
        {
            run.State = PayoutRunState.Executing;
            db.AuditEntries.Add(new AuditEntry { Actor = actor, Action = "payout.execute", Subject = run.Id.ToString(), At = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
        }

        FaultPoints.Reach("execute.started");
        string? file = null;
        if (run.Mode == PayoutMode.Manual)
        {
            file = await WritePayoutFileAsync(run, cancellationToken);
        }
        else
        {
            await PayWithStripeAsync(run, cancellationToken);
        }

        var states = await db.PayoutLines.Where(l => l.RunId == run.Id).GroupBy(l => l.State).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        if (states.GetValueOrDefault(PayoutLineState.Pending) + states.GetValueOrDefault(PayoutLineState.Sending)
            + states.GetValueOrDefault(PayoutLineState.AwaitingManual) == 0)
        {
            run.State = PayoutRunState.Completed;
            run.CompletedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        await runs.RequireBalancedLedgerAsync("at the end of the payout run", cancellationToken);
        return new ExecutionResult(
            run.State,
            states.GetValueOrDefault(PayoutLineState.Sent),
            states.GetValueOrDefault(PayoutLineState.Failed),
            states.GetValueOrDefault(PayoutLineState.Held),
            states.GetValueOrDefault(PayoutLineState.AwaitingManual),
            file);
    }

    /// <summary>Puts a failed line back to pending, so the next execution pays it.</summary>
    public async Task RetryLineAsync(long lineId, string actor, CancellationToken cancellationToken)
    {
        var line = await db.PayoutLines.SingleOrDefaultAsync(l => l.Id == lineId, cancellationToken)
            ?? throw new HubValidationException("line", $"There is no payout line {lineId}.");
        if (line.State != PayoutLineState.Failed)
        {
            throw new HubValidationException("line", $"Line {lineId} is {line.State}; only a failed line can be retried.");
        }

        var run = await runs.FindAsync(line.RunId, cancellationToken);
        SetState(line, PayoutLineState.Pending, $"Retry requested by {actor}.");
        if (run.State == PayoutRunState.Completed)
        {
            run.State = PayoutRunState.Executing;
            run.CompletedAt = null;
        }

        db.AuditEntries.Add(new AuditEntry { Actor = actor, Action = "payout.retry-line", Subject = lineId.ToString(CultureInfo.InvariantCulture), At = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Manual mode: the admin paid a line outside Stripe.</summary>
    public async Task MarkPaidAsync(long lineId, string actor, string? reference, CancellationToken cancellationToken)
    {
        var line = await db.PayoutLines.Include(l => l.Parts).SingleOrDefaultAsync(l => l.Id == lineId, cancellationToken)
            ?? throw new HubValidationException("line", $"There is no payout line {lineId}.");
        if (line.State != PayoutLineState.AwaitingManual)
        {
            throw new HubValidationException("line", $"Line {lineId} is {line.State}; only a line in a payout file can be marked paid.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        ledger.Book("payout.manual", $"payout:{line.RunId:N}:{line.Id}:manual", actor, reference,
            [.. line.Parts.Select(p => (LedgerAccounts.CreatorEarnings(p.CreatorId), p.Amount)), (LedgerAccounts.ManualPayouts, -line.Amount)]);
        SetState(line, PayoutLineState.PaidManually, reference is null ? $"Marked paid by {actor}." : $"Marked paid by {actor}: {reference}");
        db.AuditEntries.Add(new AuditEntry { Actor = actor, Action = "payout.mark-paid", Subject = lineId.ToString(CultureInfo.InvariantCulture), Details = reference, At = time.GetUtcNow() });
        await db.SaveChangesAsync(cancellationToken);

        var run = await runs.FindAsync(line.RunId, cancellationToken);
        if (!await db.PayoutLines.AnyAsync(l => l.RunId == run.Id && (l.State == PayoutLineState.AwaitingManual || l.State == PayoutLineState.Pending), cancellationToken))
        {
            run.State = PayoutRunState.Completed;
            run.CompletedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task PayWithStripeAsync(PayoutRun run, CancellationToken cancellationToken)
    {
        var stripe = services.GetService<StripeClient>()
            ?? throw new HubValidationException("stripe", "This run pays through Stripe but Hub:Stripe:SecretKey is not configured.");
        using var limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = stripeOptions.Value.MaxRequestsPerSecond,
            TokensPerPeriod = stripeOptions.Value.MaxRequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            AutoReplenishment = true,
        });
        var transfers = new TransferService(stripe);

        // Resume: every line that was Sending when the last execution stopped is looked up before anything is sent.
        var sending = await db.PayoutLines.Include(l => l.Parts).Where(l => l.RunId == run.Id && l.State == PayoutLineState.Sending).ToListAsync(cancellationToken);
        if (sending.Count > 0)
        {
            var found = await FindTransfersAsync(transfers, run, limiter, cancellationToken);
            foreach (var line in sending)
            {
                if (found.TryGetValue(line.Id, out var transfer))
                {
                    await RecordSentAsync(run, line, transfer, cancellationToken);
                }
                else
                {
                    await SendAsync(run, line, transfers, limiter, alreadyInFlight: true, cancellationToken);
                }
            }
        }

        var pending = await db.PayoutLines.Where(l => l.RunId == run.Id && l.State == PayoutLineState.Pending).OrderBy(l => l.Id)
            .Select(l => l.Id).ToListAsync(cancellationToken);
        foreach (var lineId in pending)
        {
            var line = await db.PayoutLines.Include(l => l.Parts).SingleAsync(l => l.Id == lineId, cancellationToken);
            await SendAsync(run, line, transfers, limiter, alreadyInFlight: false, cancellationToken);
        }
    }

    private async Task SendAsync(PayoutRun run, PayoutLine line, TransferService transfers, RateLimiter limiter, bool alreadyInFlight, CancellationToken cancellationToken)
    {
        if (!alreadyInFlight && line.Attempts > 0)
        {
            // A retry after a failure: make sure no earlier attempt reached Stripe after all before sending a new one.
            var earlier = await FindTransfersAsync(transfers, run, limiter, cancellationToken);
            if (earlier.TryGetValue(line.Id, out var existing))
            {
                await BookInFlightAsync(run, line, cancellationToken);
                await RecordSentAsync(run, line, existing, cancellationToken);
                return;
            }
        }

        if (!alreadyInFlight)
        {
            await BookInFlightAsync(run, line, cancellationToken);
        }

        FaultPoints.Reach("execute.before-transfer");
        var options = new TransferCreateOptions
        {
            Amount = line.Amount,
            Currency = run.Currency.ToLowerInvariant(),
            Destination = line.Destination,
            TransferGroup = run.TransferGroup,
            Description = $"Flattr {run.PeriodValue}",
            Metadata = new Dictionary<string, string>
            {
                ["flattr_run"] = run.Id.ToString("N"),
                ["flattr_line"] = line.Id.ToString(CultureInfo.InvariantCulture),
                ["flattr_payee"] = line.PayeeId,
            },
        };

        for (var attempt = 1; ; attempt++)
        {
            using var lease = await limiter.AcquireAsync(1, cancellationToken);
            try
            {
                // Stripe stores the outcome of a key, failures included, so each attempt after a definite failure has
                // its own key; a resumed attempt (crash, lost answer) keeps the key of the attempt it resumes.
                var key = $"{line.IdempotencyKey}:{line.Attempts}";
                var transfer = await transfers.CreateAsync(options, new RequestOptions { IdempotencyKey = key }, cancellationToken);
                FaultPoints.Reach("execute.after-transfer-before-record");
                await RecordSentAsync(run, line, transfer, cancellationToken);
                FaultPoints.Reach("execute.after-record");
                return;
            }
            catch (StripeException e) when (e.HttpStatusCode == (HttpStatusCode)429 && attempt < 5)
            {
                // Stripe's rate limit: wait and ask again with the same key.
                Log.StripeRateLimited(logger, line.Id, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), time, cancellationToken);
            }
            catch (StripeException e) when (IsAmbiguous(e))
            {
                // Stripe may or may not have made the transfer; find out before deciding.
                var found = await FindTransfersAsync(transfers, run, limiter, cancellationToken);
                if (found.TryGetValue(line.Id, out var transfer))
                {
                    await RecordSentAsync(run, line, transfer, cancellationToken);
                }
                else
                {
                    await RecordFailedAsync(run, line, $"Stripe did not answer ({(int)e.HttpStatusCode}): {e.StripeError?.Message ?? e.Message}", cancellationToken);
                }

                return;
            }
            catch (StripeException e)
            {
                await RecordFailedAsync(run, line, e.StripeError?.Message ?? e.Message, cancellationToken);
                return;
            }
        }
    }

    private async Task BookInFlightAsync(PayoutRun run, PayoutLine line, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        line.Attempts++;
        ledger.Book("payout.in-flight", Reference(run, line, "in-flight"), "payout-run", null,
            [.. line.Parts.Select(p => (LedgerAccounts.CreatorEarnings(p.CreatorId), p.Amount)), (LedgerAccounts.TransfersInFlight, -line.Amount)]);
        SetState(line, PayoutLineState.Sending, $"Transfer {line.Attempts} requested.");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RecordSentAsync(PayoutRun run, PayoutLine line, Transfer transfer, CancellationToken cancellationToken)
    {
        // Stripe's id is recorded once; any later report must name the same transfer.
        if (line.StripeTransferId is not null && line.StripeTransferId != transfer.Id)
        {
            throw new InvalidOperationException($"Line {line.Id} already records transfer {line.StripeTransferId}, but Stripe reported {transfer.Id}.");
        }

        if (transfer.Amount != line.Amount)
        {
            throw new InvalidOperationException($"Transfer {transfer.Id} is for {transfer.Amount}, but line {line.Id} is for {line.Amount}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        line.StripeTransferId = transfer.Id;
        ledger.Book("payout.sent", Reference(run, line, "sent"), "payout-run", transfer.Id,
            (LedgerAccounts.TransfersInFlight, line.Amount), (LedgerAccounts.StripeClearing, -line.Amount));
        SetState(line, PayoutLineState.Sent, transfer.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task RecordFailedAsync(PayoutRun run, PayoutLine line, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        ledger.Book("payout.failed", Reference(run, line, "failed"), "payout-run", reason,
            [(LedgerAccounts.TransfersInFlight, line.Amount), .. line.Parts.Select(p => (LedgerAccounts.CreatorEarnings(p.CreatorId), -p.Amount))]);
        line.Reason = reason;
        SetState(line, PayoutLineState.Failed, reason);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.PayoutLineFailed(logger, line.Id, reason);
    }

    private static async Task<Dictionary<long, Transfer>> FindTransfersAsync(TransferService transfers, PayoutRun run, RateLimiter limiter, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, Transfer>();
        using var lease = await limiter.AcquireAsync(1, cancellationToken);
        await foreach (var transfer in transfers.ListAutoPagingAsync(new TransferListOptions { TransferGroup = run.TransferGroup, Limit = 100 }, cancellationToken: cancellationToken))
        {
            if (transfer.Metadata.TryGetValue("flattr_line", out var id) && long.TryParse(id, CultureInfo.InvariantCulture, out var lineId))
            {
                found[lineId] = transfer;
            }
        }

        return found;
    }

    private async Task<string> WritePayoutFileAsync(PayoutRun run, CancellationToken cancellationToken)
    {
        var lines = await db.PayoutLines.Where(l => l.RunId == run.Id && (l.State == PayoutLineState.Pending || l.State == PayoutLineState.AwaitingManual))
            .OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var payees = lines.Select(l => l.PayeeId).ToList();
        var emails = await db.Users.Where(u => payees.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email ?? string.Empty, cancellationToken);
        var folder = Path.Combine(HubPaths.DataDirectory(configuration, environment.ContentRootPath), "payouts");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{run.PeriodValue}-{run.Id:N}.csv");
        var csv = new StringBuilder("line,payee,email,amount_minor_units,currency,reference\n");
        var currency = Currency.FromCode(run.Currency);
        foreach (var line in lines)
        {
            csv.Append(line.Id.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(line.PayeeId)).Append(',').Append(Csv(emails.GetValueOrDefault(line.PayeeId, string.Empty)))
                .Append(',').Append(line.Amount.ToString(CultureInfo.InvariantCulture)).Append(',').Append(currency.Code).Append(',').Append(Csv(line.IdempotencyKey)).Append('\n');
            if (line.State == PayoutLineState.Pending)
            {
                SetState(line, PayoutLineState.AwaitingManual, $"In payout file {Path.GetFileName(path)}.");
            }
        }

        await System.IO.File.WriteAllTextAsync(path, csv.ToString(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return path;
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private void SetState(PayoutLine line, PayoutLineState state, string? detail)
    {
        line.State = state;
        line.UpdatedAt = time.GetUtcNow();
        db.PayoutLineEvents.Add(new PayoutLineEvent { LineId = line.Id, State = state, Detail = detail, At = line.UpdatedAt });
    }

    private static string Reference(PayoutRun run, PayoutLine line, string step) => $"payout:{run.Id:N}:{line.Id}:{line.Attempts}:{step}";

    private static bool IsAmbiguous(StripeException e) =>
        e.HttpStatusCode is >= HttpStatusCode.InternalServerError or HttpStatusCode.Conflict || e.HttpStatusCode == 0;
}
