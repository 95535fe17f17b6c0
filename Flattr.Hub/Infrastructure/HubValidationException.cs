namespace Flattr.Hub.Infrastructure;

/// <summary>Input a person can fix: each field with every message that applies. Becomes a 400 problem, a form error, or exit code 2.</summary>
public sealed class HubValidationException : Exception
{
    public HubValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        Errors = errors;
    }

    public HubValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public HubValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    public HubValidationException(string message)
        : this("input", message)
    {
    }

    public HubValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]> { ["input"] = [message] };
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
