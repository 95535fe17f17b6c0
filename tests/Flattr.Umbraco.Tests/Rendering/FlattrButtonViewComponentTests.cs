using System.Xml.Linq;
using Flattr.Buttons;
using Flattr.Umbraco.Content;
using Flattr.Umbraco.Rendering;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewComponents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Flattr.Umbraco.Tests.Rendering.RenderingTestKit;

namespace Flattr.Umbraco.Tests.Rendering;

/// <summary>The view component (through its compiled Razor view on a real MVC host), the template extensions and feeds.</summary>
public sealed class FlattrButtonViewComponentTests : IAsyncDisposable
{
    private const string Secret = "site-secret-\u2615";
    private readonly UmbracoTestSite _site = new();

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Invoke_EnabledPage_PassesTheModelToTheDefaultView()
    {
        var component = ActivatorUtilities.CreateInstance<FlattrButtonViewComponent>(_site.Services);
        var page = PublishedModels.Page("Hello", enabled: 1);

        var result = Assert.IsType<ViewViewComponentResult>(component.Invoke(page, ButtonStyle.Compact));

        Assert.Null(result.ViewName); // "Default", which a site overrides at Views/Shared/Components/FlattrButton/Default.cshtml
        var model = Assert.IsType<FlattrButtonModel>(result.ViewData!.Model);
        Assert.Equal(("Hello", "Ann Author", ButtonStyle.Compact), (model.Title, model.CreatorName, model.Style));
        Assert.Equal(ContentThings.ExternalId(page.Key), VerifiedLink(model.Href.AbsoluteUri, Secret).ExternalId);
    }

    [Fact]
    public void Invoke_DisabledPage_RendersEmptyContentAndNoView()
    {
        var component = ActivatorUtilities.CreateInstance<FlattrButtonViewComponent>(_site.Services);

        var result = Assert.IsType<ContentViewComponentResult>(component.Invoke(PublishedModels.Page(enabled: 0)));

        Assert.Equal(string.Empty, result.Content);
    }

    [Fact]
    public async Task Invoke_OnARealMvcHost_TheCompiledDefaultViewRendersTheButton()
    {
        var page = PublishedModels.Page("Rendered <by> Razor", enabled: 1);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddControllersWithViews()
            .AddApplicationPart(typeof(FlattrComposer).Assembly)
            .AddApplicationPart(typeof(ButtonPageController).Assembly);
        builder.Services.AddSingleton(_site.Get<IFlattrButtons>());
        builder.Services.AddSingleton(new ButtonPageController.Pages(page, PublishedModels.Page(enabled: 0)));
        await using var app = builder.Build();
        app.MapControllers();
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.Single()) };

        var html = await http.GetStringAsync("/button", Ct);
        var nothing = await http.GetStringAsync("/nothing", Ct);
        await app.StopAsync(Ct);

        var link = Assert.Single(Parse(html).QuerySelectorAll("a.flattr-button"));
        Assert.Contains("Rendered <by> Razor", link.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Equal(ContentThings.ExternalId(page.Key), VerifiedLink(link.GetAttribute("href")!, Secret).ExternalId);
        Assert.Equal(string.Empty, nothing.Trim());
    }

    [Fact]
    public void PublishedContentExtensions_FromATemplate_UseTheSiteServices()
    {
        var context = new DefaultHttpContext { RequestServices = _site.Services };
        var page = PublishedModels.Page(enabled: 1);
        var off = PublishedModels.Page(enabled: 0);

        Assert.True(page.HasFlattrButton(context));
        Assert.False(off.HasFlattrButton(context));
        Assert.Equal("flattr-button flattr-button--text", Parse(ToString(page.FlattrButton(context, ButtonStyle.Text))).QuerySelector("a")!.ClassName);
        Assert.Equal(string.Empty, ToString(off.FlattrButton(context)));
        Assert.Equal(ContentThings.ExternalId(page.Key), VerifiedLink(page.FlattrLink(context)!.AbsoluteUri, Secret).ExternalId);
        Assert.Null(off.FlattrLink(context));
        Assert.Equal("payment", page.FlattrFeedLink(context)!.Attribute("rel")!.Value);
    }

    [Fact]
    public void FlattrFeeds_RssItems_GetAnAtomPaymentLinkThatSurvivesHostileTitles()
    {
        var buttons = _site.Get<IFlattrButtons>();
        var hostile = PublishedModels.Page("Q&A: <\"quotes\"> & 'more'", enabled: 1);
        var off = PublishedModels.Page("Members only", enabled: 0);
        var channel = new XElement("channel");
        var rss = new XElement("rss", new XAttribute("version", "2.0"), channel);
        FlattrFeeds.DeclareAtomNamespace(rss);
        var items = new[] { hostile, off }.Select(p => new XElement("item", new XElement("title", p.Name))).ToList();
        channel.Add(items);

        Assert.True(FlattrFeeds.AddPaymentLink(items[0], hostile, buttons));
        Assert.False(FlattrFeeds.AddPaymentLink(items[1], off, buttons));

        var xml = new XDocument(rss).ToString();
        var parsed = XDocument.Parse(xml);
        var links = parsed.Descendants(FlattrFeeds.Atom + "link").ToList();
        var link = Assert.Single(links);
        Assert.Contains("xmlns:atom=\"http://www.w3.org/2005/Atom\"", xml, StringComparison.Ordinal);
        Assert.Contains("<atom:link rel=\"payment\"", xml, StringComparison.Ordinal);
        Assert.Equal("text/html", link.Attribute("type")!.Value);
        Assert.Equal(hostile.Name, VerifiedLink(link.Attribute("href")!.Value, Secret).Title);
    }

    [Fact]
    public void FlattrFeeds_AtomEntry_GetsThePaymentLinkInItsOwnNamespace()
    {
        var entry = new XElement(FlattrFeeds.Atom + "entry");
        var feed = new XElement(FlattrFeeds.Atom + "feed", entry);
        FlattrFeeds.DeclareAtomNamespace(feed);

        FlattrFeeds.AddPaymentLink(entry, PublishedModels.Page(enabled: 1), _site.Get<IFlattrButtons>());

        Assert.Null(feed.Attribute(XNamespace.Xmlns + "atom"));
        Assert.Equal("payment", entry.Element(FlattrFeeds.Atom + "link")!.Attribute("rel")!.Value);
    }

    private static string ToString(Microsoft.AspNetCore.Html.IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }

}

/// <summary>A site controller that renders the button through the view component, as a template would.</summary>
public sealed class ButtonPageController(ButtonPageController.Pages pages) : Controller
{
    [HttpGet("/button")]
    public IActionResult Button() => ViewComponent("FlattrButton", new { content = pages.Enabled });

    [HttpGet("/nothing")]
    public IActionResult Nothing() => ViewComponent("FlattrButton", new { content = pages.Disabled });

    public sealed record Pages(global::Umbraco.Cms.Core.Models.PublishedContent.IPublishedContent Enabled, global::Umbraco.Cms.Core.Models.PublishedContent.IPublishedContent Disabled);
}
