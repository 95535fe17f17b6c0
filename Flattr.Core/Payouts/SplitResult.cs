namespace Flattr.Payouts;

/// <summary>The outcome of splitting one period's budgets among the creators of the things readers flattred.</summary>
/// <param name="Period">The month that was split.</param>
/// <param name="FeeBasisPoints">The platform fee, in hundredths of a percent.</param>
/// <param name="TotalBudget">The sum of every reader's budget, in minor units.</param>
/// <param name="Fee">The platform fee taken from readers who flattred something.</param>
/// <param name="CarriedOver">Budgets of readers who flattred nothing, kept for them whole.</param>
/// <param name="Distributed">What creators receive in total.</param>
/// <param name="Creators">Each creator's amount (only amounts above zero), in ordinal order of creator id.</param>
/// <param name="Statistics">Counts that explain the result.</param>
public sealed record SplitResult(
    Period Period,
    int FeeBasisPoints,
    long TotalBudget,
    long Fee,
    long CarriedOver,
    long Distributed,
    IReadOnlyList<CreatorAmount> Creators,
    SplitStatistics Statistics);

/// <summary>What one creator receives for a period, in minor units.</summary>
/// <param name="CreatorId">The creator.</param>
/// <param name="Amount">The amount, above zero.</param>
public sealed record CreatorAmount(string CreatorId, long Amount);

/// <summary>How the click rows of a split were counted.</summary>
/// <param name="ClickRows">Every click row given to the engine.</param>
/// <param name="CountedClicks">Distinct (reader, thing) pairs in the period, excluding self-flattrs.</param>
/// <param name="DuplicateClicks">Rows for a (reader, thing) pair already seen in the period.</param>
/// <param name="SelfClicks">Rows in the period where the reader is the thing's creator; ignored.</param>
/// <param name="ClicksOutsidePeriod">Rows whose time falls outside the period; ignored.</param>
/// <param name="ReadersWithBudget">Readers with a budget row.</param>
/// <param name="ReadersWhoFlattred">Readers with at least one counted click.</param>
/// <param name="Things">Distinct things seen.</param>
/// <param name="CreatorsPaid">Creators with an amount above zero.</param>
public sealed record SplitStatistics(
    long ClickRows,
    long CountedClicks,
    long DuplicateClicks,
    long SelfClicks,
    long ClicksOutsidePeriod,
    int ReadersWithBudget,
    int ReadersWhoFlattred,
    int Things,
    int CreatorsPaid);

/// <summary>How one reader's budget was split; passed to an observer of <see cref="MonthlySplit.Compute"/>.</summary>
/// <param name="ReaderId">The reader.</param>
/// <param name="Budget">The reader's budget (zero without a budget row).</param>
/// <param name="Fee">The fee taken from it.</param>
/// <param name="CarriedOver">The part kept for the reader because nothing was flattred.</param>
/// <param name="Shares">One share per counted thing, earliest click first (ties by thing id).</param>
public sealed record ReaderSplit(string ReaderId, long Budget, long Fee, long CarriedOver, IReadOnlyList<ThingShare> Shares);

/// <summary>One thing's share of one reader's budget.</summary>
/// <param name="ThingId">The thing.</param>
/// <param name="CreatorId">Its creator, who receives the amount.</param>
/// <param name="FirstClickedAt">The reader's earliest counted click on the thing, in UTC.</param>
/// <param name="Amount">The share, in minor units.</param>
public sealed record ThingShare(string ThingId, string CreatorId, DateTimeOffset FirstClickedAt, long Amount);

/// <summary>Bad input to the split engine: a duplicate budget, a thing with two creators, an out-of-range amount.</summary>
public sealed class SplitInputException : Exception
{
    /// <summary>Creates the exception with a message for the person who supplied the input.</summary>
    public SplitInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public SplitInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public SplitInputException()
        : base("The split input is invalid.")
    {
    }
}
