using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Accounts;

public sealed class ForgotPasswordModel(
    UserManager<HubUser> users,
    PasswordResetLinks links,
    IEmailSender<HubUser> mail,
    ILogger<ForgotPasswordModel> logger) : PageModel
{
    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // The same answer whether or not the address has an account, so the page cannot be used to find out.
        Sent = true;
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user?.Email is null)
        {
            Log.PasswordResetRefused(logger, "unknown-email");
            return Page();
        }

        var link = await links.CreateAsync(user);
        await mail.SendPasswordResetLinkAsync(user, user.Email, link.AbsoluteUri);
        Log.PasswordResetSent(logger, user.Id);
        return Page();
    }
}

public sealed class ForgotPasswordInput
{
    [Required]
    [EmailAddress]
    [Display(Name = "Email")]
    public string Email { get; set; } = string.Empty;
}
