namespace Flattr.Hub.Cli;

/// <summary>Exit codes of every Flattr.Hub command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command failed for a reason other than its input (a database that cannot be reached, say).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: an unknown option, a malformed file, an invalid value. Nothing was stored or printed to stdout.</summary>
    public const int BadInput = 2;
}
