using System.ComponentModel.DataAnnotations;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Flattr.Hub.Accounts;

public sealed class SignUpModel(
    UserManager<HubUser> users,
    SignInManager<HubUser> signIn,
    HubDbContext db,
    TimeProvider time,
    ILogger<SignUpModel> logger) : PageModel
{
    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = new HubUser
        {
            UserName = Input.Email.Trim(),
            Email = Input.Email.Trim(),
            DisplayName = Input.DisplayName.Trim(),
            CreatedAt = time.GetUtcNow(),
        };

        // The account and its role together or not at all.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var created = await users.CreateAsync(user, Input.Password);
            var result = created.Succeeded ? await users.AddToRoleAsync(user, HubRoles.Reader) : created;
            if (!result.Succeeded)
            {
                // The user name is the email, so a taken email is reported once, as the email's error.
                foreach (var error in result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.DuplicateUserName)))
                {
                    ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? "Input.Password" : "Input.Email", error.Description);
                }

                return Page();
            }

            await transaction.CommitAsync(cancellationToken);
        }

        Log.AccountCreated(logger, user.Id, "sign-up");
        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(ReturnUrls.Safe(Url, ReturnUrl));
    }
}

public sealed class SignUpInput
{
    [Required]
    [EmailAddress]
    [StringLength(256)]
    [Display(Name = "Email")]
    public string Email { get; set; } = string.Empty;

    [Required]
    [StringLength(100)]
    [Display(Name = "Display name")]
    public string DisplayName { get; set; } = string.Empty;

    [Required]
    [StringLength(200, MinimumLength = 10)]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = string.Empty;
}
