using System.Reflection;
using Flattr.HubClient;
using Flattr.Sync;
using Flattr.Umbraco.Configuration;
using Flattr.Umbraco.Installing;
using Flattr.Umbraco.Management;
using Flattr.Umbraco.Rendering;
using Flattr.Umbraco.Sync;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Umbraco.Cms.Core.Composing;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Notifications;

namespace Flattr.Umbraco.Tests.Composing;

/// <summary>The composer on Umbraco's real <c>UmbracoBuilder</c> and a real service collection.</summary>
public sealed class FlattrComposerTests : IAsyncDisposable
{
    private readonly UmbracoTestSite _site = new();

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    [Fact]
    public async Task Compose_RealUmbracoBuilder_EveryServiceItRegistersResolves()
    {
        var services = _site.Services;
        await using var scope = services.CreateAsyncScope();
        var resolved = new List<Type>();

        // Open generics (options, logging) are resolved through the closed types below.
        foreach (var descriptor in _site.FlattrDescriptors.Where(d => !d.ServiceType.IsGenericTypeDefinition))
        {
            // A type-registered service is built from the container exactly as the container would build it; that also
            // covers notification handlers, whose service type Umbraco's own (database-backed) handlers share.
            List<object?> instances = descriptor switch
            {
                { IsKeyedService: true } => [.. scope.ServiceProvider.GetKeyedServices(descriptor.ServiceType, descriptor.ServiceKey)],
                { ImplementationType: { } type } => [ActivatorUtilities.CreateInstance(scope.ServiceProvider, type)],
                _ => [.. scope.ServiceProvider.GetServices(descriptor.ServiceType)],
            };
            Assert.True(instances.Count > 0, $"{descriptor.ServiceType} did not resolve.");
            Assert.All(instances, Assert.NotNull);
            resolved.Add(descriptor.ServiceType);
        }

        // The ones a site depends on, by name, so a registration cannot silently go missing.
        Assert.Contains(typeof(IFlattrButtons), resolved);
        Assert.Contains(typeof(ISyncQueueStore), resolved);
        Assert.Contains(typeof(FlattrHubClient), resolved);
        Assert.IsType<FlattrSyncWorker>(services.GetServices<IHostedService>().Single(s => s is FlattrSyncWorker));
        Assert.Contains(_site.FlattrDescriptors, d => Handles<UmbracoApplicationStartedNotification, FlattrInstaller>(d));
        Assert.Contains(_site.FlattrDescriptors, d => Handles<ContentPublishedNotification, ContentSyncHandler>(d));
        Assert.Contains(_site.FlattrDescriptors, d => Handles<ContentUnpublishedNotification, ContentSyncHandler>(d));
        Assert.Contains(_site.FlattrDescriptors, d => Handles<ContentMovedToRecycleBinNotification, ContentSyncHandler>(d));
        Assert.Contains(_site.FlattrDescriptors, d => Handles<ContentDeletedNotification, ContentSyncHandler>(d));
        Assert.Contains(_site.FlattrDescriptors, d => Handles<ContentMovedNotification, ContentSyncHandler>(d));
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<FlattrSyncRunner>());
        Assert.NotNull(ActivatorUtilities.CreateInstance<FlattrManagementController>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<FlattrButtonTagHelper>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<FlattrHeadTagHelper>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<FlattrContentTagHelper>(scope.ServiceProvider));
        Assert.NotNull(ActivatorUtilities.CreateInstance<FlattrButtonViewComponent>(scope.ServiceProvider));
    }

    [Fact]
    public void Compose_ValidSettings_StartupValidationPassesAndBindsBothSections()
    {
        _site.Settings["Flattr:DocumentTypes:1"] = "article";
        _site.Settings["Flattr:EnabledByDefault"] = "false";
        _site.Settings["Flattr:ButtonStyle"] = "compact";
        _site.Settings["Flattr:ButtonPlacement"] = "Both";
        _site.Settings["Flattr:Authors:jane@example.org"] = "jane";
        _site.Settings["Flattr:Sync:Interval"] = "00:01:00";

        _site.Get<IStartupValidator>().Validate();
        var options = _site.Get<IOptions<FlattrOptions>>().Value;
        var hub = _site.Get<IOptions<FlattrHubOptions>>().Value;

        Assert.Equal(["blogPost", "article"], options.DocumentTypes);
        Assert.False(options.EnabledByDefault);
        Assert.Equal(Buttons.ButtonStyle.Compact, options.ButtonStyle);
        Assert.Equal(ButtonPlacement.Both, options.ButtonPlacement);
        Assert.Equal("jane", options.Authors["JANE@example.org"]);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Sync.Interval);
        Assert.Equal(new Uri("https://hub.example/"), hub.HubUrl);
        Assert.Equal("inst-1", hub.InstallationId);
        Assert.Equal(TimeSpan.FromSeconds(2), hub.AttemptTimeout);
    }

    [Fact]
    public void Compose_NothingConfigured_StartFailsNamingEverySettingToFix()
    {
        foreach (var key in _site.Settings.Keys.ToList())
        {
            _site.Settings.Remove(key);
        }

        var failure = Assert.ThrowsAny<Exception>(() => _site.Get<IStartupValidator>().Validate());
        var messages = Messages(failure);

        Assert.Contains(messages, m => m.StartsWith("Flattr: HubUrl is not set.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Flattr: InstallationId is not set.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Flattr: Secret is not set.", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("Flattr: DefaultCreator is not set.", StringComparison.Ordinal));
        // Each problem once, not once per option class that reads the section.
        Assert.Equal(messages.Count, messages.Distinct().Count());
    }

    [Fact]
    public void Compose_CalledTwice_RegistersEverythingOnce()
    {
        var services = new ServiceCollection();
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var builder = new global::Umbraco.Cms.Core.DependencyInjection.UmbracoBuilder(
            services, configuration, new TypeLoader(NSubstitute.Substitute.For<ITypeFinder>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<TypeLoader>.Instance, []));

        new FlattrComposer().Compose(builder);
        var once = services.Count;
        builder.AddFlattr();

        Assert.Equal(once, services.Count);
    }

    [Fact]
    public void Compose_ApplicationParts_IncludeTheManagementControllerOnce()
    {
        var manager = _site.Get<ApplicationPartManager>();
        var feature = new ControllerFeature();
        manager.PopulateFeature(feature);

        Assert.Single(manager.ApplicationParts.OfType<AssemblyPart>(), p => p.Assembly == typeof(FlattrComposer).Assembly);
        Assert.Contains(typeof(FlattrManagementController).GetTypeInfo(), feature.Controllers);
    }

    [Fact]
    public void FlattrComposer_AsUmbracoDiscoversComposers_IsPublicConcreteWithADefaultConstructor()
    {
        var type = typeof(FlattrComposer);

        Assert.True(type.IsPublic && !type.IsAbstract && typeof(IComposer).IsAssignableFrom(type));
        Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
    }

    private static bool Handles<TNotification, THandler>(ServiceDescriptor descriptor)
        where TNotification : INotification =>
        descriptor.ServiceType == typeof(INotificationAsyncHandler<TNotification>) && descriptor.ImplementationType == typeof(THandler);

    private static List<string> Messages(Exception exception) => exception switch
    {
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(Messages)],
        OptionsValidationException options => [.. options.Failures],
        _ => [exception.Message],
    };
}
