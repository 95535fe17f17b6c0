using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Flattr.Benchmarks.Load;

/// <summary>
/// <c>click-rate</c>: an open-loop load generator for <c>POST /api/v1/flattrs</c> at a constant rate (wrk2 is not
/// packaged for Debian). Request <c>i</c> is due at <c>i / rate</c> seconds and is queued then whether or not earlier
/// ones have answered; its latency is measured from when it was due, not from when it was sent, so a stalled server
/// shows in the percentiles instead of being hidden by a client that waits (coordinated omission). The first
/// <c>--warmup</c> seconds run at the same rate unmeasured: this process's own JIT and its connections to the Hub would
/// otherwise start a queue that a server running at 80% never works off within a short run.
/// </summary>
/// <remarks>
/// <para>
/// Request <c>i</c> (from <c>--offset</c> on) is a new click of reader token <c>i mod R</c> on thing
/// <c>(i div R) mod T + 1</c>, exactly as <c>eng/perf/clicks.lua</c> numbers wrk's requests: many readers clicking one
/// article after another, as when an article goes round.
/// </para>
/// <para>
/// It speaks HTTP/1.1 itself over <c>--connections</c> keep-alive sockets, one request at a time on each (as wrk does),
/// instead of going through <see cref="HttpClient"/>: the generator shares the two cores with the Hub, and HttpClient
/// cost it 155-204 µs of CPU a request, a share the Hub then lacked at the very rate being measured. Due requests wait
/// in one queue for the next free connection; that wait counts in their latency.
/// </para>
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
        var authorizations = tokens.Select(t => Encoding.ASCII.GetBytes("Authorization: Bearer " + t + "\r\n")).ToArray();
        var head = Encoding.ASCII.GetBytes($"POST /api/v1/flattrs HTTP/1.1\r\nHost: {hub.Authority}\r\nContent-Type: application/json\r\n");
        var addresses = await Dns.GetHostAddressesAsync(hub.Host);
        var endpoint = new IPEndPoint(addresses.First(a => a.AddressFamily == AddressFamily.InterNetwork), hub.Port);

        var latencies = new double[measured];
        var statuses = new int[total];
        var due = new long[total];
        var queue = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleWriter = true });
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(WorkAsync)).ToArray();

        var ticksPerRequest = Stopwatch.Frequency / rate;
        for (var i = 0; i < total; i++)
        {
            due[i] = (long)(i * ticksPerRequest);
            var wait = due[i] - clock.ElapsedTicks;
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }

            queue.Writer.TryWrite(i);
        }

        var dispatched = clock.Elapsed.TotalSeconds;
        queue.Writer.Complete();
        await Task.WhenAll(workers);
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
            $"click-rate: this generator's own CPU time {cpu.TotalMilliseconds * 1000 / total:F0} µs a request, start included (it shares the machine with the Hub)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"click-rate: latency from due time p50 {P(0.50):F1} ms, p90 {P(0.90):F1} ms, p99 {P(0.99):F1} ms, p99.9 {P(0.999):F1} ms, max {latencies[^1]:F1} ms"));
        return other == 0 ? 0 : 1;

        double P(double p) => ThingSync.Percentile(latencies, p);

        async Task WorkAsync()
        {
            var request = new byte[head.Length + 256];
            head.CopyTo(request, 0);
            HttpConnection? connection = null;
            try
            {
                while (await queue.Reader.WaitToReadAsync())
                {
                    while (queue.Reader.TryRead(out var i))
                    {
                        var n = offset + i;
                        var length = Format(request, head.Length, authorizations[n % tokens.Length], ((n / tokens.Length) % things) + 1);
                        try
                        {
                            connection ??= await HttpConnection.OpenAsync(endpoint);
                            var (status, body) = await connection.SendAsync(request.AsMemory(0, length));
                            statuses[i] = status;
                            if (status is not (201 or 200))
                            {
                                Report($"{status} {body}");
                            }
                        }
                        catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
                        {
                            statuses[i] = -1;
                            Report(e.Message);
                            connection?.Dispose();
                            connection = null;
                        }

                        if (i >= warmup)
                        {
                            latencies[i - warmup] = (clock.ElapsedTicks - due[i]) * 1000.0 / Stopwatch.Frequency;
                        }
                    }
                }
            }
            finally
            {
                connection?.Dispose();
            }
        }
    }

    /// <summary>Writes the rest of a request after <paramref name="start"/>: the token's header, the length and the body.</summary>
    private static int Format(byte[] request, int start, byte[] authorization, long thing)
    {
        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"thing\":\"{thing}\"}}");
        var span = request.AsSpan(start);
        authorization.CopyTo(span);
        var at = authorization.Length;
        at += Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n{body}"), span[at..]);
        return start + at;
    }

    private static void Report(string message)
    {
        if (Interlocked.Increment(ref _reported) <= 3)
        {
            Console.Error.WriteLine($"click-rate: {message}");
        }
    }

    private static int _reported;

    /// <summary>One keep-alive HTTP/1.1 connection: a request out, its whole response in (length-delimited or chunked).</summary>
    private sealed class HttpConnection(Socket socket) : IDisposable
    {
        private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
        private static readonly byte[] LineEnd = "\r\n"u8.ToArray();
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public static async Task<HttpConnection> OpenAsync(IPEndPoint endpoint)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint);
                return new HttpConnection(socket);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        /// <summary>Sends <paramref name="request"/> and reads its response; the body is returned only when the status is not 200 or 201.</summary>
        public async Task<(int Status, string? Body)> SendAsync(ReadOnlyMemory<byte> request)
        {
            while (!request.IsEmpty)
            {
                request = request[await socket.SendAsync(request, SocketFlags.None)..];
            }

            var headerEnd = await FindAsync(HeaderEnd);
            var headers = Encoding.ASCII.GetString(_buffer, _start, headerEnd - _start);
            _start = headerEnd + 4;
            if (headers.Length < 12 || !headers.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)
                || !int.TryParse(headers.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                throw new InvalidDataException($"Not an HTTP/1.1 response: {headers[..Math.Min(40, headers.Length)]}");
            }

            var keep = status is not (201 or 200);
            var body = keep ? new StringBuilder() : null;
            if (Header(headers, "content-length") is { } length)
            {
                await ConsumeAsync(int.Parse(length, NumberStyles.None, CultureInfo.InvariantCulture), body);
            }
            else if (string.Equals(Header(headers, "transfer-encoding"), "chunked", StringComparison.OrdinalIgnoreCase))
            {
                while (true)
                {
                    var lineEnd = await FindAsync(LineEnd);
                    var size = int.Parse(Encoding.ASCII.GetString(_buffer, _start, lineEnd - _start).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    _start = lineEnd + 2;
                    await ConsumeAsync(size, body);
                    _start = await FindAsync(LineEnd) + 2; // the end of the chunk's data, or of the (empty) trailer
                    if (size == 0)
                    {
                        break;
                    }
                }
            }

            return (status, body?.ToString());
        }

        public void Dispose() => socket.Dispose();

        private static string? Header(string headers, string name)
        {
            foreach (var line in headers.Split("\r\n"))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line.AsSpan(0, colon).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return line[(colon + 1)..].Trim();
                }
            }

            return null;
        }

        /// <summary>The index in the buffer where <paramref name="marker"/> next starts, receiving until it has arrived.</summary>
        private async Task<int> FindAsync(ReadOnlyMemory<byte> marker)
        {
            while (true)
            {
                var at = _buffer.AsSpan(_start, _end - _start).IndexOf(marker.Span);
                if (at >= 0)
                {
                    return _start + at;
                }

                await ReceiveAsync();
            }
        }

        private async Task ConsumeAsync(int count, StringBuilder? body)
        {
            while (count > 0)
            {
                if (_start == _end)
                {
                    await ReceiveAsync();
                }

                var take = Math.Min(count, _end - _start);
                body?.Append(Encoding.UTF8.GetString(_buffer, _start, take));
                _start += take;
                count -= take;
            }
        }

        private async Task ReceiveAsync()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new InvalidDataException("A response header or chunk line is longer than the receive buffer.");
            }

            var received = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (received == 0)
            {
                throw new IOException("The Hub closed the connection.");
            }

            _end += received;
        }
    }
}
