using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Accounts;

/// <summary>Sets a password with the link from a reset mail, or from <c>admins add</c> for a new admin.</summary>
public sealed class ResetPasswordModel(UserManager<HubUser> users, ILogger<ResetPasswordModel> logger) : PageModel
{
    public const string InvalidLinkMessage = "This link is not valid: it has been used already, has expired, or was copied incompletely. Ask for a new one.";

    [BindProperty]
    public ResetPasswordInput Input { get; set; } = new();

    public bool Done { get; private set; }

    public IActionResult OnGet(string? email, string? code)
    {
        // The code is in this page's address: keep it out of the Referer of anything the page links to.
        Response.Headers["Referrer-Policy"] = "no-referrer";
        if (string.IsNullOrEmpty(email) || PasswordResetLinks.DecodeCode(code) is null)
        {
            ModelState.AddModelError(string.Empty, InvalidLinkMessage);
        }

        Input = new ResetPasswordInput { Email = email ?? string.Empty, Code = code ?? string.Empty };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var token = PasswordResetLinks.DecodeCode(Input.Code);
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null || token is null)
        {
            Log.PasswordResetRefused(logger, user is null ? "unknown-email" : "malformed-code");
            ModelState.AddModelError(string.Empty, InvalidLinkMessage);
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, token, Input.Password);
        if (!result.Succeeded)
        {
            var reason = result.Errors.First().Code;
            foreach (var error in result.Errors)
            {
                var isToken = error.Code == nameof(IdentityErrorDescriber.InvalidToken);
                ModelState.AddModelError(isToken ? string.Empty : "Input.Password", isToken ? InvalidLinkMessage : error.Description);
            }

            Log.PasswordResetRefused(logger, reason);
            return Page();
        }

        if (!AccountLocks.IsLockedByAdmin(user))
        {
            // Whoever holds the link controls the mailbox: the lockout after failed sign-ins has done its job.
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
        }

        Log.PasswordReset(logger, user.Id);
        Done = true;
        return Page();
    }
}

public sealed class ResetPasswordInput
{
    [Required]
    [EmailAddress]
    public string Email { get; set; } = string.Empty;

    [Required]
    public string Code { get; set; } = string.Empty;

    [Required]
    [StringLength(200, MinimumLength = 10)]
    [DataType(DataType.Password)]
    [Display(Name = "New password")]
    public string Password { get; set; } = string.Empty;
}
