using System.Security.Cryptography;
using System.Text;

namespace Flattr.Hub.Accounts;

/// <summary>
/// Personal API tokens: <c>fh_</c> and 43 characters of randomness. Only the SHA-256 of a token is stored (a token is
/// high-entropy, so a fast hash is enough and lookups stay a single indexed query); the first characters are kept as a
/// prefix so a reader can tell their tokens apart.
/// </summary>
public static class ApiTokens
{
    public const string TokenPrefix = "fh_";

    public static string NewToken() => TokenPrefix + Installations.InstallationSecrets.Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static string DisplayPrefix(string token) => token[..Math.Min(token.Length, 10)];
}
