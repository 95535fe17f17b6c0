using System.Globalization;

namespace Flattr.Umbraco.Content;

/// <summary>Reads the stored value of the <c>flattrEnabled</c> toggle.</summary>
internal static class FlattrToggle
{
    /// <summary>
    /// The toggle's state: a stored value as Umbraco keeps True/False values (1/0, true/false, "1"/"0"), or
    /// <paramref name="enabledByDefault"/> when the article was never saved with the toggle (it was created before the
    /// composition was added to its type).
    /// </summary>
    public static bool IsOn(object? stored, bool enabledByDefault) => stored switch
    {
        null => enabledByDefault,
        bool value => value,
        int value => value != 0,
        long value => value != 0,
        decimal value => value != 0,
        string text when text.Length == 0 => enabledByDefault,
        string text when bool.TryParse(text, out var value) => value,
        string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value != 0,
        _ => enabledByDefault,
    };
}
