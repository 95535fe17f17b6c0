namespace Flattr.Hub.Payouts;

/// <summary>Where a payout run is in its lifecycle. Every step is recorded before the next one starts.</summary>
public enum PayoutRunState
{
    /// <summary>Inputs frozen at the cutoff: every reader's budget for the period.</summary>
    Created,

    /// <summary>The whole plan is saved: allocations per creator and a line per payee. No money has moved.</summary>
    Computed,

    /// <summary>An admin approved the plan; the period's budgets are booked in the ledger.</summary>
    Approved,

    /// <summary>Lines are being paid.</summary>
    Executing,

    /// <summary>No line is waiting or in flight.</summary>
    Completed,
}

/// <summary>How lines are paid.</summary>
public enum PayoutMode
{
    /// <summary>One Stripe Connect transfer per payable line.</summary>
    Stripe,

    /// <summary>A payout file for the admin, who pays outside Stripe and marks lines paid.</summary>
    Manual,
}

/// <summary>The monthly payout for one period. At most one run per period.</summary>
public sealed class PayoutRun
{
    public Guid Id { get; set; }

    /// <summary>The period as yyyyMM, unique.</summary>
    public int Period { get; set; }

    /// <summary>The instant the inputs were frozen; a restart reuses it.</summary>
    public DateTimeOffset Cutoff { get; set; }

    public PayoutRunState State { get; set; }

    public PayoutMode Mode { get; set; }

    public required string Currency { get; set; }

    public int FeeBasisPoints { get; set; }

    public long MinimumBudget { get; set; }

    public long MinimumPayout { get; set; }

    public long TotalBudget { get; set; }

    public long Fee { get; set; }

    public long CarriedOver { get; set; }

    public long Distributed { get; set; }

    public long CountedClicks { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ComputedAt { get; set; }

    public string? ApprovedBy { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The Stripe transfer group of every transfer of this run, used to find transfers again after a crash.</summary>
    public string TransferGroup => $"flattr-run-{Id:N}";

    public Period PeriodValue => new(Period / 100, Period % 100);
}

/// <summary>A reader's part in a run: the budget frozen at the cutoff, and what became of it.</summary>
public sealed class PayoutRunReader
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string ReaderId { get; set; }

    public long MonthlyBudget { get; set; }

    public long FundsAtCutoff { get; set; }

    /// <summary>The budget taken for the period: the monthly budget, never more than the funds, zero below the minimum.</summary>
    public long Budget { get; set; }

    public long Fee { get; set; }

    public long Distributed { get; set; }

    public long CarriedOver { get; set; }
}

/// <summary>What one creator (as an installation names it) earned in a run.</summary>
public sealed class PayoutAllocation
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public long CreatorId { get; set; }

    public long Amount { get; set; }
}

/// <summary>The state of one payee's line.</summary>
public enum PayoutLineState
{
    /// <summary>Payable; waiting to be paid.</summary>
    Pending,

    /// <summary>A transfer was started; it is confirmed or looked up before anything else happens.</summary>
    Sending,

    /// <summary>Paid; Stripe's transfer id is recorded.</summary>
    Sent,

    /// <summary>The payment failed; the money is back on the creator balance and an admin may retry.</summary>
    Failed,

    /// <summary>Not payable this run (no connected account, payouts not enabled, below the minimum); the balance stays for a later run.</summary>
    Held,

    /// <summary>Manual mode: in the payout file, waiting for the admin to pay it.</summary>
    AwaitingManual,

    /// <summary>Manual mode: the admin marked it paid.</summary>
    PaidManually,
}

/// <summary>What one person is paid in a run: the balance of every creator they claimed.</summary>
public sealed class PayoutLine
{
    public long Id { get; set; }

    public Guid RunId { get; set; }

    public required string PayeeId { get; set; }

    public long Amount { get; set; }

    public PayoutLineState State { get; set; }

    public string? Reason { get; set; }

    /// <summary>The base of the Stripe idempotency key, derived from the run and the payee; each attempt appends its number.</summary>
    public required string IdempotencyKey { get; set; }

    public string? Destination { get; set; }

    /// <summary>Stripe's transfer id, recorded once and checked on every later update.</summary>
    public string? StripeTransferId { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<PayoutLinePart> Parts { get; set; } = [];
}

/// <summary>The part of a line that comes from one creator's earnings.</summary>
public sealed class PayoutLinePart
{
    public long Id { get; set; }

    public long LineId { get; set; }

    public long CreatorId { get; set; }

    public long Amount { get; set; }
}

/// <summary>Append-only history of a line: every state it entered, when, and why.</summary>
public sealed class PayoutLineEvent
{
    public long Id { get; set; }

    public long LineId { get; set; }

    public PayoutLineState State { get; set; }

    public string? Detail { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>A Hub account's connected Stripe Express account.</summary>
public sealed class PayoutAccount
{
    public required string AccountId { get; set; }

    public required string StripeAccountId { get; set; }

    public bool PayoutsEnabled { get; set; }

    public bool DetailsSubmitted { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
