using System.Diagnostics.CodeAnalysis;

namespace Flattr.Things;

/// <summary>What kind of work a thing is. The wire names are the lower-case member names, as in the original Flattr API.</summary>
public enum ThingCategory
{
    /// <summary>Articles, posts, essays.</summary>
    Text,

    /// <summary>Photos, illustrations, comics.</summary>
    Images,

    /// <summary>Films, clips, streams.</summary>
    Video,

    /// <summary>Podcasts, music, audio books.</summary>
    Audio,

    /// <summary>Programs, libraries, plugins.</summary>
    Software,

    /// <summary>A person or group rather than a single work.</summary>
    People,

    /// <summary>Anything else.</summary>
    Rest,
}

/// <summary>Converts <see cref="ThingCategory"/> to and from its wire name.</summary>
public static class ThingCategories
{
    /// <summary>Every wire name, in declaration order.</summary>
    public static IReadOnlyList<string> WireNames { get; } = ["text", "images", "video", "audio", "software", "people", "rest"];

    /// <summary>The lower-case wire name, for example <c>audio</c>.</summary>
    public static string ToWireName(this ThingCategory category) => WireNames[(int)category];

    /// <summary>Parses a wire name (exact, lower case); unknown names return false.</summary>
    public static bool TryParse([NotNullWhen(true)] string? wireName, out ThingCategory category)
    {
        for (var i = 0; i < WireNames.Count; i++)
        {
            if (string.Equals(WireNames[i], wireName, StringComparison.Ordinal))
            {
                category = (ThingCategory)i;
                return true;
            }
        }

        category = default;
        return false;
    }
}
