namespace Flattr.Hub.Clicks;

/// <summary>
/// A reader flattred a thing. A unique index on (reader, thing, period) makes a second click in the same month a no-op
/// in every Hub process at once, with no in-process state.
/// </summary>
public sealed class Click
{
    public long Id { get; set; }

    public required string ReaderId { get; set; }

    public long ThingId { get; set; }

    /// <summary>The creator at the time of the click, so later re-assignment does not rewrite history.</summary>
    public long CreatorId { get; set; }

    /// <summary>The period as <c>yyyy * 100 + MM</c>, for example 202610.</summary>
    public int Period { get; set; }

    public DateTimeOffset ClickedAt { get; set; }

    public static int PeriodKey(Period period) => (period.Year * 100) + period.Month;
}
