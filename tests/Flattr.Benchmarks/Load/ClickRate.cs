using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Flattr.Benchmarks.Load;

/// <summary>
/// <c>click-rate</c>: an open-loop load generator for <c>POST /api/v1/flattrs</c> at a constant rate (wrk2 is not
/// packaged for Debian). Request <c>i</c> is due at <c>i / rate</c> seconds and is sent then whether or not earlier
/// ones have answered; its latency is measured from when it was due, not from when it was sent, so a stalled server
/// shows in the percentiles instead of being hidden by a client that waits (coordinated omission). The first
/// <c>--warmup</c> seconds run at the same rate unmeasured: this process's own JIT and its connections to the Hub would
/// otherwise start a queue that a server running at 80% never works off within a short run.
/// </summary>
/// <remarks>
/// Request <c>i</c> (from <c>--offset</c> on) is a new click of reader token <c>i mod R</c> on thing
/// <c>(i div R) mod T + 1</c>, exactly as <c>eng/perf/clicks.lua</c> numbers wrk's requests: many readers clicking one
/// article after another, as when an article goes round.
/// </remarks>
internal static class ClickRate
{
    public static async Task<int> RunAsync(CommandOptions options)
    {
        var hub = new Uri(options.Required("--url"));
        var tokens = await File.ReadAllLinesAsync(options.Required("--tokens"));
        var things = options.Long("--things", 1);
        var rate = options.Double("--rate", 1000);
        var duration = options.Double("--duration", 10);
        var offset = options.Long("--offset", 0);
        var connections = options.Int("--connections", 64);
        var warmup = (int)(rate * options.Double("--warmup", 3));
        var measured = (int)(rate * duration);
        var total = warmup + measured;
        var headers = tokens.Select(t => "Bearer " + t).ToArray();

        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
        })
        { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(30) };

        var latencies = new double[measured];
        var statuses = new int[total];
        var pending = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var ticksPerRequest = Stopwatch.Frequency / rate;
        for (var i = 0; i < total; i++)
        {
            var due = (long)(i * ticksPerRequest);
            var wait = due - clock.ElapsedTicks;
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }

            pending.Add(SendAsync(client, i, due));
        }

        var dispatched = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(pending);
        var elapsed = clock.Elapsed.TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        Array.Sort(latencies);
        var created = statuses.Count(s => s == 201);
        var repeated = statuses.Count(s => s == 200);
        var other = total - created - repeated;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"click-rate: target {rate:F0}/s for {duration:F0} s after {warmup} unmeasured requests: {total} requests sent in {dispatched:F2} s, "
            + $"all answered after {elapsed:F2} s ({total / elapsed:F0}/s); created {created}, repeated {repeated}, other {other}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"click-rate: this generator's own CPU time {cpu.TotalMilliseconds * 1000 / total:F0} µs a request (it shares the machine with the Hub)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"click-rate: latency from due time p50 {P(0.50):F1} ms, p90 {P(0.90):F1} ms, p99 {P(0.99):F1} ms, p99.9 {P(0.999):F1} ms, max {latencies[^1]:F1} ms"));
        return other == 0 ? 0 : 1;

        double P(double p) => ThingSync.Percentile(latencies, p);

        async Task SendAsync(HttpClient http, int i, long due)
        {
            var n = offset + i;
            var thing = ((n / tokens.Length) % things) + 1;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/flattrs")
            {
                Content = new StringContent($"{{\"thing\":\"{thing.ToString(CultureInfo.InvariantCulture)}\"}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", headers[n % tokens.Length]);
            try
            {
                using var response = await http.SendAsync(request);
                statuses[i] = (int)response.StatusCode;
                if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK) && Interlocked.Increment(ref _reported) <= 3)
                {
                    await Console.Error.WriteLineAsync($"click-rate: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException e)
            {
                statuses[i] = -1;
                if (Interlocked.Increment(ref _reported) <= 3)
                {
                    await Console.Error.WriteLineAsync($"click-rate: {e.Message}");
                }
            }

            if (i >= warmup)
            {
                latencies[i - warmup] = (clock.ElapsedTicks - due) * 1000.0 / Stopwatch.Frequency;
            }
        }
    }

    private static int _reported;
}
