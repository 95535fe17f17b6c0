using Flattr.OrchardCore.Drivers;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;
using OrchardCore.Navigation;

namespace Flattr.OrchardCore;

/// <summary>Settings → Flattr in the admin menu.</summary>
public sealed class AdminMenu(IStringLocalizer<AdminMenu> localizer) : AdminNavigationProvider
{
    private static readonly RouteValueDictionary RouteValues = new()
    {
        { "area", "OrchardCore.Settings" },
        { "groupId", FlattrSettingsDisplayDriver.GroupId },
    };

    /// <inheritdoc/>
    protected override ValueTask BuildAsync(NavigationBuilder builder)
    {
        var S = localizer;
        if (NavigationHelper.UseLegacyFormat())
        {
            builder.Add(S["Configuration"], configuration => configuration
                .Add(S["Settings"], settings => settings
                    .Add(S["Flattr"], S["Flattr"].PrefixPosition(), flattr => flattr
                        .Action("Index", "Admin", RouteValues)
                        .Permission(FlattrPermissions.ManageFlattrSettings)
                        .LocalNav())));
            return ValueTask.CompletedTask;
        }

        builder.Add(S["Settings"], settings => settings
            .Add(S["Flattr"], S["Flattr"].PrefixPosition(), flattr => flattr
                .Action("Index", "Admin", RouteValues)
                .Permission(FlattrPermissions.ManageFlattrSettings)
                .LocalNav()));
        return ValueTask.CompletedTask;
    }
}
