using System.Globalization;
using System.Net;
using Flattr.Hub.IntegrationTests.Clicks;
using static Flattr.Hub.IntegrationTests.Clicks.FlattringTestData;

namespace Flattr.Hub.IntegrationTests.Readers;

/// <summary>/Readers/Flattrs: a reader's flattrs this month and in earlier months.</summary>
public abstract class FlattrsPageTests(FlattringFixture hub)
{
    [Fact]
    public async Task Get_Anonymous_RedirectsToSignIn()
    {
        using var anonymous = hub.NewBrowserlessClient();

        var response = await anonymous.GetAsync(new Uri("Readers/Flattrs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Accounts/SignIn", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SignedIn_ListsThisMonthAndEarlierMonthsGroupedNewestFirst()
    {
        var site = await hub.AddInstallationAsync("Ann's blog");
        var old = await hub.PutThingAsync(site, "old", title: "Older post", url: "https://blog.example/older");
        var both = await hub.PutThingAsync(site, "both", title: "Evergreen", url: "https://blog.example/evergreen");
        var reader = await hub.CreateReaderAsync();
        var someoneElse = await hub.CreateReaderAsync();
        var token = await hub.CreateApiTokenAsync(reader.Id);
        var period = Period.Containing(hub.Time.GetUtcNow());
        await hub.PostFlattrAsync(token, long.Parse(old.Id, CultureInfo.InvariantCulture));
        await hub.PostFlattrAsync(token, long.Parse(both.Id, CultureInfo.InvariantCulture));
        await hub.PostFlattrAsync(await hub.CreateApiTokenAsync(someoneElse.Id), long.Parse(old.Id, CultureInfo.InvariantCulture));
        hub.Time.SetUtcNow(period.Next.Start.AddDays(3));
        await hub.PostFlattrAsync(token, long.Parse(both.Id, CultureInfo.InvariantCulture));
        using var browser = await hub.SignedInClientAsync(reader);

        var response = await browser.GetAsync(new Uri("Readers/Flattrs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await ReadHtmlAsync(response);
        var thisMonth = html.QuerySelector("section[aria-labelledby=this-month]")!;
        var history = html.QuerySelector("section[aria-labelledby=history]")!;
        Assert.Equal(Flattr.Hub.Clicks.FlattrModel.MonthName(period.Next), thisMonth.QuerySelector("h2")!.TextContent);
        var current = Assert.Single(thisMonth.QuerySelectorAll("tbody tr"));
        Assert.Equal("https://blog.example/evergreen", current.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("Evergreen", current.QuerySelector("a")!.TextContent);
        Assert.Contains("Ann Author", current.TextContent, StringComparison.Ordinal);
        Assert.Equal(Flattr.Hub.Clicks.FlattrModel.MonthName(period), Assert.Single(history.QuerySelectorAll("h3")).TextContent);
        Assert.Equal(["Evergreen", "Older post"], history.QuerySelectorAll("tbody tr a").Select(a => a.TextContent).Order());
    }

    [Fact]
    public async Task Get_ReaderWithoutBudgetOrFlattrs_SaysSoAndLinksToSettings()
    {
        var reader = await hub.CreateReaderAsync(monthlyBudget: 0);
        using var browser = await hub.SignedInClientAsync(reader);

        var html = await ReadHtmlAsync(await browser.GetAsync(new Uri("Readers/Flattrs", UriKind.Relative)));

        Assert.NotNull(html.QuerySelector(".hint a[href='/Accounts/Settings']"));
        Assert.Contains("not flattred anything this month", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(html.QuerySelector("section[aria-labelledby=history]"));
    }
}

public sealed class FlattrsPageSqliteTests(FlattringSqliteFixture hub) : FlattrsPageTests(hub), IClassFixture<FlattringSqliteFixture>;

public sealed class FlattrsPagePostgresTests(FlattringPostgresFixture hub) : FlattrsPageTests(hub), IClassFixture<FlattringPostgresFixture>;
