using System.Security.Cryptography;
using Flattr.Hub.Accounts;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Installations;
using Flattr.Protocol;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Flattr.Hub.Creators;

/// <summary>Where a claim link stands for the person holding it.</summary>
public enum ClaimStatus
{
    /// <summary>The link is valid and the creator unclaimed: it can be claimed.</summary>
    Claimable,

    /// <summary>No claim link has this token.</summary>
    Unknown,

    /// <summary>The link's lifetime is over.</summary>
    Expired,

    /// <summary>The link was used already.</summary>
    Used,

    /// <summary>Another account claimed the creator.</summary>
    ClaimedByOther,

    /// <summary>This account has the creator already.</summary>
    AlreadyYours,

    /// <summary>The claim just succeeded.</summary>
    Claimed,
}

/// <summary>A claim link's state and what it is about.</summary>
/// <param name="Status">Where the link stands.</param>
/// <param name="CreatorId">The creator's Hub id, when the link is known.</param>
/// <param name="CreatorName">The creator's name or, failing that, external id.</param>
/// <param name="InstallationName">The site the creator belongs to.</param>
/// <param name="InstallationUrl">The site's address.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
public sealed record ClaimView(
    ClaimStatus Status, long? CreatorId, string? CreatorName, string? InstallationName, string? InstallationUrl, DateTimeOffset? ExpiresAt);

/// <summary>
/// Creator claims: an installation asks for a single-use link for one of its creators, hands it to the person, and the
/// person opens it signed in to attach the creator to their account. Only the SHA-256 of the link's token is stored.
/// One account may hold creators on any number of installations; a creator has at most one account.
/// </summary>
public sealed class CreatorClaims(
    HubDbContext db,
    UserManager<HubUser> users,
    RoleManager<IdentityRole> roles,
    TimeProvider time,
    IOptions<HubOptions> options,
    ILogger<CreatorClaims> logger)
{
    /// <summary>Issues a claim link for the installation's creator; null when the installation has no such creator.</summary>
    public async Task<ClaimLink?> IssueAsync(string installationId, string creatorExternalId, CancellationToken cancellationToken)
    {
        var creatorId = await db.Creators.AsNoTracking()
            .Where(c => c.InstallationId == installationId && c.ExternalId == creatorExternalId)
            .Select(c => (long?)c.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (creatorId is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var token = InstallationSecrets.Base64Url(RandomNumberGenerator.GetBytes(32));
        var claim = new CreatorClaim { CreatorId = creatorId.Value, TokenHash = ApiTokens.Hash(token), CreatedAt = now, ExpiresAt = now + options.Value.ClaimLinkLifetime };
        db.CreatorClaims.Add(claim);
        await db.SaveChangesAsync(cancellationToken);
        Log.ClaimLinkIssued(logger, installationId, creatorExternalId, claim.ExpiresAt);
        return new ClaimLink { Url = new Uri(options.Value.PublicUrl, "claim/" + token).AbsoluteUri, ExpiresAt = claim.ExpiresAt };
    }

    /// <summary>Where the link with <paramref name="token"/> stands for <paramref name="accountId"/> (null when signed out).</summary>
    public async Task<ClaimView> InspectAsync(string token, string? accountId, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.Hash(token);
        var found = await db.CreatorClaims.AsNoTracking()
            .Where(c => c.TokenHash == hash)
            .Select(c => new
            {
                c.CreatorId,
                c.ExpiresAt,
                c.UsedAt,
                c.Creator.Name,
                c.Creator.ExternalId,
                c.Creator.AccountId,
                Installation = db.Installations.Where(i => i.Id == c.Creator.InstallationId).Select(i => new { i.Name, i.BaseUrl }).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return new ClaimView(ClaimStatus.Unknown, null, null, null, null, null);
        }

        var status = true switch
        {
            _ when accountId is not null && found.AccountId == accountId => ClaimStatus.AlreadyYours,
            _ when found.UsedAt is not null => ClaimStatus.Used,
            _ when found.ExpiresAt <= time.GetUtcNow() => ClaimStatus.Expired,
            _ when found.AccountId is not null => ClaimStatus.ClaimedByOther,
            _ => ClaimStatus.Claimable,
        };
        return new ClaimView(status, found.CreatorId, found.Name ?? found.ExternalId, found.Installation?.Name, found.Installation?.BaseUrl, found.ExpiresAt);
    }

    /// <summary>
    /// Claims the creator for <paramref name="user"/> and gives them the creator role. All or nothing, and safe against a
    /// concurrent use of the same link or a concurrent claim of the same creator: the conditional updates decide.
    /// </summary>
    public async Task<ClaimView> ClaimAsync(string token, HubUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var view = await InspectAsync(token, user.Id, cancellationToken);
        if (view.Status != ClaimStatus.Claimable)
        {
            Log.ClaimRefused(logger, user.Id, view.Status);
            return view;
        }

        await EnsureCreatorRoleAsync();
        var now = time.GetUtcNow();
        var hash = ApiTokens.Hash(token);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var used = await db.CreatorClaims
            .Where(c => c.TokenHash == hash && c.UsedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now).SetProperty(c => c.UsedByAccountId, user.Id), cancellationToken);
        if (used != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            Log.ClaimRefused(logger, user.Id, ClaimStatus.Used);
            return view with { Status = ClaimStatus.Used };
        }

        var assigned = await db.Creators
            .Where(c => c.Id == view.CreatorId && c.AccountId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.AccountId, user.Id).SetProperty(c => c.ClaimedAt, now).SetProperty(c => c.UpdatedAt, now), cancellationToken);
        if (assigned != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            Log.ClaimRefused(logger, user.Id, ClaimStatus.ClaimedByOther);
            return view with { Status = ClaimStatus.ClaimedByOther };
        }

        if (!await users.IsInRoleAsync(user, HubRoles.Creator))
        {
            var added = await users.AddToRoleAsync(user, HubRoles.Creator);
            if (!added.Succeeded)
            {
                throw new InvalidOperationException("Could not add the creator role: " + string.Join(" ", added.Errors.Select(e => e.Description)));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        Log.CreatorClaimed(logger, user.Id, view.CreatorId!.Value);
        return view with { Status = ClaimStatus.Claimed };
    }

    private async Task EnsureCreatorRoleAsync()
    {
        if (await roles.RoleExistsAsync(HubRoles.Creator))
        {
            return;
        }

        try
        {
            await roles.CreateAsync(new IdentityRole(HubRoles.Creator));
        }
        catch (DbUpdateException e) when (Clicks.ClickRecorder.IsUniqueViolation(e))
        {
            // Created by a concurrent first claim; it exists now, which is all that matters.
            db.ChangeTracker.Clear();
        }
    }
}
