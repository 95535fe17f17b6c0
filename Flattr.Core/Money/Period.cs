using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Flattr;

/// <summary>A calendar month in UTC: the unit in which readers' budgets are split.</summary>
public readonly record struct Period : IComparable<Period>
{
    /// <summary>Creates the period for <paramref name="year"/> (1..9998) and <paramref name="month"/> (1..12).</summary>
    public Period(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    /// <summary>The year.</summary>
    public int Year { get; }

    /// <summary>The month, 1 to 12.</summary>
    public int Month { get; }

    /// <summary>The first instant of the month, in UTC (inclusive).</summary>
    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The first instant of the next month, in UTC (exclusive).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    /// <summary>The following month.</summary>
    public Period Next => Month == 12 ? new Period(Year + 1, 1) : new Period(Year, Month + 1);

    /// <summary>The preceding month.</summary>
    public Period Previous => Month == 1 ? new Period(Year - 1, 12) : new Period(Year, Month - 1);

    /// <summary>The period that contains <paramref name="instant"/>, whatever offset the instant carries.</summary>
    public static Period Containing(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new Period(utc.Year, utc.Month);
    }

    /// <summary>True when <paramref name="instant"/> lies in [<see cref="Start"/>, <see cref="End"/>).</summary>
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    /// <summary>Parses <c>yyyy-MM</c>, for example <c>2026-10</c>.</summary>
    public static Period Parse(string text) =>
        TryParse(text, out var period)
            ? period
            : throw new FormatException($"'{text}' is not a period; expected a month as yyyy-MM, for example 2026-10.");

    /// <summary>Parses <c>yyyy-MM</c> without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Period period)
    {
        period = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || year is < 1 or > 9998 || month is < 1 or > 12)
        {
            return false;
        }

        period = new Period(year, month);
        return true;
    }

    /// <inheritdoc/>
    public int CompareTo(Period other) => (Year, Month).CompareTo((other.Year, other.Month));

    /// <summary>Orders periods in time.</summary>
    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;

    /// <summary>Orders periods in time.</summary>
    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;

    /// <summary>Orders periods in time.</summary>
    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;

    /// <summary>Orders periods in time.</summary>
    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;

    /// <summary>Formats as <c>yyyy-MM</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
