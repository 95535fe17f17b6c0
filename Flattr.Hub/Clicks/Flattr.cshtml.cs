using System.Globalization;
using Flattr.Hub.Accounts;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Hub.Things;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Clicks;

/// <summary>
/// The page a Flattr button leads to (<c>/flattr?installation=…&amp;sig=…</c>, the original Flattr's auto-submit) and a
/// thing's own Hub page (<c>/things/{id}</c>). It shows the thing; a signed-in reader confirms with a POST (antiforgery
/// protected, no JavaScript) and is sent back to the thing's stored address, never to an address from the request.
/// </summary>
public sealed class FlattrModel(ButtonLinks links, ClickRecorder recorder, HubDbContext db, UserManager<HubUser> users, TimeProvider time) : PageModel
{
    public Thing? Thing { get; private set; }

    public Installation? Installation { get; private set; }

    /// <summary>Why the page cannot show a thing, or why the flattr was not recorded.</summary>
    public string? Problem { get; private set; }

    /// <summary>The outcome of a POST that did not redirect, or what a GET already knows (own thing, flattred before).</summary>
    public ClickOutcome? Outcome { get; private set; }

    public DateTimeOffset? FlattredAt { get; private set; }

    public bool Registered { get; private set; }

    public long? MonthlyBudget { get; private set; }

    public Period CurrentPeriod { get; private set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public string CreatorName => Thing?.Creator.Name ?? Thing?.Creator.ExternalId ?? string.Empty;

    public string CategoryName => Thing is null ? string.Empty : CultureInfo.InvariantCulture.TextInfo.ToTitleCase(Thing.Category);

    /// <summary>This page's own address (path and query, as requested), for the sign-in and sign-up return.</summary>
    public string ReturnUrl => (Request.PathBase + Request.Path + Request.QueryString).ToString();

    public string SignInUrl => "/Accounts/SignIn?returnUrl=" + Uri.EscapeDataString(ReturnUrl);

    public string SignUpUrl => "/Accounts/SignUp?returnUrl=" + Uri.EscapeDataString(ReturnUrl);

    public static string MonthName(Period period) =>
        new DateTime(period.Year, period.Month, 1, 0, 0, 0, DateTimeKind.Utc).ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }

        if (SignedIn && users.GetUserId(User) is { } readerId)
        {
            MonthlyBudget = await db.Users.Where(u => u.Id == readerId).Select(u => (long?)u.MonthlyBudget).SingleOrDefaultAsync(cancellationToken);
            var periodKey = Click.PeriodKey(CurrentPeriod);
            FlattredAt = await db.Clicks
                .Where(c => c.ReaderId == readerId && c.ThingId == Thing!.Id && c.Period == periodKey)
                .Select(c => (DateTimeOffset?)c.ClickedAt)
                .FirstOrDefaultAsync(cancellationToken);
            Outcome = Thing!.Creator.AccountId == readerId ? ClickOutcome.OwnThing
                : FlattredAt is not null ? ClickOutcome.AlreadyFlattred
                : null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken cancellationToken)
    {
        if (!SignedIn || users.GetUserId(User) is not { } readerId)
        {
            return Challenge();
        }

        if (!await LoadAsync(id, cancellationToken))
        {
            return Page();
        }

        var result = await recorder.RecordAsync(readerId, Thing!.Id, "button", cancellationToken);
        if (result.Outcome is ClickOutcome.Created or ClickOutcome.AlreadyFlattred)
        {
            // Back to the article: the thing's stored address (synced, or from a verified signed link), never a request value.
            return Redirect(result.ThingUrl!);
        }

        Outcome = result.Outcome;
        Response.StatusCode = result.Outcome switch
        {
            ClickOutcome.OwnThing => StatusCodes.Status403Forbidden,
            ClickOutcome.NoBudget => StatusCodes.Status402PaymentRequired,
            _ => StatusCodes.Status404NotFound,
        };
        return Page();
    }

    /// <summary>Finds the thing (by Hub id, or from the verified link); on failure sets <see cref="Problem"/> and the status.</summary>
    private async Task<bool> LoadAsync(long? id, CancellationToken cancellationToken)
    {
        CurrentPeriod = Period.Containing(time.GetUtcNow());
        if (id is { } thingId)
        {
            Thing = await db.Things.AsNoTracking().Include(t => t.Creator).SingleOrDefaultAsync(t => t.Id == thingId, cancellationToken);
            Installation = Thing is null ? null : await db.Installations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == Thing.InstallationId, cancellationToken);
        }
        else
        {
            var link = await links.ResolveAsync(QueryValue, cancellationToken);
            if (link.Status != ButtonLinkStatus.Valid)
            {
                Problem = link.Problem;
                Response.StatusCode = link.Status == ButtonLinkStatus.Malformed ? StatusCodes.Status400BadRequest : StatusCodes.Status403Forbidden;
                return false;
            }

            (Thing, Installation, Registered) = (link.Thing, link.Installation, link.Registered);
        }

        if (Thing is null || Installation is null || Thing.RetiredAt is not null || Installation.DisabledAt is not null)
        {
            Thing = null;
            Problem = "This thing is not on the Hub, or it can no longer be flattred.";
            Response.StatusCode = StatusCodes.Status404NotFound;
            return false;
        }

        return true;
    }

    /// <summary>A decoded query value; null when absent or given more than once (a tampered link).</summary>
    private string? QueryValue(string name) => Request.Query.TryGetValue(name, out var values) && values.Count == 1 ? values[0] : null;
}
