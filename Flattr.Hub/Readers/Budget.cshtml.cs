using Flattr.Hub.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Readers;

/// <summary><c>/Readers/Budget</c>: where the signed-in reader's budget went, this month so far and in every past run.</summary>
public sealed class BudgetModel(BudgetBreakdown breakdown, UserManager<HubUser> users, IOptions<HubOptions> options) : PageModel
{
    public BudgetMonth ThisMonth { get; private set; } = null!;

    public IReadOnlyList<BudgetMonth> PastMonths { get; private set; } = [];

    public string Format(long minorUnits) => new Money(minorUnits, options.Value.SettlementCurrency).ToString();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var readerId = users.GetUserId(User) ?? throw new InvalidOperationException("The page requires a signed-in reader.");
        ThisMonth = await breakdown.ThisMonthAsync(readerId, cancellationToken);
        PastMonths = await breakdown.PastMonthsAsync(readerId, cancellationToken);
    }
}
