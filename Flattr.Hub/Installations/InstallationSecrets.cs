using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Flattr.Hub.Installations;

/// <summary>
/// Makes installation secrets and keeps them encrypted at rest. The Hub needs the secret itself to check HMAC
/// signatures, so it cannot store only a hash; it stores the secret encrypted with the Data Protection key ring, whose
/// keys live in the database and can themselves be encrypted with a certificate in production.
/// </summary>
public sealed class InstallationSecrets(IDataProtectionProvider dataProtection)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Flattr.Hub.InstallationSecret.v1");

    public static string NewSecret() => "fs_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string NewInstallationId() => "in_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(Installation installation) => _protector.Unprotect(installation.ProtectedSecret);

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
