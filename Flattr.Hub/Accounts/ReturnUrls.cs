using Microsoft.AspNetCore.Mvc;

namespace Flattr.Hub.Accounts;

/// <summary>Where to send someone after signing in or up: the page they came from, if it is on this Hub.</summary>
internal static class ReturnUrls
{
    /// <summary>The return URL when it is local (<c>/path</c>, not <c>//host</c> or <c>/\host</c>), else the home page.</summary>
    public static string Safe(IUrlHelper url, string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && url.IsLocalUrl(returnUrl) ? returnUrl : "/";
}
