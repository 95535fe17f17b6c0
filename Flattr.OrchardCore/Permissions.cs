using OrchardCore;
using OrchardCore.Security.Permissions;

namespace Flattr.OrchardCore;

/// <summary>The module's permissions.</summary>
public static class FlattrPermissions
{
    /// <summary>Edit the site's Flattr settings, which hold the installation secret.</summary>
    public static readonly Permission ManageFlattrSettings =
        new("ManageFlattrSettings", "Manage Flattr settings (Hub address, installation secret, creator)", isSecurityCritical: true);
}

/// <summary>Declares <see cref="FlattrPermissions"/> and grants them to administrators.</summary>
public sealed class Permissions : IPermissionProvider
{
    private readonly IEnumerable<Permission> _all = [FlattrPermissions.ManageFlattrSettings];

    /// <inheritdoc/>
    public Task<IEnumerable<Permission>> GetPermissionsAsync() => Task.FromResult(_all);

    /// <inheritdoc/>
    public IEnumerable<PermissionStereotype> GetDefaultStereotypes() =>
    [
        new PermissionStereotype { Name = OrchardCoreConstants.Roles.Administrator, Permissions = _all },
    ];
}
