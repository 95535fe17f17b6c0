namespace Flattr.Umbraco;

internal static class Placeholder;
