namespace Flattr.Hub.Accounts;

/// <summary>Where the built-in sender puts mail: the <c>Hub:Mail</c> configuration section.</summary>
public sealed class MailOptions
{
    public const string SectionName = "Hub:Mail";

    /// <summary>The folder the built-in sender writes mail to; relative paths resolve against the content root.</summary>
    /// <value>The default value is <c>mail</c> in the Hub's data folder (<c>Hub:DataDirectory</c>).</value>
    public string? Folder { get; set; }

    /// <summary>The sender address of the Hub's mail.</summary>
    /// <value>The default value is <c>no-reply@</c> the host of <c>Hub:PublicUrl</c>.</value>
    public string? From { get; set; }
}
