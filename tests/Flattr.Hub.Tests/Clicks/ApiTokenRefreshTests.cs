using Flattr.Hub.Clicks;

namespace Flattr.Hub.Tests.Clicks;

/// <summary>When a token's use is recorded again: within the precision the token list promises, spread over tokens.</summary>
public sealed class ApiTokenRefreshTests
{
    [Fact]
    public void RefreshAfter_AnyToken_IsBetweenHalfAndAllOfThePrecision()
    {
        var precision = ApiTokenAuthenticationHandler.LastUsedPrecision;
        foreach (var id in Enumerable.Range(1, 10_000).Select(i => (long)i).Append(long.MaxValue).Append(0))
        {
            var refresh = ApiTokenAuthenticationHandler.RefreshAfter(id);
            Assert.InRange(refresh, precision / 2, precision);
        }
    }

    [Fact]
    public void RefreshAfter_ConsecutiveTokens_ComeBackSpreadOverTheWholeHalfMinute()
    {
        // Tokens made one after another (consecutive ids) and first used in the same burst must not come back together.
        var seconds = Enumerable.Range(1, 20_000).Select(id => ApiTokenAuthenticationHandler.RefreshAfter(id).TotalSeconds).ToList();
        var perSecond = seconds.GroupBy(s => (int)s).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(Enumerable.Range(30, 30), perSecond.Keys.Order());
        Assert.All(perSecond.Values, count => Assert.InRange(count, 20_000 / 30 / 2, 20_000 / 30 * 2));
    }
}
