using Microsoft.Extensions.Options;

namespace Flattr.HubClient;

/// <summary>How an installation reaches its Hub.</summary>
public sealed class FlattrHubOptions
{
    /// <summary>The Hub's base address, for example <c>https://hub.example.org/</c>.</summary>
    public Uri? HubUrl { get; set; }

    /// <summary>The installation id the hub admin issued.</summary>
    public string? InstallationId { get; set; }

    /// <summary>The installation secret shown once when the installation was registered. Never logged.</summary>
    public string? Secret { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and retried.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may take in total, retries included.</summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Checks <see cref="FlattrHubOptions"/> at start, with messages a site owner can act on.</summary>
internal sealed class FlattrHubOptionsValidator : IValidateOptions<FlattrHubOptions>
{
    public ValidateOptionsResult Validate(string? name, FlattrHubOptions options)
    {
        var failures = new List<string>();
        if (options.HubUrl is null)
        {
            failures.Add("Flattr: HubUrl is not set. Set it to the address of your Flattr Hub, for example https://hub.example.org/.");
        }
        else if (!options.HubUrl.IsAbsoluteUri || (options.HubUrl.Scheme != Uri.UriSchemeHttps && options.HubUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Flattr: HubUrl '{options.HubUrl}' must be an absolute http or https address.");
        }

        if (string.IsNullOrWhiteSpace(options.InstallationId))
        {
            failures.Add("Flattr: InstallationId is not set. Ask your hub admin to register this site and copy the id it prints.");
        }

        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add("Flattr: Secret is not set. It is shown once when the hub admin registers this site (or rotates its secret).");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add("Flattr: AttemptTimeout must be positive and no longer than TotalTimeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
