using CsCheck;

namespace Flattr.Core.Tests.Money;

public sealed class MoneyTests
{
    private static readonly Currency Eur = Currency.Eur;

    [Theory]
    [InlineData("2.00", 200)]
    [InlineData("2", 200)]
    [InlineData("0.5", 50)]
    [InlineData("10.05", 1005)]
    [InlineData("-1.25", -125)]
    [InlineData(" 3.10 ", 310)]
    public void Parse_MajorUnitText_GivesExactMinorUnits(string text, long minorUnits)
    {
        Assert.Equal(new Flattr.Money(minorUnits, Eur), Flattr.Money.Parse(text, Eur));
    }

    [Theory]
    [InlineData("2.001")]
    [InlineData("2.")]
    [InlineData(".5")]
    [InlineData("1e3")]
    [InlineData("1,50")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    public void Parse_TextThatIsNotAnExactAmount_IsRefusedNotRounded(string text)
    {
        Assert.False(Flattr.Money.TryParse(text, Eur, out _));
        Assert.Throws<FormatException>(() => Flattr.Money.Parse(text, Eur));
    }

    [Fact]
    public void Parse_ZeroDecimalCurrency_RefusesFractions()
    {
        var yen = Currency.FromCode("JPY");

        Assert.Equal(500, Flattr.Money.Parse("500", yen).MinorUnits);
        Assert.False(Flattr.Money.TryParse("500.5", yen, out _));
    }

    [Theory]
    [InlineData(1234, "EUR", "EUR 12.34")]
    [InlineData(-5, "EUR", "EUR -0.05")]
    [InlineData(500, "JPY", "JPY 500")]
    [InlineData(1500, "KWD", "KWD 1.500")]
    public void ToString_UsesTheCurrencysMinorDigits(long minorUnits, string code, string expected)
    {
        Assert.Equal(expected, new Flattr.Money(minorUnits, Currency.FromCode(code)).ToString());
    }

    [Fact]
    public void Add_DifferentCurrencies_Throws()
    {
        var euros = new Flattr.Money(100, Eur);
        var dollars = new Flattr.Money(100, Currency.FromCode("USD"));

        Assert.Throws<InvalidOperationException>(() => euros + dollars);
    }

    [Fact]
    public void Add_PastTheLargestAmount_ThrowsInsteadOfWrapping()
    {
        var big = new Flattr.Money(long.MaxValue, Eur);

        Assert.Throws<OverflowException>(() => big + new Flattr.Money(1, Eur));
    }

    [Fact]
    public void FromCode_UnknownCode_NamesIt()
    {
        var error = Assert.Throws<FormatException>(() => Currency.FromCode("XYZ"));

        Assert.Contains("XYZ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_ElevenCentsBySeven_GivesFourTwosAndThreeOnesNeverANegativePart()
    {
        // NodaMoney's SafeDivide famously gives six × 0.02 and a last part of −0.01 here.
        var parts = new Flattr.Money(11, Eur).Allocate(7);

        Assert.Equal([2L, 2, 2, 2, 1, 1, 1], parts.Select(p => p.MinorUnits));
    }

    [Fact]
    public void Allocate_ByWeights_UsesLargestRemainders()
    {
        // 32 by [2, 5, 2]: exact 7.11 / 17.78 / 7.11 → Hamilton [7, 18, 7] (Ruby money gives [8, 17, 7]).
        var parts = new Flattr.Money(32, Eur).Allocate([2, 5, 2]);

        Assert.Equal([7L, 18, 7], parts.Select(p => p.MinorUnits));
    }

    [Fact]
    public void Allocate_ByWeights_TiedRemaindersGoToTheEarlierPart()
    {
        Assert.Equal([34L, 33, 33], new Flattr.Money(100, Eur).Allocate([1, 1, 1]).Select(p => p.MinorUnits));
    }

    [Fact]
    public void Allocate_AnyTotalIntoAnyParts_SumsExactlyAndDiffersByAtMostOne()
    {
        Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000], Gen.Int[1, 500]).Sample((total, n) =>
        {
            var shares = new long[n];
            MoneyAllocation.Split(total, shares);
            return shares.Sum() == total && shares.Max() - shares.Min() <= 1;
        });
    }

    [Fact]
    public void SplitByWeights_AnyWeights_SumsExactlyAndEachPartIsFloorOrCeilingOfItsQuota()
    {
        Gen.Select(Gen.Long[0, 1_000_000_000_000_000], Gen.Long[0, 1_000_000].Array[1, 40]).Sample((total, weights) =>
        {
            if (weights.All(w => w == 0))
            {
                return true;
            }

            var shares = new long[weights.Length];
            MoneyAllocation.SplitByWeights(total, weights, shares);
            Int128 weightSum = 0;
            foreach (var w in weights)
            {
                weightSum += w;
            }

            var withinQuota = shares.Select((share, i) =>
            {
                var floor = (Int128)total * weights[i] / weightSum;
                return share == floor || share == floor + 1;
            }).All(ok => ok);
            Int128 sum = 0;
            foreach (var share in shares)
            {
                sum += share;
            }

            return sum == total && withinQuota;
        });
    }
}
