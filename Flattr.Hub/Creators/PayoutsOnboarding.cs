using Flattr.Hub.Accounts;
using Flattr.Hub.Clicks;
using Flattr.Hub.Funding;
using Flattr.Hub.Infrastructure;
using Flattr.Hub.Infrastructure.Database;
using Flattr.Hub.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;

namespace Flattr.Hub.Creators;

/// <summary>
/// Connects a creator's Hub account to a Stripe Express account: creates the account once (the idempotency key is
/// derived from the Hub account, so a double click or a retry cannot make two), and hands out single-use onboarding
/// links. The Hub's record of the account's status is refreshed from Stripe when the creator comes back and on
/// <c>account.updated</c>.
/// </summary>
public sealed class PayoutsOnboarding(
    HubDbContext db,
    TimeProvider time,
    IOptions<HubOptions> options,
    IServiceProvider services,
    ILogger<PayoutsOnboarding> logger)
{
    /// <summary>Where Stripe sends the creator back, and where an expired link sends them for a new one.</summary>
    public const string ReturnPath = "Creators/Payouts";

    public const string RefreshPath = "Creators/PayoutsRefresh";

    private StripeClient? Client => services.GetService<StripeClient>();

    public bool Enabled => Client is not null;

    /// <summary>
    /// Makes sure the person has a connected account (creating an Express account at Stripe if not) and returns a new
    /// onboarding link for it.
    /// </summary>
    public async Task<Uri> StartAsync(HubUser user, CancellationToken cancellationToken)
    {
        var client = RequireClient();
        var stored = await db.PayoutAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountId == user.Id, cancellationToken);
        if (stored is null)
        {
            Account account;
            try
            {
                // REVIEW: AccountCreateOptions.Type is deprecated in favour of Controller; "express" is still accepted and is
                // what the Stripe double models. Switch when the double speaks controller[...].
                account = await new AccountService(client).CreateAsync(
                    new AccountCreateOptions
                    {
                        Type = "express",
                        Email = user.Email,
                        Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
                        Metadata = new Dictionary<string, string> { ["flattr_account"] = user.Id },
                    },
                    new RequestOptions { IdempotencyKey = $"flattr-connect:{user.Id}" },
                    cancellationToken);
            }
            catch (StripeException e)
            {
                throw Refused("creating a connected account", e);
            }

            stored = new PayoutAccount { AccountId = user.Id, StripeAccountId = account.Id, UpdatedAt = time.GetUtcNow() };
            StripeFunding.ApplyStatus(stored, account, time.GetUtcNow());
            db.PayoutAccounts.Add(stored);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                Log.PayoutAccountCreated(logger, user.Id, account.Id);
            }
            catch (DbUpdateException e) when (ClickRecorder.IsUniqueViolation(e))
            {
                // A second request of the same person got here first; its key gave it the same Stripe account.
                db.ChangeTracker.Clear();
                stored = await db.PayoutAccounts.AsNoTracking().SingleAsync(a => a.AccountId == user.Id, cancellationToken);
            }
        }

        return await NewLinkAsync(stored.StripeAccountId, cancellationToken);
    }

    /// <summary>A new onboarding link for the person's connected account; null when they have none yet.</summary>
    public async Task<Uri?> RefreshLinkAsync(string accountId, CancellationToken cancellationToken)
    {
        var stored = await db.PayoutAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.AccountId == accountId, cancellationToken);
        return stored is null ? null : await NewLinkAsync(stored.StripeAccountId, cancellationToken);
    }

    /// <summary>
    /// Re-reads the person's connected account from Stripe and stores its status; returns the stored record (unchanged
    /// when Stripe cannot be reached, with <c>Fresh</c> false), or null when they have no connected account.
    /// </summary>
    public async Task<(PayoutAccount Account, bool Fresh)?> RefreshStatusAsync(string accountId, CancellationToken cancellationToken)
    {
        var stored = await db.PayoutAccounts.SingleOrDefaultAsync(a => a.AccountId == accountId, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        if (Client is not { } client)
        {
            return (stored, false);
        }

        try
        {
            var account = await new AccountService(client).GetAsync(stored.StripeAccountId, cancellationToken: cancellationToken);
            StripeFunding.ApplyStatus(stored, account, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            Log.PayoutAccountUpdated(logger, stored.StripeAccountId, accountId, stored.PayoutsEnabled, stored.DetailsSubmitted, "return page");
            return (stored, true);
        }
        catch (StripeException e)
        {
            Log.StripeCallFailed(logger, "reading a connected account", e.StripeError?.Message ?? e.Message);
            return (stored, false);
        }
    }

    private async Task<Uri> NewLinkAsync(string stripeAccountId, CancellationToken cancellationToken)
    {
        var hub = options.Value.PublicUrl;
        try
        {
            var link = await new AccountLinkService(RequireClient()).CreateAsync(
                new AccountLinkCreateOptions
                {
                    Account = stripeAccountId,
                    Type = "account_onboarding",
                    RefreshUrl = new Uri(hub, RefreshPath).AbsoluteUri,
                    ReturnUrl = new Uri(hub, ReturnPath).AbsoluteUri,
                },
                cancellationToken: cancellationToken);
            return new Uri(link.Url);
        }
        catch (StripeException e)
        {
            throw Refused("creating an onboarding link", e);
        }
    }

    private StripeClient RequireClient() =>
        Client ?? throw new HubValidationException("stripe", "Stripe is not set up on this Hub: payouts are made by the people who run it, by bank transfer.");

    private HubValidationException Refused(string operation, StripeException e)
    {
        Log.StripeCallFailed(logger, operation, e.StripeError?.Message ?? e.Message);
        return new HubValidationException("stripe", "Stripe could not set up your payouts right now. Please try again in a moment.");
    }
}
