using System.Globalization;

namespace Flattr.Hub.Payouts.Simulation;

/// <summary>Parses ISO 8601 date-times that carry an offset (<c>Z</c> or <c>±hh:mm</c>); a time without one is refused.</summary>
internal static class IsoTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd HH:mm:ss.FFFFFFF'Z'",
    ];

    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value) =>
        TryParseCommon(text, out value)
        || DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);

    // The shape every generator and export writes, yyyy-MM-ddTHH:mm:ss[.fraction](Z|±hh:mm), parsed by hand:
    // ten million rows through the general parser cost seconds on their own.
    private static bool TryParseCommon(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            var start = i;
            var scale = 1_000_000L;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (scale > 0)
                {
                    fractionTicks += (s[i] - '0') * scale;
                    scale /= 10;
                }

                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        TimeSpan offset;
        var rest = s[i..];
        if (rest.Length == 1 && (rest[0] == 'Z' || rest[0] == 'z'))
        {
            offset = TimeSpan.Zero;
        }
        else if (rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':'
            && Digits(rest, 1, 2, out var offsetHours) && Digits(rest, 4, 2, out var offsetMinutes) && offsetHours <= 14 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (rest[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        try
        {
            value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fractionTicks), offset);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // the offset pushes the instant outside the representable range
        }
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}
