using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Flattr.Hub.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Flattr.Hub.IntegrationTests.Infrastructure;

/// <summary>A page as the browser received it: the parsed document and the address it came from.</summary>
public sealed record HubPage(IDocument Document, Uri Address, HttpStatusCode Status)
{
    public string Text => Document.Body?.TextContent ?? string.Empty;

    public IElement? Find(string selector) => Document.QuerySelector(selector);

    public IElement Get(string selector) =>
        Document.QuerySelector(selector) ?? throw new InvalidOperationException($"No '{selector}' on {Address}:\n{Document.Body?.OuterHtml}");
}

/// <summary>
/// A browser without JavaScript against the running Hub: it keeps cookies, does not follow redirects by itself (so tests
/// see them), and submits forms the way a browser does, hidden fields such as <c>__RequestVerificationToken</c> included.
/// </summary>
public sealed class HubBrowser : IDisposable
{
    public const string Password = "correct-horse-42";

    private static readonly HtmlParser Parser = new();
    private readonly HubFixture _hub;

    public HubBrowser(HubFixture hub)
    {
        _hub = hub;
        Http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = hub.BaseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>The account this browser was signed in as by <see cref="NewAdminAsync"/>.</summary>
    public string Email { get; private set; } = string.Empty;

    /// <summary>The id of the account this browser was signed in as by <see cref="NewAdminAsync"/>.</summary>
    public string AccountId { get; private set; } = string.Empty;

    public static string NewEmail(string who = "reader") => $"{who}-{Guid.NewGuid():N}@example.org";

    public void Dispose() => Http.Dispose();

    public Task<HttpResponseMessage> GetAsync(string url) => Http.GetAsync(new Uri(_hub.BaseAddress, url.TrimStart('/')));

    /// <summary>GETs a page, following redirects, and parses it.</summary>
    public async Task<HubPage> OpenAsync(string url) => await ReadAsync(await FollowAsync(await GetAsync(url)));

    public static async Task<HubPage> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var document = await Parser.ParseDocumentAsync(html);
        return new HubPage(document, response.RequestMessage!.RequestUri!, response.StatusCode);
    }

    /// <summary>Follows redirects with GETs, as a browser does after a POST.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10 && (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            var location = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response = await Http.GetAsync(location);
        }

        return response;
    }

    /// <summary>Submits the form the selector finds, with its own fields (hidden ones included) overridden by <paramref name="values"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(HubPage page, string formSelector, IReadOnlyDictionary<string, string>? values = null)
    {
        var form = page.Get(formSelector) as IHtmlFormElement ?? throw new InvalidOperationException($"'{formSelector}' is not a form.");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && !input.IsDisabled && input.Type is not ("submit" or "button" or "reset"):
                    if (input.Type is not ("checkbox" or "radio") || input.IsChecked)
                    {
                        fields.Add(new(input.Name!, input.Value));
                    }

                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name!, select.Value ?? string.Empty));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
            }
        }

        foreach (var (name, value) in values ?? new Dictionary<string, string>())
        {
            fields.RemoveAll(f => f.Key == name);
            fields.Add(new(name, value));
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? page.Address : new Uri(page.Address, action);
        if (string.Equals(form.Method, "get", StringComparison.OrdinalIgnoreCase))
        {
            var query = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
            return await Http.GetAsync(new UriBuilder(target) { Query = query }.Uri);
        }

        using var content = new FormUrlEncodedContent(fields);
        return await Http.PostAsync(target, content);
    }

    /// <summary>Submits a form and reads the page it leads to (after any redirects).</summary>
    public async Task<HubPage> SubmitAndReadAsync(HubPage page, string formSelector, IReadOnlyDictionary<string, string>? values = null) =>
        await ReadAsync(await FollowAsync(await SubmitAsync(page, formSelector, values)));

    /// <summary>Signs up through the sign-up page; the browser is then signed in.</summary>
    public async Task<HttpResponseMessage> SignUpAsync(string email, string password = Password, string displayName = "Ann Reader")
    {
        var page = await OpenAsync("/Accounts/SignUp");
        return await SubmitAsync(page, "main form", new Dictionary<string, string>
        {
            ["Input.Email"] = email, ["Input.DisplayName"] = displayName, ["Input.Password"] = password,
        });
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password = Password, string? returnUrl = null)
    {
        var page = await OpenAsync(returnUrl is null ? "/Accounts/SignIn" : "/Accounts/SignIn?returnUrl=" + Uri.EscapeDataString(returnUrl));
        return await SubmitAsync(page, "main form", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    /// <summary>True when the Hub treats this browser as signed in (the settings page opens instead of redirecting).</summary>
    public async Task<bool> IsSignedInAsync() => (await GetAsync("/Accounts/Settings")).StatusCode == HttpStatusCode.OK;

    /// <summary>A new browser, signed in as a new account that has the admin role (granted directly, as the CLI would).</summary>
    public static async Task<HubBrowser> NewAdminAsync(HubFixture hub)
    {
        var email = NewEmail("admin");
        using (var signUp = new HubBrowser(hub))
        {
            await signUp.SignUpAsync(email, displayName: "Ada Admin");
        }

        string id;
        await using (var scope = hub.App.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<HubUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("The sign-up did not create the account.");
            await users.AddToRoleAsync(user, HubRoles.Admin);
            id = user.Id;
        }

        // Roles are in the sign-in cookie: sign in again now that the account is an admin.
        var browser = new HubBrowser(hub) { Email = email, AccountId = id };
        var signedIn = await browser.SignInAsync(email);
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            browser.Dispose();
            throw new InvalidOperationException("The new admin could not sign in.");
        }

        return browser;
    }
}
