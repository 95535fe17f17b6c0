using Flattr.Buttons;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Protocol;
using Flattr.Things;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Flattr.Hub.IntegrationTests.Browser;

/// <summary>
/// The whole button flow in a real browser (Debian's Chromium, headless, driven by Playwright): an article with a
/// Flattr button, the Hub's flattr page, signing in, confirming, and back. One scenario, on SQLite.
/// Also an admin adding an installation through the admin pages.
/// </summary>
public sealed class FlattrButtonBrowserTests(BrowserHubFixture hub) : IClassFixture<BrowserHubFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private static async Task<(IPlaywright Playwright, IBrowser Browser, IPage Page)> OpenBrowserAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = ChromiumArguments });
        var context = await browser.NewContextAsync();
        // Generous: a busy 2-core CI machine can take many seconds per navigation; a wait ends as soon as its condition holds.
        context.SetDefaultTimeout(120_000);
        return (playwright, browser, await context.NewPageAsync());
    }

    [Fact]
    public async Task FlattrButton_NewReaderSignsUpSetsABudgetConfirms_ReturnsToTheArticleAndSeesTheFlattr()
    {
        var site = await hub.AddInstallationAsync("Ann's blog", hub.SiteAddress.AbsoluteUri);
        var article = new Uri(hub.SiteAddress, "posts/hello-flattr");
        var href = FlattrLinks.Create(
            hub.BaseAddress, site.Secret, new ThingLink(site.Installation.Id, "hello-flattr", article, "Hello, Flattr", ThingCategory.Text, "en", "ann", "Ann Author"));
        hub.ArticleHtml = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Hello, Flattr</title>{ButtonRenderer.RenderHeadLink(href, "Flattr this")}</head>
            <body><article><h1>Hello, Flattr</h1><p>A post worth a flattr.</p>
            {ButtonRenderer.RenderButton(new ButtonContent(href, "Hello, Flattr", "Ann Author"))}
            </article></body></html>
            """;
        var email = $"reader-{Guid.NewGuid():N}@example.org";

        var (playwright, browser, page) = await OpenBrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var step = "open the article";
        try
        {
            await page.GotoAsync(article.AbsoluteUri);

            step = "click the Flattr button";
            await page.ClickAsync("a.flattr-button");
            await page.WaitForURLAsync(url => url.StartsWith(hub.BaseAddress.AbsoluteUri + "flattr?", StringComparison.Ordinal), new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            Assert.Contains("Hello, Flattr", await page.InnerTextAsync("main h1"), StringComparison.Ordinal);
            Assert.Equal("Ann Author", await page.InnerTextAsync(".creator"));
            var flattrPage = page.Url;

            step = "sign up from the flattr page";
            await page.ClickAsync("main a[href^='/Accounts/SignUp']");
            await page.FillAsync("input[name='Input.Email']", email);
            await page.FillAsync("input[name='Input.DisplayName']", "Rita Reader");
            await page.FillAsync("input[name='Input.Password']", "correct horse battery 42");
            await page.ClickAsync("main form button[type=submit]");
            await page.WaitForURLAsync(flattrPage, new() { WaitUntil = WaitUntilState.DOMContentLoaded });

            step = "set a monthly budget when the Hub asks for one";
            await page.ClickAsync("main a[href='/Accounts/Settings']");
            await page.FillAsync("input[name='Input.MonthlyBudget']", "5.00");
            await page.ClickAsync("main form button[type=submit]");
            await page.GotoAsync(flattrPage);

            step = "confirm with 'Flattr this'";
            // Waiting from before the click: on a loaded machine the article can be there before a wait started after
            // the click, and Playwright then waited for a load event that had already passed (seen once in a full run).
            var backToArticle = page.WaitForURLAsync(article.AbsoluteUri, new() { WaitUntil = WaitUntilState.DOMContentLoaded });
            await page.ClickAsync("form.flattr-confirm button[type=submit]");
            await backToArticle;
            Assert.Equal("Hello, Flattr", await page.InnerTextAsync("article h1"));

            step = "open /Readers/Flattrs";
            await page.GotoAsync(new Uri(hub.BaseAddress, "Readers/Flattrs").AbsoluteUri);
            var listed = page.Locator("section[aria-labelledby=this-month] tbody a");
            Assert.Equal("Hello, Flattr", await listed.InnerTextAsync());
            Assert.Equal(article.AbsoluteUri, await listed.GetAttributeAsync("href"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var screenshot = await SaveScreenshotAsync(page);
            throw new InvalidOperationException($"The browser scenario failed at step '{step}' on {page.Url}; screenshot: {screenshot}", e);
        }

        var reader = await hub.WithDbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.Equal(500, reader.MonthlyBudget);
        var clicks = await hub.WithDbAsync(db => db.Clicks.AsNoTracking().Where(c => c.ReaderId == reader.Id).ToListAsync());
        var thing = await hub.WithDbAsync(db => db.Things.AsNoTracking().SingleAsync(t => t.InstallationId == site.Installation.Id));
        Assert.Equal(thing.Id, Assert.Single(clicks).ThingId);
        Assert.Equal(article.AbsoluteUri, thing.Url);
    }

    [Fact]
    public async Task AdminUi_AdminAddsAnInstallation_SeesItsSecretOnceAndTheSiteCanUseIt()
    {
        using var admin = await HubBrowser.NewAdminAsync(hub);
        var (playwright, browser, page) = await OpenBrowserAsync();
        using var _ = playwright;
        await using var __ = browser;
        var step = "sign in as the admin";
        string id, secret;
        try
        {
            await page.GotoAsync(new Uri(hub.BaseAddress, "Accounts/SignIn?returnUrl=%2FAdmin%2FInstallations").AbsoluteUri);
            await page.FillAsync("input[name='Input.Email']", admin.Email!);
            await page.FillAsync("input[name='Input.Password']", HubBrowser.Password);
            await page.ClickAsync("main form button[type=submit]");
            await page.WaitForURLAsync(new Uri(hub.BaseAddress, "Admin/Installations").AbsoluteUri, new() { WaitUntil = WaitUntilState.DOMContentLoaded });

            step = "add an installation";
            await page.FillAsync("#add-installation input[name='Input.Name']", "Photo club");
            await page.FillAsync("#add-installation input[name='Input.Url']", "https://photos.example/");
            await page.ClickAsync("#add-installation button[type=submit]");

            step = "read the id and secret shown once";
            id = await page.InnerTextAsync("#installation-id");
            secret = await page.InnerTextAsync("#installation-secret");
            Assert.Contains("shown only this once", await page.InnerTextAsync("#issued"), StringComparison.Ordinal);

            step = "the list shows it, and a reload of the list does not show the secret";
            await page.GotoAsync(new Uri(hub.BaseAddress, "Admin/Installations").AbsoluteUri);
            Assert.Contains("Photo club", await page.InnerTextAsync("main"), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var screenshot = await SaveScreenshotAsync(page);
            throw new InvalidOperationException($"The admin scenario failed at step '{step}' on {page.Url}; screenshot: {screenshot}", e);
        }

        // The site configured with what the admin copied is accepted by the Hub.
        var response = await hub.SendSignedAsync(id, secret, HttpMethod.Get, "/api/v1/installation", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Photo club", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Saves a full-page screenshot under the repository's artifacts/ folder and returns its path.</summary>
    private static async Task<string> SaveScreenshotAsync(IPage page)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root.Parent is not null && !File.Exists(Path.Combine(root.FullName, "Flattr.sln")))
        {
            root = root.Parent;
        }

        var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "artifacts", "browser"));
        var path = Path.Combine(folder.FullName, $"browser-{Guid.NewGuid():N}.png");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            return path;
        }
        catch (PlaywrightException e)
        {
            return $"(none: {e.Message})";
        }
    }
}
