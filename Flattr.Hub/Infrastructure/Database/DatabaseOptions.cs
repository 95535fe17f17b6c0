using System.ComponentModel.DataAnnotations;

namespace Flattr.Hub.Infrastructure.Database;

/// <summary>Which database the Hub uses: <c>Hub:Database</c> in configuration.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Hub:Database";

    /// <summary><c>Sqlite</c> (default, embedded) or <c>Postgres</c>.</summary>
    /// <value>The default value is Sqlite.</value>
    [Required]
    [RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "Hub:Database:Provider must be Sqlite or Postgres.")]
    public string Provider { get; set; } = "Sqlite";
}

/// <summary>Where the Hub keeps its files: <c>Hub:DataDirectory</c>.</summary>
public static class HubPaths
{
    /// <summary>The data folder (the SQLite file, development mail); relative paths resolve against the content root.</summary>
    public static string DataDirectory(IConfiguration configuration, string contentRoot)
    {
        var configured = configuration["Hub:DataDirectory"];
        var folder = string.IsNullOrWhiteSpace(configured) ? "data" : configured;
        return Path.GetFullPath(Path.Combine(contentRoot, folder));
    }
}
