using Flattr.HubClient;
using Flattr.Umbraco.Content;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Composing;
using Umbraco.Cms.Core.Configuration.Models;
using Umbraco.Cms.Core.DependencyInjection;
using Umbraco.Cms.Core.Models.Membership;
using Umbraco.Cms.Core.Models.PublishedContent;
using Umbraco.Cms.Core.Routing;
using Umbraco.Cms.Core.Services;
using Umbraco.Cms.Core.Sync;
using Umbraco.Cms.Core.Web;

namespace Flattr.Umbraco.Tests.Infrastructure;

/// <summary>
/// An Umbraco site as far as this module sees it: Umbraco's real <see cref="UmbracoBuilder"/> on a real service collection,
/// with <see cref="FlattrComposer"/> run on it, and substitutes only for the Umbraco services that need a database or a
/// running web host (content, content types, data types, users, public access, URLs, runtime state, server role). The
/// key-value table is a <see cref="FakeKeyValueService"/> that outlives the site, so a new site over the same one is a
/// restart. The Hub is a <see cref="StubHubHandler"/> inside the module's real signing and resilience pipeline, unless
/// <see cref="HubUrl"/> points at a real Hub.
/// </summary>
public sealed class UmbracoTestSite : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 10, 15, 12, 0, 0, TimeSpan.Zero);

    private ServiceProvider? _services;

    public UmbracoTestSite(FakeKeyValueService? database = null, FakeTimeProvider? time = null)
    {
        KeyValues = database ?? new FakeKeyValueService();
        Time = time ?? new FakeTimeProvider(Start);
        Runtime.Level.Returns(RuntimeLevel.Run);
        ServerRoles.CurrentServerRole.Returns(ServerRole.Single);
        Urls.GetUrl(Arg.Any<Guid>(), Arg.Any<UrlMode>(), Arg.Any<string?>(), Arg.Any<Uri?>())
            .Returns(call => UrlOf(call.ArgAt<Guid>(0)));
        Urls.GetUrl(Arg.Any<IPublishedContent>(), Arg.Any<UrlMode>(), Arg.Any<string?>(), Arg.Any<Uri?>())
            .Returns(call => UrlOf(call.ArgAt<IPublishedContent>(0).Key));
        ContextFactory.EnsureUmbracoContext().Returns(_ => new UmbracoContextReference(Substitute.For<IUmbracoContext>(), false, ContextAccessor));
        // Nothing exists until a test says so (NSubstitute would otherwise invent substitutes).
        Users.GetUserById(Arg.Any<int>()).Returns((IUser?)null);
        ContentService.GetById(Arg.Any<Guid>()).Returns((global::Umbraco.Cms.Core.Models.IContent?)null);
        ContentService.GetById(Arg.Any<int>()).Returns((global::Umbraco.Cms.Core.Models.IContent?)null);
        ContentTypes.Get(Arg.Any<string>()).Returns((global::Umbraco.Cms.Core.Models.IContentType?)null);
        ContentTypes.Get(Arg.Any<Guid>()).Returns((global::Umbraco.Cms.Core.Models.IContentType?)null);
        Users.GetUserById(UmbracoModels.AdminUserId).Returns(Author);
    }

    public FakeKeyValueService KeyValues { get; }

    public FakeTimeProvider Time { get; }

    public StubHubHandler Hub { get; } = new();

    /// <summary>When set, the module talks to a real Hub at this address instead of <see cref="Hub"/>.</summary>
    public Uri? HubUrl { get; set; }

    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Flattr:HubUrl"] = "https://hub.example/",
        ["Flattr:InstallationId"] = "inst-1",
        ["Flattr:Secret"] = "site-secret-\u2615",
        ["Flattr:DefaultCreator"] = "my-blog",
        ["Flattr:DefaultCreatorName"] = "My Blog",
        ["Flattr:DocumentTypes:0"] = "blogPost",
        ["Flattr:AttemptTimeout"] = "00:00:02",
        ["Flattr:TotalTimeout"] = "00:00:10",
    };

    /// <summary>The address Umbraco gives a document; null makes it unroutable ("#").</summary>
    public Func<Guid, string?> UrlOf { get; set; } = key => $"https://blog.example/posts/{key:N}/";

    /// <summary>The admin user (id -1) who creates the test articles.</summary>
    public IUser Author { get; } = new User(new GlobalSettings(), "Ann Author", "ann@example.org", "ann", "x") { Key = new Guid("a0000000-0000-0000-0000-00000000000a") };

    public IContentService ContentService { get; } = Substitute.For<IContentService>();

    public IContentTypeService ContentTypes { get; } = Substitute.For<IContentTypeService>();

    public IDataTypeService DataTypes { get; } = Substitute.For<IDataTypeService>();

    public IUserService Users { get; } = Substitute.For<IUserService>();

    public IPublicAccessService PublicAccess { get; } = Substitute.For<IPublicAccessService>();

    public IPublishedUrlProvider Urls { get; } = Substitute.For<IPublishedUrlProvider>();

    public IUmbracoContextFactory ContextFactory { get; } = Substitute.For<IUmbracoContextFactory>();

    public IUmbracoContextAccessor ContextAccessor { get; } = Substitute.For<IUmbracoContextAccessor>();

    public IRuntimeState Runtime { get; } = Substitute.For<IRuntimeState>();

    public IServerRoleAccessor ServerRoles { get; } = Substitute.For<IServerRoleAccessor>();

    /// <summary>The descriptors <see cref="FlattrComposer"/> added to Umbraco's service collection.</summary>
    public IReadOnlyList<ServiceDescriptor> FlattrDescriptors { get; private set; } = [];

    public IServiceProvider Services => _services ??= Build();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    private ServiceProvider Build()
    {
        var settings = new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase);
        if (HubUrl is not null)
        {
            settings["Flattr:HubUrl"] = HubUrl.AbsoluteUri;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        // What ASP.NET Core's web host registers before Umbraco and its composers run.
        var diagnostics = new System.Diagnostics.DiagnosticListener("Microsoft.AspNetCore");
        services.AddSingleton(diagnostics);
        services.AddSingleton<System.Diagnostics.DiagnosticSource>(diagnostics);
        var environment = Substitute.For<Microsoft.AspNetCore.Hosting.IWebHostEnvironment>();
        environment.ApplicationName.Returns(typeof(UmbracoTestSite).Assembly.GetName().Name);
        environment.EnvironmentName.Returns("Testing");
        environment.ContentRootPath.Returns(AppContext.BaseDirectory);
        environment.WebRootPath.Returns(AppContext.BaseDirectory);
        environment.ContentRootFileProvider.Returns(new Microsoft.Extensions.FileProviders.NullFileProvider());
        environment.WebRootFileProvider.Returns(new Microsoft.Extensions.FileProviders.NullFileProvider());
        services.AddSingleton(environment);
        services.AddSingleton<Microsoft.Extensions.Hosting.IHostEnvironment>(environment);

        var typeLoader = new TypeLoader(Substitute.For<ITypeFinder>(), NullLogger<TypeLoader>.Instance, []);
        var builder = new UmbracoBuilder(services, configuration, typeLoader);
        var before = services.ToList();
        new FlattrComposer().Compose(builder);
        FlattrDescriptors = [.. services.Except(before)];
        builder.Build();

        // What Umbraco's database layer and web host would provide.
        services.AddSingleton<IKeyValueService>(KeyValues);
        services.AddSingleton(ContentService);
        services.AddSingleton(ContentTypes);
        services.AddSingleton(DataTypes);
        services.AddSingleton(Users);
        services.AddSingleton(PublicAccess);
        services.AddSingleton(Urls);
        services.AddSingleton(ContextFactory);
        services.AddSingleton(ContextAccessor);
        services.AddSingleton(Runtime);
        services.AddSingleton(ServerRoles);
        services.AddSingleton<TimeProvider>(Time);
        // Registered by Umbraco.Infrastructure on a real site; the real implementation, which needs no database.
        services.AddSingleton(UmbracoModels.ShortStrings);

        // The resilience pipeline runs on the fake clock too: no waiting between retries, and timeouts fire when a test
        // moves the clock.
        services.ConfigureAll<HttpStandardResilienceOptions>(r => r.Retry.Delay = TimeSpan.Zero);
        if (HubUrl is null)
        {
            services.Configure<HttpClientFactoryOptions>(nameof(FlattrHubClient), o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = Hub));
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>The flattr-enabled document type <c>blogPost</c>, known to the content type service.</summary>
    public global::Umbraco.Cms.Core.Models.ContentType BlogPostType()
    {
        var type = UmbracoModels.DocumentType("blogPost", UmbracoModels.Composition());
        ContentTypes.Get("blogPost").Returns(type);
        return type;
    }

    /// <summary>Makes <paramref name="content"/> known to the content service (by id and key).</summary>
    public T Stored<T>(T content)
        where T : global::Umbraco.Cms.Core.Models.IContent
    {
        ContentService.GetById(content.Key).Returns(content);
        ContentService.GetById(content.Id).Returns(content);
        return content;
    }

    public ValueTask DisposeAsync()
    {
        Hub.Dispose();
        return _services?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    public static string ExternalId(Guid key) => ContentThings.ExternalId(key);
}
