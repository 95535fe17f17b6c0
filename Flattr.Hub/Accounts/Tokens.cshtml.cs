using System.ComponentModel.DataAnnotations;
using Flattr.Hub.Infrastructure.Database;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Flattr.Hub.Accounts;

/// <summary>Personal API tokens: made here, shown once in the answer to the POST that made them, and revoked here.</summary>
[Authorize]
public sealed class TokensModel(UserManager<HubUser> users, HubDbContext db, TimeProvider time, ILogger<TokensModel> logger) : PageModel
{
    public const int MaxActiveTokens = 50;

    [BindProperty]
    public TokenInput Input { get; set; } = new();

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    /// <summary>The token just made, in plain text; set only in the response to the POST that made it.</summary>
    public string? NewToken { get; private set; }

    public string? NewTokenName { get; private set; }

    public bool Revoked { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var id = users.GetUserId(User);
        if (id is null)
        {
            return Challenge();
        }

        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        var id = users.GetUserId(User);
        if (id is null)
        {
            return Challenge();
        }

        var name = Input.Name?.Trim() ?? string.Empty;
        if (ModelState.IsValid && await db.ApiTokens.CountAsync(t => t.AccountId == id && t.RevokedAt == null, cancellationToken) >= MaxActiveTokens)
        {
            ModelState.AddModelError("Input.Name", $"You have {MaxActiveTokens} tokens; revoke one you no longer use first.");
        }

        if (!ModelState.IsValid || name.Length == 0)
        {
            await LoadAsync(id, cancellationToken);
            return Page();
        }

        var token = ApiTokens.NewToken();
        var stored = new ApiToken
        {
            AccountId = id,
            Name = name,
            Prefix = ApiTokens.DisplayPrefix(token),
            TokenHash = ApiTokens.Hash(token),
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiTokens.Add(stored);
        await db.SaveChangesAsync(cancellationToken);
        Log.ApiTokenCreated(logger, id, stored.Id, stored.Prefix);

        NewToken = token;
        NewTokenName = name;
        Input = new TokenInput();
        ModelState.Clear();
        await LoadAsync(id, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long tokenId, CancellationToken cancellationToken)
    {
        var id = users.GetUserId(User);
        if (id is null)
        {
            return Challenge();
        }

        // Only the owner's own tokens: another account's id is treated as unknown.
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.AccountId == id, cancellationToken);
        if (token is null)
        {
            return NotFound();
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            Log.ApiTokenRevoked(logger, id, token.Id);
        }

        return RedirectToPage(new { revoked = true });
    }

    private async Task LoadAsync(string accountId, CancellationToken cancellationToken)
    {
        Revoked = Request.Query.ContainsKey("revoked");
        Tokens = await db.ApiTokens.AsNoTracking()
            .Where(t => t.AccountId == accountId && t.RevokedAt == null)
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .ToListAsync(cancellationToken);
    }
}

public sealed class TokenInput
{
    [Required]
    [StringLength(100)]
    [Display(Name = "Name")]
    public string? Name { get; set; }
}
