using Flattr.Hub.Accounts;
using Flattr.Hub.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Creators;

/// <summary>
/// <c>/Creators/PayoutsRefresh</c>: Stripe's <c>refresh_url</c>. Onboarding links are single-use and short-lived;
/// when one has expired or was used, Stripe sends the creator here, and the page mints a new link and sends them on.
/// </summary>
public sealed class PayoutsRefreshModel(PayoutsOnboarding onboarding, UserManager<HubUser> users) : PageModel
{
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var accountId = users.GetUserId(User) ?? throw new InvalidOperationException("The page requires a signed-in creator.");
        try
        {
            var link = await onboarding.RefreshLinkAsync(accountId, cancellationToken);
            return link is null ? RedirectToPage("/Creators/Payouts") : Redirect(link.AbsoluteUri);
        }
        catch (HubValidationException e)
        {
            Error = e.Message;
            return Page();
        }
    }
}
