using Flattr.Umbraco.Content;
using Flattr.Umbraco.Installing;
using Flattr.Umbraco.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Umbraco.Cms.Core;
using Umbraco.Cms.Core.Events;
using Umbraco.Cms.Core.Models;
using Umbraco.Cms.Core.Notifications;
using Umbraco.Cms.Core.PropertyEditors;
using Umbraco.Cms.Core.Serialization;
using Umbraco.Cms.Core.Services.OperationStatus;
using Umbraco.Cms.Core.Sync;

namespace Flattr.Umbraco.Tests.Installing;

/// <summary>
/// The installer with Umbraco's real content type and data type models; the content type and data type services are
/// substitutes that keep what they are given, as the database would.
/// </summary>
public sealed class FlattrInstallerTests : IAsyncDisposable
{
    private readonly UmbracoTestSite _site = new();
    private readonly List<IContentType> _types = [];
    private readonly List<IDataType> _dataTypes = [];
    private readonly List<string> _updated = [];

    public FlattrInstallerTests()
    {
        var editor = Substitute.For<IDataEditor>();
        editor.Alias.Returns(Constants.PropertyEditors.Aliases.Boolean);
        var serializer = Substitute.For<IConfigurationEditorJsonSerializer>();
        var checkbox = new DataType(editor, serializer, -1) { Id = -49, Key = Constants.DataTypes.Guids.CheckboxGuid, Name = "True/false" };
        var textEditor = Substitute.For<IDataEditor>();
        textEditor.Alias.Returns(Constants.PropertyEditors.Aliases.TextBox);
        var textstring = new DataType(textEditor, serializer, -1) { Id = -88, Key = Constants.DataTypes.Guids.TextstringGuid, Name = "Textstring" };
        _dataTypes.AddRange([checkbox, textstring]);

        var dataTypes = _site.DataTypes;
        dataTypes.GetAsync(Arg.Any<Guid>()).Returns(call => _dataTypes.SingleOrDefault(d => d.Key == call.Arg<Guid>()));
        dataTypes.GetAsync(Arg.Any<string>()).Returns(call => _dataTypes.SingleOrDefault(d => d.Name == call.Arg<string>()));
        dataTypes.CreateAsync(Arg.Any<IDataType>(), Arg.Any<Guid>()).Returns(call =>
        {
            var created = call.Arg<IDataType>();
            created.Id = 1000 + _dataTypes.Count;
            _dataTypes.Add(created);
            return Attempt.SucceedWithStatus<IDataType, DataTypeOperationStatus>(DataTypeOperationStatus.Success, created);
        });

        var contentTypes = _site.ContentTypes;
        contentTypes.Get(Arg.Any<string>()).Returns(call => _types.SingleOrDefault(t => t.Alias == call.Arg<string>()));
        contentTypes.Get(Arg.Any<Guid>()).Returns(call => _types.SingleOrDefault(t => t.Key == call.Arg<Guid>()));
        contentTypes.CreateAsync(Arg.Any<IContentType>(), Arg.Any<Guid>()).Returns(call =>
        {
            var created = call.Arg<IContentType>();
            created.Id = 1100 + _types.Count;
            _types.Add(created);
            return Attempt<ContentTypeOperationStatus>.Succeed(ContentTypeOperationStatus.Success);
        });
        contentTypes.UpdateAsync(Arg.Any<IContentType>(), Arg.Any<Guid>()).Returns(call =>
        {
            _updated.Add(call.Arg<IContentType>().Alias);
            return Attempt<ContentTypeOperationStatus>.Succeed(ContentTypeOperationStatus.Success);
        });
    }

    public ValueTask DisposeAsync() => _site.DisposeAsync();

    private Task StartAsync() =>
        _site.Get<IEnumerable<INotificationAsyncHandler<UmbracoApplicationStartedNotification>>>().OfType<FlattrInstaller>().Single()
            .HandleAsync(new UmbracoApplicationStartedNotification(false), TestContext.Current.CancellationToken);

    private IContentType? Composition => _types.SingleOrDefault(t => t.Alias == FlattrAliases.Composition);

    [Fact]
    public async Task HandleAsync_FirstStart_CreatesTheToggleDataTypeCompositionAndComposesTheConfiguredTypes()
    {
        var blogPost = UmbracoModels.DocumentType("blogPost");
        _types.Add(blogPost);

        await StartAsync();

        var toggle = Assert.Single(_dataTypes, d => d.Name == FlattrInstaller.DataTypeName);
        Assert.Equal(Constants.PropertyEditors.Aliases.Boolean, toggle.EditorAlias);
        Assert.Equal(true, toggle.ConfigurationData["default"]); // EnabledByDefault is true unless configured otherwise
        var composition = Assert.IsType<ContentType>(Composition);
        Assert.Equal("Flattr", composition.Name);
        var enabled = Assert.Single(composition.PropertyTypes, p => p.Alias == FlattrAliases.Enabled);
        Assert.Equal(toggle.Id, enabled.DataTypeId);
        Assert.Single(composition.PropertyTypes, p => p.Alias == FlattrAliases.Creator && p.PropertyEditorAlias == Constants.PropertyEditors.Aliases.TextBox);
        Assert.True(blogPost.ContentTypeCompositionExists(FlattrAliases.Composition));
        Assert.Contains(blogPost.CompositionPropertyTypes, p => p.Alias == FlattrAliases.Enabled);
        Assert.Equal(["blogPost"], _updated);
        Assert.Equal(composition.Key.ToString("D"), _site.KeyValues.GetValue(FlattrInstaller.CompositionKey));
        Assert.Equal("added", _site.KeyValues.GetValue(FlattrInstaller.DocumentTypePrefix + "blogPost"));
    }

    [Fact]
    public async Task HandleAsync_SiteDefaultOff_NewPagesStartWithTheToggleOff()
    {
        _site.Settings["Flattr:EnabledByDefault"] = "false";

        await StartAsync();

        Assert.Equal(false, Assert.Single(_dataTypes, d => d.Name == FlattrInstaller.DataTypeName).ConfigurationData["default"]);
    }

    [Fact]
    public async Task HandleAsync_SecondStart_ChangesNothing()
    {
        _types.Add(UmbracoModels.DocumentType("blogPost"));
        await StartAsync();
        var rows = _site.KeyValues.Rows.ToDictionary();

        await StartAsync();

        Assert.Single(_types, t => t.Alias == FlattrAliases.Composition);
        Assert.Single(_dataTypes, d => d.Name == FlattrInstaller.DataTypeName);
        Assert.Equal(["blogPost"], _updated);
        Assert.Equal(rows, _site.KeyValues.Rows.ToDictionary());
    }

    [Fact]
    public async Task HandleAsync_EditorRemovedTheCompositionFromAType_IsNotUndone()
    {
        var blogPost = UmbracoModels.DocumentType("blogPost");
        _types.Add(blogPost);
        await StartAsync();

        blogPost.RemoveContentType(FlattrAliases.Composition);
        await StartAsync();

        Assert.False(blogPost.ContentTypeCompositionExists(FlattrAliases.Composition));
        Assert.Equal(["blogPost"], _updated);
    }

    [Fact]
    public async Task HandleAsync_EditorDeletedTheComposition_IsNotCreatedAgain()
    {
        await StartAsync();
        _types.Remove(Composition!);

        await StartAsync();

        Assert.Null(Composition);
        await _site.ContentTypes.Received(1).CreateAsync(Arg.Any<IContentType>(), Arg.Any<Guid>());
    }

    [Fact]
    public async Task HandleAsync_ConfiguredTypeCreatedLater_IsComposedOnTheNextStart()
    {
        await StartAsync();
        Assert.Null(_site.KeyValues.GetValue(FlattrInstaller.DocumentTypePrefix + "blogPost"));

        var blogPost = UmbracoModels.DocumentType("blogPost");
        _types.Add(blogPost);
        await StartAsync();

        Assert.True(blogPost.ContentTypeCompositionExists(FlattrAliases.Composition));
    }

    [Fact]
    public async Task HandleAsync_TypeAlreadyHasTheToggle_IsRecordedButNotChanged()
    {
        var composition = UmbracoModels.Composition();
        _types.Add(composition);
        _types.Add(UmbracoModels.DocumentType("blogPost", composition));

        await StartAsync();

        Assert.Empty(_updated);
        await _site.ContentTypes.DidNotReceive().CreateAsync(Arg.Any<IContentType>(), Arg.Any<Guid>());
        Assert.Equal(composition.Key.ToString("D"), _site.KeyValues.GetValue(FlattrInstaller.CompositionKey)); // adopted
        Assert.Equal("present", _site.KeyValues.GetValue(FlattrInstaller.DocumentTypePrefix + "blogPost"));
    }

    [Theory]
    [InlineData(RuntimeLevel.Install)]
    [InlineData(RuntimeLevel.Upgrade)]
    [InlineData(RuntimeLevel.Upgrading)]
    [InlineData(RuntimeLevel.BootFailed)]
    public async Task HandleAsync_UmbracoNotAtRun_TouchesNothing(RuntimeLevel level)
    {
        _site.Runtime.Level.Returns(level);
        _types.Add(UmbracoModels.DocumentType("blogPost"));

        await StartAsync();

        Assert.Null(Composition);
        Assert.Empty(_site.KeyValues.Rows);
        await _site.DataTypes.DidNotReceive().CreateAsync(Arg.Any<IDataType>(), Arg.Any<Guid>());
    }

    [Fact]
    public async Task HandleAsync_SubscriberServerOfALoadBalancedSite_LeavesTheSchemaToTheSchedulingServer()
    {
        _site.ServerRoles.CurrentServerRole.Returns(ServerRole.Subscriber);

        await StartAsync();

        Assert.Null(Composition);
    }

    [Fact]
    public async Task HandleAsync_DatabaseFails_SiteStillStartsAndNothingIsRecorded()
    {
        _site.KeyValues.Failing = true;

        await StartAsync(); // does not throw

        _site.KeyValues.Failing = false;
        Assert.Empty(_site.KeyValues.Rows);
    }

    [Fact]
    public async Task HandleAsync_CompositionCannotBeCreated_NothingRecordedAndTriedAgainNextStart()
    {
        _site.ContentTypes.CreateAsync(Arg.Any<IContentType>(), Arg.Any<Guid>())
            .Returns(Attempt<ContentTypeOperationStatus>.Fail(ContentTypeOperationStatus.DuplicateAlias), Attempt<ContentTypeOperationStatus>.Succeed(ContentTypeOperationStatus.Success));

        await StartAsync();
        Assert.Null(_site.KeyValues.GetValue(FlattrInstaller.CompositionKey));
        await StartAsync();

        Assert.NotNull(_site.KeyValues.GetValue(FlattrInstaller.CompositionKey));
        Assert.Single(_dataTypes, d => d.Name == FlattrInstaller.DataTypeName); // the data type made on the first try is reused
    }
}
