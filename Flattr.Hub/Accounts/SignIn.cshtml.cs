using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Accounts;

public sealed class SignInModel(UserManager<HubUser> users, SignInManager<HubUser> signIn, ILogger<SignInModel> logger) : PageModel
{
    public const string InvalidMessage = "The email or password is not right.";

    public const string LockedOutMessage =
        "This account is locked after too many failed sign-ins. Try again in 15 minutes, or set a new password with "
        + "\"Forgot your password?\".";

    public const string LockedByAdminMessage = "This account has been locked by an administrator.";

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            Log.SignInFailed(logger, "unknown-email");
            ModelState.AddModelError(string.Empty, InvalidMessage);
            return Page();
        }

        var result = await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            Log.SignedIn(logger, user.Id);
            return LocalRedirect(ReturnUrls.Safe(Url, ReturnUrl));
        }

        if (result.IsLockedOut)
        {
            Log.AccountLockedOut(logger, user.Id);
            ModelState.AddModelError(string.Empty, AccountLocks.IsLockedByAdmin(user) ? LockedByAdminMessage : LockedOutMessage);
            return Page();
        }

        Log.SignInFailed(logger, result.IsNotAllowed ? "not-allowed" : "wrong-password");
        ModelState.AddModelError(string.Empty, InvalidMessage);
        return Page();
    }
}

public sealed class SignInInput
{
    [Required]
    [EmailAddress]
    [Display(Name = "Email")]
    public string Email { get; set; } = string.Empty;

    [Required]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = string.Empty;
}
