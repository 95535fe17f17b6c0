using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Admin;

/// <summary>
/// What every admin page shares: the acting admin's account id, the audit log, and a one-line status carried across
/// the redirect that follows a POST. The /Admin folder itself requires the <c>admin</c> policy (see HubApplication).
/// </summary>
public abstract class AdminPageModel(HubDbContext db, TimeProvider time, ILogger logger) : PageModel
{
    [TempData]
    public string? Status { get; set; }

    [TempData]
    public string? Error { get; set; }

    protected HubDbContext Db => db;

    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    /// <summary>The signed-in admin's account id: the actor of every audit entry the page writes.</summary>
    protected string Actor =>
        User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value
        ?? throw new InvalidOperationException("An admin page ran without a signed-in account.");

    /// <summary>Adds an audit entry to the unit of work; it is stored with the change it describes, by the same save.</summary>
    protected void Audit(string action, string subject, string? details = null)
    {
        db.AuditEntries.Add(new AuditEntry { Actor = Actor, Action = action, Subject = subject, Details = details, At = time.GetUtcNow() });
        Log.AdminAction(logger, Actor, action, subject);
    }

    protected void Refuse(string action, string subject, string message)
    {
        Log.AdminActionRefused(logger, Actor, action, subject, message);
        Error = message;
    }
}

/// <summary>One page of a list, newest or best first as the query orders it.</summary>
public sealed class PagedList<T>
{
    public const int PageSize = 25;

    public required IReadOnlyList<T> Items { get; init; }

    public required int Page { get; init; }

    public required int Total { get; init; }

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public PagerView Pager => new(Page, Pages, Total);
}

public static class PagedList
{
    /// <summary>Reads page <paramref name="page"/> (clamped to the pages there are) of an ordered query.</summary>
    public static async Task<PagedList<T>> CreateAsync<T>(IQueryable<T> ordered, int page, CancellationToken cancellationToken)
    {
        var size = PagedList<T>.PageSize;
        var total = await ordered.CountAsync(cancellationToken);
        var pages = Math.Max(1, (total + size - 1) / size);
        page = Math.Clamp(page, 1, pages);
        var items = await ordered.Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PagedList<T> { Items = items, Page = page, Total = total };
    }
}

/// <summary>What the pager partial shows: where in the list we are.</summary>
public sealed record PagerView(int Page, int Pages, int Total);

/// <summary>
/// Search as the admin lists do it: a case-insensitive "contains", as a LIKE pattern on the lower-cased column, which
/// both SQLite and PostgreSQL run the same way. The term's own <c>%</c>, <c>_</c> and <c>\</c> match literally.
/// </summary>
internal static class SearchTerms
{
    public const string Escape = "\\";

    /// <summary>The LIKE pattern for a search box's text (trimmed, at most 200 characters), or null when it is empty.</summary>
    public static string? ContainsPattern(string? text)
    {
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        var term = trimmed[..Math.Min(trimmed.Length, 200)].ToLowerInvariant()
            .Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
        return "%" + term + "%";
    }
}
