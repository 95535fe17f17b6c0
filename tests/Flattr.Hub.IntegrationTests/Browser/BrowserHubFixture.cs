using Flattr.Hub.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Flattr.Hub.IntegrationTests.Browser;

/// <summary>
/// A Hub on SQLite plus a tiny article site on another loopback port, for the browser test. The Hub's fake clock
/// starts at the real time, because the browser judges cookie lifetimes by the real clock.
/// </summary>
public sealed class BrowserHubFixture() : HubFixture(DatabaseKind.Sqlite)
{
    private WebApplication? _site;

    /// <summary>The article site's address.</summary>
    public Uri SiteAddress { get; private set; } = null!;

    /// <summary>The HTML the article site serves at any path.</summary>
    public string ArticleHtml { get; set; } = "<!DOCTYPE html><title>Empty</title>";

    protected override IEnumerable<string> ExtraArguments() => Clicks.FlattringFixture.PagesArguments;

    public override async ValueTask InitializeAsync()
    {
        var now = TimeProvider.System.GetUtcNow();
        if (now > Time.GetUtcNow())
        {
            Time.SetUtcNow(now);
        }

        await base.InitializeAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _site = builder.Build();
        _site.Run(http =>
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            return http.Response.WriteAsync(ArticleHtml);
        });
        await _site.StartAsync();
        SiteAddress = new Uri(_site.Urls.First() + "/");
    }

    public override async ValueTask DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.StopAsync();
            await _site.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
