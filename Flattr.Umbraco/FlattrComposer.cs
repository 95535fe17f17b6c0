using Umbraco.Cms.Core.Composing;
using Umbraco.Cms.Core.DependencyInjection;

namespace Flattr.Umbraco;

/// <summary>Registers Flattr with Umbraco. Umbraco finds and runs it on its own; there is nothing to call in <c>Program.cs</c>.</summary>
public sealed class FlattrComposer : IComposer
{
    /// <inheritdoc/>
    public void Compose(IUmbracoBuilder builder) => builder.AddFlattr();
}
