using System.ComponentModel.DataAnnotations;
using System.Net.Mail;

namespace Flattr.Hub.Accounts;

/// <summary>What the Hub accepts as an account's email address.</summary>
public static class EmailAddresses
{
    private static readonly EmailAddressAttribute Attribute = new();

    /// <summary>A single bare address (no display name, no spaces, no line breaks) of at most 256 characters.</summary>
    public static bool IsValid(string? address) =>
        !string.IsNullOrWhiteSpace(address)
        && address.Length <= 256
        && !address.Any(char.IsWhiteSpace)
        && Attribute.IsValid(address)
        && MailAddress.TryCreate(address, out var parsed)
        && string.Equals(parsed.Address, address, StringComparison.Ordinal);
}
