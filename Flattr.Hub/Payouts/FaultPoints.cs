using System.Diagnostics;

namespace Flattr.Hub.Payouts;

/// <summary>
/// Named points in the payout run where the fault-injection tests kill the process, proving a restart resumes with no
/// creator paid twice and none skipped. Inert unless <c>FLATTR_FAULT_AT</c> is set, as <c>name</c>, <c>name:n</c> (the
/// n-th time that point is reached) or <c>any:n</c> (the n-th point reached, whichever it is).
/// </summary>
internal static class FaultPoints
{
    private static readonly string? Target = Environment.GetEnvironmentVariable("FLATTR_FAULT_AT");
    private static readonly Dictionary<string, int> Hits = new(StringComparer.Ordinal);
    private static int _any;

    public static void Reach(string name)
    {
        if (Target is null)
        {
            return;
        }

        int count;
        lock (Hits)
        {
            count = Hits[name] = Hits.GetValueOrDefault(name) + 1;
            _any++;
        }

        var parts = Target.Split(':');
        var wanted = parts.Length > 1 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;
        var hit = parts[0] == "any" ? _any == wanted : parts[0] == name && count == wanted;
        if (hit)
        {
            Console.Error.WriteLine($"fault injection: killing the process at {name} (#{count}, point {_any})");
            Console.Error.Flush();
            Process.GetCurrentProcess().Kill(); // as abrupt as a power cut: no finally blocks, no flushing
        }
    }
}
