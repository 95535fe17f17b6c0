using Flattr.Hub.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Creators;

/// <summary>
/// <c>/claim/{token}</c>: a person opens the link their site gave them and, signed in, confirms with a POST to attach
/// the creator to their account. Anyone may view the page; only the POST needs an account.
/// </summary>
public sealed class ClaimModel(CreatorClaims claims, UserManager<HubUser> users, SignInManager<HubUser> signIn) : PageModel
{
    public ClaimView View { get; private set; } = null!;

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public string ReturnUrl => (Request.PathBase + Request.Path).ToString();

    public string SignInUrl => "/Accounts/SignIn?returnUrl=" + Uri.EscapeDataString(ReturnUrl);

    public string SignUpUrl => "/Accounts/SignUp?returnUrl=" + Uri.EscapeDataString(ReturnUrl);

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        View = await claims.InspectAsync(token, SignedIn ? users.GetUserId(User) : null, cancellationToken);
        SetStatus();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (!SignedIn || await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        View = await claims.ClaimAsync(token, user, cancellationToken);
        if (View.Status == ClaimStatus.Claimed)
        {
            // The new role goes into the cookie now, so the creator pages open without signing in again.
            await signIn.RefreshSignInAsync(user);
        }

        SetStatus();
        return Page();
    }

    private void SetStatus() => Response.StatusCode = View.Status switch
    {
        ClaimStatus.Unknown => StatusCodes.Status404NotFound,
        ClaimStatus.Expired or ClaimStatus.Used => StatusCodes.Status410Gone,
        ClaimStatus.ClaimedByOther => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status200OK,
    };
}
