using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Accounts;

/// <summary>
/// Builds the link with which a person sets a password: <c>{Hub:PublicUrl}Accounts/ResetPassword?email=…&amp;code=…</c>.
/// The code is an Identity password-reset token; it works once, because setting the password changes the account's
/// security stamp, which every such token embeds.
/// </summary>
public sealed class PasswordResetLinks(UserManager<HubUser> users, IOptions<HubOptions> options)
{
    public async Task<Uri> CreateAsync(HubUser user)
    {
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));
        var query = QueryHelpers.AddQueryString("Accounts/ResetPassword", new Dictionary<string, string?>
        {
            ["email"] = user.Email,
            ["code"] = code,
        });
        return new Uri(options.Value.PublicUrl, query);
    }

    /// <summary>Turns the <c>code</c> of a link back into the Identity token; null when it is not one of ours.</summary>
    public static string? DecodeCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
