using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Accounts;

/// <summary>Signing out changes state, so only a POST (with its antiforgery token) does it; a GET shows the button.</summary>
public sealed class SignOutModel(SignInManager<HubUser> signIn, UserManager<HubUser> users, ILogger<SignOutModel> logger) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var id = users.GetUserId(User);
        await signIn.SignOutAsync();
        if (id is not null)
        {
            Log.SignedOut(logger, id);
        }

        return LocalRedirect("/");
    }
}
