using System.Globalization;
using System.Text;
using Flattr.Protocol;

namespace Flattr.Core.Tests.Protocol;

/// <summary>
/// Test vectors for the v1 request signature. Every expected value was computed independently of the C# code with
/// Python's hmac and hashlib (the exact one-liner is above each vector), so the vectors also pin the wire format that
/// other implementations (a PHP or JavaScript CMS module, say) must reproduce.
/// </summary>
public sealed class RequestSigningTests
{
    // SHA-256 of zero bytes: python3 -c 'import hashlib; print(hashlib.sha256(b"").hexdigest())'
    private const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // The request the Verify tests start from, and its signature:
    // python3 -c 'import hmac,hashlib; s,t,m,p,b="hub-test-secret",1767225600,"PUT","/api/v1/things/post-1","""{"title":"Hi"}""".encode(); h=hashlib.sha256(b).hexdigest(); print(h, "v1="+hmac.new(s.encode(),f"{t}\n{m}\n{p}\n{h}".encode(),hashlib.sha256).hexdigest())'
    private const string Secret = "hub-test-secret";
    private const long Timestamp = 1767225600; // 2026-01-01T00:00:00Z
    private const string Method = "PUT";
    private const string Target = "/api/v1/things/post-1";
    private const string Body = """{"title":"Hi"}""";
    private const string Signature = "v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b92";

    private static readonly DateTimeOffset SigningTime = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static SignatureCheck VerifyBase(
        string secret = Secret,
        string? timestamp = "1767225600",
        string? signature = Signature,
        string method = Method,
        string target = Target,
        string body = Body,
        DateTimeOffset? now = null) =>
        RequestSigning.Verify(secret, timestamp, signature, method, target, Utf8(body), now ?? SigningTime);

    public static TheoryData<string, long, string, string, string, string, string> Vectors => new()
    {
        // Empty-body GET.
        // python3 -c 'import hmac,hashlib; s,t,m,p,b="s3cr3t-installation-key",1767225600,"GET","/api/v1/things/post-42","".encode(); h=hashlib.sha256(b).hexdigest(); print(h, "v1="+hmac.new(s.encode(),f"{t}\n{m}\n{p}\n{h}".encode(),hashlib.sha256).hexdigest())'
        {
            "s3cr3t-installation-key", 1767225600, "GET", "/api/v1/things/post-42", string.Empty,
            EmptyBodyHash,
            "v1=ddf6bbe4b52f33ca38c9b78cdfc4830c0b283f665a6b630fa546766b0c1b3182"
        },

        // JSON PUT to a percent-encoded external id ("a/b c") with a query: the target is signed exactly as sent.
        // python3 -c 'import hmac,hashlib; s,t,m,p,b="s3cr3t-installation-key",1767225601,"PUT","/api/v1/things/a%2Fb%20c?x=1","""{"url":"https://blog.example/a","title":"Hello","creator":{"externalId":"ann"}}""".encode(); h=hashlib.sha256(b).hexdigest(); print(h, "v1="+hmac.new(s.encode(),f"{t}\n{m}\n{p}\n{h}".encode(),hashlib.sha256).hexdigest())'
        {
            "s3cr3t-installation-key", 1767225601, "PUT", "/api/v1/things/a%2Fb%20c?x=1",
            """{"url":"https://blog.example/a","title":"Hello","creator":{"externalId":"ann"}}""",
            "2cbf916cedf9e0c40d5e7ea8d74bfab10a8f386c6756d09423b735fad2649b34",
            "v1=f9135c61d913c057823a004125bbab49faa440e780e7f78dffcda22e6f35fb46"
        },

        // Non-ASCII in both the secret and the body: both are UTF-8 encoded.
        // python3 -c 'import hmac,hashlib; s,t,m,p,b="Geheimnis-Café-☕",1767225602,"PUT","/api/v1/things/caf%C3%A9","""{"title":"Café ☕"}""".encode(); h=hashlib.sha256(b).hexdigest(); print(h, "v1="+hmac.new(s.encode(),f"{t}\n{m}\n{p}\n{h}".encode(),hashlib.sha256).hexdigest())'
        {
            "Geheimnis-Café-☕", 1767225602, "PUT", "/api/v1/things/caf%C3%A9", """{"title":"Café ☕"}""",
            "5a7fcbfd001ae90e9002e3693ab47476e9b00931156205054172c370c91e8382",
            "v1=802753ff4e49c722dd542b02e31b00ba7ba168a4e6acea1e4185d45f0715185d"
        },

        // POST batch.
        // python3 -c 'import hmac,hashlib; s,t,m,p,b="s3cr3t-installation-key",1767225603,"POST","/api/v1/things:batch","""{"things":[{"externalId":"a","title":"A"},{"externalId":"b","title":"B"}]}""".encode(); h=hashlib.sha256(b).hexdigest(); print(h, "v1="+hmac.new(s.encode(),f"{t}\n{m}\n{p}\n{h}".encode(),hashlib.sha256).hexdigest())'
        {
            "s3cr3t-installation-key", 1767225603, "POST", "/api/v1/things:batch",
            """{"things":[{"externalId":"a","title":"A"},{"externalId":"b","title":"B"}]}""",
            "5c5750b6742dcf2ae0afdfb0682726b5ba0f59380629e1cfdb64c47399a83cba",
            "v1=c552580762a31ea48e0bc8ce2f9bfd3e1d9277158b4a01a97dbd07aa441abf6f"
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sign_KnownVector_MatchesIndependentlyComputedSignature(
        string secret, long timestamp, string method, string target, string body, string bodyHash, string expected)
    {
        _ = bodyHash;

        var signature = RequestSigning.Sign(secret, timestamp, method, target, Utf8(body));

        Assert.Equal(expected, signature);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void CanonicalMessage_KnownVector_IsTimestampMethodTargetAndBodyHashOnFourLines(
        string secret, long timestamp, string method, string target, string body, string bodyHash, string expected)
    {
        _ = secret;
        _ = expected;

        var message = RequestSigning.CanonicalMessage(timestamp, method, target, Utf8(body));

        Assert.Equal($"{timestamp}\n{method}\n{target}\n{bodyHash}", message);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Verify_KnownVector_IsValidAtTheSigningTime(
        string secret, long timestamp, string method, string target, string body, string bodyHash, string expected)
    {
        _ = bodyHash;

        var check = RequestSigning.Verify(
            secret, timestamp.ToString(CultureInfo.InvariantCulture), expected, method, target, Utf8(body),
            DateTimeOffset.FromUnixTimeSeconds(timestamp));

        Assert.Equal(SignatureCheck.Valid, check);
    }

    [Fact]
    public void CanonicalMessage_EmptyGet_IsExactlyTheDocumentedString()
    {
        var message = RequestSigning.CanonicalMessage(1767225600, "GET", "/api/v1/things/post-42", []);

        Assert.Equal("1767225600\nGET\n/api/v1/things/post-42\n" + EmptyBodyHash, message);
    }

    [Fact]
    public void CanonicalMessage_LowerCaseMethod_IsUpperCased()
    {
        var message = RequestSigning.CanonicalMessage(1, "delete", "/x", []);

        Assert.Equal("1\nDELETE\n/x\n" + EmptyBodyHash, message);
    }

    [Fact]
    public void Sign_LowerCaseMethod_SignsTheSameAsUpperCase()
    {
        var lower = RequestSigning.Sign(Secret, Timestamp, "put", Target, Utf8(Body));
        var upper = RequestSigning.Sign(Secret, Timestamp, "PUT", Target, Utf8(Body));

        Assert.Equal(upper, lower);
        Assert.Equal(Signature, lower);
    }

    [Fact]
    public void Sign_Output_IsV1PrefixAnd64LowerCaseHexDigits()
    {
        var signature = RequestSigning.Sign("k", 0, "GET", "/", []);

        Assert.Matches("^v1=[0-9a-f]{64}$", signature);
    }

    [Fact]
    public void Sign_EmptySecret_Throws()
    {
        Assert.Throws<ArgumentException>(() => RequestSigning.Sign(string.Empty, Timestamp, Method, Target, Utf8(Body)));
    }

    [Fact]
    public void Verify_ValidRequest_IsValid()
    {
        Assert.Equal(SignatureCheck.Valid, VerifyBase());
    }

    [Fact]
    public void Verify_LowerCaseMethodOnTheHub_IsValid()
    {
        Assert.Equal(SignatureCheck.Valid, VerifyBase(method: "put"));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(299)]
    public void Verify_ClockWithinTolerance_IsValid(int offsetSeconds)
    {
        Assert.Equal(SignatureCheck.Valid, VerifyBase(now: SigningTime.AddSeconds(offsetSeconds)));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    [InlineData(86_400)]
    [InlineData(-86_400)]
    public void Verify_ClockOutsideTolerance_IsStale(int offsetSeconds)
    {
        Assert.Equal(SignatureCheck.Stale, VerifyBase(now: SigningTime.AddSeconds(offsetSeconds)));
    }

    [Fact]
    public void Verify_Tolerance_IsThreeHundredSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(300), RequestSigning.Tolerance);
    }

    [Fact]
    public void Verify_TamperedBody_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(body: """{"title":"Hi!"}"""));
    }

    [Fact]
    public void Verify_EmptiedBody_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(body: string.Empty));
    }

    [Theory]
    [InlineData("/api/v1/things/post-2")]
    [InlineData("/api/v1/things/post-1?x=1")]
    [InlineData("/api/v1/things/POST-1")]
    [InlineData("/api/v1/things/post%2D1")]
    public void Verify_TamperedPath_IsMismatch(string target)
    {
        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(target: target));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("GET")]
    public void Verify_TamperedMethod_IsMismatch(string method)
    {
        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(method: method));
    }

    [Fact]
    public void Verify_TimestampChangedWithinTolerance_IsMismatch()
    {
        // The timestamp is part of the message: moving it (even to a fresh value) breaks the signature.
        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(timestamp: "1767225601"));
    }

    [Fact]
    public void Verify_DifferentSecret_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(secret: "hub-test-secreT"));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(30)]
    [InlineData(66)]
    public void Verify_OneSignatureHexDigitFlipped_IsMismatch(int index)
    {
        var chars = Signature.ToCharArray();
        chars[index] = chars[index] == '0' ? '1' : '0';

        Assert.Equal(SignatureCheck.Mismatch, VerifyBase(signature: new string(chars)));
    }

    [Theory]
    [InlineData(null, Signature)]
    [InlineData("", Signature)]
    [InlineData("1767225600", null)]
    [InlineData("1767225600", "")]
    [InlineData(null, null)]
    public void Verify_MissingHeader_IsMissing(string? timestamp, string? signature)
    {
        Assert.Equal(SignatureCheck.Missing, VerifyBase(timestamp: timestamp, signature: signature));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1767225600.0")]
    [InlineData("-1767225600")]
    [InlineData("+1767225600")]
    [InlineData(" 1767225600")]
    [InlineData("1767225600 ")]
    [InlineData("1,767,225,600")]
    [InlineData("0x6955B900")]
    [InlineData("99999999999999999999")]
    public void Verify_NonNumericTimestamp_IsMalformed(string timestamp)
    {
        Assert.Equal(SignatureCheck.Malformed, VerifyBase(timestamp: timestamp));
    }

    [Theory]
    [InlineData("dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b92")]
    [InlineData("v2=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b92")]
    [InlineData("V1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b92")]
    [InlineData("sha256=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b92")]
    public void Verify_SignatureWithoutV1Prefix_IsMalformed(string signature)
    {
        Assert.Equal(SignatureCheck.Malformed, VerifyBase(signature: signature));
    }

    [Theory]
    [InlineData("v1=")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b9")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b920")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b9200")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafd")]
    public void Verify_SignatureOfWrongLength_IsMalformed(string signature)
    {
        Assert.Equal(SignatureCheck.Malformed, VerifyBase(signature: signature));
    }

    [Theory]
    [InlineData("v1=gbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b92")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b9z")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b 2")]
    [InlineData("v1=dbb96b4f326dd8ffb7d9c3066c5dbafdef2dbb4ab2a5892fcd7fcfe8f1dc0b9\u00e9")]
    [InlineData("v1=ZGJiOTZiNGYzMjZkZDhmZmI3ZDljMzA2NmM1ZGJhZmRlZjJkYmI0YWIyYTU4OTJm")]
    public void Verify_NonHexSignature_IsMalformed(string signature)
    {
        Assert.Equal(SignatureCheck.Malformed, VerifyBase(signature: signature));
    }

    [Fact]
    public void Verify_MalformedSignatureOnStaleRequest_IsMalformedBeforeStale()
    {
        // Format is checked before freshness, so a garbage header is reported as such, whatever its age.
        Assert.Equal(SignatureCheck.Malformed, VerifyBase(signature: "v1=nope", now: SigningTime.AddDays(1)));
    }

    [Fact]
    public void Verify_StaleRequestWithWrongSignature_IsStaleNotMismatch()
    {
        // Freshness is checked before the MAC, so an old replay is reported as stale.
        Assert.Equal(SignatureCheck.Stale, VerifyBase(body: "tampered", now: SigningTime.AddSeconds(301)));
    }

    [Fact]
    public void SignThenVerify_RoundTrip_IsValidForBinaryBody()
    {
        byte[] body = [0x00, 0xff, 0x80, 0x0a, 0x0d];
        var signature = RequestSigning.Sign(Secret, Timestamp, "POST", "/p?q=%20", body);

        Assert.Equal(SignatureCheck.Valid, RequestSigning.Verify(Secret, "1767225600", signature, "POST", "/p?q=%20", body, SigningTime));
        Assert.Equal(SignatureCheck.Mismatch, RequestSigning.Verify(Secret, "1767225600", signature, "POST", "/p?q=%20", body.AsSpan(0, 4), SigningTime));
    }
}
