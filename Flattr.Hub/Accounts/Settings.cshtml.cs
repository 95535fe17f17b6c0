using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Accounts;

[Authorize]
public sealed class SettingsModel(
    UserManager<HubUser> users,
    IOptions<HubOptions> options,
    ILogger<SettingsModel> logger) : PageModel
{
    [BindProperty]
    public SettingsInput Input { get; set; } = new();

    public string Email { get; private set; } = string.Empty;

    public bool Saved { get; private set; }

    public Currency Currency => options.Value.SettlementCurrency;

    public string MinimumBudget => BudgetText.Format(options.Value.MinimumBudget);

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Email = user.Email ?? string.Empty;
        Input = new SettingsInput
        {
            DisplayName = user.DisplayName ?? string.Empty,
            MonthlyBudget = BudgetText.Format(user.MonthlyBudget, Currency),
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Email = user.Email ?? string.Empty;
        var budget = ParseBudget(Input.MonthlyBudget);
        if (!ModelState.IsValid || budget is null)
        {
            return Page();
        }

        user.DisplayName = Input.DisplayName.Trim();
        user.MonthlyBudget = budget.Value.MinorUnits;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        Log.SettingsSaved(logger, user.Id);
        Saved = true;
        Input.MonthlyBudget = BudgetText.Format(user.MonthlyBudget, Currency);
        return Page();
    }

    /// <summary>0 (or empty) for no budget, else an amount of at least the Hub's minimum; null with a form error otherwise.</summary>
    private Money? ParseBudget(string? text)
    {
        var currency = Currency;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Money.Zero(currency);
        }

        if (!Money.TryParse(text, currency, out var budget) || budget.IsNegative)
        {
            ModelState.AddModelError("Input.MonthlyBudget",
                $"Enter the budget in {currency.Code} with at most {currency.MinorDigits} decimals, such as {MinimumBudget}, or 0 for none.");
            return null;
        }

        if (!budget.IsZero && budget < options.Value.MinimumBudget)
        {
            ModelState.AddModelError("Input.MonthlyBudget",
                $"The monthly budget must be 0 (none) or at least {MinimumBudget} {currency.Code}.");
            return null;
        }

        return budget;
    }
}

public sealed class SettingsInput
{
    [Required]
    [StringLength(100)]
    [Display(Name = "Display name")]
    public string DisplayName { get; set; } = string.Empty;

    [StringLength(32)]
    [Display(Name = "Monthly budget")]
    public string? MonthlyBudget { get; set; }
}
