using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Flattr.Protocol;

namespace Flattr.Benchmarks.Load;

/// <summary>
/// <c>sync-things</c>: what a site's first full sync costs the Hub. Sends <c>--things</c> new things through
/// <c>POST /api/v1/things:batch</c> in signed batches of <c>--batch</c> (500, the protocol's maximum), with
/// <c>--concurrency</c> batches in flight, then sends the same things again (every item an update), and reports
/// things per second and batch latencies for both passes, after <c>--warmup</c> unmeasured batches (20).
/// </summary>
internal static class ThingSync
{
    public static async Task<int> RunAsync(CommandOptions options)
    {
        var hub = new Uri(options.Required("--url"));
        var installation = options.Required("--installation");
        var secret = options.Required("--secret");
        var count = options.Int("--things", 20_000);
        var batchSize = options.Int("--batch", 500);
        var concurrency = options.Int("--concurrency", 2);
        var prefix = options.Text("--prefix", "sync-");
        var creators = options.Int("--creators", Math.Max(1, count / 10));

        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = hub };
        var batches = Enumerable.Range(0, count).Chunk(batchSize).Select(ids => Body(ids, prefix, creators)).ToArray();

        // Unmeasured first: --warmup full batches of other things, created then updated, so connection set-up and the
        // Hub's JIT (tiered compilation promotes a method after 30 calls, in the background; the per-batch code is called
        // once a batch) are not in the figures. With one small batch, or four, a Hub that had only taken clicks before
        // synced its first 10,000 things at 1,658-1,999 things/s (p50 285 ms a batch), then 3,889-5,040; after twenty,
        // 4,093 at once (p50 100 ms).
        var warmup = Enumerable.Range(0, options.Int("--warmup", 20) * batchSize).Chunk(batchSize)
            .Select(ids => Body(ids, prefix + "warm-", Math.Max(1, ids.Length / 10))).ToArray();
        foreach (var _ in new[] { "create", "update" })
        {
            foreach (var body in warmup)
            {
                await SendAsync(client, installation, secret, body);
            }
        }

        foreach (var pass in new[] { "create", "update" })
        {
            var latencies = new double[batches.Length];
            var next = -1;
            var failures = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < batches.Length)
                {
                    var started = Stopwatch.GetTimestamp();
                    if (!await SendAsync(client, installation, secret, batches[i]))
                    {
                        Interlocked.Increment(ref failures);
                    }

                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }));
            var seconds = clock.Elapsed.TotalSeconds;
            Array.Sort(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"sync-things {pass}: {count} things in {batches.Length} batches of {batchSize}, {concurrency} in flight: {seconds:F2} s, "
                + $"{count / seconds:F0} things/s; batch latency p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, "
                + $"max {latencies[^1]:F0} ms; failed batches {failures}"));
            if (failures > 0)
            {
                return 1;
            }
        }

        return 0;
    }

    internal static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static byte[] Body(int[] ids, string prefix, int creators) => JsonSerializer.SerializeToUtf8Bytes(
        new ThingBatchRequest
        {
            Things = [.. ids.Select(i => new ThingBatchItem
            {
                ExternalId = prefix + i.ToString(CultureInfo.InvariantCulture),
                Url = $"https://perf.example/sync/{prefix}{i}",
                Title = $"Synced post {i}",
                Description = "A post synced by the load test.",
                Category = "text",
                Language = "en",
                Tags = ["perf", "sync"],
                Creator = new CreatorUpsert { ExternalId = $"{prefix}author-{i % creators}", Name = $"Author {i % creators}" },
            })],
        },
        ProtocolJson.ThingBatchRequest);

    private static async Task<bool> SendAsync(HttpClient client, string installation, string secret, byte[] body)
    {
        const string target = "/api/v1/things:batch";
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(RequestSigning.InstallationHeader, installation);
        request.Headers.Add(RequestSigning.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(RequestSigning.SignatureHeader, RequestSigning.Sign(secret, timestamp, "POST", target, body));
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return true;
        }

        await Console.Error.WriteLineAsync($"sync-things: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return false;
    }
}
