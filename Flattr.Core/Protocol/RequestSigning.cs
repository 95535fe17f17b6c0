using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Flattr.Protocol;

/// <summary>
/// Version 1 of the installation-to-Hub request signature. The message is
/// <c>{timestamp}\n{METHOD}\n{path and query as sent}\n{lowercase hex SHA-256 of the body}</c>, the signature
/// <c>v1={lowercase hex HMAC-SHA256(key = UTF-8 bytes of the installation secret, message)}</c>.
/// </summary>
public static class RequestSigning
{
    /// <summary>Header carrying the installation id.</summary>
    public const string InstallationHeader = "Flattr-Installation";

    /// <summary>Header carrying the signing time in Unix seconds.</summary>
    public const string TimestampHeader = "Flattr-Timestamp";

    /// <summary>Header carrying <c>v1=</c> and the signature.</summary>
    public const string SignatureHeader = "Flattr-Signature";

    /// <summary>How far the signing time may be from the Hub's clock: 300 seconds either way.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    private const string VersionPrefix = "v1=";

    /// <summary>Computes the <c>Flattr-Signature</c> header value for a request.</summary>
    /// <param name="secret">The installation secret.</param>
    /// <param name="timestamp">Unix seconds, as sent in <c>Flattr-Timestamp</c>.</param>
    /// <param name="method">The HTTP method, for example <c>PUT</c>; upper-cased before signing.</param>
    /// <param name="pathAndQuery">The request target exactly as sent, for example <c>/api/v1/things/a%2Fb?x=1</c>.</param>
    /// <param name="body">The body bytes (empty for none).</param>
    public static string Sign(string secret, long timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, timestamp, method, pathAndQuery, body, mac);
        return VersionPrefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>The exact message that is signed; exposed so that other implementations can check themselves against it.</summary>
    public static string CanonicalMessage(long timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        Span<byte> bodyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, bodyHash);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{timestamp}\n{method.ToUpperInvariant()}\n{pathAndQuery}\n{Convert.ToHexStringLower(bodyHash)}");
    }

    /// <summary>
    /// Checks a request's timestamp and signature headers against the installation secret. The signature is compared
    /// in constant time; the timestamp must be within <see cref="Tolerance"/> of <paramref name="now"/>.
    /// </summary>
    public static SignatureCheck Verify(
        string secret,
        string? timestampHeader,
        string? signatureHeader,
        string method,
        string pathAndQuery,
        ReadOnlySpan<byte> body,
        DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestampHeader) || string.IsNullOrEmpty(signatureHeader))
        {
            return SignatureCheck.Missing;
        }

        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return SignatureCheck.Malformed;
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        if (!signatureHeader.StartsWith(VersionPrefix, StringComparison.Ordinal)
            || signatureHeader.Length != VersionPrefix.Length + (2 * HMACSHA256.HashSizeInBytes)
            || Convert.FromHexString(signatureHeader.AsSpan(VersionPrefix.Length), presented, out _, out var written) != OperationStatus.Done
            || written != presented.Length)
        {
            return SignatureCheck.Malformed;
        }

        var drift = now.ToUnixTimeSeconds() - timestamp;
        if (Math.Abs(drift) > (long)Tolerance.TotalSeconds)
        {
            return SignatureCheck.Stale;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(secret, timestamp, method, pathAndQuery, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    private static void ComputeMac(string secret, long timestamp, string method, string pathAndQuery, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var message = Encoding.UTF8.GetBytes(CanonicalMessage(timestamp, method, pathAndQuery, body));
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message, mac);
    }
}

/// <summary>The outcome of checking a signed request.</summary>
public enum SignatureCheck
{
    /// <summary>The signature matches and the timestamp is fresh.</summary>
    Valid,

    /// <summary>The timestamp or signature header is absent.</summary>
    Missing,

    /// <summary>A header is not in the expected format.</summary>
    Malformed,

    /// <summary>The timestamp is more than the tolerance away from the Hub's clock.</summary>
    Stale,

    /// <summary>The signature does not match the request.</summary>
    Mismatch,
}
