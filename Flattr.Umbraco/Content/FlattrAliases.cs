namespace Flattr.Umbraco.Content;

/// <summary>The aliases of the Flattr composition and its properties, for templates and custom code.</summary>
public static class FlattrAliases
{
    /// <summary>The composition the installer creates and adds to the configured document types.</summary>
    public const string Composition = "flattr";

    /// <summary>The property group on the composition.</summary>
    public const string Group = "flattr";

    /// <summary>The True/False property that switches the button on or off for one article.</summary>
    public const string Enabled = "flattrEnabled";

    /// <summary>The optional text property that names the article's creator on the Hub, overriding the author.</summary>
    public const string Creator = "flattrCreator";
}
