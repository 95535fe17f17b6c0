using Flattr.Buttons;
using Flattr.Hub.IntegrationTests.Clicks;
using Flattr.Protocol;
using Flattr.Things;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Flattr.Hub.IntegrationTests.Browser;

/// <summary>
/// The whole button flow in a real browser (Debian's Chromium, headless, driven by Playwright): an article with a
/// Flattr button, the Hub's flattr page, signing in, confirming, and back. One scenario, on SQLite.
/// The sign-in step uses the real /Accounts/SignIn page, found by its email and password inputs.
/// </summary>
public sealed class FlattrButtonBrowserTests(BrowserHubFixture hub) : IClassFixture<BrowserHubFixture>
{
    private const string ChromiumPath = "/usr/bin/chromium";

    [Fact]
    public async Task FlattrButton_SignedInReaderConfirms_ReturnsToTheArticleAndSeesTheFlattr()
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
        var reader = await hub.CreateReaderAsync(monthlyBudget: 500);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        await using var context = await browser.NewContextAsync();
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var step = "open the article";
        try
        {
            await page.GotoAsync(article.AbsoluteUri);

            step = "click the Flattr button";
            await page.ClickAsync("a.flattr-button");
            await page.WaitForURLAsync(url => url.StartsWith(hub.BaseAddress.AbsoluteUri + "flattr?", StringComparison.Ordinal));
            Assert.Contains("Hello, Flattr", await page.InnerTextAsync("main h1"), StringComparison.Ordinal);
            Assert.Equal("Ann Author", await page.InnerTextAsync(".creator"));
            var flattrPage = page.Url;

            step = "follow the sign-in link";
            var signInPage = await page.RunAndWaitForResponseAsync(
                () => page.ClickAsync("main a[href^='/Accounts/SignIn']"),
                response => new Uri(response.Url).AbsolutePath.Equals("/Accounts/SignIn", StringComparison.OrdinalIgnoreCase));
            Assert.True(
                signInPage.Ok,
                $"/Accounts/SignIn answered {signInPage.Status}: the sign-in page (built on the accounts branch) is needed from this step on.");

            step = "sign in through /Accounts/SignIn (email and password inputs, then submit)";
            var form = page.Locator("form:has(input[type=password])");
            await form.Locator("input[type=email]").FillAsync(reader.Email);
            await form.Locator("input[type=password]").FillAsync(reader.Password);
            await form.Locator("button[type=submit], input[type=submit]").First.ClickAsync();
            await page.WaitForURLAsync(flattrPage);

            step = "confirm with 'Flattr this'";
            await page.ClickAsync("form.flattr-confirm button[type=submit]");
            await page.WaitForURLAsync(article.AbsoluteUri);
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

        var clicks = await hub.WithDbAsync(db => db.Clicks.AsNoTracking().Where(c => c.ReaderId == reader.Id).ToListAsync());
        var thing = await hub.WithDbAsync(db => db.Things.AsNoTracking().SingleAsync(t => t.InstallationId == site.Installation.Id));
        Assert.Equal(thing.Id, Assert.Single(clicks).ThingId);
        Assert.Equal(article.AbsoluteUri, thing.Url);
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
        var path = Path.Combine(folder.FullName, $"{nameof(FlattrButton_SignedInReaderConfirms_ReturnsToTheArticleAndSeesTheFlattr)}.png");
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
