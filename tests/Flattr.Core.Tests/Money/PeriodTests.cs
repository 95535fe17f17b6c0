namespace Flattr.Core.Tests.Money;

public sealed class PeriodTests
{
    [Fact]
    public void StartAndEnd_AreTheFirstInstantsOfTheMonthAndTheNextInUtc()
    {
        var december = new Period(2026, 12);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), december.Start);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), december.End);
        Assert.Equal(new Period(2027, 1), december.Next);
        Assert.Equal(new Period(2026, 11), december.Previous);
    }

    [Fact]
    public void Containing_UsesUtcWhateverTheOffset()
    {
        // Local midnight on 1 November in Berlin is still October in UTC.
        var berlinMidnight = new DateTimeOffset(2026, 11, 1, 0, 30, 0, TimeSpan.FromHours(1));

        Assert.Equal(new Period(2026, 10), Period.Containing(berlinMidnight));
        Assert.True(new Period(2026, 10).Contains(berlinMidnight));
        Assert.False(new Period(2026, 11).Contains(berlinMidnight));
    }

    [Theory]
    [InlineData("2026-10", 2026, 10)]
    [InlineData("0001-01", 1, 1)]
    public void Parse_YearDashMonth_RoundTrips(string text, int year, int month)
    {
        var period = Period.Parse(text);

        Assert.Equal(new Period(year, month), period);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-1")]
    [InlineData("26-10")]
    [InlineData("2026/10")]
    [InlineData("2026-10-01")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_AnythingButYearDashMonth_IsRefused(string? text)
    {
        Assert.False(Period.TryParse(text, out _));
    }

    [Fact]
    public void Periods_OrderByTime()
    {
        Assert.True(new Period(2026, 12) < new Period(2027, 1));
        Assert.True(new Period(2026, 2) > new Period(2025, 12));
    }
}
