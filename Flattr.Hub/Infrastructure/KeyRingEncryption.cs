using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Flattr.Hub.Infrastructure;

/// <summary>
/// Encrypts the Data Protection key ring (stored in the database) with AES-256-GCM under a key that is NOT in the
/// database: <c>Hub:DataProtection:Key</c> (base64, 32 bytes; set the same value on every Hub process in production), or
/// else a file <c>dataprotection.key</c> in the data folder, created on first start. A copy of the database alone
/// therefore reveals neither the key ring nor the installation secrets it protects.
/// </summary>
internal static class KeyRingEncryption
{
    public static IServiceCollection AddKeyRingEncryption(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var key = LoadKey(configuration, contentRoot);
        services.AddSingleton(new KeyRingKey(key));
        services.Configure<KeyManagementOptions>(o => o.XmlEncryptor = new KeyRingEncryptor(key));
        return services;
    }

    private static byte[] LoadKey(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration["Hub:DataProtection:Key"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var bytes = new byte[32];
            return Convert.TryFromBase64String(configured, bytes, out var written) && written == 32
                ? bytes
                : throw new InvalidOperationException("Hub:DataProtection:Key must be 32 bytes in base64 (for example: openssl rand -base64 32).");
        }

        var folder = HubPaths.DataDirectory(configuration, contentRoot);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "dataprotection.key");
        if (!File.Exists(path))
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // readable by the Hub's user only
                }

                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process on the same data folder created it first; use theirs.
            }
        }

        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}

internal sealed record KeyRingKey(byte[] Value);

internal sealed class KeyRingEncryptor(byte[] key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        var element = new XElement(
            "flattrEncryptedKey",
            new XAttribute("nonce", Convert.ToBase64String(nonce)),
            new XAttribute("tag", Convert.ToBase64String(tag)),
            Convert.ToBase64String(ciphertext));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyRingEncryptor"/> wrote. Data Protection creates it with the service provider.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetRequiredService<KeyRingKey>().Value;
        var nonce = Convert.FromBase64String((string)encryptedElement.Attribute("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Attribute("tag")!);
        var ciphertext = Convert.FromBase64String(encryptedElement.Value);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key, tag.Length))
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }

        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}
