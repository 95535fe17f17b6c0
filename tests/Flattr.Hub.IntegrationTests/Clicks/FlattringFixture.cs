using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Flattr.Hub.Accounts;
using Flattr.Hub.Installations;
using Flattr.Hub.IntegrationTests.Infrastructure;
using Flattr.Protocol;
using Flattr.Things;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Clicks;

/// <summary>
/// A Hub for the flattring suites. Besides the real pipeline it has one TEST-ONLY route, added here through an
/// <see cref="IStartupFilter"/> and never part of the product: <c>POST /__tests/sign-in?user=id</c> signs the user in
/// with the Hub's own <see cref="SignInManager{TUser}"/>, so the page tests get a genuine Identity cookie without the
/// account pages (built elsewhere). The browser test signs in through the real /Accounts/SignIn page instead.
/// </summary>
public abstract class FlattringFixture(DatabaseKind kind) : HubFixture(kind)
{
    public const string TestSignInPath = "/__tests/sign-in";

    /// <summary>
    /// The Hub's pages are compiled into Flattr.Hub; hosted from the test assembly, MVC would look for them in the entry
    /// assembly (the test runner) and find none, so the application name points it at the Hub.
    /// </summary>
    public static readonly string[] PagesArguments = ["--applicationName", typeof(HubApplication).Assembly.GetName().Name!];

    protected override IEnumerable<string> ExtraArguments() => PagesArguments;

    protected override void ConfigureBuilder(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<IStartupFilter, TestSignInStartupFilter>();

    private sealed class TestSignInStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // Not app.Map: a mapped branch becomes the path base, and the cookie would be scoped to it.
            app.Use(async (http, nextMiddleware) =>
            {
                if (!http.Request.Path.Equals(TestSignInPath, StringComparison.Ordinal))
                {
                    await nextMiddleware(http);
                    return;
                }

                var users = http.RequestServices.GetRequiredService<UserManager<HubUser>>();
                var user = await users.FindByIdAsync(http.Request.Query["user"].ToString());
                if (user is null || !HttpMethods.IsPost(http.Request.Method))
                {
                    http.Response.StatusCode = StatusCodes.Status400BadRequest;
                    return;
                }

                await http.RequestServices.GetRequiredService<SignInManager<HubUser>>().SignInAsync(user, isPersistent: false);
                http.Response.StatusCode = StatusCodes.Status204NoContent;
            });
            next(app);
        };
    }
}

public sealed class FlattringSqliteFixture() : FlattringFixture(DatabaseKind.Sqlite);

public sealed class FlattringPostgresFixture() : FlattringFixture(DatabaseKind.Postgres);

/// <summary>A reader made directly through the Hub's UserManager.</summary>
public sealed record TestReader(string Id, string Email, string Password);

/// <summary>Arranging readers, tokens, things and links on a running Hub, and reading its pages.</summary>
public static class FlattringTestData
{
    public const string Password = "correct horse battery 42";

    public static async Task<TestReader> CreateReaderAsync(this HubFixture hub, long monthlyBudget = 500, string? email = null)
    {
        email ??= $"reader-{Guid.NewGuid():N}@example.test";
        await using var scope = hub.App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
        var user = new HubUser { UserName = email, Email = email, MonthlyBudget = monthlyBudget, CreatedAt = hub.Time.GetUtcNow() };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return new TestReader(user.Id, email, Password);
    }

    /// <summary>Stores a personal API token for the account, as the token page would, and returns the token.</summary>
    public static async Task<string> CreateApiTokenAsync(this HubFixture hub, string accountId, bool revoked = false)
    {
        var token = ApiTokens.NewToken();
        await hub.WithDbAsync(async db =>
        {
            db.ApiTokens.Add(new ApiToken
            {
                AccountId = accountId,
                Name = "test",
                Prefix = ApiTokens.DisplayPrefix(token),
                TokenHash = ApiTokens.Hash(token),
                CreatedAt = hub.Time.GetUtcNow(),
                RevokedAt = revoked ? hub.Time.GetUtcNow() : null,
            });
            return await db.SaveChangesAsync();
        });
        return token;
    }

    /// <summary>Syncs a thing through the signed things API and returns the Hub's view of it.</summary>
    public static async Task<ThingView> PutThingAsync(
        this HubFixture hub, InstallationWithSecret site, string externalId, string creator = "author-1", string title = "A post", string? url = null)
    {
        url ??= $"https://blog.example/posts/{Uri.EscapeDataString(externalId)}";
        var json = JsonSerializer.Serialize(new { url, title, category = "text", creator = new { externalId = creator, name = "Ann Author" } });
        var response = await hub.SendSignedAsync(site, HttpMethod.Put, "/api/v1/things/" + Uri.EscapeDataString(externalId), json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ProtocolJson.ThingView)!;
    }

    /// <summary>Attaches a creator to an account directly in the database (what a claim does).</summary>
    public static Task ClaimDirectlyAsync(this HubFixture hub, string installationId, string creatorExternalId, string accountId) =>
        hub.WithDbAsync(db => db.Creators
            .Where(c => c.InstallationId == installationId && c.ExternalId == creatorExternalId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccountId, accountId).SetProperty(c => c.ClaimedAt, hub.Time.GetUtcNow())));

    public static Task<HttpResponseMessage> PostFlattrAsync(this HubFixture hub, string? token, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.BaseAddress, "api/v1/flattrs"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return hub.Client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PostFlattrAsync(this HubFixture hub, string token, long thingId) =>
        hub.PostFlattrAsync(token, $$"""{"thing":"{{thingId}}"}""");

    /// <summary>A button link signed with the installation's secret, relative to the Hub (path and query).</summary>
    public static string LinkFor(this HubFixture hub, InstallationWithSecret site, string externalId, string creator = "author-1", string title = "A linked post", string? url = null) =>
        FlattrLinks.Create(hub.BaseAddress, site.Secret, ThingLinkFor(site, externalId, creator, title, url)).PathAndQuery;

    public static ThingLink ThingLinkFor(InstallationWithSecret site, string externalId, string creator = "author-1", string title = "A linked post", string? url = null) =>
        new(site.Installation.Id, externalId, new Uri(url ?? $"https://blog.example/linked/{Uri.EscapeDataString(externalId)}"), title,
            ThingCategory.Text, "en", creator, "Ann Author");

    /// <summary>A client with its own cookies that does not follow redirects, for page flows.</summary>
    public static HttpClient NewBrowserlessClient(this HubFixture hub) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };

    /// <summary>A cookie client signed in as <paramref name="reader"/> through the test-only sign-in route.</summary>
    public static async Task<HttpClient> SignedInClientAsync(this HubFixture hub, TestReader reader)
    {
        var client = hub.NewBrowserlessClient();
        var response = await client.PostAsync(new Uri($"{FlattringFixture.TestSignInPath}?user={Uri.EscapeDataString(reader.Id)}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return client;
    }

    public static async Task<IHtmlDocument> ReadHtmlAsync(HttpResponseMessage response) =>
        await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>
    /// POSTs to <paramref name="pageUrl"/> with an antiforgery token, as a browser submitting a form would: for pages
    /// whose current state shows no form (own thing, used link …) the token comes from another page's form. A token
    /// belongs to the signed-in user and the client's antiforgery cookie, not to a page.
    /// </summary>
    public static async Task<HttpResponseMessage> PostWithAntiforgeryAsync(this HubFixture hub, HttpClient client, string pageUrl)
    {
        var html = await ReadHtmlAsync(await client.GetAsync(new Uri(pageUrl, UriKind.Relative)));
        var token = html.QuerySelector("main form input[name=__RequestVerificationToken]")?.GetAttribute("value");
        if (token is null)
        {
            var site = await hub.AddInstallationAsync("Token source");
            var thing = await hub.PutThingAsync(site, "form", creator: "someone-" + Guid.NewGuid().ToString("N"));
            var source = await ReadHtmlAsync(await client.GetAsync(new Uri($"/things/{thing.Id}", UriKind.Relative)));
            token = source.QuerySelector("main form input[name=__RequestVerificationToken]")?.GetAttribute("value")
                ?? throw new InvalidOperationException("No antiforgery token on a thing page: is the client signed in?");
        }

        return await client.PostAsync(
            new Uri(pageUrl, UriKind.Relative), new FormUrlEncodedContent([new KeyValuePair<string, string>("__RequestVerificationToken", token)]));
    }

    /// <summary>Submits the page's (only) POST form as a browser would, antiforgery token included.</summary>
    public static async Task<HttpResponseMessage> SubmitFormAsync(this HttpClient client, string pageUrl)
    {
        var page = await client.GetAsync(new Uri(pageUrl, UriKind.Relative));
        var html = await ReadHtmlAsync(page);
        var form = html.QuerySelector("main form[method=post]") as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form on {pageUrl} ({(int)page.StatusCode}): {html.Body?.TextContent}");
        var fields = form.Elements.OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value));
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!;
        return await client.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(fields));
    }
}
